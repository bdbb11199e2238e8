package io.github.acivirtualnode.operator.node;

import io.github.acivirtualnode.operator.aci.AciException;
import java.time.Instant;

/**
 * Decides, from backend probes, whether the virtual node is Ready and whether ARM is reachable.
 *
 * <p>Pods keep running in ACI while ARM is flaky, so transient failures (5xx, timeouts, throttling)
 * only clear BackendReachable: Ready stays true and the node lifecycle controller has no reason to
 * evict. Actionable failures (bad credentials, a missing resource group, exhausted quota, a broken
 * configuration) turn Ready false after {@code actionableThreshold} consecutive probes, so that one
 * odd answer does not flap the node.
 */
public final class BackendHealth {
  /**
   * What the conditions say at one moment. {@code reason}/{@code message} describe the last probe
   * (BackendReachable); {@code notReadyReason}/{@code notReadyMessage} the actionable failure that
   * made the node NotReady, which a later transient failure must not hide.
   */
  public record Snapshot(
      Status reachable,
      boolean ready,
      String reason,
      String message,
      Instant observedAt,
      String notReadyReason,
      String notReadyMessage) {

    public Snapshot(
        Status reachable, boolean ready, String reason, String message, Instant observedAt) {
      this(reachable, ready, reason, message, observedAt, reason, message);
    }
  }

  public enum Status {
    TRUE,
    FALSE,
    UNKNOWN
  }

  /** The reason of a node that no probe has proven usable yet. */
  public static final String AWAITING_PROBE = "AwaitingBackendProbe";

  private final int actionableThreshold;
  private int consecutiveActionable;
  private Snapshot current;

  private BackendHealth(int actionableThreshold, Snapshot initial) {
    this.actionableThreshold = Math.max(1, actionableThreshold);
    this.current = initial;
  }

  /**
   * A node never probed: NotReady until a probe succeeds, so that a node with bad credentials or a
   * missing resource group is never schedulable, not even for the first seconds.
   */
  public static BackendHealth awaitingFirstProbe(int actionableThreshold, Instant now) {
    return new BackendHealth(
        actionableThreshold,
        new Snapshot(
            Status.UNKNOWN,
            false,
            AWAITING_PROBE,
            "no probe of the ACI backend has succeeded yet",
            now));
  }

  /** Resumes after an operator restart with a Node that said Ready: no flap while probing. */
  public static BackendHealth resumeReady(int actionableThreshold, Instant now) {
    return new BackendHealth(
        actionableThreshold,
        new Snapshot(Status.UNKNOWN, true, "Probing", "first probe pending", now));
  }

  /** Resumes after an operator restart with an actionable failure already reported. */
  public static BackendHealth resumeNotReady(
      int actionableThreshold, String reason, String message, Instant now) {
    BackendHealth health =
        new BackendHealth(
            actionableThreshold, new Snapshot(Status.FALSE, false, reason, message, now));
    health.consecutiveActionable = health.actionableThreshold;
    return health;
  }

  public synchronized Snapshot current() {
    return current;
  }

  public synchronized Snapshot recordSuccess(Instant now) {
    consecutiveActionable = 0;
    current =
        new Snapshot(Status.TRUE, true, "ArmReachable", "Azure Resource Manager answers", now);
    return current;
  }

  public synchronized Snapshot recordFailure(AciException failure, Instant now) {
    String reason = failure.code().isEmpty() ? failure.kind().name() : failure.code();
    String message = failure.getMessage() == null ? reason : failure.getMessage();
    if (failure.isActionable()) {
      consecutiveActionable++;
      boolean ready = consecutiveActionable < actionableThreshold && current.ready();
      current = new Snapshot(Status.FALSE, ready, reason, message, now);
    } else {
      // Transient: readiness, and the actionable cause of a NotReady, stand as they were.
      current =
          current.ready()
              ? new Snapshot(Status.FALSE, true, reason, message, now)
              : new Snapshot(
                  Status.FALSE,
                  false,
                  reason,
                  message,
                  now,
                  current.notReadyReason(),
                  current.notReadyMessage());
    }
    return current;
  }
}
