package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogTextTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:10Z");
  private static final String LOG =
      "2026-12-01T12:00:00Z hello\n"
          + "2026-12-01T12:00:05Z  two  spaces kept\n"
          + "2026-12-01T12:00:05Z same second\n"
          + "2026-12-01T12:00:09.5Z last\n";

  @Test
  void linesKeepTheirTextExactlyAndLoseTheTimestampUnlessAsked() {
    List<LogText.Line> lines = LogText.parse(LOG);

    assertThat(text(lines, options(Map.of())))
        .isEqualTo("hello\n two  spaces kept\nsame second\nlast\n");
    assertThat(text(lines, options(Map.of("timestamps", "true"))))
        .startsWith("2026-12-01T12:00:00Z hello\n")
        .endsWith("2026-12-01T12:00:09.500Z last\n");
  }

  @Test
  void tailLinesKeepsTheLastOnes() {
    assertThat(text(LogText.parse(LOG), options(Map.of("tailLines", "2"))))
        .isEqualTo("same second\nlast\n");
    assertThat(text(LogText.parse(LOG), options(Map.of("tailLines", "0")))).isEmpty();
  }

  @Test
  void sinceSecondsAndSinceTimeCutByTime() {
    assertThat(text(LogText.parse(LOG), options(Map.of("sinceSeconds", "5"))))
        .isEqualTo(" two  spaces kept\nsame second\nlast\n");
    assertThat(text(LogText.parse(LOG), options(Map.of("sinceTime", "2026-12-01T12:00:06Z"))))
        .isEqualTo("last\n");
  }

  @Test
  void sinceThenTail() {
    assertThat(text(LogText.parse(LOG), options(Map.of("sinceSeconds", "5", "tailLines", "1"))))
        .isEqualTo("last\n");
  }

  @Test
  void limitBytesCutsTheOutput() {
    assertThat(text(LogText.parse(LOG), options(Map.of("limitBytes", "8")))).isEqualTo("hello\n t");
  }

  @Test
  void linesWithoutATimestampAreKeptAsTheyAre() {
    assertThat(text(LogText.parse("plain line\n"), options(Map.of("timestamps", "true"))))
        .isEqualTo("plain line\n");
  }

  @Test
  void aFollowerGetsOnlyLinesItHasNotSeenEvenWithRepeatedTimestamps() {
    List<LogText.Line> first = LogText.parse("2026-12-01T12:00:00Z a\n2026-12-01T12:00:05Z b\n");
    LogText.Position seen = LogText.Position.after(null, first);
    List<LogText.Line> grown =
        LogText.parse(
            "2026-12-01T12:00:00Z a\n2026-12-01T12:00:05Z b\n2026-12-01T12:00:05Z c\n"
                + "2026-12-01T12:00:06Z d\n");

    List<LogText.Line> fresh = LogText.after(grown, seen);

    assertThat(fresh).extracting(LogText.Line::text).containsExactly("c", "d");
    LogText.Position next = LogText.Position.after(seen, fresh);
    assertThat(LogText.after(grown, next)).isEmpty();
  }

  @Test
  void aFollowerThatSawNothingGetsEverything() {
    assertThat(LogText.after(LogText.parse(LOG), null)).hasSize(4);
  }

  @Test
  void badOptionsNameTheParameter() {
    assertThatThrownBy(() -> options(Map.of("tailLines", "-1"))).hasMessageContaining("tailLines");
    assertThatThrownBy(() -> options(Map.of("limitBytes", "lots")))
        .hasMessageContaining("limitBytes");
    assertThatThrownBy(() -> options(Map.of("sinceTime", "yesterday")))
        .hasMessageContaining("sinceTime");
    assertThatThrownBy(() -> options(Map.of("follow", "maybe"))).hasMessageContaining("follow");
    assertThatThrownBy(
            () -> options(Map.of("sinceSeconds", "1", "sinceTime", "2026-12-01T00:00:00Z")))
        .hasMessageContaining("at most one");
  }

  private static LogOptions options(Map<String, String> query) {
    return LogOptions.parse(new HashMap<>(query));
  }

  private static String text(List<LogText.Line> lines, LogOptions options) {
    return new String(
        LogText.render(
            LogText.select(lines, options, NOW), options.timestamps(), options.limitBytes()),
        StandardCharsets.UTF_8);
  }
}
