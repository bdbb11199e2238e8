package io.github.acivirtualnode.e2e;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.controlplane.KubernetesCluster;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator as its own process, as its pod runs it: {@code OperatorMain} on the test class path,
 * authenticated with a token of the deployed ServiceAccount (so the RBAC manifest is what is
 * tested) and configured from the environment.
 */
public final class OperatorProcesses {
  private OperatorProcesses() {}

  /**
   * A kubeconfig holding a token of the ServiceAccount, for the cluster's API server.
   *
   * @return the file written
   */
  public static Path serviceAccountKubeconfig(
      KubernetesCluster cluster,
      KubernetesClient admin,
      String namespace,
      String serviceAccount,
      Path file)
      throws IOException {
    String token =
        admin
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config adminConfig = Config.fromKubeconfig(cluster.kubeconfig());
    Files.writeString(
        file,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: local",
            "  cluster:",
            "    server: " + adminConfig.getMasterUrl(),
            "    certificate-authority-data: " + adminConfig.getCaCertData(),
            "users:",
            "- name: operator",
            "  user:",
            "    token: " + token,
            "contexts:",
            "- name: operator",
            "  context: {cluster: local, user: operator}",
            "current-context: operator",
            ""));
    return file;
  }

  /** {@code java -cp <the test class path> OperatorMain}. */
  public static List<String> javaCommand() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    String cp = System.getProperty("surefire.test.class.path");
    command.add(
        cp != null
            ? cp
            : System.getProperty("java.class.path").replace(' ', File.pathSeparatorChar));
    command.add("io.github.acivirtualnode.operator.OperatorMain");
    return command;
  }

  /** A free TCP port on loopback, for a process's metrics endpoint. */
  public static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
