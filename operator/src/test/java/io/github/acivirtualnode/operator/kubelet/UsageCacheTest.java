package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.acivirtualnode.operator.aci.AciBackend.ContainerUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageCacheTest {
  private static final Instant T0 = Instant.parse("2026-12-02T06:00:00Z");
  private static final List<ContainerUsage> FIGURES =
      List.of(new ContainerUsage("main", T0, 250, 1 << 29));

  private final UsageCache cache = new UsageCache(2);

  @Test
  void aGroupIsReadAtMostOncePerMinuteWhateverTheScrapeRate() {
    assertThat(cache.claim(List.of("g1"), T0)).containsExactly("g1");
    cache.store("g1", FIGURES, T0);

    for (int s = 15; s < 60; s += 15) {
      assertThat(cache.claim(List.of("g1"), T0.plusSeconds(s))).as("at +%ds", s).isEmpty();
    }
    assertThat(cache.claim(List.of("g1"), T0.plus(UsageCache.REFRESH))).containsExactly("g1");
    assertThat(cache.figures("g1")).hasValue(FIGURES);
  }

  @Test
  void aClaimedGroupIsNotClaimedAgainByAConcurrentScrape() {
    assertThat(cache.claim(List.of("g1"), T0)).containsExactly("g1");
    assertThat(cache.claim(List.of("g1"), T0)).isEmpty();
    assertThat(cache.figures("g1")).isEmpty();
  }

  @Test
  void aScrapeReadsAtMostItsBoundAndTheRestComeNextTime() {
    List<String> groups = List.of("g1", "g2", "g3", "g4", "g5");

    List<String> first = cache.claim(groups, T0);
    List<String> second = cache.claim(groups, T0.plusSeconds(15));
    List<String> third = cache.claim(groups, T0.plusSeconds(30));

    assertThat(first).hasSize(2);
    assertThat(second).hasSize(2).doesNotContainAnyElementsOf(first);
    assertThat(third)
        .hasSize(1)
        .doesNotContainAnyElementsOf(first)
        .doesNotContainAnyElementsOf(second);
  }

  @Test
  void theOldestFiguresAreReadFirst() {
    cache.claim(List.of("old"), T0);
    cache.store("old", FIGURES, T0);
    cache.claim(List.of("newer"), T0.plusSeconds(30));
    cache.store("newer", FIGURES, T0.plusSeconds(30));

    assertThat(cache.claim(List.of("newer", "never", "old"), T0.plus(Duration.ofMinutes(2))))
        .containsExactly("never", "old");
  }

  @Test
  void aFailedReadKeepsTheLastFiguresAndWaitsItsMinute() {
    cache.claim(List.of("g1"), T0);
    cache.store("g1", FIGURES, T0);
    Instant later = T0.plus(UsageCache.REFRESH);
    cache.claim(List.of("g1"), later);

    cache.failed("g1", later);

    assertThat(cache.figures("g1")).hasValue(FIGURES);
    assertThat(cache.lastReadFailed("g1")).isTrue();
    assertThat(cache.claim(List.of("g1"), later.plusSeconds(30))).isEmpty();
  }

  @Test
  void groupsNoLongerAskedForAreForgotten() {
    cache.claim(List.of("g1", "g2"), T0);
    cache.store("g1", FIGURES, T0);
    cache.store("g2", FIGURES, T0);

    cache.retain(List.of("g2"));

    assertThat(cache.figures("g1")).isEmpty();
    assertThat(cache.figures("g2")).hasValue(FIGURES);
  }
}
