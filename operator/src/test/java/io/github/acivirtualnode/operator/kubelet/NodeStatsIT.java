package io.github.acivirtualnode.operator.kubelet;

import static io.github.acivirtualnode.operator.kubelet.KubeletCallers.trusting;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.ConfigurationBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.aciemulator.ArmRequestCount;
import io.github.acivirtualnode.api.v1alpha1.AzureCredentials;
import io.github.acivirtualnode.api.v1alpha1.AzureSettings;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeCrd;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeSpec;
import io.github.acivirtualnode.controlplane.ControlPlaneBinaries;
import io.github.acivirtualnode.controlplane.KubernetesCluster;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.operator.VirtualNodeOperator;
import io.github.acivirtualnode.operator.aci.AzureCredentialFactory;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.operator.config.PortRange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node-level kubelet endpoints end to end: two virtual nodes, each on its own port, with pods
 * running in the emulator; {@code kubectl get --raw /api/v1/nodes/<node>/proxy/...} through the
 * real API server shows each node's own pods with the emulator's deterministic figures (CpuUsage =
 * 25 % of the requested CPU, MemoryUsage = 50 % of the requested memory), and repeated scrapes cost
 * a bounded number of Azure Monitor reads, counted by the emulator.
 *
 * <p>The API server refuses to proxy to a loopback Node address, so the Nodes advertise a
 * non-loopback address of this machine.
 */
@ExtendWith(KubernetesClusterExtension.class)
class NodeStatsIT {
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000ee";
  private static final String TENANT = "11111111-1111-1111-1111-111111111111";
  private static final String CLIENT_ID = "22222222-2222-2222-2222-222222222222";
  private static final String SECRET_VALUE = "node-stats-it-secret";
  private static final String RESOURCE_GROUP = "rg-node-stats";
  private static final long TIMEOUT = 240;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** 500m requested: ACI gets 0.5 CPU, Azure Monitor reports 25 % of it, 125 millicores. */
  private static final long NANO_CORES = 125_000_000L;

  /** 1G requested: ACI gets 1.0 GB, Azure Monitor reports half of 2^30 bytes. */
  private static final long WORKING_SET = 536_870_912L;

  private static AciEmulator emulator;
  private static KubernetesClient client;
  private static String namespace;
  private static String address;
  private static KubeletServer kubelet;
  private static VirtualNodeOperator operator;
  private static VirtualNode nodeA;
  private static VirtualNode nodeB;
  private static Path kubeconfig;
  private static HttpClient direct;

  /** Pod name -> its containers, per node. */
  private static final Map<String, List<String>> PODS_A =
      Map.of("a-one", List.of("main"), "a-two", List.of("app", "side"));

  private static final Map<String, List<String>> PODS_B = Map.of("b-one", List.of("main"));

