package io.github.acivirtualnode.aciemulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The optional plain-HTTP listener, and ARM's error shape for routes that do not exist. */
class PlainHttpIT {
  static AciEmulator emulator;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    emulator = AciEmulator.builder().plainHttpPort(0).build().start();
    emulator.addResourceGroup(ArmClient.SUB, ArmClient.RG, "westeurope");
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void plainHttpAnswersWithUrlsOfItsOwnScheme() throws Exception {
    String body =
        "{\"location\":\"westeurope\",\"properties\":{\"osType\":\"Linux\",\"containers\":["
            + ArmClient.container("main", "busybox", null, null)
            + "]}}";
    HttpResponse<String> created =
        send("PUT", ArmClient.group("plain") + "?api-version=2023-05-01", body);

    assertThat(created.statusCode()).isEqualTo(201);
    String operation = created.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    assertThat(operation).startsWith(emulator.plainBaseUrl());
    HttpResponse<String> polled =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(operation)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(polled.statusCode()).isEqualTo(200);
    assertThat(json(polled).path("status").asText()).isNotBlank();

    Poll.until(
        () ->
            json(send("GET", ArmClient.group("plain") + "?api-version=2023-05-01", null))
                .path("properties")
                .path("provisioningState")
                .asText(),
        "Succeeded"::equals,
        "the group to be provisioned");
    HttpResponse<String> exec =
        send(
            "POST",
            ArmClient.group("plain") + "/containers/main/exec?api-version=2023-05-01",
            "{\"command\":\"echo hi\",\"terminalSize\":{\"rows\":24,\"cols\":80}}");
    assertThat(json(exec).path("webSocketUri").asText()).startsWith("ws://");
  }

  @Test
  void unknownRoutesAnswerInArmErrorShape() throws Exception {
    HttpResponse<String> missing =
        send("GET", "subscriptions/" + ArmClient.SUB + "/nothing/here", null);

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).path("error").path("code").asText()).isEqualTo("NotFound");
    assertThat(json(missing).path("error").path("message").asText()).contains("/nothing/here");
  }

  private static HttpResponse<String> send(String method, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(emulator.plainBaseUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return SpecSchemas.MAPPER.readTree(response.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
