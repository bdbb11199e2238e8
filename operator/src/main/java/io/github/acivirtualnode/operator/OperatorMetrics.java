package io.github.acivirtualnode.operator;

import io.github.acivirtualnode.operator.translation.TranslationError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operator's own meters, all named {@code aci.*} beside {@code aci.arm.calls} (counted in the
 * Azure SDK's pipeline): what a dashboard of virtual nodes needs, in one place.
 */
public final class OperatorMetrics {
  /** The phases a pod can be in, each a series of {@code aci.pods} for every node. */
  public static final List<String> PHASES =
      List.of("Pending", "Running", "Succeeded", "Failed", "Unknown");

  private final MeterRegistry registry;
  private final Timer leaseRenewalLag;

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.leaseRenewalLag =
        Timer.builder("aci.node.lease.renewal.lag")
            .description(
                "How late each virtual Node's Lease renewal started after its schedule (0: on"
                    + " time)")
            .publishPercentileHistogram()
            .register(registry);
  }

  /** Meters that go nowhere: for tests and tools that do not scrape. */
  public static OperatorMetrics none() {
    return new OperatorMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A renewal started {@code lag} after it was due (negative lags count as on time). */
  public void leaseRenewalLag(Duration lag) {
    leaseRenewalLag.record(lag.isNegative() ? Duration.ZERO : lag);
  }

  /** A pod failed because its spec cannot become a container group, by the first error's kind. */
  public void translationError(TranslationError.Kind kind) {
    Counter.builder("aci.pod.translation.errors")
        .description("Pods failed with ProviderFailed because ACI cannot run their spec, by kind")
        .tag("reason", kind.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  /** An ARM call held back by the operator's own copy of ACI's budget, before it was sent. */
  public void throttledLocally(String operation) {
    Counter.builder("aci.arm.throttled")
        .description(
            "ARM calls not sent because the subscription's create, delete or read budget is"
                + " spent (ARM's own 429s are aci.arm.calls with status 429)")
        .tag("operation", operation)
        .register(registry)
        .increment();
  }

  /**
   * Gauges of one node's pods by phase, read from {@code phases} at each scrape.
   *
   * @return what removes them when the node's controller stops
   */
  public Runnable podPhases(String node, Supplier<Map<String, Long>> phases) {
    List<Gauge> gauges = new ArrayList<>();
    for (String phase : PHASES) {
      gauges.add(
          Gauge.builder("aci.pods", phases, p -> p.get().getOrDefault(phase, 0L))
              .description("Pods bound to a virtual node, by phase")
              .tag("node", node)
              .tag("phase", phase)
              .register(registry));
    }
    return () -> gauges.forEach(registry::remove);
  }
}
