package io.github.acivirtualnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.controlplane.ControlPlaneBinaries;
import io.github.acivirtualnode.controlplane.KubernetesCluster;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The install path a user takes, end to end: kubectl applies deploy/ and samples/, the operator
 * runs as its own process with the deployed ServiceAccount's token (so the RBAC manifest is what is
 * tested) and its settings from the environment, against the ACI emulator over HTTPS.
 */
@ExtendWith(KubernetesClusterExtension.class)
class InstallAndRunE2E {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final String NAMESPACE = "aci-virtual-node";
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
  private static final String TENANT = "44444444-4444-4444-4444-444444444444";
  private static final String CLIENT_ID = "55555555-5555-5555-5555-555555555555";
  private static final String SECRET = "e2e-secret";

  /** The sample VirtualNode's Node. */
  private static final String NODE = "aci-westeurope";

  private static final Duration WORKLOAD_TIMEOUT = Duration.ofMinutes(5);

  private static AciEmulator emulator;
  private static Process operator;
  private static Path operatorLog;
  private static Path work;
  private static int metricsPort;

  @BeforeAll
  static void install(KubernetesCluster cluster, KubernetesClient admin) throws Exception {
    work = Files.createTempDirectory("avn-e2e");
    emulator = AciEmulator.builder().requireAuthentication(true).build().start();
    emulator.addResourceGroup(SUBSCRIPTION, "rg-virtual-nodes", "westeurope");
    emulator.addServicePrincipal(TENANT, CLIENT_ID, SECRET);

    kubectl(cluster, "apply", "-f", REPO.resolve("deploy/crds").toString());
    kubectl(
        cluster,
        "wait",
        "--for=condition=Established",
        "crd/virtualnodes.acivirtualnode.github.io");
    kubectl(cluster, "apply", "-f", REPO.resolve("deploy/operator.yaml").toString());
    kubectl(
        cluster,
        "-n",
        NAMESPACE,
        "create",
        "secret",
        "generic",
        "aci-credentials",
        "--from-literal=tenantId=" + TENANT,
        "--from-literal=clientId=" + CLIENT_ID,
        "--from-literal=clientSecret=" + SECRET);

    // The operator authenticates as the deployed ServiceAccount, exactly as its pod would.
    String token =
        admin
            .serviceAccounts()
            .inNamespace(NAMESPACE)
            .withName("aci-virtual-node")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Config adminConfig = Config.fromKubeconfig(cluster.kubeconfig());
    Path kubeconfig = work.resolve("operator.kubeconfig");
    Files.writeString(
        kubeconfig,
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

    operatorLog = work.resolve("operator.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(testClasspath());
    command.add("io.github.acivirtualnode.operator.OperatorMain");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(operatorLog.toFile());
    Map<String, String> env = builder.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("POD_NAMESPACE", NAMESPACE);
    env.put("AZURE_AUTHORITY_HOST", emulator.authorityHost());
    env.put("AVN_ARM_CA_FILE", emulator.caCertificateFile().toString());
    env.put("AVN_HEALTH_PROBE_SECONDS", "2");
    env.put("AVN_ALLOWED_ARM_ENDPOINTS", emulator.baseUrl());
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      metricsPort = socket.getLocalPort();
    }
    env.put("AVN_METRICS_PORT", Integer.toString(metricsPort));
    env.put("AVN_KUBELET_PORT", "0"); // any free port: the Nodes advertise the one it got
    operator = builder.start();
    System.err.println("[e2e] operator log: " + operatorLog);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (operator != null) {
      operator.destroy();
      if (!operator.waitFor(20, TimeUnit.SECONDS)) {
        operator.destroyForcibly();
      }
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void theSampleVirtualNodeBecomesAReadyNodeAndIsRemovedCleanly(
      KubernetesCluster cluster, KubernetesClient admin) throws Exception {
    Path pointed = applyTheSampleVirtualNode(cluster);
    try {
      String nodes =
          kubectl(cluster, "get", "nodes", "-l", "type=virtual-kubelet", "--show-labels");
      assertThat(nodes).contains(NODE).contains("Ready").contains("workload-class=burst");
      // Prometheus sees the ARM calls, by operation and status.
      String metrics =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .contains("aci_arm_calls_total{operation=\"get:containerGroups\",status=\"200\"}");
      String events =
          kubectl(
              cluster,
              "get",
              "events",
              "-n",
              "default",
              "--field-selector",
              "involvedObject.name=aci-westeurope");
      assertThat(events).contains("NodeRegistered");
    } finally {
      kubectl(cluster, "delete", "-f", pointed.toString(), "--wait=true", "--timeout=120s");
    }
    assertThat(admin.nodes().withName(NODE).get()).isNull();
    assertThat(admin.leases().inNamespace("kube-node-lease").withName(NODE).get()).isNull();
    assertThat(operator.isAlive()).as("operator process, log: %s", operatorLog).isTrue();
    assertThat(Files.readString(operatorLog)).doesNotContain(SECRET);
  }

  @Test
  void theDemoWorkloadsRunOnTheVirtualNodeAndScalingDownLeavesNoOrphanGroup(
      KubernetesCluster cluster, KubernetesClient admin) throws Exception {
    Path pointed = applyTheSampleVirtualNode(cluster);
    try {
      // Exactly what ./demo.sh applies and waits for.
      DemoWorkloads.apply(kubectl(cluster), REPO);
      DemoWorkloads.Snapshot running =
          DemoWorkloads.awaitRunning(admin, NODE, InstallAndRunE2E::groups, WORKLOAD_TIMEOUT);
      assertThat(running.pods())
          .hasSize(4)
          .allSatisfy(
              pod -> {
                assertThat(pod.getSpec().getNodeName()).isEqualTo(NODE);
                assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
                assertThat(pod.getStatus().getPodIP()).isNotBlank();
              });
      assertThat(running.deployment().getStatus().getAvailableReplicas()).isEqualTo(3);
      assertThat(running.replicaIps()).hasSize(3);
      // The endpoint controller of kube-controller-manager put the pods' ACI IPs behind the
      // Service.
      assertThat(running.readyEndpointAddresses()).isEqualTo(running.replicaIps());
      assertThat(running.containerGroups()).hasSize(4).isEqualTo(running.expectedContainerGroups());
      assertThat(kubectl(cluster, "get", "pods", "-o", "wide"))
          .contains(DemoWorkloads.POD)
          .contains(running.replicaIps().iterator().next());
      // kubectl logs: the API server asks the operator's kubelet API, which runs under the
      // deployed ServiceAccount (TokenReview, SubjectAccessReview, the published client CA).
      assertThat(lastLogLine(cluster, DemoWorkloads.POD))
          .matches("hello: heartbeat \\d+ \\(run \\d+\\)");

      kubectl(cluster, "scale", "deployment", DemoWorkloads.DEPLOYMENT, "--replicas=1");
      DemoWorkloads.Snapshot scaled =
          DemoWorkloads.awaitRunning(admin, NODE, InstallAndRunE2E::groups, WORKLOAD_TIMEOUT);
      assertThat(scaled.replicas()).hasSize(1);
      Pod survivor = scaled.replicas().get(0);
      assertThat(running.replicas())
          .extracting(p -> p.getMetadata().getUid())
          .contains(survivor.getMetadata().getUid());
      // One group for the one replica and one for the sample pod: the two removed replicas
      // left none behind.
      assertThat(scaled.containerGroups())
          .containsExactlyInAnyOrder(
              GroupNaming.groupName(scaled.pod()), GroupNaming.groupName(survivor));
      assertThat(scaled.readyEndpointAddresses()).containsExactly(survivor.getStatus().getPodIP());
    } finally {
      List<String> samples = new ArrayList<>(DemoWorkloads.SAMPLES);
      Collections.reverse(samples);
      for (String sample : samples) {
        kubectl(
            cluster,
            "delete",
            "--ignore-not-found",
            "--wait=true",
            "--timeout=120s",
            "-f",
            REPO.resolve(sample).toString());
      }
    }
    // Deleting the workloads deletes their groups, before the VirtualNode's cleanup could.
    awaitGroups(Set.of());
    kubectl(cluster, "delete", "-f", pointed.toString(), "--wait=true", "--timeout=120s");
    assertThat(operator.isAlive()).as("operator process, log: %s", operatorLog).isTrue();
  }

  @Test
  void theServiceAccountMayDoWhatLeaderElectionDoes(KubernetesCluster cluster) {
    // fabric8's leader elector gets, creates, updates and patches its Lease; a refused renewal
    // makes the operator lose leadership and exit after the renew deadline.
    for (String verb : List.of("get", "create", "update", "patch")) {
      assertThat(
              run(
                      cluster,
                      "auth",
                      "can-i",
                      verb,
                      "leases.coordination.k8s.io/aci-virtual-node-leader",
                      "-n",
                      NAMESPACE,
                      "--as",
                      "system:serviceaccount:" + NAMESPACE + ":aci-virtual-node")
                  .output()
                  .strip())
          .as("may %s its leader-election Lease", verb)
          .isEqualTo("yes");
    }
  }

  @Test
  void everySampleIsAcceptedByTheApiServer(KubernetesCluster cluster) throws IOException {
    try (var samples = Files.list(REPO.resolve("samples"))) {
      for (Path sample : samples.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        assertThat(kubectl(cluster, "apply", "--dry-run=server", "-f", sample.toString()))
            .as(sample.toString())
            .contains("(server dry run)");
      }
    }
  }

  /** Applies samples/virtualnode.yaml pointed at the emulator; returns once its Node is Ready. */
  private static Path applyTheSampleVirtualNode(KubernetesCluster cluster) throws Exception {
    Path pointed = DemoWorkloads.virtualNodePointedAt(REPO, emulator.baseUrl(), work);
    kubectl(cluster, "apply", "-f", pointed.toString());
    awaitOutput(
        cluster,
        "True",
        "get",
        "vnode",
        NODE,
        "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
    awaitOutput(
        cluster,
        "True",
        "get",
        "node",
        NODE,
        "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
    return pointed;
  }

  private static void awaitGroups(Set<String> expected) throws InterruptedException {
    Instant deadline = Instant.now().plus(WORKLOAD_TIMEOUT);
    while (!groups().equals(expected) && Instant.now().isBefore(deadline)) {
      Thread.sleep(1000);
    }
    assertThat(groups()).as("operator log: %s", operatorLog).isEqualTo(expected);
  }

  private static Set<String> groups() {
    return DemoWorkloads.containerGroupNames(emulator);
  }

  private static String testClasspath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null
        ? cp
        : System.getProperty("java.class.path").replace(' ', File.pathSeparatorChar);
  }

  private static void awaitOutput(KubernetesCluster cluster, String expected, String... args)
      throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      last = run(cluster, args).output();
      if (last.trim().equals(expected)) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new AssertionError(
        "kubectl "
            + String.join(" ", args)
            + " kept answering '"
            + last
            + "', not '"
            + expected
            + "'; operator log: "
            + operatorLog);
  }

  private static String kubectl(KubernetesCluster cluster, String... args) {
    Kubectl.Result result = run(cluster, args);
    assertThat(result.exit())
        .as("kubectl %s: %s", String.join(" ", args), result.output())
        .isZero();
    return result.output();
  }

  private static Kubectl.Result run(KubernetesCluster cluster, String... args) {
    return kubectl(cluster).run(args);
  }

  /** The log's last line, once the container has written one (its first comes after a while). */
  private static String lastLogLine(KubernetesCluster cluster, String pod) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String line = kubectl(cluster, "logs", pod, "--tail=1").strip();
    while (line.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(500);
      line = kubectl(cluster, "logs", pod, "--tail=1").strip();
    }
    return line;
  }

  private static Kubectl kubectl(KubernetesCluster cluster) {
    return new Kubectl(ControlPlaneBinaries.binary("kubectl"), cluster.kubeconfigFile());
  }
}
