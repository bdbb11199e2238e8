package io.github.acivirtualnode.operator.aci;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.acivirtualnode.operator.aci.AciException.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AciErrorsTest {

  @ParameterizedTest(name = "{0} {1} is quota")
  @CsvSource({
    "409, ContainerGroupQuotaReached",
    "400, StandardCoresQuotaExceeded",
    "403, QuotaExceeded",
    "409, ResourceRequestsNotAvailable",
    "503, ServiceUnavailable.Capacity",
    "400, RegionalVCpuQuotaExceeded",
    "429, ContainerGroupCreationQuotaExceeded",
    "401, QuotaExceeded",
    "500, QuotaExceeded",
    "0, QuotaExceeded"
  })
  void quotaCodesWinOverEveryStatus(int status, String code) {
    assertThat(AciErrors.classify(status, code)).isEqualTo(Kind.QUOTA);
  }

  @ParameterizedTest(name = "{0} {1} is authentication")
  @CsvSource({
    "401, AuthenticationFailed",
    "401, InvalidAuthenticationToken",
    "401, InvalidAuthenticationTokenTenant",
    "403, AuthorizationFailed",
    "403, LinkedAuthorizationFailed",
    "401, ''",
    "403, SomethingElse",
    "401, ResourceGroupNotFound",
    "403, Conflict",
    // an authentication code decides even when the status says something else
    "400, AuthorizationFailed",
    "404, AuthorizationFailed",
    "429, InvalidAuthenticationToken",
    "500, AuthenticationFailed",
    "0, LinkedAuthorizationFailed"
  })
  void authenticationByStatusOrCode(int status, String code) {
    assertThat(AciErrors.classify(status, code)).isEqualTo(Kind.AUTHENTICATION);
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403})
  void authenticationStatusWithoutCode(int status) {
    assertThat(AciErrors.classify(status, null)).isEqualTo(Kind.AUTHENTICATION);
  }

  @ParameterizedTest
  @CsvSource({"SubscriptionRequestsThrottled", "TooManyRequests", "''"})
  void status429IsThrottled(String code) {
    assertThat(AciErrors.classify(429, code)).isEqualTo(Kind.THROTTLED);
    assertThat(AciErrors.classify(429, null)).isEqualTo(Kind.THROTTLED);
  }

  @ParameterizedTest
  @CsvSource({"ResourceGroupNotFound", "ResourceNotFound", "SubscriptionNotFound", "''"})
  void status404IsNotFound(String code) {
    assertThat(AciErrors.classify(404, code)).isEqualTo(Kind.NOT_FOUND);
    assertThat(AciErrors.classify(404, null)).isEqualTo(Kind.NOT_FOUND);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 408, 500, 502, 503, 504, 599})
  void serverErrorsTimeoutsAndNoResponseAreTransient(int status) {
    assertThat(AciErrors.classify(status, "InternalServerError")).isEqualTo(Kind.TRANSIENT);
    assertThat(AciErrors.classify(status, null)).isEqualTo(Kind.TRANSIENT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"AnotherOperationInProgress", "Conflict", "OperationInProgress", ""})
  void conflictWithAnotherOperationIsTransient(String code) {
    assertThat(AciErrors.classify(409, code)).isEqualTo(Kind.TRANSIENT);
    assertThat(AciErrors.classify(409, null)).isEqualTo(Kind.TRANSIENT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"MissingSubscriptionRegistration", "ScopeLocked", "ResourceGroupBeingDeleted"})
  void conflictsThatWaitForAHumanAreActionable(String code) {
    assertThat(AciErrors.classify(409, code)).isEqualTo(Kind.INVALID_REQUEST);
    assertThat(
            new AciException(AciErrors.classify(409, code), code, 409, "", null, null)
                .isActionable())
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 405, 411, 412, 413, 415, 422})
  void otherClientErrorsAreInvalidRequests(int status) {
    assertThat(AciErrors.classify(status, "InvalidContainerGroupName"))
        .isEqualTo(Kind.INVALID_REQUEST);
    assertThat(AciErrors.classify(status, null)).isEqualTo(Kind.INVALID_REQUEST);
  }

  @Test
  void codeThatOnlyContainsQuotaIsNotQuota() {
    assertThat(AciErrors.classify(400, "QuotaExceededSomewhere")).isEqualTo(Kind.INVALID_REQUEST);
    assertThat(AciErrors.classify(500, "QuotaCheckFailed")).isEqualTo(Kind.TRANSIENT);
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "1, 1", "30, 30", "' 7 ', 7", "'\t12\n', 12", "86400, 86400"})
  void retryAfterInDeltaSeconds(String header, long seconds) {
    assertThat(AciErrors.parseRetryAfter(header)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "   ",
        "abc",
        "1.5",
        "-1",
        "30s",
        "Wed, 21 Oct 2015 07:28:00 GMT",
        "99999999999999999999999"
      })
  void unusableRetryAfterIsNull(String header) {
    assertThat(AciErrors.parseRetryAfter(header)).isNull();
  }
}
