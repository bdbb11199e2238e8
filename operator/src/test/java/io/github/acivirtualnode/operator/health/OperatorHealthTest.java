package io.github.acivirtualnode.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorHealthTest {
  private static final Instant NOW = Instant.parse("2026-12-02T03:00:00Z");
  private static final Duration INTERVAL = Duration.ofSeconds(10);

  @Test
  void liveWithoutAnyNodeAgent() {
    HealthReport report = OperatorHealth.liveness(Map.of(), NOW, INTERVAL);
    assertThat(report.ok()).isTrue();
    assertThat(report.text()).isEqualTo("[+]node-heartbeats ok: 0 running\nok\n");
  }

  @Test
  void liveWhileEveryHeartbeatRanWithinTheAllowance() {
    HealthReport report =
        OperatorHealth.liveness(
            Map.of("a", NOW.minusSeconds(5), "b", NOW.minus(OperatorHealth.MIN_STALL)),
            NOW,
            INTERVAL);
    assertThat(report.ok()).isTrue();
  }

  @Test
  void aStalledHeartbeatFailsLivenessNamingTheNode() {
    HealthReport report =
        OperatorHealth.liveness(
            Map.of("fine", NOW.minusSeconds(5), "stuck", NOW.minusSeconds(121)), NOW, INTERVAL);
    assertThat(report.ok()).isFalse();
    assertThat(report.text())
        .isEqualTo(
            "[-]node-heartbeats failed: no heartbeat for more than 120 s: stuck (last 121 s ago)\n"
                + "not ok\n");
  }

  @Test
  void theAllowanceGrowsWithALongRenewInterval() {
    // 6 intervals of 30 s: 180 s, more than the 2-minute floor.
    Map<String, Instant> lastRun = Map.of("slow", NOW.minusSeconds(170));
    assertThat(OperatorHealth.liveness(lastRun, NOW, Duration.ofSeconds(30)).ok()).isTrue();
    assertThat(
            OperatorHealth.liveness(
                    Map.of("slow", NOW.minusSeconds(181)), NOW, Duration.ofSeconds(30))
                .ok())
        .isFalse();
  }

  @Test
  void notReadyWhileStarting() {
    HealthReport report = OperatorHealth.readiness(false, true, Map.of());
    assertThat(report.ok()).isFalse();
    assertThat(report.text()).startsWith("[-]started failed: still starting\n");
  }

  @Test
  void readyWhenLeadingWithEveryInformerWatching() {
    HealthReport report = OperatorHealth.readiness(true, true, Map.of());
    assertThat(report.ok()).isTrue();
    assertThat(report.text()).isEqualTo("[+]started ok\n[+]informers ok\nok\n");
  }

  @Test
  void notReadyWhenLeadingWithAnInformerNotWatching() {
    HealthReport report =
        OperatorHealth.readiness(true, true, Map.of("virtualnode/nodes", "UNHEALTHY"));
    assertThat(report.ok()).isFalse();
    assertThat(report.text())
        .contains("[-]informers failed: not watching: virtualnode/nodes: UNHEALTHY");
  }

  @Test
  void aStandbyIsReadySoThatARollingUpdateCanProceed() {
    HealthReport report = OperatorHealth.readiness(true, false, Map.of("ignored", "UNHEALTHY"));
    assertThat(report.ok()).isTrue();
    assertThat(report.text())
        .isEqualTo("[+]started ok\n[+]leader ok: standby: another replica holds the Lease\nok\n");
  }
}
