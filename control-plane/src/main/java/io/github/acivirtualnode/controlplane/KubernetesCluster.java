package io.github.acivirtualnode.controlplane;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;

/** A running Kubernetes cluster that tests and the demo talk to through an admin kubeconfig. */
public interface KubernetesCluster extends AutoCloseable {

  /** The admin kubeconfig as YAML. */
  String kubeconfig();

  /** The admin kubeconfig written to a file, for kubectl and processes started by tests. */
  Path kubeconfigFile();

  /** Where component logs are written, or null when the cluster does not expose them. */
  Path logDirectory();

  default KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig())).build();
  }

  @Override
  void close();
}
