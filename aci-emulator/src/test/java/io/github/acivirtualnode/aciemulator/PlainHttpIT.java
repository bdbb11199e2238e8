package io.github.acivirtualnode.aciemulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The optional plain-HTTP listener, and ARM's error shape for routes that do not exist. */
class PlainHttpIT {
  static AciEmulator emulator;
  static ArmClient plain;

  @BeforeAll
  static void start() {
    emulator = AciEmulator.builder().plainHttpPort(0).build().start();
    emulator.addResourceGroup(ArmClient.SUB, ArmClient.RG, "westeurope");
    plain = new ArmClient(emulator, emulator.plainBaseUrl());
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void plainHttpAnswersWithUrlsOfItsOwnScheme() {
    HttpResponse<String> created =
        plain.create("plain", "[" + ArmClient.container("main", "busybox", null, null) + "]", null);

    assertThat(created.statusCode()).isEqualTo(201);
    String operation = created.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    assertThat(operation).startsWith(emulator.plainBaseUrl());
    HttpResponse<String> polled = plain.send("GET", operation, null);
    assertThat(polled.statusCode()).isEqualTo(200);

    Poll.until(
        () ->
            plain
                .json("GET", ArmClient.group("plain"), null)
                .path("properties")
                .path("provisioningState")
                .asText(),
        "Succeeded"::equals,
        "the group to be provisioned");
    JsonNode exec =
        plain.json(
            "POST",
            ArmClient.group("plain") + "/containers/main/exec",
            "{\"command\":\"echo hi\",\"terminalSize\":{\"rows\":24,\"cols\":80}}");
    assertThat(exec.path("webSocketUri").asText()).startsWith("ws://");
  }

  @Test
  void unknownRoutesAnswerInArmErrorShape() {
    HttpResponse<String> missing =
        plain.send("GET", "subscriptions/" + ArmClient.SUB + "/nothing/here", null);

    assertThat(missing.statusCode()).isEqualTo(404);
    JsonNode error = plain.json("GET", "subscriptions/" + ArmClient.SUB + "/nothing/here", null);
    assertThat(error.path("error").path("code").asText()).isEqualTo("NotFound");
    assertThat(error.path("error").path("message").asText()).contains("/nothing/here");
  }
}
