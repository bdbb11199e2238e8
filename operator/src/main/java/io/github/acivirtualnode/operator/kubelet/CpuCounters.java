package io.github.acivirtualnode.operator.kubelet;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Cumulative CPU time per container, integrated from ACI's averages: a kubelet serves a counter
 * (core-seconds since the container started) and metrics-server takes the rate between two scrapes,
 * while Azure Monitor gives one-minute averages. The counter grows at the latest known average from
 * the moment it is known, so it is monotonic, continuous and advances between scrapes at exactly
 * the rate ACI last reported. Before the first figure nothing is known; the first value assumes
 * that average held since the container started. A new start time (the container restarted) starts
 * a new counter. Pure.
 */
final class CpuCounters {
  private record Counter(Instant started, Instant at, double coreSeconds, double cores) {}

  private final Map<String, Counter> counters = new HashMap<>();

  /**
   * The counter's value now, in core-seconds, after taking {@code cores} as the rate from now on.
   *
   * @param key the container (pod UID and container name)
   * @param started when the container started
   * @param cores the latest average, in cores (millicores / 1000)
   */
  synchronized double advance(String key, Instant started, Instant now, double cores) {
    Counter c = counters.get(key);
    double value;
    if (c == null || !c.started().equals(started)) {
      value = cores * seconds(started, now);
    } else {
      value = c.coreSeconds() + c.cores() * seconds(c.at(), now);
    }
    Instant at = c != null && c.started().equals(started) && now.isBefore(c.at()) ? c.at() : now;
    counters.put(key, new Counter(started, at, value, cores));
    return value;
  }

  /** Forgets containers that are gone. */
  synchronized void retain(Collection<String> keys) {
    counters.keySet().retainAll(Set.copyOf(keys));
  }

  private static double seconds(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    return d.isNegative() ? 0 : d.toNanos() / 1e9;
  }
}
