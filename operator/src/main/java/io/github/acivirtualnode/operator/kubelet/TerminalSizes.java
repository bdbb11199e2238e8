package io.github.acivirtualnode.operator.kubelet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the resize stream: JSON objects {@code {"Width":80,"Height":24}} one after the other, as
 * client-go's terminal size queue writes them, possibly split across data frames. Pure.
 */
final class TerminalSizes {
  /** A terminal size; ACI's names are rows and columns. */
  record Size(int columns, int rows) {
    static final Size DEFAULT = new Size(80, 24);
  }

  private static final Pattern OBJECT = Pattern.compile("\\{[^{}]*}");
  private static final Pattern WIDTH = Pattern.compile("\"Width\"\\s*:\\s*(\\d{1,5})");
  private static final Pattern HEIGHT = Pattern.compile("\"Height\"\\s*:\\s*(\\d{1,5})");

  private final StringBuilder pending = new StringBuilder();

  /**
   * The sizes completed by these bytes; objects without a positive width and height are skipped.
   */
  List<Size> feed(byte[] data) {
    pending.append(new String(data, StandardCharsets.UTF_8));
    List<Size> sizes = new ArrayList<>();
    Matcher m = OBJECT.matcher(pending);
    int consumed = 0;
    while (m.find()) {
      String object = m.group();
      Matcher w = WIDTH.matcher(object);
      Matcher h = HEIGHT.matcher(object);
      if (w.find() && h.find()) {
        int columns = Integer.parseInt(w.group(1));
        int rows = Integer.parseInt(h.group(1));
        if (columns > 0 && rows > 0) {
          sizes.add(new Size(columns, rows));
        }
      }
      consumed = m.end();
    }
    pending.delete(0, consumed);
    if (pending.length() > 4096) {
      pending.setLength(0); // not JSON objects: drop rather than grow
    }
    return sizes;
  }
}
