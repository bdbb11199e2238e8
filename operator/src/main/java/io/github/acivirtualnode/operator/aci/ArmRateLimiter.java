package io.github.acivirtualnode.operator.aci;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ACI request budgets of one subscription, shared by every virtual node that uses it, so that
 * together they stay inside ACI's limits (by default 100 creates or deletes per 5 minutes and 300
 * per hour) and respect a Retry-After that any of them received. Non-blocking: a refused request
 * learns how long to wait.
 */
public final class ArmRateLimiter {
  public enum Operation {
    CREATE,
    DELETE,
    READ
  }

  /** At most {@code limit} requests in any {@code window}. */
  public record Budget(int limit, Duration window) {}

  public static final List<Budget> ACI_MUTATION_BUDGETS = aciMutationBudgets(100, 300);

  /** ACI's quota of creates (or of deletes) of a subscription: per 5 minutes and per hour. */
  public static List<Budget> aciMutationBudgets(int perFiveMinutes, int perHour) {
    return List.of(
        new Budget(perFiveMinutes, Duration.ofMinutes(5)),
        new Budget(perHour, Duration.ofHours(1)));
  }

  /**
   * ARM's documented read limit (a token bucket of 250 per subscription and service principal,
   * refilled at 25 per second) as a window that allows the same burst and rate, with a fifth kept
   * for other clients of the same principal: 200 per 10 s, 72,000 an hour. The old 10,000 an hour
   * capped a subscription at about 40 nodes probing every 15 s.
   */
  public static final List<Budget> ARM_READ_BUDGETS =
      List.of(new Budget(200, Duration.ofSeconds(10)));

  static final Duration MAX_BACK_OFF = Duration.ofHours(1);

  private final Clock clock;
  private final Map<Operation, List<Budget>> budgets = new EnumMap<>(Operation.class);
  private final Map<Operation, Deque<Instant>> history = new EnumMap<>(Operation.class);
  private final Map<Operation, Instant> blockedUntil = new EnumMap<>(Operation.class);

  public ArmRateLimiter(Clock clock, List<Budget> mutationBudgets, List<Budget> readBudgets) {
    this.clock = clock;
    budgets.put(Operation.CREATE, List.copyOf(mutationBudgets));
    budgets.put(Operation.DELETE, List.copyOf(mutationBudgets));
    budgets.put(Operation.READ, List.copyOf(readBudgets));
    for (Operation op : Operation.values()) {
      history.put(op, new ArrayDeque<>());
    }
  }

  public static ArmRateLimiter withAciDefaults() {
    return new ArmRateLimiter(Clock.systemUTC(), ACI_MUTATION_BUDGETS, ARM_READ_BUDGETS);
  }

  /** Takes one request from the budget, or says how long to wait before asking again. */
  public synchronized Optional<Duration> tryAcquire(Operation op) {
    Instant now = clock.instant();
    Instant blocked = blockedUntil.get(op);
    if (blocked != null && blocked.isAfter(now)) {
      return Optional.of(Duration.between(now, blocked));
    }
    Deque<Instant> past = history.get(op);
    Duration wait = Duration.ZERO;
    Duration longest = Duration.ZERO;
    for (Budget budget : budgets.get(op)) {
      longest = budget.window().compareTo(longest) > 0 ? budget.window() : longest;
      Instant windowStart = now.minus(budget.window());
      int inWindow = 0;
      Instant oldestCounted = null;
      // history is oldest first; count the requests inside this budget's window
      for (var it = past.descendingIterator(); it.hasNext(); ) {
        Instant t = it.next();
        if (!t.isAfter(windowStart)) {
          break;
        }
        inWindow++;
        if (inWindow == budget.limit()) {
          oldestCounted = t;
          break;
        }
      }
      if (inWindow >= budget.limit()) {
        Duration untilFree = Duration.between(now, oldestCounted.plus(budget.window()));
        wait = untilFree.compareTo(wait) > 0 ? untilFree : wait;
      }
    }
    if (!wait.isZero()) {
      return Optional.of(wait);
    }
    past.addLast(now);
    Instant horizon = now.minus(longest);
    while (!past.isEmpty() && !past.peekFirst().isAfter(horizon)) {
      past.removeFirst();
    }
    return Optional.empty();
  }

  /** ARM answered 429: nobody on this subscription sends this kind of request for a while. */
  public synchronized void backOff(Operation op, Duration retryAfter) {
    // A nonsensical Retry-After must not stop a kind of request for good.
    Duration bounded = retryAfter.compareTo(MAX_BACK_OFF) > 0 ? MAX_BACK_OFF : retryAfter;
    Instant until = clock.instant().plus(bounded);
    blockedUntil.merge(op, until, (a, b) -> a.isAfter(b) ? a : b);
  }
}
