package io.github.acivirtualnode.e2e.bench;

import java.time.Duration;

/**
 * A subscription's ACI quota of container group creates, and the same again of deletes, as the
 * scenario's emulator enforces it and this operator is told it (AVN_ACI_MUTATIONS_PER_5_MINUTES and
 * _PER_HOUR).
 */
public record AciQuota(int perFiveMinutes, int perHour) {
  /** ACI's default: 100 per 5 minutes and 300 per hour. */
  public static final AciQuota ACI_DEFAULT = new AciQuota(100, 300);

  /**
   * A raised quota, as a subscription may be granted on request, large enough that no scenario of
   * any scale waits for it (the largest makes 5,000 groups in minutes): with ACI's default the
   * full-size scenarios would take hours, and the budget is not what they measure.
   */
  public static final AciQuota RAISED = new AciQuota(10_000, 100_000);

  /** Whether n creates in a row fit in the short window's budget. */
  public boolean fits(int n) {
    return n <= perFiveMinutes;
  }

  /**
   * A bound on how long the quota holds back n creates (or deletes): nothing while they fit, else 5
   * minutes per short budget begun, and an hour per hourly budget begun past the first. Only a
   * bound for waits, which end as soon as their condition holds.
   */
  public Duration timeFor(int n) {
    if (fits(n)) {
      return Duration.ZERO;
    }
    long windows = (n + perFiveMinutes - 1L) / perFiveMinutes;
    long hours = (n + perHour - 1L) / perHour;
    return Duration.ofMinutes(5 * windows).plus(Duration.ofHours(Math.max(0, hours - 1)));
  }

  /** How the report states it. */
  public String describe() {
    return perFiveMinutes
        + " creates (and as many deletes) per 5 min, "
        + perHour
        + " per hour"
        + (equals(ACI_DEFAULT) ? " (ACI's default)" : " (raised; ACI's default is 100 and 300)");
  }
}
