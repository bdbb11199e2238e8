package io.github.acivirtualnode.operator.kubelet;

import java.util.List;
import java.util.regex.Pattern;

/**
 * How one {@code kubectl exec} runs on ACI's exec, which launches one program without arguments on
 * a terminal and reports no exit status. A bare program ({@code sh}, {@code ls}, {@code /app/tool}:
 * one argument, a plain name or path) is the command ACI is asked to run, as it is: it needs no
 * shell in the image, and {@code -it -- sh} is the real interactive shell. Anything else goes
 * through {@code /bin/sh} as {@link ShellLine} says, which carries the exact arguments and the exit
 * status: a command with arguments; a single argument with spaces, quotes or other characters a
 * shell or ACI could read differently (a kubelet runs the program of exactly that name, which the
 * quoted line does too); and stdin without a terminal ({@code -i} without {@code -t}), which needs
 * the terminal's echo off so that the input does not come back as output. Pure.
 *
 * @param program what ACI's exec is asked to run
 * @param line the line typed into {@code program}; null when the program is the command itself
 */
record ExecPlan(String program, ShellLine line) {
  /** A program name or path that ACI's exec takes as it is (no space, quote or metacharacter). */
  private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_./+:@%,=-]+");

  /**
   * @param id letters and digits for the shell line's markers
   * @throws IllegalArgumentException as {@link ShellLine#of} does
   */
  static ExecPlan of(List<String> argv, boolean tty, boolean stdin, String id) {
    if (argv.size() == 1 && BARE.matcher(argv.get(0)).matches() && (tty || !stdin)) {
      return new ExecPlan(argv.get(0), null);
    }
    return new ExecPlan(ShellLine.SHELL, ShellLine.of(argv, tty, id));
  }

  /** Whether ACI runs the command itself (no shell line, no exit status from ACI). */
  boolean direct() {
    return line == null;
  }
}
