package io.github.acivirtualnode.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.acivirtualnode.operator.translation.TranslationError;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OperatorMetrics metrics = new OperatorMetrics(registry);

  @Test
  void podPhasesAreOneSeriesPerPhaseReadAtEachScrapeAndGoWithTheController() {
    Map<String, Long> phases = new HashMap<>(Map.of("Running", 3L, "Pending", 1L));
    Runnable remove = metrics.podPhases("aci-a", () -> phases);

    assertThat(gauge("aci-a", "Running")).isEqualTo(3);
    assertThat(gauge("aci-a", "Pending")).isEqualTo(1);
    assertThat(gauge("aci-a", "Failed")).isZero();
    assertThat(registry.find("aci.pods").tag("node", "aci-a").gauges())
        .hasSize(OperatorMetrics.PHASES.size());
    phases.put("Running", 2L);
    assertThat(gauge("aci-a", "Running")).isEqualTo(2);

    remove.run();
    assertThat(registry.find("aci.pods").gauges()).isEmpty();
  }

  @Test
  void translationErrorsAreCountedByKind() {
    metrics.translationError(TranslationError.Kind.UNSUPPORTED);
    metrics.translationError(TranslationError.Kind.UNSUPPORTED);
    metrics.translationError(TranslationError.Kind.INVALID);
    assertThat(
            registry
                .get("aci.pod.translation.errors")
                .tag("reason", "unsupported")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry.get("aci.pod.translation.errors").tag("reason", "invalid").counter().count())
        .isEqualTo(1);
  }

  @Test
  void leaseRenewalLagRecordsLatenessAndNeverANegativeOne() {
    metrics.leaseRenewalLag(Duration.ofMillis(1500));
    metrics.leaseRenewalLag(Duration.ofMillis(-20));
    var timer = registry.get("aci.node.lease.renewal.lag").timer();
    assertThat(timer.count()).isEqualTo(2);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1500);
    assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(1500);
  }

  @Test
  void callsHeldBackByTheLocalBudgetAreCountedByOperation() {
    metrics.throttledLocally("create");
    assertThat(registry.get("aci.arm.throttled").tag("operation", "create").counter().count())
        .isEqualTo(1);
  }

  private double gauge(String node, String phase) {
    return registry.get("aci.pods").tag("node", node).tag("phase", phase).gauge().value();
  }
}
