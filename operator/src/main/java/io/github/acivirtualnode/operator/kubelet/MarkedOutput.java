package io.github.acivirtualnode.operator.kubelet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Reads the terminal output of a {@link ShellLine} as it arrives: drops everything before the begin
 * marker's line (the shell's prompt, the echo of the typed line, what {@code stty} said), passes on
 * what follows up to the end marker (the command's own output), and takes the exit status from the
 * end marker's line ({@code <end> <status>}). Without a terminal the terminal's CR LF line ends
 * become LF again. A marker split over chunks is held back until it is whole. Pure and not
 * thread-safe.
 */
final class MarkedOutput {
  private static final int MAX_PREAMBLE = 4096;

  private final byte[] begin;
  private final byte[] end;
  private final boolean newlines;
  private final ByteArrayOutputStream preamble = new ByteArrayOutputStream();
  private byte[] held = new byte[0];
  private boolean begun;
  private boolean ended;
  private final TerminalNewlines crlf = new TerminalNewlines();
  private Integer exitCode;

  /**
   * @param newlines whether CR LF becomes LF (output for a client without a terminal)
   */
  MarkedOutput(String begin, String end, boolean newlines) {
    this.begin = begin.getBytes(StandardCharsets.US_ASCII);
    this.end = end.getBytes(StandardCharsets.US_ASCII);
    this.newlines = newlines;
  }

  /** Whether the command has started (its begin marker was printed). */
  boolean begun() {
    return begun;
  }

  /** Whether the end marker's line is complete; {@link #exitCode()} is known then. */
  boolean ended() {
    return ended;
  }

  /** The command's exit status, once {@link #ended()}; empty if the marker line was unreadable. */
  OptionalInt exitCode() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  /** What came before the begin marker (at most 4 KiB): what the terminal said instead. */
  String preamble() {
    return preamble.toString(StandardCharsets.UTF_8);
  }

  /** Takes a chunk of terminal output and answers the bytes of the command's output in it. */
  byte[] feed(byte[] chunk) {
    if (ended) {
      return new byte[0];
    }
    byte[] data = concat(held, chunk);
    held = new byte[0];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int from = 0;
    if (!begun) {
      int at = indexOf(data, begin, 0);
      if (at < 0) {
        int keep = partialSuffix(data, begin);
        appendPreamble(data, 0, data.length - keep);
        held = Arrays.copyOfRange(data, data.length - keep, data.length);
        return new byte[0];
      }
      int lineEnd = indexOf(data, new byte[] {'\n'}, at + begin.length);
      if (lineEnd < 0) {
        appendPreamble(data, 0, at);
        held = Arrays.copyOfRange(data, at, data.length);
        return new byte[0];
      }
      appendPreamble(data, 0, at);
      begun = true;
      from = lineEnd + 1;
    }
    int at = indexOf(data, end, from);
    if (at < 0) {
      int keep = Math.min(partialSuffix(data, end), data.length - from);
      emit(out, data, from, data.length - keep);
      held = Arrays.copyOfRange(data, data.length - keep, data.length);
      return out.toByteArray();
    }
    int lineEnd = indexOf(data, new byte[] {'\n'}, at + end.length);
    emit(out, data, from, at);
    if (lineEnd < 0) {
      held = Arrays.copyOfRange(data, at, data.length);
      return out.toByteArray();
    }
    String status =
        new String(data, at + end.length, lineEnd - at - end.length, StandardCharsets.US_ASCII)
            .trim();
    exitCode = status.matches("\\d{1,3}") ? Integer.valueOf(status) : null;
    ended = true;
    return out.toByteArray();
  }

  /** The end of the terminal output: anything held back that never became a marker. */
  byte[] finish() {
    if (ended || !begun) {
      return new byte[0];
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    emit(out, held, 0, held.length);
    held = new byte[0];
    if (newlines) {
      crlf.finish(out);
    }
    return out.toByteArray();
  }

  private void emit(ByteArrayOutputStream out, byte[] data, int from, int to) {
    if (newlines) {
      crlf.write(out, data, from, to);
    } else {
      out.write(data, from, to - from);
    }
  }

  private void appendPreamble(byte[] data, int from, int to) {
    int room = MAX_PREAMBLE - preamble.size();
    if (room > 0) {
      preamble.write(data, from, Math.min(room, to - from));
    }
  }

  /** The length of the longest suffix of data that is a proper prefix of marker. */
  private static int partialSuffix(byte[] data, byte[] marker) {
    for (int n = Math.min(marker.length - 1, data.length); n > 0; n--) {
      if (regionMatches(data, data.length - n, marker, n)) {
        return n;
      }
    }
    return 0;
  }

  private static boolean regionMatches(byte[] data, int offset, byte[] marker, int length) {
    for (int i = 0; i < length; i++) {
      if (data[offset + i] != marker[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] data, byte[] marker, int from) {
    for (int i = from; i + marker.length <= data.length; i++) {
      if (regionMatches(data, i, marker, marker.length)) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
