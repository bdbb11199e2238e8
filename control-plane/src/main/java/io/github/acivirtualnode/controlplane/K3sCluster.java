package io.github.acivirtualnode.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/** Testcontainers' k3s, for machines with a Docker engine and no Go toolchain. */
final class K3sCluster implements KubernetesCluster {
  static final String IMAGE = "rancher/k3s:v1.35.4-k3s1";

  private final K3sContainer container;
  private final Path kubeconfigFile;

  private K3sCluster(K3sContainer container, Path kubeconfigFile) {
    this.container = container;
    this.kubeconfigFile = kubeconfigFile;
  }

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @SuppressWarnings("resource") // closed by close()
  static K3sCluster start() {
    K3sContainer container = new K3sContainer(DockerImageName.parse(IMAGE));
    container.start();
    try {
      Path file = Files.createTempFile("avn-k3s", ".kubeconfig");
      Files.writeString(file, container.getKubeConfigYaml());
      return new K3sCluster(container, file);
    } catch (IOException e) {
      container.stop();
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String kubeconfig() {
    return container.getKubeConfigYaml();
  }

  @Override
  public Path kubeconfigFile() {
    return kubeconfigFile;
  }

  @Override
  public Path logDirectory() {
    return null;
  }

  @Override
  public void close() {
    container.stop();
  }
}
