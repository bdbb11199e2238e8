package io.github.acivirtualnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.ConfigurationBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.api.v1alpha1.AzureCredentials;
import io.github.acivirtualnode.api.v1alpha1.AzureSettings;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeCrd;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeSpec;
import io.github.acivirtualnode.controlplane.ControlPlaneBinaries;
import io.github.acivirtualnode.controlplane.KubernetesCluster;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.controlplane.LocalControlPlane;
import io.github.acivirtualnode.operator.VirtualNodeOperator;
import io.github.acivirtualnode.operator.aci.AzureCredentialFactory;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.operator.config.PortRange;
import io.github.acivirtualnode.operator.kubelet.KubeletServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kubectl top} on a virtual node, as on any node: a real metrics-server (built from its Go
 * module, {@link MetricsServer}) registered with the real API server's aggregation layer scrapes
 * the operator's kubelet endpoint of the virtual node (verifying its serving certificate), whose
 * figures come from the ACI emulator's container-group metrics. The operator runs in this JVM, as
 * in the operator's kubelet API test.
 */
@ExtendWith(KubernetesClusterExtension.class)
class KubectlTopIT {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000e7";
  private static final String TENANT = "11111111-1111-1111-1111-111111111111";
  private static final String CLIENT_ID = "22222222-2222-2222-2222-222222222222";
  private static final String SECRET_VALUE = "kubectl-top-it-secret";
  private static final String RESOURCE_GROUP = "rg-kubectl-top";
  private static final long TIMEOUT = 180;
  private static final Duration AWAIT = Duration.ofMinutes(4);

  private static AciEmulator emulator;
  private static KubernetesClient client;
  private static String namespace;
  private static KubeletServer kubelet;
  private static VirtualNodeOperator operator;
  private static VirtualNode node;
  private static MetricsServer metricsServer;
  private static Kubectl kubectl;

