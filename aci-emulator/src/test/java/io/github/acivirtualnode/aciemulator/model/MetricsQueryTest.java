package io.github.acivirtualnode.aciemulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetricsQueryTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:34:56Z");

  private static MetricsQuery parse(String timespan, String interval, String filter) {
    return MetricsQuery.parse(null, timespan, interval, null, filter, null, "CpuUsage", NOW);
  }

  @Test
  void defaultsAreTheLastHourByMinuteOfTheDefaultMetric() {
    MetricsQuery query = parse(null, null, null);
    assertThat(query.metrics()).containsExactly("CpuUsage");
    assertThat(query.start()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    assertThat(query.end()).isEqualTo(NOW);
    assertThat(query.intervalText()).isEqualTo("PT1M");
    assertThat(query.split()).isNull();
    assertThat(query.top()).isEqualTo(10);
    // Buckets begin on whole grains.
    assertThat(query.firstBucket()).isEqualTo(Instant.parse("2026-01-01T11:34:00Z"));
  }

  @Test
  void timespansMayEndInADurationAndFullIsOneUnalignedBucket() {
    MetricsQuery query = parse("2026-01-01T00:00:30Z/PT2H", "full", null);
    assertThat(query.end()).isEqualTo(Instant.parse("2026-01-01T02:00:30Z"));
    assertThat(query.full()).isTrue();
    assertThat(query.intervalText()).isEqualTo("PT2H");
    assertThat(query.firstBucket()).isEqualTo(query.start());
    assertThat(parse("PT6H", "pt1h", null).start()).isEqualTo(NOW.minus(Duration.ofHours(6)));
  }

  @Test
  void theContainerNameFilterListsNamesOrAll() {
    assertThat(parse(null, null, "containerName eq 'a' or ContainerName eq 'b'").split())
        .containsExactly("a", "b");
    assertThat(parse(null, null, "containerName eq '*'").split()).containsExactly("*");
    assertThatThrownBy(() -> parse(null, null, "containerName ne 'a'"))
        .isInstanceOf(ArmException.class);
  }

  @Test
  void tooManyDataPointsAreRefused() {
    assertThatThrownBy(() -> parse("2020-01-01T00:00:00Z/2026-01-01T00:00:00Z", "PT1M", null))
        .isInstanceOf(ArmException.class)
        .hasMessageContaining("data points");
  }
}
