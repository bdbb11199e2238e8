package io.github.acivirtualnode.operator.aci;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.acivirtualnode.operator.aci.ArmRateLimiter.Budget;
import io.github.acivirtualnode.operator.aci.ArmRateLimiter.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ArmRateLimiterTest {
  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private final ArmRateLimiter limiter =
      new ArmRateLimiter(
          clock, ArmRateLimiter.ACI_MUTATION_BUDGETS, ArmRateLimiter.ARM_READ_BUDGETS);

  private void acquire(Operation op, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(limiter.tryAcquire(op)).as("request %d of %s", i + 1, op).isEmpty();
    }
  }

  @Test
  void aciDefaultBudgets() {
    assertThat(ArmRateLimiter.ACI_MUTATION_BUDGETS)
        .containsExactly(
            new Budget(100, Duration.ofMinutes(5)), new Budget(300, Duration.ofHours(1)));
    assertThat(ArmRateLimiter.ARM_READ_BUDGETS)
        .containsExactly(new Budget(200, Duration.ofSeconds(10)));
  }

  @Test
  void withAciDefaultsLetsTheFirstRequestsThrough() {
    ArmRateLimiter defaults = ArmRateLimiter.withAciDefaults();
    for (Operation op : Operation.values()) {
      assertThat(defaults.tryAcquire(op)).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Operation.class,
      names = {"CREATE", "DELETE"})
  void hundredMutationsPerFiveMinutes(Operation op) {
    acquire(op, 100);

    assertThat(limiter.tryAcquire(op)).contains(Duration.ofMinutes(5));
    clock.advance(Duration.ofMinutes(2));
    assertThat(limiter.tryAcquire(op)).contains(Duration.ofMinutes(3));
    clock.advance(Duration.ofMinutes(3).minusMillis(1));
    assertThat(limiter.tryAcquire(op)).contains(Duration.ofMillis(1));
    clock.advance(Duration.ofMillis(1));
    // the window is half-open: requests exactly five minutes old no longer count
    acquire(op, 100);
    assertThat(limiter.tryAcquire(op)).contains(Duration.ofMinutes(5));
  }

  @Test
  void refusedRequestsDoNotUseTheBudget() {
    acquire(Operation.CREATE, 100);
    for (int i = 0; i < 50; i++) {
      assertThat(limiter.tryAcquire(Operation.CREATE)).isPresent();
      clock.advance(Duration.ofSeconds(1));
    }
    clock.advance(Duration.ofMinutes(5).minusSeconds(50));

    acquire(Operation.CREATE, 100);
  }

  @Test
  void windowSlides() {
    // one create per second for 100 seconds
    for (int i = 0; i < 100; i++) {
      acquire(Operation.CREATE, 1);
      clock.advance(Duration.ofSeconds(1));
    }
    // now T0+100s: the oldest (T0) leaves the window at T0+300s
    assertThat(limiter.tryAcquire(Operation.CREATE)).contains(Duration.ofSeconds(200));

    clock.advance(Duration.ofSeconds(200));
    acquire(Operation.CREATE, 1);
    // the next slot is freed by the request of T0+1s
    assertThat(limiter.tryAcquire(Operation.CREATE)).contains(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    acquire(Operation.CREATE, 1);
    assertThat(limiter.tryAcquire(Operation.CREATE)).contains(Duration.ofSeconds(1));
  }

  @Test
  void threeHundredMutationsPerHour() {
    acquire(Operation.CREATE, 100);
    clock.advance(Duration.ofMinutes(5));
    acquire(Operation.CREATE, 100);
    clock.advance(Duration.ofMinutes(5));
    acquire(Operation.CREATE, 100);
    clock.advance(Duration.ofMinutes(5));

    // the five-minute window is free, the hour is not: the first 100 leave it at T0+60min
    assertThat(limiter.tryAcquire(Operation.CREATE)).contains(Duration.ofMinutes(45));
    clock.advance(Duration.ofMinutes(45).minusSeconds(1));
    assertThat(limiter.tryAcquire(Operation.CREATE)).contains(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));

    acquire(Operation.CREATE, 100);
    // the five-minute budget is exhausted again, and so is the hour (until T0+65min)
    assertThat(limiter.tryAcquire(Operation.CREATE)).contains(Duration.ofMinutes(5));
  }

  @Test
  void waitIsTheLongestOfTheExhaustedBudgets() {
    ArmRateLimiter small =
        new ArmRateLimiter(
            clock,
            List.of(new Budget(2, Duration.ofSeconds(10)), new Budget(3, Duration.ofSeconds(60))),
            List.of());
    assertThat(small.tryAcquire(Operation.CREATE)).isEmpty(); // T0
    clock.advance(Duration.ofSeconds(30));
    assertThat(small.tryAcquire(Operation.CREATE)).isEmpty(); // T0+30
    assertThat(small.tryAcquire(Operation.CREATE)).isEmpty(); // T0+30
    // 10 s budget free at T0+40, 60 s budget free at T0+60: wait for the later
    assertThat(small.tryAcquire(Operation.CREATE)).contains(Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(10));
    assertThat(small.tryAcquire(Operation.CREATE)).contains(Duration.ofSeconds(20));
    clock.advance(Duration.ofSeconds(20));
    assertThat(small.tryAcquire(Operation.CREATE)).isEmpty();
  }

  @Test
  void createsDeletesAndReadsHaveTheirOwnBudgets() {
    acquire(Operation.CREATE, 100);
    assertThat(limiter.tryAcquire(Operation.CREATE)).isPresent();

    acquire(Operation.DELETE, 100);
    assertThat(limiter.tryAcquire(Operation.DELETE)).isPresent();

    acquire(Operation.READ, 200);
  }

  @Test
  void readsFollowArmsBucketOf250RefilledAt25PerSecondWithAMargin() {
    acquire(Operation.READ, 200);

    assertThat(limiter.tryAcquire(Operation.READ)).contains(Duration.ofSeconds(10));
    assertThat(limiter.tryAcquire(Operation.CREATE)).isEmpty();
    clock.advance(Duration.ofSeconds(10));
    acquire(Operation.READ, 1);
  }

  @Test
  void twoHundredNodesProbingEveryFifteenSecondsFitTheReadBudget() {
    // 200 nodes * 4 probes a minute * 60 = 48,000 reads an hour, spread evenly.
    for (int second = 0; second < 3600; second++) {
      acquire(Operation.READ, second % 3 == 0 ? 14 : 13);
      clock.advance(Duration.ofSeconds(1));
    }
  }

  @Test
  void oldHistoryIsForgotten() {
    for (int i = 0; i < 3; i++) {
      acquire(Operation.CREATE, 100);
      clock.advance(Duration.ofMinutes(5));
    }
    assertThat(limiter.tryAcquire(Operation.CREATE)).isPresent();
    clock.advance(Duration.ofHours(2));
    acquire(Operation.CREATE, 100);
    assertThat(limiter.tryAcquire(Operation.CREATE)).contains(Duration.ofMinutes(5));
  }

  @Test
  void budgetsAreCopied() {
    List<Budget> budgets = new ArrayList<>(List.of(new Budget(1, Duration.ofMinutes(1))));
    ArmRateLimiter copied = new ArmRateLimiter(clock, budgets, budgets);
    budgets.clear();

    assertThat(copied.tryAcquire(Operation.CREATE)).isEmpty();
    assertThat(copied.tryAcquire(Operation.CREATE)).contains(Duration.ofMinutes(1));
  }

  @Test
  void noBudgetsMeansNoLimit() {
    ArmRateLimiter unlimited = new ArmRateLimiter(clock, List.of(), List.of());
    for (int i = 0; i < 1000; i++) {
      assertThat(unlimited.tryAcquire(Operation.READ)).isEmpty();
    }
  }

  @Test
  void retryAfterBlocksThatOperationForEveryone() {
    limiter.backOff(Operation.CREATE, Duration.ofSeconds(30));

    assertThat(limiter.tryAcquire(Operation.CREATE)).contains(Duration.ofSeconds(30));
    clock.advance(Duration.ofSeconds(10));
    assertThat(limiter.tryAcquire(Operation.CREATE)).contains(Duration.ofSeconds(20));
    // other operations are not held back
    assertThat(limiter.tryAcquire(Operation.DELETE)).isEmpty();
    assertThat(limiter.tryAcquire(Operation.READ)).isEmpty();

    clock.advance(Duration.ofSeconds(20));
    // refusals during the back-off did not use the budget
    acquire(Operation.CREATE, 100);
  }

  @Test
  void anAbsurdRetryAfterIsBoundedToAnHour() {
    limiter.backOff(Operation.CREATE, Duration.ofSeconds(Long.MAX_VALUE / 2));

    assertThat(limiter.tryAcquire(Operation.CREATE)).contains(Duration.ofHours(1));
  }

  @Test
  void backOffDoesNotUseTheBudget() {
    limiter.backOff(Operation.DELETE, Duration.ofSeconds(5));
    clock.advance(Duration.ofSeconds(5));
    acquire(Operation.DELETE, 100);
  }

  @Test
  void aShorterRetryAfterDoesNotShortenTheBackOff() {
    limiter.backOff(Operation.READ, Duration.ofMinutes(2));
    limiter.backOff(Operation.READ, Duration.ofSeconds(10));

    assertThat(limiter.tryAcquire(Operation.READ)).contains(Duration.ofMinutes(2));
  }

  @Test
  void aLongerRetryAfterExtendsTheBackOff() {
    limiter.backOff(Operation.READ, Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(5));
    limiter.backOff(Operation.READ, Duration.ofSeconds(60));

    assertThat(limiter.tryAcquire(Operation.READ)).contains(Duration.ofSeconds(60));
  }

  @Test
  void zeroRetryAfterDoesNotBlock() {
    limiter.backOff(Operation.CREATE, Duration.ZERO);
    assertThat(limiter.tryAcquire(Operation.CREATE)).isEmpty();
  }

  @Test
  void backOffWinsOverAFreeBudgetAndBudgetOverAnExpiredBackOff() {
    acquire(Operation.CREATE, 100);
    limiter.backOff(Operation.CREATE, Duration.ofSeconds(10));
    assertThat(limiter.tryAcquire(Operation.CREATE)).contains(Duration.ofSeconds(10));

    clock.advance(Duration.ofSeconds(10));
    assertThat(limiter.tryAcquire(Operation.CREATE))
        .contains(Duration.ofMinutes(5).minusSeconds(10));
  }

  @Test
  void concurrentCallersNeverExceedTheBudget() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> granted = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        granted.add(
            pool.submit(
                () -> {
                  start.await();
                  int n = 0;
                  for (int i = 0; i < 50; i++) {
                    Optional<Duration> wait = limiter.tryAcquire(Operation.CREATE);
                    if (wait.isEmpty()) {
                      n++;
                    }
                  }
                  return n;
                }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : granted) {
        total += f.get(30, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(100);
    } finally {
      pool.shutdownNow();
    }
  }
}
