package io.github.acivirtualnode.operator.kubelet;

import java.io.ByteArrayOutputStream;

/**
 * A terminal's CR LF line ends back to LF, for a client that asked for no terminal; a CR that is
 * not followed by LF stays. A CR at the end of one chunk waits for the next. Pure and not
 * thread-safe.
 */
final class TerminalNewlines {
  private boolean pendingCr;

  /** Writes {@code data[from, to)} to {@code out} with CR LF as LF. */
  void write(ByteArrayOutputStream out, byte[] data, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = data[i];
      if (pendingCr) {
        pendingCr = false;
        if (b != '\n') {
          out.write('\r');
        }
      }
      if (b == '\r') {
        pendingCr = true;
      } else {
        out.write(b);
      }
    }
  }

  /** The end of the output: a CR held back is written. */
  void finish(ByteArrayOutputStream out) {
    if (pendingCr) {
      out.write('\r');
      pendingCr = false;
    }
  }
}
