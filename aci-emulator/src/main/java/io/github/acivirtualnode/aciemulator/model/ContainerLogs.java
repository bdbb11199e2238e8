package io.github.acivirtualnode.aciemulator.model;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic log of an emulated container. Each start of the process writes what its command
 * prints (as interpreted by {@link ExecInterpreter}), then one heartbeat line per log interval
 * while it runs, then its exit code when it ends by itself.
 */
public final class ContainerLogs {
  private static final int MAX_LINES = 100_000;

  private ContainerLogs() {}

  /** One log line with its timestamp. */
  public record Line(Instant at, String text) {
    public String render(boolean timestamps) {
      return timestamps ? DateTimeFormatter.ISO_INSTANT.format(at) + " " + text : text;
    }
  }

  /**
   * The log lines written up to {@code now}.
   *
   * @param commandOutput what the command prints when it starts
   * @param interval heartbeat interval, or null for none
   */
  public static List<Line> lines(
      String container,
      ContainerStatus status,
      String commandOutput,
      Duration interval,
      Instant now) {
    List<Line> lines = new ArrayList<>();
    int runIndex = 0;
    for (ContainerStatus.Run run : status.runs()) {
      Instant end = run.end() == null || run.end().isAfter(now) ? now : run.end();
      for (String text : commandOutput.split("\n")) {
        if (!text.isEmpty()) {
          lines.add(new Line(run.start(), text));
        }
      }
      if (interval != null && !interval.isZero()) {
        Instant tick = run.start().plus(interval);
        for (int n = 1; !tick.isAfter(end) && lines.size() < MAX_LINES; n++) {
          lines.add(
              new Line(tick, String.format("%s: heartbeat %d (run %d)", container, n, runIndex)));
          tick = tick.plus(interval);
        }
      }
      if (run.exitCode() != null && run.end() != null && !run.end().isAfter(now)) {
        lines.add(new Line(run.end(), container + ": exited with code " + run.exitCode()));
      }
      runIndex++;
    }
    return lines;
  }

  /** Renders the last {@code tail} lines (all when null), each ending in a newline. */
  public static String render(List<Line> lines, Integer tail, boolean timestamps) {
    int from = tail == null ? 0 : Math.max(0, lines.size() - tail);
    StringBuilder out = new StringBuilder();
    for (Line line : lines.subList(from, lines.size())) {
      out.append(line.render(timestamps)).append('\n');
    }
    return out.toString();
  }
}
