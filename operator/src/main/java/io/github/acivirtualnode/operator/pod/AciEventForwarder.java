package io.github.acivirtualnode.operator.pod;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.github.acivirtualnode.operator.EventRecorder;
import io.github.acivirtualnode.operator.translation.AciEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ACI's events of a pod's group as Kubernetes Events on the pod, each once, also across operator
 * restarts. The Events themselves are the record of what was forwarded: each is named after its ACI
 * event ({@code <pod>.<key>}, {@link AciEvent#key}) and carries ACI's count and timestamps. A new
 * ACI event is created, one whose count grew gets the new count and lastTimestamp, and nothing else
 * is written. What was forwarded is remembered for the run; the first time a pod's group is
 * observed in a run, one list of the pod's Events (by involvedObject.uid) tells what an earlier run
 * forwarded.
 *
 * <p>An Event the API server dropped (its time to live, one hour by default) and whose ACI event is
 * still reported is forwarded again after an operator restart, with ACI's own timestamps.
 */
final class AciEventForwarder {
  private static final Logger LOG = LoggerFactory.getLogger(AciEventForwarder.class);
  private static final Pattern KEY = Pattern.compile("[0-9a-f]{16}");
  private static final int MAX_NAME = 253;

  private final KubernetesClient client;
  private final String nodeName;
  private final Map<String, Map<String, Integer>> forwarded = new ConcurrentHashMap<>();

  AciEventForwarder(KubernetesClient client, String nodeName) {
    this.client = client;
    this.nodeName = nodeName;
  }

  /** Forwards what is new, and the new count of what recurred. Never throws for the API server. */
  void forward(Pod pod, List<AciEvent> events, Instant now) {
    if (events.isEmpty()) {
      return;
    }
    String uid = pod.getMetadata().getUid();
    Map<String, Integer> done = forwarded.get(uid);
    if (done == null) {
      Optional<Map<String, Integer>> earlier = earlierRuns(pod);
      if (earlier.isEmpty()) {
        return; // unknown: forward nothing rather than twice; the next observation tries again
      }
      done = new ConcurrentHashMap<>(earlier.get());
      forwarded.put(uid, done);
    }
    for (AciEvent e : events) {
      Integer before = done.get(e.key());
      try {
        if (before == null) {
          create(pod, e, now);
        } else if (before < e.count()) {
          count(pod, e, now);
        } else {
          continue;
        }
        done.put(e.key(), e.count());
      } catch (KubernetesClientException ex) {
        LOG.warn(
            "cannot forward ACI event {} to pod {}/{}: {}",
            e.reason(),
            pod.getMetadata().getNamespace(),
            pod.getMetadata().getName(),
            ex.getMessage());
      }
    }
  }

  /** The pod is gone: nothing of it is remembered. */
  void forget(Pod pod) {
    forwarded.remove(pod.getMetadata().getUid());
  }

  /** What earlier runs forwarded for the pod: ACI event key to count; empty when unknown. */
  private Optional<Map<String, Integer>> earlierRuns(Pod pod) {
    try {
      Map<String, Integer> counts = new HashMap<>();
      for (Event e :
          client
              .v1()
              .events()
              .inNamespace(pod.getMetadata().getNamespace())
              .withField("involvedObject.uid", pod.getMetadata().getUid())
              .list()
              .getItems()) {
        // The scheduler's names end in 16 hex digits too (a time): only our Events count.
        if (EventRecorder.COMPONENT.equals(e.getReportingComponent())) {
          keyOf(e.getMetadata().getName())
              .ifPresent(k -> counts.put(k, e.getCount() == null ? 1 : e.getCount()));
        }
      }
      return Optional.of(counts);
    } catch (KubernetesClientException e) {
      LOG.warn(
          "cannot list the events of pod {}/{}: {}",
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(),
          e.getMessage());
      return Optional.empty();
    }
  }

  private void create(Pod pod, AciEvent e, Instant now) {
    try {
      client
          .v1()
          .events()
          .inNamespace(pod.getMetadata().getNamespace())
          .resource(event(pod, e, now))
          .create();
    } catch (KubernetesClientException ex) {
      if (ex.getCode() != 409) {
        throw ex;
      }
      count(pod, e, now); // forwarded already (a concurrent run): the count is all there is to say
    }
  }

  private void count(Pod pod, AciEvent e, Instant now) {
    try {
      client
          .v1()
          .events()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(eventName(pod.getMetadata().getName(), e.key()))
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"count\":"
                  + e.count()
                  + ",\"lastTimestamp\":\""
                  + time(e.lastTimestamp(), now)
                  + "\"}");
    } catch (KubernetesClientException ex) {
      if (ex.getCode() != 404) {
        throw ex;
      }
      client
          .v1()
          .events()
          .inNamespace(pod.getMetadata().getNamespace())
          .resource(event(pod, e, now))
          .create();
    }
  }

  private Event event(Pod pod, AciEvent e, Instant now) {
    String first = time(e.firstTimestamp(), now);
    return new EventBuilder()
        .withNewMetadata()
        .withName(eventName(pod.getMetadata().getName(), e.key()))
        .withNamespace(pod.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion("v1")
        .withKind("Pod")
        .withName(pod.getMetadata().getName())
        .withNamespace(pod.getMetadata().getNamespace())
        .withUid(pod.getMetadata().getUid())
        .withFieldPath(e.fieldPath())
        .endInvolvedObject()
        .withType(e.type())
        .withReason(e.reason())
        .withMessage(e.message())
        .withNewSource()
        .withComponent(EventRecorder.COMPONENT)
        .withHost(nodeName)
        .endSource()
        .withReportingComponent(EventRecorder.COMPONENT)
        .withReportingInstance(nodeName)
        .withFirstTimestamp(first)
        .withLastTimestamp(e.lastTimestamp() == null ? first : time(e.lastTimestamp(), now))
        .withCount(e.count())
        .build();
  }

  private static String time(Instant t, Instant now) {
    return (t == null ? now : t).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** The Event's name: the pod's name (shortened to fit) and the ACI event's key. */
  static String eventName(String podName, String key) {
    int room = MAX_NAME - key.length() - 1;
    return (podName.length() > room ? podName.substring(0, room) : podName) + "." + key;
  }

  /** The ACI event key an Event's name ends with, if it is one of this forwarder's names. */
  static Optional<String> keyOf(String eventName) {
    int dot = eventName.lastIndexOf('.');
    String key = dot < 0 ? "" : eventName.substring(dot + 1);
    return KEY.matcher(key).matches() ? Optional.of(key) : Optional.empty();
  }
}
