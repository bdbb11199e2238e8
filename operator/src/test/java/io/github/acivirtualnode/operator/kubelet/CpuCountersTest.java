package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuCountersTest {
  private static final Instant START = Instant.parse("2026-12-02T06:00:00Z");
  private final CpuCounters counters = new CpuCounters();

  @Test
  void theFirstValueAssumesTheFirstAverageHeldSinceTheContainerStarted() {
    assertThat(counters.advance("c", START, START.plusSeconds(100), 0.25))
        .isCloseTo(25.0, within(1e-9));
  }

  @Test
  void theCounterGrowsAtTheLatestKnownRateBetweenScrapes() {
    counters.advance("c", START, START.plusSeconds(100), 0.25);

    assertThat(counters.advance("c", START, START.plusSeconds(115), 0.25))
        .isCloseTo(25.0 + 0.25 * 15, within(1e-9));
    // A new average applies from when it is known: the 15 s before it still ran at 0.25.
    assertThat(counters.advance("c", START, START.plusSeconds(130), 1.0))
        .isCloseTo(25.0 + 0.25 * 30, within(1e-9));
    assertThat(counters.advance("c", START, START.plusSeconds(140), 1.0))
        .isCloseTo(25.0 + 0.25 * 30 + 10, within(1e-9));
  }

  @Test
  void itNeverGoesBackwardsNotEvenForAClockThatDoes() {
    double a = counters.advance("c", START, START.plusSeconds(100), 0.5);
    double b = counters.advance("c", START, START.plusSeconds(90), 0.5);
    double c = counters.advance("c", START, START.plusSeconds(101), 0.0);
    double d = counters.advance("c", START, START.plusSeconds(200), 0.0);

    assertThat(b).isEqualTo(a);
    assertThat(c).isCloseTo(a + 0.5, within(1e-9));
    assertThat(d).isEqualTo(c);
  }

  @Test
  void aRestartedContainerStartsANewCounter() {
    counters.advance("c", START, START.plusSeconds(1000), 1.0);
    Instant restarted = START.plusSeconds(1000);

    assertThat(counters.advance("c", restarted, restarted.plusSeconds(10), 1.0))
        .isCloseTo(10.0, within(1e-9));
  }

  @Test
  void containersAreCountedApartAndForgottenWhenGone() {
    counters.advance("a", START, START.plusSeconds(10), 1.0);
    counters.advance("b", START, START.plusSeconds(10), 2.0);

    counters.retain(List.of("b"));

    assertThat(counters.advance("a", START, START.plusSeconds(20), 1.0))
        .as("a forgotten: estimated afresh")
        .isCloseTo(20.0, within(1e-9));
    assertThat(counters.advance("b", START, START.plusSeconds(20), 2.0))
        .isCloseTo(40.0, within(1e-9));
  }
}
