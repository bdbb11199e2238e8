package io.github.acivirtualnode.aciemulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.ManagedIdentityCredential;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * azure-identity's ManagedIdentityCredential (App Service source) against the emulator. Runs in its
 * own failsafe execution whose JVM has IDENTITY_ENDPOINT / IDENTITY_HEADER set to the reserved port
 * (see pom.xml): MSAL reads them from the process environment.
 */
class ManagedIdentityIT {

  @Test
  void managedIdentityCredentialGetsATokenTheArmSideAccepts() {
    int port = Integer.getInteger("aci.emulator.mi.port");
    try (AciEmulator emulator =
        AciEmulator.builder().port(port).requireAuthentication(true).build().start()) {
      assertThat(System.getenv("IDENTITY_ENDPOINT")).isEqualTo(emulator.managedIdentityEndpoint());
      HttpClient http =
          new JdkHttpClientBuilder(
                  java.net.http.HttpClient.newBuilder().sslContext(emulator.sslContext()))
              .build();
      ManagedIdentityCredential credential =
          new ManagedIdentityCredentialBuilder().httpClient(http).build();
      AccessToken token =
          credential.getTokenSync(
              new TokenRequestContext().addScopes("https://management.azure.com/.default"));
      assertThat(token.getToken()).isNotBlank();
      assertThat(token.getExpiresAt()).isAfter(OffsetDateTime.now());

      emulator.addResourceGroup(AzureSdkIT.SUBSCRIPTION, AzureSdkIT.RG, "westeurope");
      java.net.http.HttpClient client =
          java.net.http.HttpClient.newBuilder().sslContext(emulator.sslContext()).build();
      java.net.http.HttpResponse<String> response =
          client.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create(
                          emulator.baseUrl()
                              + "subscriptions/"
                              + AzureSdkIT.SUBSCRIPTION
                              + "/resourcegroups/"
                              + AzureSdkIT.RG
                              + "?api-version=2021-04-01"))
                  .header("Authorization", "Bearer " + token.getToken())
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
