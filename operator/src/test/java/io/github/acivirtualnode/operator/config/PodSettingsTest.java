package io.github.acivirtualnode.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.acivirtualnode.operator.config.OperatorConfig.PodSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodSettingsTest {

  @Test
  void defaultsAreTheDocumentedOnesWithAcisDefaultQuota() {
    PodSettings settings = PodSettings.fromEnvironment(Map.of());

    assertThat(settings).isEqualTo(PodSettings.DEFAULTS);
    assertThat(settings.workers()).isEqualTo(8);
    assertThat(settings.listInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.briskReadInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.settledRefresh()).isEqualTo(Duration.ofSeconds(300));
    assertThat(settings.mutationsPerFiveMinutes()).isEqualTo(100);
    assertThat(settings.mutationsPerHour()).isEqualTo(300);
  }

  @Test
  void everyVariableOverrides() {
    PodSettings settings =
        PodSettings.fromEnvironment(
            Map.of(
                "AVN_POD_WORKERS", "6",
                "AVN_STATUS_LIST_SECONDS", "4",
                "AVN_STATUS_BRISK_SECONDS", "1",
                "AVN_STATUS_BRISK_WINDOW_SECONDS", "90",
                "AVN_STATUS_REFRESH_SECONDS", "600",
                "AVN_ORPHAN_GROUP_GC_SECONDS", "30",
                "AVN_ACI_MUTATIONS_PER_5_MINUTES", "2000",
                "AVN_ACI_MUTATIONS_PER_HOUR", "12000"));

    assertThat(settings)
        .isEqualTo(
            new PodSettings(
                6,
                Duration.ofSeconds(4),
                Duration.ofSeconds(1),
                Duration.ofSeconds(90),
                Duration.ofSeconds(600),
                Duration.ofSeconds(30),
                2000,
                12000));
  }

  @Test
  void theShortConstructorKeepsAcisDefaultQuotaAndReadsChangingGroupsAtEveryList() {
    PodSettings settings =
        new PodSettings(
            2,
            Duration.ofSeconds(1),
            Duration.ofSeconds(60),
            Duration.ofSeconds(10),
            Duration.ofSeconds(5));

    assertThat(settings.mutationsPerFiveMinutes()).isEqualTo(100);
    assertThat(settings.mutationsPerHour()).isEqualTo(300);
    assertThat(settings.briskReadInterval()).isEqualTo(settings.listInterval());
  }

  @Test
  void aQuotaOfNothingOrNotANumberNamesItsVariable() {
    assertThatThrownBy(
            () -> PodSettings.fromEnvironment(Map.of("AVN_ACI_MUTATIONS_PER_5_MINUTES", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AVN_ACI_MUTATIONS_PER_5_MINUTES=0 is out of range");
    assertThatThrownBy(
            () -> PodSettings.fromEnvironment(Map.of("AVN_ACI_MUTATIONS_PER_HOUR", "lots")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AVN_ACI_MUTATIONS_PER_HOUR=lots is not a whole number");
  }
}
