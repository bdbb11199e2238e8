package io.github.acivirtualnode.operator.aci;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.identity.CredentialUnavailableException;
import com.microsoft.aad.msal4j.MsalServiceException;
import io.github.acivirtualnode.operator.aci.AciException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** How failures of the Azure SDK and MSAL become typed ACI errors. */
class AzureAciBackendClassifyTest {

  @Test
  void entraRefusingTheSecretIsAnAuthenticationFailureWithAStableMessage() {
    RuntimeException refused =
        new MsalServiceException(
            "AADSTS7000215: Invalid client secret provided. Trace ID: 1234 Correlation ID: 5678",
            "invalid_client");

    AciException e = AzureAciBackend.classify(refused);

    assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
    assertThat(e.isActionable()).isTrue();
    assertThat(e.getMessage())
        .contains("AADSTS7000215")
        .contains("invalid_client")
        .doesNotContain("Trace ID")
        .doesNotContain("1234");
  }

  @Test
  void msalWrappedInAnotherExceptionIsStillRecognised() {
    RuntimeException wrapped =
        new IllegalStateException(
            new MsalServiceException("AADSTS700016: no app", "unauthorized_client"));

    assertThat(AzureAciBackend.classify(wrapped).kind()).isEqualTo(Kind.AUTHENTICATION);
  }

  @Test
  void anUnreachableIdentityEndpointIsTransientNotBadCredentials() {
    RuntimeException unreachable =
        new CredentialUnavailableException("IMDS timed out", new ConnectException("refused"));

    AciException e = AzureAciBackend.classify(unreachable);

    assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(e.isActionable()).isFalse();
  }

  @Test
  void aCredentialThatCannotProduceATokenIsAuthentication() {
    assertThat(AzureAciBackend.classify(new CredentialUnavailableException("no token file")).kind())
        .isEqualTo(Kind.AUTHENTICATION);
    assertThat(AzureAciBackend.classify(new ClientAuthenticationException("refused", null)).kind())
        .isEqualTo(Kind.AUTHENTICATION);
  }

  @Test
  void networkFailuresAreTransient() {
    assertThat(AzureAciBackend.classify(new UncheckedIOException(new IOException("reset"))).kind())
        .isEqualTo(Kind.TRANSIENT);
  }

  @Test
  void anythingElseIsTypedAndVisibleNotRetriedForEver() {
    AciException e = AzureAciBackend.classify(new NullPointerException("surprise"));

    assertThat(e.code()).isEqualTo("UnexpectedError");
    assertThat(e.isActionable()).as("shows on the node instead of hiding as transient").isTrue();
    assertThat(e.getMessage()).contains("NullPointerException").contains("surprise");
  }

  @Test
  void theSdksRefusalToSendATokenOverHttpIsActionable() {
    AciException e =
        AzureAciBackend.classify(
            new IllegalStateException(
                "Token credentials require a URL using the HTTPS protocol scheme."));

    assertThat(e.code()).isEqualTo("InsecureEndpoint");
    assertThat(e.isActionable()).isTrue();
  }

  @Test
  void anExecSessionNeverPrintsItsPassword() {
    assertThat(new AciBackend.ExecSession("wss://exec.example/", "hunter2").toString())
        .doesNotContain("hunter2")
        .contains("wss://exec.example/");
  }
}
