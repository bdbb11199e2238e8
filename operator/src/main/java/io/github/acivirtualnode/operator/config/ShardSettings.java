package io.github.acivirtualnode.operator.config;

import io.github.acivirtualnode.operator.sharding.OwnershipDecision;
import java.time.Duration;
import java.util.Map;

/**
 * How replicas share the VirtualNodes.
 *
 * @param enabled AVN_SHARDING: true (the default) lets every replica own a share of the
 *     VirtualNodes through Leases; false falls back to leader election (AVN_LEADER_ELECTION), one
 *     replica doing all the work
 * @param leaseDuration AVN_SHARD_LEASE_SECONDS: how long a VirtualNode's Lease and a replica's
 *     member Lease last unrenewed (15): a killed replica's VirtualNodes move within about this
 */
public record ShardSettings(boolean enabled, Duration leaseDuration) {
  public static final ShardSettings DEFAULTS = new ShardSettings(true, Duration.ofSeconds(15));

  public ShardSettings {
    java.util.Objects.requireNonNull(leaseDuration, "leaseDuration");
    timing(leaseDuration); // refuses a duration that leaves no renewal margin
  }

  public static ShardSettings fromEnvironment(Map<String, String> env) {
    String sharding = value(env, "AVN_SHARDING", "true");
    String seconds = value(env, "AVN_SHARD_LEASE_SECONDS", "15");
    int duration;
    try {
      duration = Integer.parseInt(seconds);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "AVN_SHARD_LEASE_SECONDS=" + seconds + " is not a whole number", e);
    }
    if (duration < 3 || duration > 300) {
      throw new IllegalArgumentException(
          "AVN_SHARD_LEASE_SECONDS=" + seconds + " is out of range [3, 300]");
    }
    return new ShardSettings(!"false".equalsIgnoreCase(sharding), Duration.ofSeconds(duration));
  }

  private static String value(Map<String, String> env, String name, String fallback) {
    String v = env.get(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  /** Renewal every third of the duration: one failed renewal is retried before the deadline. */
  public OwnershipDecision.Timing timing() {
    return timing(leaseDuration);
  }

  /** Rounds run well within a renewal interval, so that renewals are never late. */
  public Duration roundInterval() {
    Duration quarter = timing().renewInterval().dividedBy(4);
    return quarter.compareTo(Duration.ofMillis(250)) < 0 ? Duration.ofMillis(250) : quarter;
  }

  private static OwnershipDecision.Timing timing(Duration duration) {
    return new OwnershipDecision.Timing(duration, duration.dividedBy(3));
  }
}
