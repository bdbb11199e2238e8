package io.github.acivirtualnode.operator.kubelet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The terminal output of a program ACI's exec runs itself ({@link ExecPlan#direct()}), passed on as
 * it arrives, except when ACI could not start the program: then the container runtime's error is
 * the whole output ({@code rpc error: code = 2 desc = oci runtime error: exec failed: ...
 * executable file not found in $PATH}), which is held back and becomes the exec's error, as a
 * kubelet reports a program it cannot start. Output that begins as that error could is held until
 * it is clear. Without a terminal CR LF becomes LF. Pure and not thread-safe.
 */
final class DirectOutput {
  private static final byte[] RUNTIME_ERROR = "rpc error: ".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_ERROR = 4096;

  private final boolean newlines;
  private final TerminalNewlines crlf = new TerminalNewlines();
  private final ByteArrayOutputStream held = new ByteArrayOutputStream();

  /** null while undecided; then whether the output is the runtime's error. */
  private Boolean error;

  /**
   * @param newlines whether CR LF becomes LF (output for a client without a terminal)
   */
  DirectOutput(boolean newlines) {
    this.newlines = newlines;
  }

  /** Takes a chunk of terminal output and answers the bytes to pass on. */
  byte[] feed(byte[] chunk) {
    if (error == null) {
      held.write(chunk, 0, chunk.length);
      byte[] sofar = held.toByteArray();
      int n = Math.min(sofar.length, RUNTIME_ERROR.length);
      if (!Arrays.equals(sofar, 0, n, RUNTIME_ERROR, 0, n)) {
        error = false;
        held.reset();
        return pass(sofar);
      }
      if (sofar.length >= RUNTIME_ERROR.length) {
        error = true;
      }
      return new byte[0];
    }
    if (error) {
      held.write(chunk, 0, Math.min(chunk.length, Math.max(0, MAX_ERROR - held.size())));
      return new byte[0];
    }
    return pass(chunk);
  }

  /** The end of the output: what was held back and is not the runtime's error. */
  byte[] finish() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (error == null) {
      byte[] rest = held.toByteArray();
      held.reset();
      error = false;
      out.writeBytes(pass(rest));
    }
    if (newlines) {
      crlf.finish(out);
    }
    return out.toByteArray();
  }

  /** ACI's error for a program it could not start, once the output showed it; its text trimmed. */
  Optional<String> runtimeError() {
    if (!Boolean.TRUE.equals(error)) {
      return Optional.empty();
    }
    return Optional.of(held.toString(StandardCharsets.UTF_8).strip());
  }

  private byte[] pass(byte[] data) {
    if (!newlines) {
      return data;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    crlf.write(out, data, 0, data.length);
    return out.toByteArray();
  }
}
