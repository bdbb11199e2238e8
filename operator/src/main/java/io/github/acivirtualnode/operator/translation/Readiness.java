package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.models.Event;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Whether a running container with a readiness probe is Ready, from what ACI reports.
 *
 * <p>ACI runs the probe but reports no probe results, only an event when the probe fails. So a
 * container is Ready when it runs, when enough time has passed since it started for the probe to
 * have succeeded {@code successThreshold} times ({@code initialDelaySeconds + (successThreshold -
 * 1) * periodSeconds}), and when ACI reported no readiness failure for it since it started, or the
 * last one is old enough for {@code successThreshold} probes to have passed since ({@code
 * successThreshold * periodSeconds + timeoutSeconds}). Stricter than a kubelet in one way: one
 * reported failure makes the container unready at once, because ACI's aggregated events do not tell
 * consecutive failures apart. And only as fresh as the last observation of the group.
 */
final class Readiness {
  private Readiness() {}

  /**
   * @param ready whether the container counts as Ready now
   * @param changesAt when that would turn true with no news, or null
   */
  record Verdict(boolean ready, Instant changesAt) {}

  static Verdict evaluate(Probe probe, Instant startedAt, List<Event> events, Instant now) {
    if (startedAt == null) {
      return new Verdict(false, null);
    }
    long initialDelay = orDefault(probe.getInitialDelaySeconds(), 0);
    long period = orDefault(probe.getPeriodSeconds(), 10);
    long success = Math.max(1, orDefault(probe.getSuccessThreshold(), 1));
    long timeout = orDefault(probe.getTimeoutSeconds(), 1);
    Instant readyAt = startedAt.plusSeconds(initialDelay + (success - 1) * period);
    Instant lastFailure = null;
    for (Event e : Lists.of(events)) {
      Instant at = e.lastTimestamp() == null ? null : e.lastTimestamp().toInstant();
      if (isReadinessFailure(e) && at != null && !at.isBefore(startedAt)) {
        lastFailure = lastFailure == null || at.isAfter(lastFailure) ? at : lastFailure;
      }
    }
    if (lastFailure != null) {
      Instant recovered = lastFailure.plusSeconds(success * period + timeout);
      readyAt = recovered.isAfter(readyAt) ? recovered : readyAt;
    }
    boolean ready = !now.isBefore(readyAt);
    return new Verdict(ready, ready ? null : readyAt);
  }

  static boolean isReadinessFailure(Event e) {
    String m = e.message() == null ? "" : e.message().toLowerCase(Locale.ROOT);
    return m.contains("readiness probe") && m.contains("fail");
  }

  private static long orDefault(Integer v, long d) {
    return v == null ? d : v;
  }
}
