package io.github.acivirtualnode.operator.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.github.acivirtualnode.operator.EventRecorder;
import io.github.acivirtualnode.operator.translation.AciEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** ACI's events of a pod's group as Kubernetes Events on the pod, each once per operator run. */
final class AciEventForwarder {
  private final EventRecorder events;
  private final Map<String, Map<String, Integer>> forwarded = new ConcurrentHashMap<>();

  AciEventForwarder(EventRecorder events) {
    this.events = events;
  }

  /** Forwards what is new (and again when it recurs). */
  void forward(Pod pod, List<AciEvent> aciEvents) {
    Map<String, Integer> done =
        forwarded.computeIfAbsent(pod.getMetadata().getUid(), u -> new ConcurrentHashMap<>());
    for (AciEvent e : aciEvents) {
      Integer before = done.put(e.key(), e.count());
      if (before == null || before < e.count()) {
        if ("Warning".equals(e.type())) {
          events.warning(pod, e.reason(), e.message());
        } else {
          events.normal(pod, e.reason(), e.message());
        }
      }
    }
  }

  /** The pod is gone: nothing of it is remembered. */
  void forget(Pod pod) {
    forwarded.remove(pod.getMetadata().getUid());
  }
}
