package io.github.acivirtualnode.operator.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

/** Posts node status as a kubelet does: at once when it changes, else once a minute. */
final class NodeStatusReporter {
  /** A kubelet re-posts unchanged status at this interval so heartbeat times stay fresh. */
  static final Duration REPORT_INTERVAL = Duration.ofMinutes(1);

  private final AgentContext ctx;
  private Instant lastReport = Instant.EPOCH;

  /** Whether the Warning for a Node without a port of its own was recorded (once per agent). */
  private boolean noPortReported;

  NodeStatusReporter(AgentContext ctx) {
    this.ctx = ctx;
  }

  /** The next call posts, whatever changed: the Node was (re-)applied. */
  synchronized void reportNext() {
    lastReport = Instant.EPOCH;
  }

  synchronized void postIfDue(VirtualNode vn, Node node, BackendHealth.Snapshot health) {
    Instant now = ctx.clock().instant();
    NodeStatus current = node.getStatus();
    NodeStatus desired =
        NodeFactory.desiredStatus(
            vn,
            ctx.config(),
            kubeletPort(vn, current),
            health,
            now,
            current == null ? null : current.getConditions());
    boolean changed =
        current == null
            || !NodeFactory.sameConditions(current.getConditions(), desired.getConditions())
            || !Objects.equals(current.getCapacity(), desired.getCapacity())
            || !Objects.equals(current.getAllocatable(), desired.getAllocatable())
            || !Objects.equals(current.getAddresses(), desired.getAddresses())
            || !Objects.equals(current.getDaemonEndpoints(), desired.getDaemonEndpoints());
    if (!changed && Duration.between(lastReport, now).compareTo(REPORT_INTERVAL) < 0) {
      return;
    }
    // A replace, not a merge: resources dropped from the spec (a GPU count back to 0) must go.
    // A conflict (the node lifecycle controller wrote meanwhile) is retried once on a fresh read,
    // so that a new Node does not wait a heartbeat for its first conditions.
    try {
      replaceStatus(node, desired);
    } catch (KubernetesClientException e) {
      Node fresh =
          e.getCode() == 409
              ? ctx.client().nodes().withName(node.getMetadata().getName()).get()
              : null;
      if (fresh == null) {
        throw e;
      }
      replaceStatus(fresh, desired);
    }
    lastReport = now;
  }

  /** The Node's own port; when none is free, the main port and a Warning saying what is lost. */
  private int kubeletPort(VirtualNode vn, NodeStatus current) {
    Integer advertised =
        current == null
                || current.getDaemonEndpoints() == null
                || current.getDaemonEndpoints().getKubeletEndpoint() == null
            ? null
            : current.getDaemonEndpoints().getKubeletEndpoint().getPort();
    OptionalInt own =
        ctx.kubeletPorts().portOf(vn.getMetadata().getName(), vn.nodeName(), advertised);
    if (own.isPresent()) {
      noPortReported = false;
      return own.getAsInt();
    }
    if (!noPortReported) {
      noPortReported = true;
      ctx.events()
          .warning(
              vn,
              "KubeletPortsExhausted",
              "no port of AVN_KUBELET_NODE_PORTS is free for node "
                  + vn.nodeName()
                  + ": it advertises the main kubelet port "
                  + ctx.config().kubeletPort()
                  + ", where logs and exec work but its stats (kubectl top) and /pods are not"
                  + " served; widen the range");
    }
    return ctx.config().kubeletPort();
  }

  private void replaceStatus(Node node, NodeStatus desired) {
    ctx.client().nodes().resource(new NodeBuilder(node).withStatus(desired).build()).updateStatus();
  }
}
