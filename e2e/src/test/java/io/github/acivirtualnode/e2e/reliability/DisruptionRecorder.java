package io.github.acivirtualnode.e2e.reliability;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Records, through informers, every moment the API server shows a Node not Ready (or tainted
 * not-ready or unreachable, which is what evicts pods) and every change that takes one of the
 * watched running pods out of Running (another phase, a deletion timestamp, a deletion). What a
 * flaky ARM must never cause: an empty record over a fault is the check.
 */
public final class DisruptionRecorder implements AutoCloseable {
  /** The taints the node lifecycle controller puts on a Node it considers down. */
  static final Set<String> EVICTING_TAINTS =
      Set.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");

  private final String nodeName;
  private final Set<String> podUids;
  private final List<String> nodeRecord = new ArrayList<>();
  private final List<String> podRecord = new ArrayList<>();
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Pod> pods;

  private DisruptionRecorder(
      KubernetesClient client, String nodeName, String namespace, Set<String> podUids) {
    this.nodeName = nodeName;
    this.podUids = Set.copyOf(podUids);
    nodes = client.nodes().withName(nodeName).inform(handler(this::node));
    pods = client.pods().inNamespace(namespace).inform(handler(this::pod));
  }

  /** Starts recording the Node and those pods (each Running now) of the namespace. */
  public static DisruptionRecorder start(
      KubernetesClient client, String nodeName, String namespace, Set<String> runningPodUids) {
    return new DisruptionRecorder(client, nodeName, namespace, runningPodUids);
  }

  private void node(Node node, boolean deleted) {
    if (deleted) {
      add(nodeRecord, "Node " + nodeName + " deleted");
      return;
    }
    if (node.getStatus() != null && node.getStatus().getConditions() != null) {
      node.getStatus().getConditions().stream()
          .filter(c -> "Ready".equals(c.getType()) && !"True".equals(c.getStatus()))
          .forEach(
              c -> add(nodeRecord, "Node Ready=" + c.getStatus() + " (" + c.getReason() + ")"));
    }
    if (node.getSpec() != null && node.getSpec().getTaints() != null) {
      node.getSpec().getTaints().stream()
          .filter(t -> EVICTING_TAINTS.contains(t.getKey()))
          .forEach(t -> add(nodeRecord, "Node tainted " + t.getKey() + ":" + t.getEffect()));
    }
  }

  private void pod(Pod pod, boolean deleted) {
    if (!podUids.contains(pod.getMetadata().getUid())) {
      return;
    }
    String name = pod.getMetadata().getName();
    if (deleted) {
      add(podRecord, "pod " + name + " deleted");
    } else if (pod.getMetadata().getDeletionTimestamp() != null) {
      add(podRecord, "pod " + name + " being deleted");
    } else if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
      String phase = pod.getStatus() == null ? "without status" : pod.getStatus().getPhase();
      add(podRecord, "pod " + name + " " + phase);
    }
  }

  private synchronized void add(List<String> record, String what) {
    if (!record.contains(what)) {
      record.add(what);
    }
  }

  /** Each distinct Node disruption seen (NotReady, an evicting taint), in the order first seen. */
  public synchronized List<String> nodeDisruptions() {
    return List.copyOf(nodeRecord);
  }

  /** Each distinct disruption of a watched pod seen, in the order first seen. */
  public synchronized List<String> podDisruptions() {
    return List.copyOf(podRecord);
  }

  @Override
  public void close() {
    nodes.close();
    pods.close();
  }

  private interface Observer<T> {
    void seen(T object, boolean deleted);
  }

  private static <T> ResourceEventHandler<T> handler(Observer<T> observer) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        observer.seen(object, false);
      }

      @Override
      public void onUpdate(T before, T after) {
        observer.seen(after, false);
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {
        observer.seen(object, true);
      }
    };
  }
}
