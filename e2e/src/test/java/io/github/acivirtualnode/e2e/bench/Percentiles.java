package io.github.acivirtualnode.e2e.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * p50, p95, p99 and the maximum of a list of durations, by nearest rank (the smallest value with at
 * least p percent of the values at or below it): always one of the measured values, never an
 * interpolation. Pure.
 *
 * @param count how many values
 * @param p50 null when there are none, as every figure below
 */
public record Percentiles(int count, Duration p50, Duration p95, Duration p99, Duration max) {
  public static Percentiles of(List<Duration> values) {
    List<Duration> sorted = new ArrayList<>(values);
    sorted.sort(null);
    if (sorted.isEmpty()) {
      return new Percentiles(0, null, null, null, null);
    }
    return new Percentiles(
        sorted.size(),
        nearestRank(sorted, 50),
        nearestRank(sorted, 95),
        nearestRank(sorted, 99),
        sorted.get(sorted.size() - 1));
  }

  /** The value of rank ceil(p / 100 * n) (1-based) of sorted values, at least the first. */
  static Duration nearestRank(List<Duration> sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(rank, 1) - 1);
  }

  /** Milliseconds, or null: what the report and the JSON carry. */
  public static Double millis(Duration d) {
    return d == null ? null : d.toNanos() / 1_000_000.0;
  }
}
