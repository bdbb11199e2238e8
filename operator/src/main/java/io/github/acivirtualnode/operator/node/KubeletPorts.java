package io.github.acivirtualnode.operator.node;

import java.util.OptionalInt;

/**
 * The kubelet port each virtual Node advertises in {@code daemonEndpoints}: its own, where the
 * kubelet API answers its node-level endpoints (a request for {@code /stats/summary} says which
 * node it is for only by its port).
 */
public interface KubeletPorts {
  /**
   * The Node's own port, bound if it has none yet.
   *
   * @param virtualNode the VirtualNode's name (a renamed Node keeps its port)
   * @param nodeName the Node's name now
   * @param advertised the port the Node advertises now (kept across operator restarts when free),
   *     or null
   * @return empty when no port is free: the Node then advertises the main port, where pod-level
   *     endpoints still work
   */
  OptionalInt portOf(String virtualNode, String nodeName, Integer advertised);

  /** The VirtualNode's agent stopped: its port is free again. */
  void release(String virtualNode);

  /** Every Node advertises the one port (no kubelet API, or tests that need no node endpoints). */
  static KubeletPorts fixed(int port) {
    return new KubeletPorts() {
      @Override
      public OptionalInt portOf(String virtualNode, String nodeName, Integer advertised) {
        return OptionalInt.of(port);
      }

      @Override
      public void release(String virtualNode) {}
    };
  }
}
