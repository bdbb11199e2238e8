package io.github.acivirtualnode.e2e.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records, through an informer on one namespace, when each pod was first seen Running with its
 * container running; the harness records when it bound each pod ({@link #bound}).
 */
final class PodTimeline implements AutoCloseable {
  private final Map<String, String> names = new ConcurrentHashMap<>();
  private final Map<String, Instant> bound = new ConcurrentHashMap<>();
  private final Map<String, Instant> running = new ConcurrentHashMap<>();
  private final Map<String, Boolean> gone = new ConcurrentHashMap<>();
  private final SharedIndexInformer<Pod> informer;

  PodTimeline(KubernetesClient client, String namespace) {
    informer =
        client
            .pods()
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    seen(pod);
                  }

                  @Override
                  public void onUpdate(Pod before, Pod after) {
                    seen(after);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean finalStateUnknown) {
                    gone.put(pod.getMetadata().getUid(), true);
                  }
                });
  }

  private void seen(Pod pod) {
    Instant now = Instant.now();
    String uid = pod.getMetadata().getUid();
    names.putIfAbsent(uid, pod.getMetadata().getName());
    if (running(pod)) {
      running.putIfAbsent(uid, now);
    }
  }

  static boolean running(Pod p) {
    return p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())
        && p.getStatus().getContainerStatuses() != null
        && !p.getStatus().getContainerStatuses().isEmpty()
        && p.getStatus().getContainerStatuses().stream()
            .allMatch(cs -> cs.getState() != null && cs.getState().getRunning() != null);
  }

  /** The harness bound that pod (created it with its node name) at that moment. */
  void bound(Pod pod, Instant at) {
    bound.put(pod.getMetadata().getUid(), at);
    names.putIfAbsent(pod.getMetadata().getUid(), pod.getMetadata().getName());
  }

  int runningCount() {
    return running.size();
  }

  List<PodTimes> times() {
    List<PodTimes> out = new ArrayList<>();
    names.forEach(
        (uid, name) -> out.add(new PodTimes(uid, name, bound.get(uid), running.get(uid))));
    return out;
  }

  @Override
  public void close() {
    informer.close();
  }
}
