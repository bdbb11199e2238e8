package io.github.acivirtualnode.aciemulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestBudgetsTest {
  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static final String PT5M = "x-ms-ratelimit-remaining-subscription-resource-requests-pt5m";
  private static final String PT1H = "x-ms-ratelimit-remaining-subscription-resource-requests-pt1h";

  private final ManualClock clock = new ManualClock();
  private final RequestBudgets budgets =
      new RequestBudgets(
          clock,
          Map.of(
              RequestBudgets.Kind.CREATE,
              List.of(
                  new RequestBudgets.Limit(2, Duration.ofMinutes(5), PT5M),
                  new RequestBudgets.Limit(3, Duration.ofHours(1), PT1H))));

  @Test
  void countsDownAndRefusesWithRetryAfter() {
    RequestBudgets.Decision first = budgets.acquire("sub", RequestBudgets.Kind.CREATE);
    assertThat(first.allowed()).isTrue();
    assertThat(first.headers()).containsEntry(PT5M, "1").containsEntry(PT1H, "2");
    clock.now = clock.now.plusSeconds(60);
    assertThat(budgets.acquire("sub", RequestBudgets.Kind.CREATE).headers())
        .containsEntry(PT5M, "0");
    RequestBudgets.Decision refused = budgets.acquire("sub", RequestBudgets.Kind.CREATE);
    assertThat(refused.allowed()).isFalse();
    // The oldest request leaves the 5-minute window 240 s from now.
    assertThat(refused.retryAfterSeconds()).isEqualTo(240);
    assertThat(refused.exceeded().window()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void countsRefusalsPerKindUntilReset() {
    budgets.acquire("sub", RequestBudgets.Kind.CREATE);
    budgets.acquire("sub", RequestBudgets.Kind.CREATE);
    assertThat(budgets.refusals(RequestBudgets.Kind.CREATE)).isZero();
    budgets.acquire("sub", RequestBudgets.Kind.CREATE);
    budgets.acquire("sub", RequestBudgets.Kind.CREATE);
    // A kind without limits is never refused.
    budgets.acquire("sub", RequestBudgets.Kind.DELETE);
    assertThat(budgets.refusals(RequestBudgets.Kind.CREATE)).isEqualTo(2);
    assertThat(budgets.refusals(RequestBudgets.Kind.DELETE)).isZero();
    budgets.reset();
    assertThat(budgets.refusals(RequestBudgets.Kind.CREATE)).isZero();
  }

  @Test
  void windowsSlideAndTheHourlyBudgetStillApplies() {
    budgets.acquire("sub", RequestBudgets.Kind.CREATE);
    budgets.acquire("sub", RequestBudgets.Kind.CREATE);
    clock.now = clock.now.plus(Duration.ofMinutes(6));
    assertThat(budgets.acquire("sub", RequestBudgets.Kind.CREATE).allowed()).isTrue();
    clock.now = clock.now.plus(Duration.ofMinutes(6));
    RequestBudgets.Decision hourly = budgets.acquire("sub", RequestBudgets.Kind.CREATE);
    assertThat(hourly.allowed()).isFalse();
    assertThat(hourly.exceeded().window()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void subscriptionsAndKindsAreIndependent() {
    budgets.acquire("a", RequestBudgets.Kind.CREATE);
    budgets.acquire("a", RequestBudgets.Kind.CREATE);
    assertThat(budgets.acquire("B", RequestBudgets.Kind.CREATE).allowed()).isTrue();
    assertThat(budgets.acquire("a", RequestBudgets.Kind.READ).allowed()).isTrue();
    budgets.reset();
    assertThat(budgets.acquire("a", RequestBudgets.Kind.CREATE).allowed()).isTrue();
  }
}
