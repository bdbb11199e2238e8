package io.github.acivirtualnode.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AciQuotaTest {

  @Test
  void waitsAllowForAcisDefaultBudgetsBeyondAHundredCreates() {
    AciQuota quota = AciQuota.ACI_DEFAULT;

    assertThat(quota.timeFor(100)).isZero();
    // The 101st waits for the next 5-minute window.
    assertThat(quota.timeFor(101)).isEqualTo(Duration.ofMinutes(10));
    // 300 an hour: the 1,000th is made in the fourth hour.
    assertThat(quota.timeFor(1000))
        .isEqualTo(Duration.ofMinutes(50).plus(Duration.ofHours(3)))
        .isGreaterThan(Duration.ofHours(3));
  }

  @Test
  void theRaisedQuotaHoldsBackNoScenario() {
    assertThat(AciQuota.RAISED.fits(5000)).isTrue();
    assertThat(AciQuota.RAISED.timeFor(5000)).isZero();
    assertThat(AciQuota.ACI_DEFAULT.fits(5000)).isFalse();
  }

  @Test
  void theReportSaysWhichQuotaItIs() {
    assertThat(AciQuota.ACI_DEFAULT.describe()).contains("ACI's default").doesNotContain("raised");
    assertThat(AciQuota.RAISED.describe()).startsWith("10000 creates").contains("raised");
  }
}
