package io.github.acivirtualnode.aciemulator;

import io.github.acivirtualnode.aciemulator.model.ArmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Faults the emulator injects into ARM calls: per-operation error rates and latency, and outage
 * windows in which every ARM call fails with 503. Operations are named by their REST spec
 * operationId (for example {@code ContainerGroups_Get}); {@code *} matches every operation.
 */
public final class FaultInjector {

  /**
   * A fault rule.
   *
   * @param errorRate probability (0..1) that a call fails
   * @param status HTTP status of injected failures (500, 503, 429 ...)
   * @param latency delay added to every matching call
   */
  public record Rule(double errorRate, int status, Duration latency) {}

  private final Clock clock;
  private final Map<String, Rule> rules = new ConcurrentHashMap<>();
  private volatile Instant outageUntil;
  private final Random random;

  FaultInjector(Clock clock, long seed) {
    this.clock = clock;
    this.random = new Random(seed);
  }

  public void set(String operation, Rule rule) {
    rules.put(operation, rule);
  }

  public void outage(Duration duration) {
    outageUntil = clock.instant().plus(duration);
  }

  public void reset() {
    rules.clear();
    outageUntil = null;
  }

  /** Applies the faults to one call: sleeps for latency, throws for errors. */
  void apply(String operation) {
    Instant until = outageUntil;
    if (until != null && clock.instant().isBefore(until)) {
      long seconds = Math.max(1, Duration.between(clock.instant(), until).toSeconds());
      throw new ArmException(
          503,
          "ServiceUnavailable",
          "The service is temporarily unavailable (emulated outage).",
          Map.of("Retry-After", Long.toString(seconds)));
    }
    Rule rule = rules.getOrDefault(operation, rules.get("*"));
    if (rule == null) {
      return;
    }
    if (!rule.latency().isZero()) {
      try {
        Thread.sleep(rule.latency().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    boolean fail;
    synchronized (random) {
      fail = rule.errorRate() > 0 && random.nextDouble() < rule.errorRate();
    }
    if (fail) {
      throw switch (rule.status()) {
        case 429 ->
            new ArmException(
                429,
                "TooManyRequests",
                "The request was throttled (emulated fault).",
                Map.of("Retry-After", "1"));
        case 503 ->
            new ArmException(
                503,
                "ServiceUnavailable",
                "The service is temporarily unavailable (emulated fault).",
                Map.of("Retry-After", "1"));
        default ->
            new ArmException(
                rule.status(),
                "InternalServerError",
                "An internal error occurred (emulated fault).");
      };
    }
  }
}
