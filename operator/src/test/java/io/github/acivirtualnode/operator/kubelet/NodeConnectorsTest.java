package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.acivirtualnode.operator.config.PortRange;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Binding and unbinding the Nodes' own connectors on a real (plain HTTP) Jetty server. */
class NodeConnectorsTest {
  private Server server;
  private final List<Set<String>> told = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new Server();
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  private NodeConnectors connectors(PortRange range) {
    return new NodeConnectors(server, () -> new ServerConnector(server), range, told::add);
  }

  @Test
  void aPortTakenByAnotherProcessIsSkippedAndAFullRangeGivesNone() throws Exception {
    int port;
    try (ServerSocket taken = new ServerSocket(0)) {
      port = taken.getLocalPort();
      NodeConnectors nodes = connectors(new PortRange(port, port));

      assertThat(nodes.portOf("vn-a", "node-a", null)).isEmpty();
      assertThat(server.getConnectors()).isEmpty();
    }
  }

  @Test
  void aBoundPortServesItsNodeUntilReleased() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    NodeConnectors nodes = connectors(new PortRange(port, port));

    assertThat(nodes.portOf("vn-a", "node-a", null)).hasValue(port);
    assertThat(nodes.portOf("vn-a", "node-a", null)).as("kept, not bound twice").hasValue(port);
    assertThat(nodes.portOf("vn-b", "node-b", null)).as("the range is full").isEmpty();
    assertThat(server.getConnectors()).hasSize(1);
    nodes.portOf("vn-a", "node-renamed", port);
    assertThat(nodes.at(port)).hasValue(new NodePorts.Assignment("vn-a", "node-renamed", port));

    nodes.release("vn-a");

    assertThat(told)
        .as("the node names with a port, after each change")
        .containsExactly(Set.of("node-a"), Set.of("node-a"), Set.of("node-renamed"), Set.of());
    assertThat(server.getConnectors()).isEmpty();
    assertThat(nodes.at(port)).isEmpty();
    try (ServerSocket free = new ServerSocket(port)) {
      assertThat(free.getLocalPort()).as("unbound").isEqualTo(port);
    }
    assertThat(nodes.portOf("vn-b", "node-b", null)).hasValue(port);
  }

  @Test
  void anyFreePortIsTheSystemsChoiceOnePerNode() {
    NodeConnectors nodes = connectors(PortRange.ANY);

    int a = nodes.portOf("vn-a", "node-a", null).getAsInt();
    int b = nodes.portOf("vn-b", "node-b", null).getAsInt();

    assertThat(a).isPositive().isNotEqualTo(b);
    assertThat(nodes.all())
        .extracting(NodePorts.Assignment::nodeName)
        .containsExactlyInAnyOrder("node-a", "node-b");
    nodes.closeAll();
    assertThat(server.getConnectors()).isEmpty();
  }
}
