package io.github.acivirtualnode.controlplane;

/**
 * The one cluster of this JVM, started on first use and stopped when the JVM exits. Tests share it
 * and isolate themselves by namespace.
 *
 * <p>{@code AVN_CLUSTER=auto} (the default) runs the local control plane built from the Go module
 * proxy, unless no Go toolchain is installed to build it and a Docker engine answers: then
 * Testcontainers' k3s. {@code AVN_CLUSTER=local} or {@code k3s} forces one.
 */
public final class SharedCluster {
  private static KubernetesCluster cluster;
  private static RuntimeException startFailure;

  private SharedCluster() {}

  public static synchronized KubernetesCluster get() {
    if (startFailure != null) {
      // One attempt per JVM: later tests fail fast instead of waiting for another timeout.
      throw new IllegalStateException("the shared cluster failed to start", startFailure);
    }
    if (cluster == null) {
      try {
        cluster = startCluster();
      } catch (RuntimeException e) {
        startFailure = e;
        throw e;
      }
      KubernetesCluster started = cluster;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "shared-cluster-shutdown"));
    }
    return cluster;
  }

  private static KubernetesCluster startCluster() {
    String kind = System.getenv().getOrDefault("AVN_CLUSTER", "auto");
    return switch (kind) {
      case "local" -> LocalControlPlane.start();
      case "k3s" -> K3sCluster.start();
      case "auto" ->
          !goAvailable() && K3sCluster.dockerAvailable()
              ? K3sCluster.start()
              : LocalControlPlane.start();
      default ->
          throw new IllegalArgumentException(
              "AVN_CLUSTER must be local, k3s or auto, not '" + kind + "'");
    };
  }

  private static boolean goAvailable() {
    try {
      return new ProcessBuilder("go", "version").start().waitFor() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
