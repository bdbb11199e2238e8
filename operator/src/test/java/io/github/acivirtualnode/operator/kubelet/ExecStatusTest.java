package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExecStatusTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void exitZeroIsSuccess() throws Exception {
    JsonNode status = json(ExecStatus.encode(ExecStatus.exited(0), StreamProtocol.V4));

    assertThat(status.path("status").asText()).isEqualTo("Success");
    assertThat(status.has("reason")).isFalse();
  }

  @Test
  void aNonZeroExitCarriesTheCodeAsClientGoReadsIt() throws Exception {
    JsonNode status = json(ExecStatus.encode(ExecStatus.exited(3), StreamProtocol.V5));

    assertThat(status.path("status").asText()).isEqualTo("Failure");
    assertThat(status.path("reason").asText()).isEqualTo("NonZeroExitCode");
    JsonNode cause = status.path("details").path("causes").get(0);
    assertThat(cause.path("reason").asText()).isEqualTo("ExitCode");
    assertThat(cause.path("message").asText()).isEqualTo("3");
  }

  @Test
  void anInternalErrorSaysWhat() throws Exception {
    JsonNode status =
        json(ExecStatus.encode(ExecStatus.internalError("no shell"), StreamProtocol.V4));

    assertThat(status.path("reason").asText()).isEqualTo("InternalError");
    assertThat(status.path("code").asInt()).isEqualTo(500);
    assertThat(status.path("message").asText()).contains("no shell");
  }

  @Test
  void beforeV4ASuccessIsNothingAndAFailureItsMessage() {
    assertThat(ExecStatus.encode(ExecStatus.exited(0), StreamProtocol.V3)).isEmpty();
    assertThat(
            new String(
                ExecStatus.encode(ExecStatus.exited(2), StreamProtocol.V2), StandardCharsets.UTF_8))
        .contains("non-zero exit code");
  }

  private static JsonNode json(byte[] bytes) throws Exception {
    return JSON.readTree(bytes);
  }
}
