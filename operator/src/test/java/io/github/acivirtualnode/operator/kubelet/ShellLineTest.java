package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellLineTest {

  @Test
  void eachArgumentIsSingleQuotedBetweenTheMarkersAndTheShellExits() {
    ShellLine line = ShellLine.of(List.of("ls", "-l", "a b", "$HOME"), false, "x1");

    assertThat(line.text())
        .isEqualTo(
            " stty -echo 2>/dev/null; echo AVN\"\"x1B; 'ls' '-l' 'a b' '$HOME'; echo AVN\"\"x1E $?;"
                + " exit\r");
    assertThat(line.beginMarker()).isEqualTo("AVNx1B");
    assertThat(line.endMarker()).isEqualTo("AVNx1E");
  }

  @Test
  void theTypedLineNeverHoldsTheMarkersTheShellPrints() {
    ShellLine line = ShellLine.of(List.of("echo", "hi"), true, "abc");

    assertThat(line.text()).doesNotContain(line.beginMarker()).doesNotContain(line.endMarker());
  }

  @Test
  void withATerminalTheEchoStaysOn() {
    assertThat(ShellLine.of(List.of("sh"), true, "a").text())
        .isEqualTo(" echo AVN\"\"aB; 'sh'; echo AVN\"\"aE $?; exit\r");
  }

  @Test
  void aSingleQuoteIsClosedDoubleQuotedAndReopened() {
    assertThat(ShellLine.quote("it's")).isEqualTo("'it'\"'\"'s'");
    assertThat(ShellLine.quote("")).isEqualTo("''");
  }

  @Test
  void controlCharactersAreRefusedNamingTheArgument() {
    assertThatThrownBy(() -> ShellLine.of(List.of("echo", "a\nb"), false, "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("argument 2")
        .hasMessageContaining("U+000A");
    assertThatThrownBy(() -> ShellLine.of(List.of("printf", "\t"), false, "a"))
        .hasMessageContaining("U+0009");
  }

  @Test
  void aLineLongerThanTheTerminalTakesIsRefused() {
    assertThatThrownBy(() -> ShellLine.of(List.of("echo", "x".repeat(5000)), false, "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long");
  }

  @Test
  void noCommandIsRefused() {
    assertThatThrownBy(() -> ShellLine.of(List.of(), false, "a"))
        .hasMessageContaining("at least one command");
  }
}
