package io.github.acivirtualnode.operator.sharding;

import java.time.Duration;
import java.time.Instant;

/**
 * What the sharding decisions need from a coordination Lease (member or VirtualNode Lease), kept
 * apart from the client's model so the decisions stay pure.
 *
 * @param holder holderIdentity; null or empty when the Lease was released
 * @param renewTime spec.renewTime, the holder's clock when it last renewed; null when never
 * @param duration spec.leaseDurationSeconds
 * @param resourceVersion the version an update must match (optimistic concurrency)
 */
public record LeaseRecord(
    String holder, Instant renewTime, Duration duration, String resourceVersion) {

  /** Held by no one: released, never renewed, or past its duration. */
  public boolean freeAt(Instant now) {
    return holder == null
        || holder.isEmpty()
        || renewTime == null
        || duration == null
        || !now.isBefore(renewTime.plus(duration));
  }

  /** Held, unexpired, by {@code identity}. */
  public boolean heldBy(String identity, Instant now) {
    return !freeAt(now) && holder.equals(identity);
  }
}