  @BeforeAll
  static void start(KubernetesClient kubernetes, KubernetesCluster cluster) throws Exception {
    if (!(cluster instanceof LocalControlPlane plane)) {
      throw new IllegalStateException(
          "KubectlTopIT runs metrics-server against the local control plane, whose CA issues its"
              + " certificates; this JVM's cluster is "
              + cluster.getClass().getSimpleName()
              + " (AVN_CLUSTER=local runs the local one)");
    }
    client = kubernetes;
    kubectl = new Kubectl(ControlPlaneBinaries.binary("kubectl"), cluster.kubeconfigFile());
    VirtualNodeCrd.install(client);
    emulator = AciEmulator.builder().requireAuthentication(true).build().start();
    emulator.addResourceGroup(SUBSCRIPTION, RESOURCE_GROUP, "westeurope");
    emulator.addServicePrincipal(TENANT, CLIENT_ID, SECRET_VALUE);
    namespace = "avn-top-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("aci-credentials")
                .endMetadata()
                .addToStringData(
                    Map.of(
                        AzureCredentialFactory.TENANT_ID, TENANT,
                        AzureCredentialFactory.CLIENT_ID, CLIENT_ID,
                        AzureCredentialFactory.CLIENT_SECRET, SECRET_VALUE))
                .build())
        .create();
    OperatorConfig config =
        new OperatorConfig(
            namespace,
            "127.0.0.1",
            0,
            emulator.authorityHost(),
            null,
            Duration.ofSeconds(5),
            Duration.ofSeconds(2),
            2,
            0,
            List.of(emulator.baseUrl()),
            false);
    // Any free port for the virtual node's own kubelet endpoint, which metrics-server scrapes.
    config =
        config.withKubelet(OperatorConfig.KubeletSettings.DEFAULTS.withNodePorts(PortRange.ANY));
    kubelet = KubeletServer.start(client, config, emulator.sslContext());
    operator =
        new VirtualNodeOperator(
                client,
                config.withKubeletPort(kubelet.port()),
                emulator.sslContext(),
                new ConfigurationBuilder().build(),
                new SimpleMeterRegistry(),
                null,
                kubelet.nodePorts())
            .start();
    kubelet.serve(operator::backendOfNode);
    node = client.resource(virtualNode()).create();
    client
        .nodes()
        .withName(node.nodeName())
        .waitUntilCondition(
            n ->
                n != null
                    && n.getStatus() != null
                    && n.getStatus().getConditions() != null
                    && n.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())),
            TIMEOUT,
            TimeUnit.SECONDS);
    Pod pod = client.resource(workload()).create();
    client
        .resource(pod)
        .waitUntilCondition(
            p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()),
            TIMEOUT,
            TimeUnit.SECONDS);
    metricsServer =
        MetricsServer.start(
            REPO,
            plane,
            client,
            kubelet.servingCaPem(),
            Duration.ofSeconds(15),
            Files.createTempDirectory("avn-metrics-server"));
    System.err.println("[KubectlTopIT] metrics-server log: " + metricsServer.log());
    metricsServer.awaitAvailable(Duration.ofMinutes(3));
  }

  @AfterAll
  static void stop() {
    if (metricsServer != null) {
      metricsServer.close();
    }
    if (node != null) {
      client.resources(VirtualNode.class).withName(node.getMetadata().getName()).delete();
      client
          .resources(VirtualNode.class)
          .withName(node.getMetadata().getName())
          .waitUntilCondition(v -> v == null, TIMEOUT, TimeUnit.SECONDS);
    }
    if (operator != null) {
      operator.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void theApiServerServesTheMetricsApiThroughMetricsServer() {
    // Discovery of an aggregated group is answered by metrics-server itself, and a list goes
    // through the front proxy (the admin's identity in X-Remote-User) and metrics-server's
    // delegated authentication and authorization.
    String discovery = kubectl.ok("get", "--raw", "/apis/metrics.k8s.io/v1beta1");
    String pods =
        kubectl.ok(
            "get", "--raw", "/apis/metrics.k8s.io/v1beta1/namespaces/" + namespace + "/pods");

    assertThat(discovery).contains("\"name\":\"pods\"").contains("\"name\":\"nodes\"");
    assertThat(pods).contains("\"kind\":\"PodMetricsList\"");
  }

  @Test
  void metricsServerScrapesTheVirtualNode() {
    // Its own Node informer found the virtual node and it dialled the Node's address and port.
    String scraping = "\"Scraping node\" node=\"" + node.nodeName() + "\"";
    await(
        "metrics-server to scrape " + node.nodeName(),
        () -> metricsServer.logText().contains(scraping) ? "" : null);
  }

  @Test
  void kubectlTopPodShowsTheEmulatorsFiguresPerContainerAndForThePod() {
    // The emulator's ContainerGroupMetrics: a running container uses a quarter of the CPU and half
    // of the memory it requested (memoryInGB counted in GiB). main asks 1 CPU and 2 GB, side 500m
    // and 1 GB.
    List<List<String>> perContainer =
        List.of(
            List.of("worker", "main", "250m", "1024Mi"),
            List.of("worker", "side", "125m", "512Mi"));
    List<List<String>> perPod = List.of(List.of("worker", "375m", "1536Mi"));

    assertThat(awaitRows(perContainer, "top", "pod", "worker", "-n", namespace, "--containers"))
        .containsExactlyInAnyOrderElementsOf(perContainer);
    assertThat(awaitRows(perPod, "top", "pod", "worker", "-n", namespace))
        .containsExactlyElementsOf(perPod);
  }

  @Test
  void kubectlTopNodeShowsTheVirtualNodesFigures() {
    // The node's usage is its pods' (it runs only worker), against its default capacity of 100
    // CPUs and 400Gi: under 1 % of either.
    List<List<String>> row = List.of(List.of(node.nodeName(), "375m", "0%", "1536Mi", "0%"));

    assertThat(awaitRows(row, "top", "node", node.nodeName())).containsExactlyElementsOf(row);
  }

  /**
   * Runs kubectl until its rows are {@code expected} (in any order), or fails with its last answer:
   * metrics-server has a pod's figures once it has scraped it twice (a CPU rate needs two samples),
   * and the emulator's first sample of a container is at the first full minute it runs.
   */
  private static List<List<String>> awaitRows(List<List<String>> expected, String... args) {
    Kubectl.Result[] last = new Kubectl.Result[1];
    try {
      return await(
          "kubectl " + String.join(" ", args) + " to show " + expected,
          () -> {
            last[0] = kubectl.run(withoutHeaders(args));
            List<List<String>> rows = rows(last[0].output());
            return last[0].exit() == 0
                    && rows.size() == expected.size()
                    && rows.containsAll(expected)
                ? rows
                : null;
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nkubectl's last answer: " + last[0], e);
    }
  }

  private static String[] withoutHeaders(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 1);
    all[args.length] = "--no-headers";
    return all;
  }

  private static List<List<String>> rows(String output) {
    return output.strip().lines().map(l -> List.of(l.strip().split("\\s+"))).toList();
  }

  private static <T> T await(String what, Supplier<T> attempt) {
    Instant deadline = Instant.now().plus(AWAIT);
    while (true) {
      T result = attempt.get();
      if (result != null) {
        return result;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "timed out after "
                + AWAIT
                + " waiting for "
                + what
                + "; metrics-server's log ("
                + metricsServer.log()
                + ") ends with:\n"
                + metricsServer.tail());
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  private static Pod workload() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("worker")
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node.nodeName())
        .addNewToleration()
        .withKey("virtual-kubelet.io/provider")
        .withOperator("Exists")
        .endToleration()
        .addNewContainer()
        .withName("main")
        .withImage("busybox:1.36")
        .withCommand("sh", "-c", "sleep 3600")
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("1"), "memory", new Quantity("2G")))
        .endResources()
        .endContainer()
        .addNewContainer()
        .withName("side")
        .withImage("busybox:1.36")
        .withCommand("sh", "-c", "sleep 3600")
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("1G")))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  private static VirtualNode virtualNode() {
    VirtualNode vn = new VirtualNode();
    vn.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("it-top-" + UUID.randomUUID().toString().substring(0, 6))
            .build());
    AzureSettings azure = new AzureSettings();
    azure.setSubscriptionId(SUBSCRIPTION);
    azure.setResourceGroup(RESOURCE_GROUP);
    azure.setRegion("westeurope");
    azure.setEndpoint(emulator.baseUrl());
    AzureCredentials credentials = new AzureCredentials();
    AzureCredentials.SecretReference ref = new AzureCredentials.SecretReference();
    ref.setName("aci-credentials");
    credentials.setSecretRef(ref);
    azure.setCredentials(credentials);
    VirtualNodeSpec spec = new VirtualNodeSpec();
    spec.setAzure(azure);
    vn.setSpec(spec);
    return vn;
  }
}
