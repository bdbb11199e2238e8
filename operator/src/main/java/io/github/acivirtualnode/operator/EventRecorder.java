package io.github.acivirtualnode.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events for users (kubectl describe). Events of cluster-scoped objects live in the
 * default namespace, as the kubelet's Node events do. A repeat of the same event (same object,
 * type, reason and message) within ten minutes updates the first one's count and lastTimestamp, as
 * Kubernetes' own event recorder does, instead of creating another. Failing to record is logged,
 * never fatal.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  public static final String COMPONENT = "aci-virtual-node";
  static final Duration AGGREGATION_WINDOW = Duration.ofMinutes(10);
  private static final int REMEMBERED = 4096;

  private final KubernetesClient client;
  private final Clock clock;

  private record Key(String namespace, String object, String type, String reason, String message) {}

  private record Recorded(String name, int count, String firstTimestamp, Instant lastSeen) {}

  private final Map<Key, Recorded> recent =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Recorded> eldest) {
          return size() > REMEMBERED;
        }
      };

  public EventRecorder(KubernetesClient client) {
    this(client, Clock.systemUTC());
  }

  EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata about, String reason, String message) {
    record(about, "Normal", reason, message);
  }

  public void warning(HasMetadata about, String reason, String message) {
    record(about, "Warning", reason, message);
  }

  /** Repeats of one event are counted one at a time; different events never wait for each other. */
  private final Object[] stripes = new Object[64];

  {
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Object();
    }
  }

  private void record(HasMetadata about, String type, String reason, String message) {
    String namespace =
        about.getMetadata().getNamespace() == null ? "default" : about.getMetadata().getNamespace();
    Instant now = clock.instant();
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    String object =
        about.getKind()
            + "/"
            + about.getMetadata().getName()
            + "/"
            + (about.getMetadata().getUid() == null ? "" : about.getMetadata().getUid());
    Key key = new Key(namespace, object, type, reason, message);
    synchronized (stripes[Math.floorMod(key.hashCode(), stripes.length)]) {
      recordOnce(about, key, now, timestamp);
    }
  }

  private void recordOnce(HasMetadata about, Key key, Instant now, String timestamp) {
    String namespace = key.namespace();
    Recorded before;
    synchronized (recent) {
      before = recent.get(key);
    }
    try {
      if (before != null
          && Duration.between(before.lastSeen(), now).compareTo(AGGREGATION_WINDOW) < 0
          && repeat(namespace, before, timestamp)) {
        synchronized (recent) {
          recent.put(
              key, new Recorded(before.name(), before.count() + 1, before.firstTimestamp(), now));
        }
        return;
      }
      String name =
          about.getMetadata().getName()
              + "."
              + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
      create(about, namespace, name, key.type(), key.reason(), key.message(), timestamp);
      synchronized (recent) {
        recent.put(key, new Recorded(name, 1, timestamp, now));
      }
    } catch (KubernetesClientException e) {
      LOG.warn(
          "cannot record event {} on {}: {}",
          key.reason(),
          about.getMetadata().getName(),
          e.getMessage());
    }
  }

  /** Counts a repeat on the recorded Event; false when that Event is gone (expired, deleted). */
  private boolean repeat(String namespace, Recorded before, String timestamp) {
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .withName(before.name())
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"count\":" + (before.count() + 1) + ",\"lastTimestamp\":\"" + timestamp + "\"}");
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private void create(
      HasMetadata about,
      String namespace,
      String name,
      String type,
      String reason,
      String message,
      String timestamp) {
    client
        .v1()
        .events()
        .inNamespace(namespace)
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(about.getApiVersion())
                .withKind(about.getKind())
                .withName(about.getMetadata().getName())
                .withNamespace(about.getMetadata().getNamespace())
                .withUid(about.getMetadata().getUid())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(timestamp)
                .withLastTimestamp(timestamp)
                .withCount(1)
                .build())
        .create();
  }
}
