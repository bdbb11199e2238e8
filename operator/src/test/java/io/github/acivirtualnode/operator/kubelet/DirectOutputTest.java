package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DirectOutputTest {
  private static final String NOT_FOUND =
      "rpc error: code = 2 desc = oci runtime error: exec failed: container_linux.go:247: starting"
          + " container process caused \"exec: \\\"nosuch\\\": executable file not found in"
          + " $PATH\"\r\n";

  @Test
  void outputPassesOnWithLfLineEndsWithoutATerminal() {
    DirectOutput output = new DirectOutput(true);

    String out = feed(output, "bin\r\netc\r", "\nline with a lone \r in it\r\n") + finish(output);

    assertThat(out).isEqualTo("bin\netc\nline with a lone \r in it\n");
    assertThat(output.runtimeError()).isEmpty();
  }

  @Test
  void withATerminalTheOutputIsTheTerminalsAsItIs() {
    DirectOutput output = new DirectOutput(false);

    assertThat(feed(output, "# ", "ls\r\n") + finish(output)).isEqualTo("# ls\r\n");
  }

  @Test
  void theRuntimesErrorForAProgramItCannotStartIsHeldBackAndBecomesTheError() {
    DirectOutput output = new DirectOutput(true);

    String out = feed(output, NOT_FOUND.substring(0, 5), NOT_FOUND.substring(5)) + finish(output);

    assertThat(out).isEmpty();
    assertThat(output.runtimeError()).contains(NOT_FOUND.strip());
  }

  @Test
  void outputThatOnlyBeganLikeTheErrorIsPassedOnWhole() {
    DirectOutput output = new DirectOutput(true);

    assertThat(feed(output, "rpc", " err")).isEmpty();
    assertThat(feed(output, "and more\r\n")).isEqualTo("rpc errand more\n");
    assertThat(output.runtimeError()).isEmpty();
  }

  @Test
  void aShortOutputThatEndsWhileUndecidedIsPassedOnAtTheEnd() {
    DirectOutput output = new DirectOutput(true);

    assertThat(feed(output, "rpc e")).isEmpty();
    assertThat(finish(output)).isEqualTo("rpc e");
    assertThat(output.runtimeError()).isEmpty();
  }

  private static String feed(DirectOutput output, String... chunks) {
    StringBuilder out = new StringBuilder();
    for (String chunk : chunks) {
      out.append(
          new String(output.feed(chunk.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  private static String finish(DirectOutput output) {
    return new String(output.finish(), StandardCharsets.UTF_8);
  }
}
