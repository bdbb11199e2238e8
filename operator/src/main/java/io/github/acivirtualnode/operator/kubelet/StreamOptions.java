package io.github.acivirtualnode.operator.kubelet;

import java.util.List;
import java.util.Map;

/**
 * What an exec or attach request asks for, from its query as the API server sends it to a kubelet
 * ({@code command=..&command=..&input=1&output=1&error=1&tty=1}: the kubelet's names for stdin,
 * stdout and stderr, not those of the API server's own exec options), checked as a kubelet checks
 * it: at least one of stdin, stdout and stderr; a terminal has no separate stderr (it is dropped,
 * as a kubelet drops it); exec needs a command. Pure.
 *
 * @param command the argument vector (empty for attach)
 */
record StreamOptions(
    List<String> command, boolean stdin, boolean stdout, boolean stderr, boolean tty) {

  /**
   * @throws IllegalArgumentException with the client's message when the query asks for nothing
   */
  static StreamOptions parse(Map<String, List<String>> query, boolean exec) {
    boolean tty = flag(query, "tty");
    boolean stdin = flag(query, "input");
    boolean stdout = flag(query, "output");
    boolean stderr = flag(query, "error") && !tty;
    if (!stdin && !stdout && !stderr) {
      throw new IllegalArgumentException("you must specify at least 1 of stdin, stdout, stderr");
    }
    List<String> command = query.getOrDefault("command", List.of());
    if (exec && command.isEmpty()) {
      throw new IllegalArgumentException("you must specify at least one command for the container");
    }
    return new StreamOptions(List.copyOf(command), stdin, stdout, stderr, tty);
  }

  /** The streams the client opens: error, one per requested stream, resize with a terminal. */
  int expectedStreams(StreamProtocol protocol) {
    int n = 1;
    n += stdin ? 1 : 0;
    n += stdout ? 1 : 0;
    n += stderr ? 1 : 0;
    n += tty && protocol.resizable() ? 1 : 0;
    return n;
  }

  private static boolean flag(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values != null && !values.isEmpty() && "1".equals(values.get(0));
  }
}
