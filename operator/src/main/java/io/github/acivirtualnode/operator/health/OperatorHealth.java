package io.github.acivirtualnode.operator.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What liveness and readiness mean for the operator, decided from plain facts (no I/O), so that
 * each rule has a unit test.
 *
 * <p>Liveness fails only where a restart helps: a node agent whose heartbeat has stopped running (a
 * wedged thread pool; the Node's Lease would lapse and its pods be evicted). An unreachable API
 * server or ARM is not a liveness failure: a new process would wait on them just the same.
 *
 * <p>Readiness: started, and, on the replica that reconciles, every informer watching. A standby
 * replica (waiting for the leader Lease) is ready: it can take over, and a rolling update must be
 * able to proceed past it.
 */
public final class OperatorHealth {
  /** The fewest heartbeat intervals a heartbeat may be late before the agent counts as stuck. */
  static final int MISSED_HEARTBEATS = 6;

  /** And never less than this: a heartbeat waits on API server timeouts when it is slow. */
  static final Duration MIN_STALL = Duration.ofMinutes(2);

  private OperatorHealth() {}

  /**
   * @param lastHeartbeats when each agent's heartbeat last started, by Node name
   * @param interval the heartbeat (Lease renewal) interval
   */
  public static HealthReport liveness(
      Map<String, Instant> lastHeartbeats, Instant now, Duration interval) {
    Duration allowed = max(interval.multipliedBy(MISSED_HEARTBEATS), MIN_STALL);
    List<String> stalled = new ArrayList<>();
    for (Map.Entry<String, Instant> e : new TreeMap<>(lastHeartbeats).entrySet()) {
      Duration since = Duration.between(e.getValue(), now);
      if (since.compareTo(allowed) > 0) {
        stalled.add(e.getKey() + " (last " + since.toSeconds() + " s ago)");
      }
    }
    return new HealthReport(
        List.of(
            new HealthReport.Check(
                "node-heartbeats",
                stalled.isEmpty(),
                stalled.isEmpty()
                    ? lastHeartbeats.size() + " running"
                    : "no heartbeat for more than "
                        + allowed.toSeconds()
                        + " s: "
                        + String.join(", ", stalled))));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /**
   * @param started whether the operator has started (JOSDK's runtime info)
   * @param leading whether this replica holds the leader Lease (true without leader election)
   * @param unhealthyEventSources descriptions of the event sources that do not watch, by name
   */
  public static HealthReport readiness(
      boolean started, boolean leading, Map<String, String> unhealthyEventSources) {
    List<HealthReport.Check> checks = new ArrayList<>();
    checks.add(new HealthReport.Check("started", started, started ? null : "still starting"));
    if (!leading) {
      checks.add(
          new HealthReport.Check("leader", true, "standby: another replica holds the Lease"));
    } else {
      List<String> failing = new ArrayList<>();
      new TreeMap<>(unhealthyEventSources).forEach((k, v) -> failing.add(k + ": " + v));
      checks.add(
          new HealthReport.Check(
              "informers",
              failing.isEmpty(),
              failing.isEmpty() ? null : "not watching: " + String.join("; ", failing)));
    }
    return new HealthReport(checks);
  }
}
