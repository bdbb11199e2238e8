package io.github.acivirtualnode.operator.kubelet;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;

/**
 * How a remote command ended, as a kubelet writes it on the error stream: with v4 and v5 a JSON
 * {@code metav1.Status} ({@code Success}; or {@code Failure} with reason {@code NonZeroExitCode}
 * and a cause {@code ExitCode} whose message is the code, from which kubectl takes its own exit
 * status; or {@code Failure} with reason {@code InternalError}); with v2 and v3 nothing on success
 * and the message as text otherwise. Pure.
 */
final class ExecStatus {
  static final String NON_ZERO_EXIT_CODE = "NonZeroExitCode";
  static final String EXIT_CODE_CAUSE = "ExitCode";

  private ExecStatus() {}

  static Status success() {
    return new StatusBuilder().withNewMetadata().endMetadata().withStatus("Success").build();
  }

  /** A command that ran and exited with {@code code}; 0 is a success. */
  static Status exited(int code) {
    if (code == 0) {
      return success();
    }
    return new StatusBuilder()
        .withNewMetadata()
        .endMetadata()
        .withStatus("Failure")
        .withReason(NON_ZERO_EXIT_CODE)
        .withMessage(
            "command terminated with non-zero exit code: command exited with status " + code)
        .withNewDetails()
        .addNewCause()
        .withReason(EXIT_CODE_CAUSE)
        .withMessage(Integer.toString(code))
        .endCause()
        .endDetails()
        .build();
  }

  /** The command could not be run, or its end is unknown: an internal error, as a kubelet says. */
  static Status internalError(String message) {
    return new StatusBuilder()
        .withNewMetadata()
        .endMetadata()
        .withStatus("Failure")
        .withCode(500)
        .withReason("InternalError")
        .withMessage("Internal error occurred: " + message)
        .withNewDetails()
        .addNewCause()
        .withMessage(message)
        .endCause()
        .endDetails()
        .build();
  }

  /** What goes on the error stream; empty for a v2/v3 success. */
  static byte[] encode(Status status, StreamProtocol protocol) {
    if (protocol.statusAsJson()) {
      return Serialization.asJson(status).getBytes(StandardCharsets.UTF_8);
    }
    if ("Success".equals(status.getStatus())) {
      return new byte[0];
    }
    return status.getMessage().getBytes(StandardCharsets.UTF_8);
  }
}
