package io.github.acivirtualnode.operator.sharding;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a replica does next about one VirtualNode, from that VirtualNode's Lease, the desired owner
 * ({@link Rendezvous} over the live {@link Members}) and the clock. Pure; the caller does the Lease
 * I/O and starts or stops the agent.
 *
 * <p>Invariant: never two agents for one VirtualNode. A replica starts an agent only after its
 * conditional write (on resourceVersion) made it the holder, so two replicas never both acquire;
 * and a holder stops its agent one renew interval before the others may see its Lease expire,
 * counted from the start of its last successful write on its own clock, so a replica cut off from
 * the API server has stopped before anyone takes over. The others judge expiry by the Lease's
 * renewTime, the holder's clock: the margin also covers clock skew smaller than a renew interval.
 */
public final class OwnershipDecision {

  public enum Action {
    /** Write self as holder (create the Lease when absent), then start the agent. */
    ACQUIRE,
    /** Write a new renewTime; on success the agent keeps running. */
    RENEW,
    /** Held and not yet due for renewal: nothing to do. */
    KEEP,
    /**
     * Another live replica should own it: stop the agent as a graceful stop does (Node, Node Lease
     * and container groups stay), then release the Lease so the new owner acquires it at once.
     */
    HAND_OVER,
    /** The Lease is lost or no longer certain: stop the agent now, write nothing. */
    STOP,
    /** Someone else owns it, or should: nothing to do. */
    WAIT
  }

  /** The action and why, for the log. */
  public record Decision(Action action, String reason) {}

  /**
   * @param duration the VirtualNode Leases' duration
   * @param renewInterval how often the holder renews; less than half the duration, so that one
   *     failed renewal is retried before the holder must stop
   */
  public record Timing(Duration duration, Duration renewInterval) {
    public Timing {
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(renewInterval, "renewInterval");
      if (renewInterval.isNegative()
          || renewInterval.isZero()
          || renewInterval.multipliedBy(2).compareTo(duration) >= 0) {
        throw new IllegalArgumentException(
            "the renew interval ("
                + renewInterval.toSeconds()
                + " s) must be positive and less than half the lease duration ("
                + duration.toSeconds()
                + " s)");
      }
    }

    /** When a holder whose last successful write started at {@code lastRenew} must have stopped. */
    Instant stopBy(Instant lastRenew) {
      return lastRenew.plus(duration).minus(renewInterval);
    }
  }

  private OwnershipDecision() {}

  /**
   * @param identity this replica
   * @param lease the VirtualNode's Lease as just read; empty when it does not exist
   * @param desiredOwner the rendezvous choice over the live members; empty when there are none
   * @param lastRenew when this replica's last successful acquire or renew of this Lease started,
   *     while it runs the agent; empty when it runs none
   */
  public static Decision decide(
      String identity,
      Optional<LeaseRecord> lease,
      Optional<String> desiredOwner,
      Optional<Instant> lastRenew,
      Instant now,
      Timing timing) {
    if (lastRenew.isPresent()) {
      return whileRunning(identity, lease, desiredOwner, lastRenew.get(), now, timing);
    }
    if (desiredOwner.isEmpty() || !desiredOwner.get().equals(identity)) {
      return new Decision(
          Action.WAIT,
          desiredOwner.map(o -> "desired owner is " + o).orElse("no live member, not even this"));
    }
    if (lease.isEmpty()) {
      return new Decision(Action.ACQUIRE, "no Lease yet");
    }
    LeaseRecord l = lease.get();
    if (l.freeAt(now)) {
      return new Decision(Action.ACQUIRE, "Lease free or expired");
    }
    if (l.holder().equals(identity)) {
      // Ours on the server but no agent here (a restart, or a stop at the deadline): the
      // conditional write proves no one took it meanwhile.
      return new Decision(Action.ACQUIRE, "Lease already ours, agent not running");
    }
    return new Decision(Action.WAIT, "held by " + l.holder() + " until it releases or expires");
  }

  /** A holder that cannot reach the API server: stop in time, else wait for it to come back. */
  public static Decision unreachable(Optional<Instant> lastRenew, Instant now, Timing timing) {
    if (lastRenew.isEmpty()) {
      return new Decision(Action.WAIT, "Lease unreadable, agent not running");
    }
    if (!now.isBefore(timing.stopBy(lastRenew.get()))) {
      return new Decision(Action.STOP, "Lease not renewed in time");
    }
    return new Decision(Action.KEEP, "Lease unreadable, still within its duration");
  }

  private static Decision whileRunning(
      String identity,
      Optional<LeaseRecord> lease,
      Optional<String> desiredOwner,
      Instant lastRenew,
      Instant now,
      Timing timing) {
    // The deadline first: past it, another replica may already hold the Lease.
    if (!now.isBefore(timing.stopBy(lastRenew))) {
      return new Decision(Action.STOP, "Lease not renewed in time");
    }
    if (lease.isEmpty()) {
      return new Decision(Action.STOP, "Lease deleted");
    }
    LeaseRecord l = lease.get();
    if (!identity.equals(l.holder())) {
      return new Decision(
          Action.STOP,
          l.holder() == null || l.holder().isEmpty()
              ? "Lease released by someone else"
              : "Lease taken by " + l.holder());
    }
    if (l.freeAt(now)) {
      return new Decision(Action.STOP, "Lease expired by this replica's clock");
    }
    if (desiredOwner.isEmpty()) {
      return new Decision(Action.HAND_OVER, "no live member, not even this");
    }
    if (!desiredOwner.get().equals(identity)) {
      return new Decision(Action.HAND_OVER, "desired owner is " + desiredOwner.get());
    }
    if (!now.isBefore(lastRenew.plus(timing.renewInterval()))) {
      return new Decision(Action.RENEW, "renewal due");
    }
    return new Decision(Action.KEEP, "held, renewal not due");
  }
}
