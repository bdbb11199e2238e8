package io.github.acivirtualnode.operator.kubelet;

import io.github.acivirtualnode.operator.config.PortRange;
import io.github.acivirtualnode.operator.node.KubeletPorts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One extra connector per virtual Node on the kubelet API's Jetty server (same TLS, same handlers),
 * on a port of {@code AVN_KUBELET_NODE_PORTS}: the port tells node-level requests which node they
 * are for. {@link NodePorts} keeps the books; this class binds and unbinds.
 */
final class NodeConnectors implements KubeletPorts {
  private static final Logger LOG = LoggerFactory.getLogger(NodeConnectors.class);

  private final Server server;
  private final Supplier<ServerConnector> newConnector;
  private final NodePorts ports;
  private final Map<String, ServerConnector> connectors = new HashMap<>();
  private final Consumer<Set<String>> nodeNamesChanged;

  /**
   * @param newConnector an unbound connector like the main one (TLS, HTTP configuration)
   * @param nodeNamesChanged told the names of the Nodes with a port whenever they change (the
   *     serving certificate names them)
   */
  NodeConnectors(
      Server server,
      Supplier<ServerConnector> newConnector,
      PortRange range,
      Consumer<Set<String>> nodeNamesChanged) {
    this.server = server;
    this.newConnector = newConnector;
    this.ports = new NodePorts(range);
    this.nodeNamesChanged = nodeNamesChanged;
  }

  private void tellNodeNames() {
    Set<String> names = new TreeSet<>();
    ports.all().forEach(a -> names.add(a.nodeName()));
    nodeNamesChanged.accept(names);
  }

  @Override
  public synchronized OptionalInt portOf(String virtualNode, String nodeName, Integer advertised) {
    OptionalInt have = ports.portOf(virtualNode);
    if (have.isPresent()) {
      ports.rename(virtualNode, nodeName);
      tellNodeNames();
      return have;
    }
    for (int candidate : ports.candidates(advertised)) {
      ServerConnector connector = newConnector.get();
      connector.setPort(candidate);
      try {
        server.addConnector(connector);
        connector.start();
      } catch (Exception e) {
        // Taken by another process: the next one.
        server.removeConnector(connector);
        stopQuietly(connector);
        LOG.debug("kubelet port {} not bound: {}", candidate, e.toString());
        continue;
      }
      int bound = connector.getLocalPort();
      ports.assign(virtualNode, nodeName, bound);
      connectors.put(virtualNode, connector);
      tellNodeNames();
      LOG.info("kubelet API of node {} listening on port {}", nodeName, bound);
      return OptionalInt.of(bound);
    }
    LOG.warn("no port of {} is free for the kubelet API of node {}", ports.range(), nodeName);
    return OptionalInt.empty();
  }

  @Override
  public synchronized void release(String virtualNode) {
    ports.release(virtualNode);
    tellNodeNames();
    ServerConnector connector = connectors.remove(virtualNode);
    if (connector != null) {
      server.removeConnector(connector);
      stopQuietly(connector);
    }
  }

  /** The node whose port a request came in on. */
  synchronized Optional<NodePorts.Assignment> at(int port) {
    return ports.at(port);
  }

  synchronized List<NodePorts.Assignment> all() {
    return ports.all();
  }

  synchronized void closeAll() {
    List.copyOf(connectors.keySet()).forEach(this::release);
  }

  private static void stopQuietly(ServerConnector connector) {
    try {
      connector.stop();
    } catch (Exception e) {
      LOG.debug("kubelet connector did not stop cleanly: {}", e.toString());
    }
  }
}
