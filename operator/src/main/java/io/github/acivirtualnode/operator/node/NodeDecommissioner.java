package io.github.acivirtualnode.operator.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a VirtualNode's Nodes out of service for good. Only Nodes that are this VirtualNode's (by
 * label), or names no Node holds, are cleaned up: a Node that exists and is someone else's
 * contributes no pods, no container groups and no counts. Waits on ARM: never on a heartbeat
 * thread.
 */
final class NodeDecommissioner {
  private static final Logger LOG = LoggerFactory.getLogger(NodeDecommissioner.class);
  static final Duration CLEANUP_RETRY = Duration.ofSeconds(10);

  /**
   * How long a deletion waits for a credentials Secret that is missing: `kubectl delete -f` of a
   * directory often deletes the Secret with the VirtualNode, and a restarted operator has no
   * backend resolved before. Within this window the Secret may come back; after it, the cleanup
   * goes on and says exactly what may remain.
   */
  static final Duration MISSING_CREDENTIALS_GRACE = Duration.ofMinutes(2);

  private final AgentContext ctx;

  NodeDecommissioner(AgentContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Cordons the Nodes, deletes the container groups tagged for them, then their pods, the Nodes and
   * their Leases. When ACI is only throttled or flaky it stops before deleting anything in
   * Kubernetes and asks to be retried, so that no group is orphaned; when ACI is unusable for good
   * (credentials, resource group) it says so in an event and goes on.
   *
   * @param retired older names of this VirtualNode's Node whose groups may remain
   */
  NodeAgent.Decommission decommission(
      VirtualNode vn, Supplier<AciBackend> backend, Set<String> retired) {
    KubernetesClient client = ctx.client();
    Set<String> names = new LinkedHashSet<>();
    for (Node n :
        client
            .nodes()
            .withLabel(NodeFactory.VIRTUAL_NODE_LABEL, vn.getMetadata().getName())
            .list()
            .getItems()) {
      names.add(n.getMetadata().getName());
    }
    names.add(vn.nodeName());
    names.addAll(retired);
    names.removeIf(name -> foreign(vn, name));
    LOG.info("decommissioning nodes {} of VirtualNode {}", names, vn.getMetadata().getName());
    if (names.isEmpty()) {
      return new NodeAgent.Decommission(true, Duration.ZERO);
    }
    for (String name : names) {
      cordonIfOurs(vn, name);
    }
    Optional<Duration> retry = deleteContainerGroups(vn, backend, names);
    if (retry.isPresent()) {
      return new NodeAgent.Decommission(false, retry.get());
    }
    int podCount = 0;
    for (String name : names) {
      if (foreign(vn, name)) {
        continue; // taken by someone else meanwhile
      }
      List<Pod> pods =
          client.pods().inAnyNamespace().withField("spec.nodeName", name).list().getItems();
      for (Pod pod : pods) {
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .withGracePeriod(0)
            .delete();
      }
      podCount += pods.size();
      NodeRegistrar.deleteNodeAndLeaseIfOurs(client, vn, name);
    }
    LOG.info("nodes {} removed with their Leases and {} pods", names, podCount);
    return new NodeAgent.Decommission(true, Duration.ZERO);
  }

  /** A Node of that name exists and is not this VirtualNode's. */
  private boolean foreign(VirtualNode vn, String name) {
    Node node = ctx.client().nodes().withName(name).get();
    return node != null && !NodeFactory.belongsTo(node, vn);
  }

  private Optional<Duration> deleteContainerGroups(
      VirtualNode vn, Supplier<AciBackend> backend, Set<String> names) {
    try {
      AciBackend aci = backend.get();
      for (var group : aci.list()) {
        if (ContainerGroupTags.ours(group, ctx.clusterId(), names)) {
          aci.delete(group.name());
        }
      }
      return Optional.empty();
    } catch (AciException e) {
      if (!e.isActionable() || waitingForCredentials(vn, e)) {
        // A stable message (the code, not ARM's text): repeats aggregate into one Event.
        ctx.events()
            .warning(
                vn,
                "ContainerGroupCleanupDelayed",
                "deleting the container groups of " + names + " is retried: " + retryCause(e));
        return Optional.of(e.retryAfter().orElse(CLEANUP_RETRY));
      }
      // Unusable for good: the pods and Nodes go anyway, and the user learns what may remain.
      ctx.events()
          .warning(
              vn,
              "ContainerGroupCleanupFailed",
              "container groups tagged "
                  + ContainerGroupTags.CLUSTER
                  + "="
                  + ctx.clusterId()
                  + " and "
                  + ContainerGroupTags.NODE
                  + " in "
                  + names
                  + " may remain in resource group "
                  + vn.getSpec().getAzure().getResourceGroup()
                  + " of subscription "
                  + vn.getSpec().getAzure().getSubscriptionId()
                  + ": "
                  + e.getMessage());
      return Optional.empty();
    }
  }

  /** Why a cleanup waits, in words that stay the same while the cause does. */
  private static String retryCause(AciException e) {
    if (e.kind() == AciException.Kind.THROTTLED) {
      return "ACI is throttling this subscription"; // ARM's 429 or our own budget holding back
    }
    if ("CredentialsSecretNotFound".equals(e.code())) {
      return "waiting for the credentials Secret, which is missing";
    }
    return "ACI answered " + (e.code().isEmpty() ? e.kind().name() : e.code());
  }

  /**
   * A credentials Secret that went with the VirtualNode: missing now, while the last status said
   * the backend answered, and still within the grace window of the deletion. A Secret that was
   * missing all along holds nothing up.
   */
  private boolean waitingForCredentials(VirtualNode vn, AciException e) {
    String deleted = vn.getMetadata().getDeletionTimestamp();
    if (!"CredentialsSecretNotFound".equals(e.code()) || deleted == null || !wasReachable(vn)) {
      return false;
    }
    try {
      return Duration.between(java.time.Instant.parse(deleted), ctx.clock().instant())
              .compareTo(MISSING_CREDENTIALS_GRACE)
          < 0;
    } catch (java.time.format.DateTimeParseException unparseable) {
      return false;
    }
  }

  private static boolean wasReachable(VirtualNode vn) {
    return vn.getStatus() != null
        && vn.getStatus().getConditions() != null
        && vn.getStatus().getConditions().stream()
            .anyMatch(c -> "BackendReachable".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private void cordonIfOurs(VirtualNode vn, String name) {
    try {
      Node node = ctx.client().nodes().withName(name).get();
      if (node != null && NodeFactory.belongsTo(node, vn)) {
        ctx.client()
            .nodes()
            .withName(name)
            .edit(n -> new NodeBuilder(n).editSpec().withUnschedulable(true).endSpec().build());
      }
    } catch (KubernetesClientException e) {
      LOG.debug("cordon of {} skipped: {}", name, e.getMessage());
    }
  }
}
