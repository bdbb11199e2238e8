package io.github.acivirtualnode.aciemulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.WorkloadIdentityCredential;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** azure-identity's workload identity and the managed-identity endpoint against the emulator. */
class IdentityIT {
  static final String TENANT = "72f988bf-0000-0000-0000-0000000000ff";
  static final String CLIENT_ID = "22222222-0000-0000-0000-000000000003";

  static AciEmulator emulator;
  static HttpClient httpClient;

  @BeforeAll
  static void start() {
    emulator = AciEmulator.builder().requireAuthentication(true).build().start();
    emulator.addFederatedIdentity(TENANT, CLIENT_ID);
    emulator.addResourceGroup(AzureSdkIT.SUBSCRIPTION, AzureSdkIT.RG, "westeurope");
    httpClient =
        new JdkHttpClientBuilder(
                java.net.http.HttpClient.newBuilder().sslContext(emulator.sslContext()))
            .build();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  private static String jwt(String subject, long expires) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload =
        b64.encodeToString(
            ("{\"iss\":\"https://oidc.cluster.local\",\"aud\":\"api://AzureADTokenExchange\",\"sub\":\""
                    + subject
                    + "\",\"exp\":"
                    + expires
                    + "}")
                .getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + ".c2lnbmF0dXJl";
  }

  @Test
  void workloadIdentityTokenWorksForArmCalls(@TempDir Path dir) throws Exception {
    Path tokenFile = dir.resolve("token");
    Files.writeString(
        tokenFile,
        jwt("system:serviceaccount:aci:operator", Instant.now().getEpochSecond() + 3600));
    WorkloadIdentityCredential credential =
        new WorkloadIdentityCredentialBuilder()
            .tenantId(TENANT)
            .clientId(CLIENT_ID)
            .tokenFilePath(tokenFile.toString())
            .authorityHost(emulator.authorityHost())
            .httpClient(httpClient)
            .build();
    AccessToken token =
        credential.getTokenSync(
            new TokenRequestContext().addScopes("https://management.azure.com/.default"));
    assertThat(token.getToken()).isNotBlank();
    assertThat(token.getExpiresAt()).isAfter(java.time.OffsetDateTime.now());

    // The token is one the emulator issued, so ARM accepts it even with authentication required.
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder().sslContext(emulator.sslContext()).build();
    String list =
        emulator.baseUrl()
            + "subscriptions/"
            + AzureSdkIT.SUBSCRIPTION
            + "/resourceGroups/"
            + AzureSdkIT.RG
            + "/providers/Microsoft.ContainerInstance/containerGroups?api-version=2023-05-01";
    HttpResponse<String> ok =
        http.send(
            HttpRequest.newBuilder(URI.create(list))
                .header("Authorization", "Bearer " + token.getToken())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    HttpResponse<String> forged =
        http.send(
            HttpRequest.newBuilder(URI.create(list))
                .header("Authorization", "Bearer forged")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.body()).contains("InvalidAuthenticationToken");
  }

  @Test
  void expiredAssertionIsRefused(@TempDir Path dir) throws Exception {
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, jwt("system:serviceaccount:aci:operator", 1000));
    WorkloadIdentityCredential credential =
        new WorkloadIdentityCredentialBuilder()
            .tenantId(TENANT)
            .clientId(CLIENT_ID)
            .tokenFilePath(tokenFile.toString())
            .authorityHost(emulator.authorityHost())
            .httpClient(httpClient)
            .build();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                credential.getTokenSync(
                    new TokenRequestContext().addScopes("https://management.azure.com/.default")))
        .hasMessageContaining("AADSTS700027");
  }

  @Test
  void managedIdentityEndpointSpeaksTheAppServiceProtocol() throws Exception {
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder().sslContext(emulator.sslContext()).build();
    String url =
        emulator.managedIdentityEndpoint()
            + "?api-version=2019-08-01&resource=https://management.azure.com/";
    HttpResponse<String> refused =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(401);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("X-IDENTITY-HEADER", emulator.managedIdentityHeader())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = SpecSchemas.MAPPER.readTree(response.body());
    assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(Long.parseLong(body.path("expires_on").asText()))
        .isGreaterThan(Instant.now().getEpochSecond());
    assertThat(body.path("resource").asText()).isEqualTo("https://management.azure.com/");
  }

  @Test
  void openIdMetadataAndInstanceDiscovery() throws Exception {
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder().sslContext(emulator.sslContext()).build();
    JsonNode config =
        SpecSchemas.MAPPER.readTree(
            http.send(
                    HttpRequest.newBuilder(
                            URI.create(
                                emulator.authorityHost()
                                    + TENANT
                                    + "/v2.0/.well-known/openid-configuration"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    assertThat(config.path("token_endpoint").asText())
        .isEqualTo(emulator.authorityHost() + TENANT + "/oauth2/v2.0/token");
    JsonNode discovery =
        SpecSchemas.MAPPER.readTree(
            http.send(
                    HttpRequest.newBuilder(
                            URI.create(
                                emulator.authorityHost()
                                    + "common/discovery/instance?api-version=1.1"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    assertThat(discovery.path("tenant_discovery_endpoint").asText())
        .startsWith(emulator.authorityHost());
  }
}
