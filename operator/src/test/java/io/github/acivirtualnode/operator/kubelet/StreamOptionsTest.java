package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamOptionsTest {

  @Test
  void theCommandIsEveryCommandParameterInOrder() {
    StreamOptions options =
        StreamOptions.parse(
            Map.of(
                "command", List.of("sh", "-c", "echo a b"),
                "output", List.of("1"),
                "error", List.of("1")),
            true);

    assertThat(options.command()).containsExactly("sh", "-c", "echo a b");
    assertThat(options.stdout()).isTrue();
    assertThat(options.stderr()).isTrue();
    assertThat(options.stdin()).isFalse();
    assertThat(options.tty()).isFalse();
    assertThat(options.expectedStreams(StreamProtocol.V4)).isEqualTo(3);
  }

  @Test
  void aTerminalHasNoStderrAndAResizeStreamFromV3On() {
    StreamOptions options =
        StreamOptions.parse(
            Map.of(
                "command", List.of("sh"),
                "input", List.of("1"),
                "output", List.of("1"),
                "error", List.of("1"),
                "tty", List.of("1")),
            true);

    assertThat(options.stderr()).isFalse();
    assertThat(options.expectedStreams(StreamProtocol.V4)).isEqualTo(4);
    assertThat(options.expectedStreams(StreamProtocol.V2)).isEqualTo(3);
  }

  @Test
  void theApiServersOwnParameterNamesAreNotTheKubelets() {
    assertThatThrownBy(
            () ->
                StreamOptions.parse(Map.of("command", List.of("ls"), "stdout", List.of("1")), true))
        .hasMessage("you must specify at least 1 of stdin, stdout, stderr");
  }

  @Test
  void onlyTheValueOneSwitchesAStreamOn() {
    assertThatThrownBy(
            () ->
                StreamOptions.parse(
                    Map.of("command", List.of("ls"), "output", List.of("true")), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("you must specify at least 1 of stdin, stdout, stderr");
  }

  @Test
  void execWithoutACommandIsRefusedAttachNeedsNone() {
    assertThatThrownBy(() -> StreamOptions.parse(Map.of("output", List.of("1")), true))
        .hasMessageContaining("at least one command");
    assertThat(StreamOptions.parse(Map.of("output", List.of("1")), false).command()).isEmpty();
  }
}
