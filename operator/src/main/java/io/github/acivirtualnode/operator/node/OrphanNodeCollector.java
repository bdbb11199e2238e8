package io.github.acivirtualnode.operator.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes Nodes of this operator whose VirtualNode no longer exists and whose Lease nobody renews,
 * such as those left when a VirtualNode was deleted while the operator was down and its finalizer
 * removed by hand. Both checks must hold, read from the API server rather than a cache, so that a
 * Node being registered or renewed by any replica is never touched.
 */
public final class OrphanNodeCollector implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanNodeCollector.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration staleAfter;

  /**
   * @param staleAfter how long a Lease must have gone unrenewed before its Node is an orphan
   */
  public OrphanNodeCollector(KubernetesClient client, Clock clock, Duration staleAfter) {
    this.client = client;
    this.clock = clock;
    this.staleAfter = staleAfter;
  }

  @Override
  public void run() {
    try {
      for (Node node : client.nodes().withLabel(NodeFactory.VIRTUAL_NODE_LABEL).list().getItems()) {
        collectIfOrphan(node);
      }
    } catch (RuntimeException e) {
      LOG.warn("orphan Node collection failed: {}", e.toString());
    }
  }

  private void collectIfOrphan(Node node) {
    String name = node.getMetadata().getName();
    String owner = node.getMetadata().getLabels().get(NodeFactory.VIRTUAL_NODE_LABEL);
    if (client.resources(VirtualNode.class).withName(owner).get() != null) {
      return;
    }
    Lease lease = client.leases().inNamespace(NodeAgent.LEASE_NAMESPACE).withName(name).get();
    Instant renewed =
        lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null
            ? Instant.EPOCH
            : lease.getSpec().getRenewTime().toInstant();
    if (Duration.between(renewed, clock.instant()).compareTo(staleAfter) < 0) {
      return;
    }
    LOG.warn("Node {} belongs to VirtualNode {}, which is gone: removing the Node", name, owner);
    client.nodes().withName(name).delete();
    client.leases().inNamespace(NodeAgent.LEASE_NAMESPACE).withName(name).delete();
  }
}
