package io.github.acivirtualnode.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  private static List<Duration> millis(int from, int to) {
    List<Duration> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add(Duration.ofMillis(i));
    }
    return out;
  }

  @Test
  void oneToOneHundredGivesTheRanksThemselves() {
    List<Duration> values = millis(1, 100);
    Collections.shuffle(values, new java.util.Random(7));
    Percentiles p = Percentiles.of(values);
    assertThat(p.count()).isEqualTo(100);
    assertThat(p.p50()).isEqualTo(Duration.ofMillis(50));
    assertThat(p.p95()).isEqualTo(Duration.ofMillis(95));
    assertThat(p.p99()).isEqualTo(Duration.ofMillis(99));
    assertThat(p.max()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void nearestRankRoundsUpAndIsAlwaysAMeasuredValue() {
    // n = 10: p50 is rank 5, p95 and p99 rank 10 (ceil 9.5, ceil 9.9).
    Percentiles p = Percentiles.of(millis(11, 20));
    assertThat(p.p50()).isEqualTo(Duration.ofMillis(15));
    assertThat(p.p95()).isEqualTo(Duration.ofMillis(20));
    assertThat(p.p99()).isEqualTo(Duration.ofMillis(20));
  }

  @Test
  void oneValueIsEveryPercentile() {
    Percentiles p = Percentiles.of(List.of(Duration.ofSeconds(3)));
    assertThat(p.p50()).isEqualTo(Duration.ofSeconds(3));
    assertThat(p.p99()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void noValuesGiveNoFigures() {
    Percentiles p = Percentiles.of(List.of());
    assertThat(p.count()).isZero();
    assertThat(p.p50()).isNull();
    assertThat(Percentiles.millis(p.p99())).isNull();
    assertThat(Percentiles.millis(Duration.ofNanos(1_500_000))).isEqualTo(1.5);
  }
}
