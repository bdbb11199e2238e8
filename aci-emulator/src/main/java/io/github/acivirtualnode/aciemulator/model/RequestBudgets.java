package io.github.acivirtualnode.aciemulator.model;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sliding-window request budgets per subscription and kind of request, like ACI's create/delete
 * limits (100 per 5 minutes and 300 per hour by default) and ARM's read limit.
 */
public final class RequestBudgets {

  /** The kinds of request that have their own budgets. */
  public enum Kind {
    CREATE,
    DELETE,
    READ
  }

  /** A limit of {@code limit} requests within {@code window}, reported under {@code header}. */
  public record Limit(int limit, Duration window, String header) {}

  /** The answer for one request: allowed or not, remaining counts, and when to retry. */
  public record Decision(
      boolean allowed, Map<String, String> headers, long retryAfterSeconds, Limit exceeded) {}

  private final Clock clock;
  private final Map<Kind, List<Limit>> limits;
  private final Map<String, Deque<Instant>> windows = new HashMap<>();
  private final Map<Kind, Long> refusals = new EnumMap<>(Kind.class);

  public RequestBudgets(Clock clock, Map<Kind, List<Limit>> limits) {
    this.clock = clock;
    this.limits = Map.copyOf(limits);
  }

  /** The ACI defaults: create and delete 100/5 min and 300/1 h; reads 12000/h as ARM. */
  public static Map<Kind, List<Limit>> defaults() {
    // Creates and deletes each have their own budget of the same size.
    List<Limit> mutations =
        List.of(
            new Limit(
                100,
                Duration.ofMinutes(5),
                "x-ms-ratelimit-remaining-subscription-resource-requests-pt5m"),
            new Limit(
                300,
                Duration.ofHours(1),
                "x-ms-ratelimit-remaining-subscription-resource-requests-pt1h"));
    return Map.of(
        Kind.CREATE,
        mutations,
        Kind.DELETE,
        mutations,
        Kind.READ,
        List.of(
            new Limit(12000, Duration.ofHours(1), "x-ms-ratelimit-remaining-subscription-reads")));
  }

  /** Counts one request if every budget allows it. */
  public synchronized Decision acquire(String subscription, Kind kind) {
    Instant now = clock.instant();
    List<Limit> kindLimits = limits.getOrDefault(kind, List.of());
    long retryAfter = 0;
    Limit exceeded = null;
    for (Limit limit : kindLimits) {
      Deque<Instant> window = window(subscription, kind, limit, now);
      if (window.size() >= limit.limit()) {
        Instant frees = window.peekFirst().plus(limit.window());
        long seconds = Math.max(1, (Duration.between(now, frees).toMillis() + 999) / 1000);
        if (seconds > retryAfter) {
          retryAfter = seconds;
          exceeded = limit;
        }
      }
    }
    boolean allowed = exceeded == null;
    if (!allowed) {
      refusals.merge(kind, 1L, Long::sum);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Limit limit : kindLimits) {
      Deque<Instant> window = window(subscription, kind, limit, now);
      if (allowed) {
        window.addLast(now);
      }
      headers.put(limit.header(), Integer.toString(Math.max(0, limit.limit() - window.size())));
    }
    return new Decision(allowed, headers, retryAfter, exceeded);
  }

  /** How many requests of that kind were refused since the start or the last reset. */
  public synchronized long refusals(Kind kind) {
    return refusals.getOrDefault(kind, 0L);
  }

  public synchronized void reset() {
    windows.clear();
    refusals.clear();
  }

  private Deque<Instant> window(String subscription, Kind kind, Limit limit, Instant now) {
    Deque<Instant> window =
        windows.computeIfAbsent(
            subscription.toLowerCase() + "|" + kind + "|" + limit.window(),
            k -> new ArrayDeque<>());
    Instant horizon = now.minus(limit.window());
    while (!window.isEmpty() && !window.peekFirst().isAfter(horizon)) {
      window.removeFirst();
    }
    return window;
  }
}
