package io.github.acivirtualnode.operator.pod;

import java.time.Duration;

/**
 * Per-key exponential back-off: {@code base * 2^(failures - 1)}, at most {@code max}. Pure.
 *
 * @param base the delay after the first failure
 * @param max the longest delay
 */
public record Backoff(Duration base, Duration max) {
  /** 1 s, 2 s, 4 s, ... up to 5 minutes: the kubelet's back-off for pod sync errors. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

  public Backoff {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= max");
    }
  }

  /** The delay after this many failures in a row (1 for the first). */
  public Duration delay(int failures) {
    if (failures <= 1) {
      return base;
    }
    int shift = Math.min(failures - 1, 30);
    long millis = base.toMillis();
    if (millis > max.toMillis() >> shift) {
      return max;
    }
    Duration d = Duration.ofMillis(millis << shift);
    return d.compareTo(max) > 0 ? max : d;
  }
}