  @BeforeAll
  static void start(KubernetesClient kubernetes, KubernetesCluster cluster) throws Exception {
    client = kubernetes;
    kubeconfig = cluster.kubeconfigFile();
    address = nonLoopbackAddress();
    VirtualNodeCrd.install(client);
    emulator = AciEmulator.builder().requireAuthentication(true).build().start();
    emulator.addResourceGroup(SUBSCRIPTION, RESOURCE_GROUP, "westeurope");
    emulator.addServicePrincipal(TENANT, CLIENT_ID, SECRET_VALUE);
    namespace = "avn-stats-" + UUID.randomUUID().toString().substring(0, 6);
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
                address,
                0,
                emulator.authorityHost(),
                null,
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                2,
                0,
                List.of(emulator.baseUrl()),
                false)
            .withKubelet(OperatorConfig.KubeletSettings.DEFAULTS.withNodePorts(PortRange.ANY));
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
    nodeA = client.resource(virtualNode("it-stats-a")).create();
    nodeB = client.resource(virtualNode("it-stats-b")).create();
    for (VirtualNode vn : List.of(nodeA, nodeB)) {
      client
          .nodes()
          .withName(vn.nodeName())
          .waitUntilCondition(NodeStatsIT::ready, TIMEOUT, TimeUnit.SECONDS);
    }
    List<Pod> pods = new ArrayList<>();
    PODS_A.forEach((name, containers) -> pods.add(createPod(name, nodeA, containers)));
    PODS_B.forEach((name, containers) -> pods.add(createPod(name, nodeB, containers)));
    for (Pod pod : pods) {
      client
          .resource(pod)
          .waitUntilCondition(
              p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()),
              TIMEOUT,
              TimeUnit.SECONDS);
    }
    direct = HttpClient.newBuilder().sslContext(trusting(kubelet.servingCaPem())).build();
    // Azure Monitor has a sample once a container has run at a whole minute: wait (by content,
    // through the API server) until both nodes show every container with figures.
    waitForFigures(nodeA, PODS_A);
    waitForFigures(nodeB, PODS_B);
  }

  @AfterAll
  static void stop() {
    for (VirtualNode vn : new VirtualNode[] {nodeA, nodeB}) {
      if (vn != null) {
        client.resources(VirtualNode.class).withName(vn.getMetadata().getName()).delete();
      }
    }
    for (VirtualNode vn : new VirtualNode[] {nodeA, nodeB}) {
      if (vn != null) {
        client
            .resources(VirtualNode.class)
            .withName(vn.getMetadata().getName())
            .waitUntilCondition(v -> v == null, TIMEOUT, TimeUnit.SECONDS);
      }
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
  void eachNodeAdvertisesAPortOfItsOwn() {
    int a = advertisedPort(nodeA);
    int b = advertisedPort(nodeB);

    assertThat(a).isPositive().isNotEqualTo(kubelet.port());
    assertThat(b).isPositive().isNotEqualTo(kubelet.port()).isNotEqualTo(a);
  }

  @Test
  void theGeneratedServingCertificateNamesEveryNodeAndTheAddress() throws Exception {
    try (javax.net.ssl.SSLSocket socket =
        (javax.net.ssl.SSLSocket)
            trusting(kubelet.servingCaPem())
                .getSocketFactory()
                .createSocket(address, advertisedPort(nodeA))) {
      socket.startHandshake();
      java.security.cert.X509Certificate served =
          (java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0];
      // [2, name] is a DNS name, [7, address] an IP address.
      assertThat(served.getSubjectAlternativeNames())
          .contains(
              List.of(2, nodeA.nodeName()), List.of(2, nodeB.nodeName()), List.of(7, address));
    }
  }

  @Test
  void theStatsSummaryThroughTheApiServerShowsEachNodesOwnPodsWithTheEmulatorsFigures()
      throws Exception {
    for (VirtualNode vn : List.of(nodeA, nodeB)) {
      Map<String, List<String>> expected = vn == nodeA ? PODS_A : PODS_B;
      // metrics-server and kubectl ask with only_cpu_and_memory; the answer is the same.
      JsonNode summary =
          JSON.readTree(
              raw(vn, vn == nodeA ? "/stats/summary" : "/stats/summary?only_cpu_and_memory=true"));

      assertThat(summary.path("node").path("nodeName").asText()).isEqualTo(vn.nodeName());
      Set<String> pods = new TreeSet<>();
      long containers = 0;
      for (JsonNode pod : summary.path("pods")) {
        String name = pod.path("podRef").path("name").asText();
        pods.add(name);
        assertThat(pod.path("podRef").path("namespace").asText()).isEqualTo(namespace);
        assertThat(pod.path("podRef").path("uid").asText())
            .isEqualTo(
                client.pods().inNamespace(namespace).withName(name).get().getMetadata().getUid());
        List<String> names = new ArrayList<>();
        for (JsonNode c : pod.path("containers")) {
          names.add(c.path("name").asText());
          assertThat(c.path("cpu").path("usageNanoCores").asLong()).as(name).isEqualTo(NANO_CORES);
          assertThat(c.path("cpu").path("usageCoreNanoSeconds").asLong()).as(name).isPositive();
          assertThat(c.path("memory").path("workingSetBytes").asLong())
              .as(name)
              .isEqualTo(WORKING_SET);
          assertThat(c.path("startTime").asText()).isNotEmpty();
          containers++;
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected.get(name));
        assertThat(pod.path("cpu").path("usageNanoCores").asLong())
            .isEqualTo(NANO_CORES * names.size());
        assertThat(pod.path("memory").path("workingSetBytes").asLong())
            .isEqualTo(WORKING_SET * names.size());
      }
      assertThat(pods).as(vn.nodeName()).containsExactlyInAnyOrderElementsOf(expected.keySet());
      assertThat(summary.path("node").path("cpu").path("usageNanoCores").asLong())
          .isEqualTo(NANO_CORES * containers);
      assertThat(summary.path("node").path("memory").path("workingSetBytes").asLong())
          .isEqualTo(WORKING_SET * containers);
    }
  }

  @Test
  void theResourceMetricsParseAndTheCpuCounterAdvancesBetweenScrapes() throws Exception {
    Map<String, double[]> first = samples(raw(nodeA, "/metrics/resource"));
    Map<String, double[]> second = first;
    // Two scrapes at different milliseconds (each sample carries the scrape time).
    while (second.get("node_cpu_usage_seconds_total")[1]
        == first.get("node_cpu_usage_seconds_total")[1]) {
      second = samples(raw(nodeA, "/metrics/resource"));
    }

    String a2side = "{container=\"side\",namespace=\"" + namespace + "\",pod=\"a-two\"}";
    assertThat(first)
        .containsKeys(
            "container_cpu_usage_seconds_total" + a2side,
            "container_start_time_seconds" + a2side,
            "pod_cpu_usage_seconds_total{namespace=\"" + namespace + "\",pod=\"a-one\"}",
            "node_memory_working_set_bytes",
            "resource_scrape_error");
    assertThat(first.get("container_memory_working_set_bytes" + a2side)[0]).isEqualTo(WORKING_SET);
    assertThat(first.get("node_memory_working_set_bytes")[0]).isEqualTo(3.0 * WORKING_SET);
    assertThat(first.get("resource_scrape_error")[0]).isZero();
    assertThat(first.keySet().stream().filter(k -> k.startsWith("container_cpu_usage")))
        .hasSize(3)
        .noneMatch(k -> k.contains("b-one"));
    double cpu1 = first.get("node_cpu_usage_seconds_total")[0];
    double cpu2 = second.get("node_cpu_usage_seconds_total")[0];
    assertThat(cpu1).isPositive();
    assertThat(cpu2).isGreaterThan(cpu1);
    assertThat(second.get("node_cpu_usage_seconds_total")[1])
        .isGreaterThan(first.get("node_cpu_usage_seconds_total")[1]);
  }

  @Test
  void podsAndRunningPodsListTheNodesOwnPods() throws Exception {
    for (String path : List.of("/pods", "/runningpods/")) {
      JsonNode list = JSON.readTree(raw(nodeB, path));

      assertThat(list.path("kind").asText()).isEqualTo("PodList");
      List<String> names = new ArrayList<>();
      list.path("items").forEach(p -> names.add(p.path("metadata").path("name").asText()));
      assertThat(names).as(path).containsExactlyInAnyOrderElementsOf(PODS_B.keySet());
    }
  }

  @Test
  void theMainPortSaysWhichPortServesWhichNode() throws Exception {
    HttpResponse<String> answer =
        get(kubelet.port(), "/stats/summary", tokenOf(serviceAccount("stats-reader", true)));

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(answer.body())
        .contains("each virtual Node serves it on its own port")
        .contains(nodeA.nodeName() + " on " + advertisedPort(nodeA))
        .contains(nodeB.nodeName() + " on " + advertisedPort(nodeB));
  }

  @Test
  void aTokenWithoutNodesStatsIsRefusedAndOneWithItServed() throws Exception {
    String proxyOnly = tokenOf(serviceAccount("proxy-only", false));
    String reader = tokenOf(serviceAccount("stats-reader", true));
    int port = advertisedPort(nodeA);

    HttpResponse<String> refused = get(port, "/stats/summary", proxyOnly);
    HttpResponse<String> anonymous = get(port, "/metrics/resource", null);
    HttpResponse<String> served = get(port, "/stats/summary", reader);

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("stats").contains(nodeA.nodeName());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(served.body()).path("node").path("nodeName").asText())
        .isEqualTo(nodeA.nodeName());
  }

  @Test
  void podLevelEndpointsStillWorkOnANodesOwnPort() throws Exception {
    HttpResponse<String> answer =
        get(
            advertisedPort(nodeB),
            "/containerLogs/" + namespace + "/b-one/main",
            tokenOf(serviceAccount("stats-reader", true)));

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("heartbeat");
  }

  @Test
  void repeatedScrapesCostABoundedNumberOfAzureMonitorReads() throws Exception {
    int groups = PODS_A.size() + PODS_B.size();
    long before = metricsReads();
    long start = System.nanoTime();
    int scrapes = 10;
    for (int i = 0; i < scrapes; i++) {
      raw(i % 2 == 0 ? nodeA : nodeB, i % 4 < 2 ? "/metrics/resource" : "/stats/summary");
    }
    long minutes = (long) Math.ceil((System.nanoTime() - start) / 60e9);
    long reads = metricsReads() - before;

    // Each group at most once per minute begun, whatever the number of scrapes (without the
    // cache: one read per pod per scrape, 5 * 3 here at least).
    assertThat(reads).isLessThanOrEqualTo(groups * (minutes + 1));
  }

  private static long metricsReads() {
    return emulator.armRequests().stream()
        .filter(r -> r.operation().equals("Metrics_List"))
        .mapToLong(ArmRequestCount::count)
        .sum();
  }

  /** Sample name with labels -> {value, timestamp in ms}. */
  private static Map<String, double[]> samples(String text) {
    Pattern sample = Pattern.compile("([a-z_]+(?:\\{[^}]*\\})?) ([0-9.eE+-]+) (\\d+)");
    Map<String, double[]> out = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      Matcher m = sample.matcher(line);
      assertThat(m.matches()).as("a Prometheus sample with a timestamp: %s", line).isTrue();
      out.put(
          m.group(1),
          new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
    }
    return out;
  }

  private static void waitForFigures(VirtualNode vn, Map<String, List<String>> expected)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT);
    Predicate<JsonNode> complete =
        s -> {
          int containers = 0;
          for (JsonNode pod : s.path("pods")) {
            containers += pod.path("containers").size();
          }
          return containers == expected.values().stream().mapToInt(List::size).sum();
        };
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = summary(vn);
      if (complete.test(last)) {
        return;
      }
      Thread.sleep(2000);
    }
    throw new AssertionError(
        "no figures for every container of " + vn.nodeName() + " in " + TIMEOUT + " s: " + last);
  }

  private static JsonNode summary(VirtualNode vn) throws Exception {
    return JSON.readTree(raw(vn, "/stats/summary"));
  }

  /** {@code kubectl get --raw} through the API server's node proxy. */
  private static String raw(VirtualNode vn, String path) throws Exception {
    Process process =
        new ProcessBuilder(
                ControlPlaneBinaries.binary("kubectl").toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "get",
                "--raw",
                "/api/v1/nodes/" + vn.nodeName() + "/proxy" + path)
            .start();
    var err =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(TIMEOUT, TimeUnit.SECONDS)).as("kubectl ended").isTrue();
    assertThat(process.exitValue()).as("kubectl get --raw %s: %s", path, err.get()).isZero();
    return out;
  }

  private static int advertisedPort(VirtualNode vn) {
    Node node = client.nodes().withName(vn.nodeName()).get();
    return node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
  }

  private static boolean ready(Node n) {
    return n != null
        && n.getStatus() != null
        && n.getStatus().getConditions() != null
        && n.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Pod createPod(String name, VirtualNode vn, List<String> containers) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withNewSpec()
            .withNodeName(vn.nodeName())
            .addNewToleration()
            .withKey("virtual-kubelet.io/provider")
            .withOperator("Exists")
            .endToleration()
            .endSpec();
    for (String container : containers) {
      pod.editSpec()
          .addNewContainer()
          .withName(container)
          .withImage("busybox:1.36")
          .withNewResources()
          .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("1G")))
          .endResources()
          .endContainer()
          .endSpec();
    }
    return client.resource(pod.build()).create();
  }

  private static HttpResponse<String> get(int port, String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("https://" + address + ":" + port + path))
            .timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return direct.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String serviceAccount(String name, boolean reads) {
    return KubeletCallers.serviceAccount(
        client,
        namespace,
        name,
        reads ? List.of("nodes/stats", "nodes/metrics", "nodes/proxy") : List.of("nodes/proxy"),
        List.of("get"));
  }

  private static String tokenOf(String serviceAccount) {
    return KubeletCallers.tokenOf(client, namespace, serviceAccount);
  }

  /**
   * An IPv4 address of this machine that is not loopback: the API server proxies to no loopback or
   * link-local Node address.
   */
  private static String nonLoopbackAddress() throws Exception {
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : nic.inetAddresses().toList()) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          return a.getHostAddress();
        }
      }
    }
    throw new AssertionError(
        "this machine has no non-loopback IPv4 address: the API server proxies node requests"
            + " (kubectl get --raw /api/v1/nodes/NODE/proxy/...) to no loopback address, so this"
            + " test needs one (any interface that is up)");
  }

  private static VirtualNode virtualNode(String prefix) {
    VirtualNode vn = new VirtualNode();
    vn.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(prefix + "-" + UUID.randomUUID().toString().substring(0, 6))
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
