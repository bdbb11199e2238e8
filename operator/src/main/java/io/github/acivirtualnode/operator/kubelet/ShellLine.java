package io.github.acivirtualnode.operator.kubelet;

import java.util.List;

/**
 * How {@code kubectl exec pod -- cmd arg1 "arg 2"} runs in ACI, whose exec launches one program
 * without arguments, always on a terminal, and reports no exit code: exec launches {@code /bin/sh},
 * and this line is typed into it. The line prints a begin marker, runs the command with each
 * argument single-quoted (so the shell expands nothing), prints an end marker with {@code $?} and
 * exits. Typed, the markers read {@code AVN""<id>B}: the terminal's echo of the line never contains
 * the marker itself, only the shell's output does ({@link MarkedOutput} finds them). Without a
 * terminal the line first turns the terminal's echo off ({@code stty -echo}), so that stdin written
 * to the command is not echoed into its output. Pure.
 */
record ShellLine(String text, String beginMarker, String endMarker) {
  /** The program exec launches in ACI. */
  static final String SHELL = "/bin/sh";

  /** A terminal's line buffer holds 4096 bytes (canonical mode); the line must fit. */
  static final int MAX_LENGTH = 4000;

  /**
   * @param id random letters and digits that make the markers unique to this session
   * @throws IllegalArgumentException naming the argument that a terminal cannot carry
   */
  static ShellLine of(List<String> argv, boolean tty, String id) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("you must specify at least one command for the container");
    }
    if (!id.matches("[A-Za-z0-9]+")) {
      throw new IllegalArgumentException("marker id must be letters and digits");
    }
    StringBuilder command = new StringBuilder();
    for (int i = 0; i < argv.size(); i++) {
      String arg = argv.get(i);
      for (int j = 0; j < arg.length(); j++) {
        char c = arg.charAt(j);
        if (c < 0x20 || c == 0x7f) {
          throw new IllegalArgumentException(
              "argument "
                  + (i + 1)
                  + " of the command holds a control character (U+"
                  + String.format("%04X", (int) c)
                  + "): ACI's exec runs no command line, so the command is typed into /bin/sh on"
                  + " ACI's terminal, which would act on it (newline, tab, Ctrl-C, ...) instead of"
                  + " passing it on");
        }
      }
      if (i > 0) {
        command.append(' ');
      }
      command.append(quote(arg));
    }
    String begin = "AVN" + id + "B";
    String end = "AVN" + id + "E";
    String text =
        " "
            + (tty ? "" : "stty -echo 2>/dev/null; ")
            + "echo AVN\"\""
            + id
            + "B; "
            + command
            + "; echo AVN\"\""
            + id
            + "E $?; exit\r";
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "the command is too long for ACI's terminal ("
              + text.length()
              + " characters with its quoting, at most "
              + MAX_LENGTH
              + ")");
    }
    return new ShellLine(text, begin, end);
  }

  /**
   * Single quotes keep every character as it is; a single quote itself is closed, double-quoted and
   * reopened ({@code 'it'"'"'s'}), which needs no backslash.
   */
  static String quote(String arg) {
    return "'" + arg.replace("'", "'\"'\"'") + "'";
  }
}
