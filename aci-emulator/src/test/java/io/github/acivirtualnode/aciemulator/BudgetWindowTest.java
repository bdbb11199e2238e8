package io.github.acivirtualnode.aciemulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.acivirtualnode.aciemulator.model.RequestBudgets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BudgetWindowTest {
  @Test
  void theShortWindowIsFiveMinutesUnlessATestAsksForLess() {
    AciEmulator.Builder standard = AciEmulator.builder().createBudget(8, 300);
    AciEmulator.Builder quick =
        AciEmulator.builder()
            .budgetWindow(Duration.ofSeconds(30))
            .createBudget(8, 300)
            .deleteBudget(8, 300);

    assertThat(standard.budgets.get(RequestBudgets.Kind.CREATE).get(0).window())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(quick.budgets.get(RequestBudgets.Kind.CREATE).get(0).window())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(quick.budgets.get(RequestBudgets.Kind.DELETE).get(0).window())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(quick.budgets.get(RequestBudgets.Kind.CREATE).get(1).window())
        .as("the hourly budget stays an hour")
        .isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aWindowMustBePositive() {
    assertThatThrownBy(() -> AciEmulator.builder().budgetWindow(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
