package io.github.acivirtualnode.controlplane;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts the local control plane and keeps it running until interrupted (Ctrl-C).
 *
 * <p>Usage: {@code ControlPlaneMain [work-dir]}; the admin kubeconfig is written to
 * work-dir/admin.kubeconfig (work-dir defaults to a new temporary directory).
 */
public final class ControlPlaneMain {
  private ControlPlaneMain() {}

  public static void main(String[] args) throws Exception {
    Path workDir =
        args.length > 0
            ? Files.createDirectories(Path.of(args[0]))
            : Files.createTempDirectory("avn-control-plane-");
    try (LocalControlPlane plane =
        LocalControlPlane.start(workDir, LocalControlPlane.Options.defaults())) {
      System.out.println("Kubernetes API server: " + plane.apiServerUrl());
      System.out.println("Component logs:        " + plane.logDirectory());
      System.out.println("kubectl:               " + ControlPlaneBinaries.binary("kubectl"));
      System.out.println("export KUBECONFIG=" + plane.kubeconfigFile());
      System.out.flush();
      Thread.currentThread().join();
    }
  }
}
