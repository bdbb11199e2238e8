package io.github.acivirtualnode.e2e.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * The benchmark's sizes (system property {@code avn.bench.scale}): full is issue 13's, medium about
 * a tenth of it, small what finishes in a few minutes on 2 cores. The footprint scenario's nodes
 * and pods per node make issue 13's 5,000 pods at full size.
 */
public enum Scale {
  SMALL(30, 3, 5, 40, Duration.ofMinutes(2), 10, Duration.ofSeconds(45), 15, 3, 2, 50),
  MEDIUM(50, 5, 20, 100, Duration.ofMinutes(3), 20, Duration.ofMinutes(2), 30, 3, 5, 100),
  FULL(500, 50, 20, 1000, Duration.ofMinutes(10), 200, Duration.ofMinutes(5), 300, 3, 10, 500);

  public final int burstPods;
  public final int spreadNodes;
  public final int spreadPodsPerNode;
  public final int steadyPods;
  public final Duration steadyWindow;
  public final int heartbeatNodes;
  public final Duration heartbeatWindow;
  public final int churnReplicas;
  public final int churnRounds;
  public final int footprintNodes;
  public final int footprintPodsPerNode;

  Scale(
      int burstPods,
      int spreadNodes,
      int spreadPodsPerNode,
      int steadyPods,
      Duration steadyWindow,
      int heartbeatNodes,
      Duration heartbeatWindow,
      int churnReplicas,
      int churnRounds,
      int footprintNodes,
      int footprintPodsPerNode) {
    this.burstPods = burstPods;
    this.spreadNodes = spreadNodes;
    this.spreadPodsPerNode = spreadPodsPerNode;
    this.steadyPods = steadyPods;
    this.steadyWindow = steadyWindow;
    this.heartbeatNodes = heartbeatNodes;
    this.heartbeatWindow = heartbeatWindow;
    this.churnReplicas = churnReplicas;
    this.churnRounds = churnRounds;
    this.footprintNodes = footprintNodes;
    this.footprintPodsPerNode = footprintPodsPerNode;
  }

  /** From {@code avn.bench.scale} (small when unset). */
  public static Scale fromSystemProperty() {
    return valueOf(System.getProperty("avn.bench.scale", "small").toUpperCase(Locale.ROOT));
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
