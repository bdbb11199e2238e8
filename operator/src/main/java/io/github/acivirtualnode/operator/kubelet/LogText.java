package io.github.acivirtualnode.operator.kubelet;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's log as ACI gives it with timestamps (each line {@code <RFC 3339 time> <text>}), cut
 * as a log request asks: lines since a time, the last N lines, with or without timestamps, at most
 * so many bytes. Also tells which lines a follower has not sent yet. Pure.
 */
public final class LogText {
  /** One line; {@code at} is null where ACI gave no timestamp. */
  public record Line(Instant at, String text) {
    String render(boolean timestamps) {
      return timestamps && at != null ? at + " " + text : text;
    }
  }

  private LogText() {}

  public static List<Line> parse(String timestamped) {
    List<Line> lines = new ArrayList<>();
    if (timestamped == null || timestamped.isEmpty()) {
      return lines;
    }
    String body =
        timestamped.endsWith("\n")
            ? timestamped.substring(0, timestamped.length() - 1)
            : timestamped;
    for (String raw : body.split("\n", -1)) {
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      int space = line.indexOf(' ');
      Instant at = null;
      if (space > 0) {
        try {
          at = Instant.parse(line.substring(0, space));
        } catch (DateTimeParseException e) {
          at = null;
        }
      }
      lines.add(at == null ? new Line(null, line) : new Line(at, line.substring(space + 1)));
    }
    return lines;
  }

  /** The lines a request asks for: since, then the last tailLines of those. */
  public static List<Line> select(List<Line> lines, LogOptions options, Instant now) {
    Instant since = options.since(now);
    List<Line> kept = new ArrayList<>();
    for (Line line : lines) {
      if (since == null || line.at() == null || !line.at().isBefore(since)) {
        kept.add(line);
      }
    }
    if (options.tailLines() != null && kept.size() > options.tailLines()) {
      kept =
          new ArrayList<>(kept.subList(kept.size() - options.tailLines().intValue(), kept.size()));
    }
    return kept;
  }

  /**
   * The lines after the last one sent: those later than its time, and of those at its very time the
   * ones beyond the count already sent (ACI's timestamps can repeat).
   */
  public static List<Line> after(List<Line> lines, Position sent) {
    if (sent == null) {
      return lines;
    }
    List<Line> fresh = new ArrayList<>();
    int atSameTime = 0;
    for (Line line : lines) {
      if (line.at() == null) {
        continue; // cannot be placed: never re-sent
      }
      int cmp = line.at().compareTo(sent.at());
      if (cmp > 0) {
        fresh.add(line);
      } else if (cmp == 0 && ++atSameTime > sent.countAtTime()) {
        fresh.add(line);
      }
    }
    return fresh;
  }

  /** Where a follower stands: the time of the last line sent, and how many lines at that time. */
  public record Position(Instant at, int countAtTime) {
    public static Position after(Position previous, List<Line> sent) {
      Position p = previous;
      for (Line line : sent) {
        if (line.at() == null) {
          continue;
        }
        p =
            p != null && p.at().equals(line.at())
                ? new Position(p.at(), p.countAtTime() + 1)
                : new Position(line.at(), 1);
      }
      return p;
    }
  }

  /** The lines as bytes, each ending in a newline, cut at limit bytes (null: no limit). */
  public static byte[] render(List<Line> lines, boolean timestamps, Long limit) {
    StringBuilder out = new StringBuilder();
    for (Line line : lines) {
      out.append(line.render(timestamps)).append('\n');
    }
    byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
    if (limit == null || bytes.length <= limit) {
      return bytes;
    }
    byte[] cut = new byte[limit.intValue()];
    System.arraycopy(bytes, 0, cut, 0, cut.length);
    return cut;
  }
}
