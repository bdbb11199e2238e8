package io.github.acivirtualnode.operator.aci;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.acivirtualnode.operator.aci.AciException.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AciExceptionTest {

  private static AciException failure(Kind kind, String code) {
    return new AciException(kind, code, 0, "boom", null, null);
  }

  @ParameterizedTest
  @EnumSource(
      value = Kind.class,
      names = {"AUTHENTICATION", "QUOTA", "INVALID_REQUEST"})
  void needsAHuman(Kind kind) {
    assertThat(failure(kind, "AnyCode").isActionable()).isTrue();
    assertThat(failure(kind, "").isActionable()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = Kind.class,
      names = {"THROTTLED", "TRANSIENT"})
  void clearsUpOnItsOwn(Kind kind) {
    assertThat(failure(kind, "AnyCode").isActionable()).isFalse();
    // even a code that would be actionable as NOT_FOUND does not change a transient kind
    assertThat(failure(kind, "ResourceGroupNotFound").isActionable()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ResourceGroupNotFound", "SubscriptionNotFound"})
  void missingResourceGroupOrSubscriptionIsActionable(String code) {
    assertThat(failure(Kind.NOT_FOUND, code).isActionable()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ResourceNotFound", "ContainerGroupNotFound", "", "resourcegroupnotfound"})
  void otherMissingResourcesAreNotActionable(String code) {
    assertThat(failure(Kind.NOT_FOUND, code).isActionable()).isFalse();
  }

  @Test
  void keepsWhatItWasGiven() {
    RuntimeException cause = new IllegalStateException("underneath");
    AciException e =
        new AciException(
            Kind.NOT_FOUND, "ResourceNotFound", 404, "gone", Duration.ofSeconds(3), cause);

    assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(e.code()).isEqualTo("ResourceNotFound");
    assertThat(e.statusCode()).isEqualTo(404);
    assertThat(e.getMessage()).isEqualTo("gone");
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
    assertThat(e.getCause()).isSameAs(cause);
  }

  @Test
  void noRetryAfterIsEmpty() {
    assertThat(failure(Kind.TRANSIENT, "x").retryAfter()).isEmpty();
    assertThat(failure(Kind.TRANSIENT, "x").getCause()).isNull();
  }

  @Test
  void throttledByTheOperatorsOwnBudget() {
    AciException e =
        AciException.throttled("create of container group cg-1", Duration.ofSeconds(90));

    assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
    assertThat(e.code()).isEqualTo("OperatorThrottled");
    assertThat(e.statusCode()).isEqualTo(429);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(90));
    assertThat(e.getMessage())
        .startsWith("create of container group cg-1")
        .contains("90s")
        .contains("budget");
    assertThat(e.getCause()).isNull();
    assertThat(e.isActionable()).isFalse();
  }
}
