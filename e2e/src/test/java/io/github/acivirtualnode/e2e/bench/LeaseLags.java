package io.github.acivirtualnode.e2e.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Lease renewal lag: for each pair of consecutive renewTimes of one Lease, how much longer than the
 * configured interval the renewal took (never below zero: an early renewal is no lag). Pure.
 */
public final class LeaseLags {
  private LeaseLags() {}

  public static List<Duration> lags(Map<String, List<Instant>> renewTimes, Duration interval) {
    List<Duration> out = new ArrayList<>();
    for (List<Instant> times : renewTimes.values()) {
      Instant previous = null;
      for (Instant t : new TreeSet<>(times)) {
        if (previous != null) {
          Duration lag = Duration.between(previous, t).minus(interval);
          out.add(lag.isNegative() ? Duration.ZERO : lag);
        }
        previous = t;
      }
    }
    return out;
  }
}
