package io.github.acivirtualnode.operator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which Nodes the collector removes, on fabric8's CRUD mock server (pure decisions, no cluster).
 */
@EnableKubernetesMockClient(crud = true)
class OrphanNodeCollectorTest {
  static KubernetesClient client;

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private final OrphanNodeCollector collector =
      new OrphanNodeCollector(client, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(2));

  @BeforeEach
  void empty() {
    client.nodes().delete();
    client.leases().inNamespace(NodeAgent.LEASE_NAMESPACE).delete();
    client.resources(VirtualNode.class).delete();
  }

  @Test
  void aNodeWhoseVirtualNodeIsGoneAndWhoseLeaseIsStaleIsRemovedWithItsLease() {
    node("orphan", "vn-gone");
    lease("orphan", NOW.minus(Duration.ofMinutes(3)));

    collector.run();

    assertThat(client.nodes().withName("orphan").get()).isNull();
    assertThat(client.leases().inNamespace(NodeAgent.LEASE_NAMESPACE).withName("orphan").get())
        .isNull();
  }

  @Test
  void aNodeWithoutLeaseWhoseVirtualNodeIsGoneIsRemoved() {
    node("leaseless", "vn-gone");

    collector.run();

    assertThat(client.nodes().withName("leaseless").get()).isNull();
  }

  @Test
  void aFreshLeaseKeepsTheNode() {
    node("renewed", "vn-gone");
    lease("renewed", NOW.minus(Duration.ofSeconds(30)));

    collector.run();

    assertThat(client.nodes().withName("renewed").get()).isNotNull();
  }

  @Test
  void anExistingVirtualNodeKeepsItsNodeWhateverTheLeaseSays() {
    node("owned", "vn-here");
    lease("owned", NOW.minus(Duration.ofHours(1)));
    VirtualNode vn = new VirtualNode();
    vn.setMetadata(new ObjectMetaBuilder().withName("vn-here").build());
    client.resource(vn).create();

    collector.run();

    assertThat(client.nodes().withName("owned").get()).isNotNull();
  }

  @Test
  void nodesWithoutTheOperatorsLabelAreNeverTouched() {
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName("kubelet-1").endMetadata().build())
        .create();
    lease("kubelet-1", NOW.minus(Duration.ofHours(1)));

    collector.run();

    assertThat(client.nodes().withName("kubelet-1").get()).isNotNull();
  }

  private static void node(String name, String virtualNode) {
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(NodeFactory.VIRTUAL_NODE_LABEL, virtualNode)
                .endMetadata()
                .build())
        .create();
  }

  private static void lease(String name, Instant renewed) {
    client
        .leases()
        .inNamespace(NodeAgent.LEASE_NAMESPACE)
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NodeAgent.LEASE_NAMESPACE)
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(name)
                .withRenewTime(ZonedDateTime.ofInstant(renewed, ZoneOffset.UTC))
                .endSpec()
                .build())
        .create();
  }
}
