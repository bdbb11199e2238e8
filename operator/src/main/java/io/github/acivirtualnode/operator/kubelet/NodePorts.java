package io.github.acivirtualnode.operator.kubelet;

import io.github.acivirtualnode.operator.config.PortRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which port serves which virtual node's kubelet API. Every Node advertises the same address, so a
 * node-level request ({@code /stats/summary}, {@code /pods}) says which node it is for only by the
 * port it arrives on. Keyed by VirtualNode name, so that a renamed Node keeps its port. Pure
 * bookkeeping: binding is {@link NodeConnectors}'.
 */
final class NodePorts {
  /** One VirtualNode's port and the name its Node has now. */
  record Assignment(String virtualNode, String nodeName, int port) {}

  private final PortRange range;
  private final Map<String, Assignment> byVirtualNode = new HashMap<>();
  private final Map<Integer, Assignment> byPort = new HashMap<>();

  NodePorts(PortRange range) {
    this.range = range;
  }

  PortRange range() {
    return range;
  }

  OptionalInt portOf(String virtualNode) {
    Assignment a = byVirtualNode.get(virtualNode);
    return a == null ? OptionalInt.empty() : OptionalInt.of(a.port());
  }

  Optional<Assignment> at(int port) {
    return Optional.ofNullable(byPort.get(port));
  }

  /** The Node was renamed: the port stays, requests on it are for the new name. */
  void rename(String virtualNode, String nodeName) {
    Assignment a = byVirtualNode.get(virtualNode);
    if (a != null && !a.nodeName().equals(nodeName)) {
      Assignment renamed = new Assignment(virtualNode, nodeName, a.port());
      byVirtualNode.put(virtualNode, renamed);
      byPort.put(a.port(), renamed);
    }
  }

  /**
   * The ports to try binding for a VirtualNode that has none, best first: the port its Node
   * advertises already (an operator restart keeps it) when in the range and free, then the range's
   * free ports in order. For {@link PortRange#ANY}: just 0, the system's choice.
   */
  List<Integer> candidates(Integer advertised) {
    if (range.any()) {
      return List.of(0);
    }
    List<Integer> out = new ArrayList<>();
    if (advertised != null && range.contains(advertised) && !byPort.containsKey(advertised)) {
      out.add(advertised);
    }
    for (int p = range.first(); p <= range.last(); p++) {
      if (!byPort.containsKey(p) && !out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Records a port that was bound. */
  void assign(String virtualNode, String nodeName, int port) {
    if (byVirtualNode.containsKey(virtualNode)) {
      throw new IllegalStateException(virtualNode + " has port " + portOf(virtualNode));
    }
    if (byPort.containsKey(port)) {
      throw new IllegalStateException("port " + port + " serves " + byPort.get(port));
    }
    Assignment a = new Assignment(virtualNode, nodeName, port);
    byVirtualNode.put(virtualNode, a);
    byPort.put(port, a);
  }

  /** Frees the VirtualNode's port, if it had one. */
  OptionalInt release(String virtualNode) {
    Assignment a = byVirtualNode.remove(virtualNode);
    if (a == null) {
      return OptionalInt.empty();
    }
    byPort.remove(a.port());
    return OptionalInt.of(a.port());
  }

  /** Every assignment, for the main port's answer saying which port serves which node. */
  List<Assignment> all() {
    return byVirtualNode.values().stream()
        .sorted(java.util.Comparator.comparingInt(Assignment::port))
        .toList();
  }
}
