package io.github.acivirtualnode.operator.pod;

import com.azure.core.util.ConfigurationBuilder;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import com.azure.resourcemanager.containerinstance.models.ResourceRequests;
import com.azure.resourcemanager.containerinstance.models.ResourceRequirements;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeCrd;
import io.github.acivirtualnode.operator.TestVirtualNodes;
import io.github.acivirtualnode.operator.VirtualNodeOperator;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AzureCredentialFactory;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * What the pod ITs share: the ACI emulator, the operator's namespace and credentials, the whole
 * operator in this JVM (restartable), one VirtualNode, and the waits and counts the tests use.
 * Waits are watches or bounded polls on conditions, never sleeps that a test depends on.
 */
final class PodFixture implements AutoCloseable {
  static final String TENANT = "11111111-1111-1111-1111-111111111111";
  static final String CLIENT_ID = "22222222-2222-2222-2222-222222222222";
  static final String SECRET_VALUE = "pod-lifecycle-it-secret";
  static final String RESOURCE_GROUP = "rg-pods";
  static final long TIMEOUT = 180;

  /** The pod settings of the operator under test: brisk, so that tests are short. */
  static final OperatorConfig.PodSettings POD_SETTINGS =
      new OperatorConfig.PodSettings(
          2,
          Duration.ofSeconds(1),
          Duration.ofSeconds(60),
          Duration.ofSeconds(10),
          Duration.ofSeconds(5));

  private final OperatorConfig.PodSettings podSettings;
  final KubernetesClient client;
  final AciEmulator emulator;
  final String subscription;
  final String operatorNamespace;
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  final AciBackend aci;
  private VirtualNodeOperator operator;
  private VirtualNode node;

  /**
   * Starts the emulator (creates and deletes budgeted per subscription and 5 minutes), the
   * operator, and a VirtualNode in {@code subscription}, Ready.
   */
  static PodFixture start(KubernetesClient client, String subscription, int createBudget) {
    return start(client, subscription, createBudget, Duration.ofMinutes(5));
  }

  /** As {@link #start(KubernetesClient, String, int)}, with a shorter budget window. */
  static PodFixture start(
      KubernetesClient client, String subscription, int createBudget, Duration budgetWindow) {
    return start(client, subscription, createBudget, budgetWindow, POD_SETTINGS);
  }

  /** As {@link #start(KubernetesClient, String, int, Duration)}, with other pod settings. */
  static PodFixture start(
      KubernetesClient client,
      String subscription,
      int createBudget,
      Duration budgetWindow,
      OperatorConfig.PodSettings podSettings) {
    VirtualNodeCrd.install(client);
    AciEmulator emulator =
        AciEmulator.builder()
            .requireAuthentication(true)
            .budgetWindow(budgetWindow)
            .createBudget(createBudget, Math.max(createBudget, 300))
            .build()
            .start();
    return new PodFixture(client, emulator, subscription, podSettings);
  }

  private PodFixture(
      KubernetesClient client,
      AciEmulator emulator,
      String subscription,
      OperatorConfig.PodSettings podSettings) {
    this.podSettings = podSettings;
    this.client = client;
    this.emulator = emulator;
    this.subscription = subscription;
    emulator.addResourceGroup(subscription, RESOURCE_GROUP, "westeurope");
    emulator.addServicePrincipal(TENANT, CLIENT_ID, SECRET_VALUE);
    operatorNamespace = "avn-pods-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(operatorNamespace)
                .endMetadata()
                .build())
        .create();
    client
        .secrets()
        .inNamespace(operatorNamespace)
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
    operator = newOperator().start();
    aci = backend(subscription);
    node = client.resource(virtualNode("pods", subscription)).create();
    awaitReady(node);
  }

  VirtualNode node() {
    return node;
  }

  private VirtualNodeOperator newOperator() {
    OperatorConfig config =
        new OperatorConfig(
                operatorNamespace,
                "127.0.0.1",
                10250,
                emulator.authorityHost(),
                null,
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                2,
                0,
                List.of(emulator.baseUrl()),
                false)
            .withPods(podSettings);
    return new VirtualNodeOperator(
        client, config, emulator.sslContext(), new ConfigurationBuilder().build(), metrics);
  }

  /** The operator's {@code /healthz} answer. */
  io.github.acivirtualnode.operator.health.HealthReport liveness() {
    return operator.liveness();
  }

  /** The operator stops (all it knew in memory goes with it) and a new one starts. */
  void restartOperator() {
    operator.close();
    operator = newOperator().start();
  }

  @Override
  public void close() {
    // What the ARM calls were, for a reader of the test log: each count is explained by the pods.
    metrics.find("aci.arm.calls").counters().stream()
        .map(
            c -> c.getId().getTag("operation") + " " + c.getId().getTag("status") + " " + c.count())
        .sorted()
        .forEach(line -> System.out.println("ARM calls: " + line));
    if (node != null) {
      deleteAndAwaitGone(node);
    }
    if (operator != null) {
      operator.close();
    }
    emulator.close();
  }

  // --- pods ---

  /** A pod bound to the fixture's node, as the scheduler would bind it. */
  Pod pod(String name, String namespace) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
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
        .withCommand("sleep", "3600")
        .endContainer()
        .endSpec()
        .build();
  }

  static boolean running(Pod p) {
    return p != null
        && p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())
        && p.getStatus().getContainerStatuses() != null
        && !p.getStatus().getContainerStatuses().isEmpty()
        && p.getStatus().getContainerStatuses().get(0).getState().getRunning() != null;
  }

  Pod awaitPod(Pod pod, Predicate<Pod> condition) {
    return client
        .resource(pod)
        .waitUntilCondition(
            p -> p != null && p.getStatus() != null && condition.test(p),
            TIMEOUT,
            TimeUnit.SECONDS);
  }

  void deleteAndAwaitGone(Pod pod) {
    client.resource(pod).delete();
    client.resource(pod).waitUntilCondition(p -> p == null, TIMEOUT, TimeUnit.SECONDS);
  }

  /** Every phase the pod is seen in, from now on. */
  Watch watchPhases(Pod pod, List<String> phases) {
    return client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Pod p) {
                if (p.getStatus() != null && p.getStatus().getPhase() != null) {
                  phases.add(p.getStatus().getPhase());
                }
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  // --- ACI ---

  /** The groups in the emulator tagged for the pod UID (read with the test's own backend). */
  List<ContainerGroupInner> groupsOf(String podUid) {
    return aci.list().stream()
        .filter(g -> g.tags() != null && podUid.equals(g.tags().get(GroupNaming.POD_UID)))
        .toList();
  }

  /** The operator's ARM calls of that operation, whatever their answer. */
  double calls(String operation) {
    return metrics.find("aci.arm.calls").tag("operation", operation).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  /** The operator's ARM calls of that operation that ARM answered with that status. */
  double calls(String operation, String status) {
    return metrics
        .find("aci.arm.calls")
        .tag("operation", operation)
        .tag("status", status)
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  static ContainerGroupInner group(Map<String, String> tags) {
    return new ContainerGroupInner()
        .withLocation("westeurope")
        .withOsType(OperatingSystemTypes.LINUX)
        .withTags(tags)
        .withContainers(
            List.of(
                new Container()
                    .withName("main")
                    .withImage("busybox")
                    .withResources(
                        new ResourceRequirements()
                            .withRequests(
                                new ResourceRequests().withCpu(1.0).withMemoryInGB(1.5)))));
  }

  // --- virtual nodes ---

  VirtualNode virtualNode(String prefix, String subscription) {
    return TestVirtualNodes.withSecretRef(
        "it-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 6),
        subscription,
        RESOURCE_GROUP,
        emulator.baseUrl(),
        "aci-credentials");
  }

  AciBackend backend(String subscription) {
    VirtualNode vn = virtualNode("backend", subscription);
    return TestVirtualNodes.emulatorBackend(
        emulator, vn.getSpec().getAzure(), TENANT, CLIENT_ID, SECRET_VALUE);
  }

  String clusterId() {
    return client.namespaces().withName("kube-system").get().getMetadata().getUid();
  }

  void awaitReady(VirtualNode vn) {
    client
        .nodes()
        .withName(vn.nodeName())
        .waitUntilCondition(
            n ->
                n != null
                    && n.getStatus() != null
                    && n.getStatus().getConditions() != null
                    && n.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())),
            TIMEOUT,
            TimeUnit.SECONDS);
  }

  void deleteAndAwaitGone(VirtualNode vn) {
    client.resources(VirtualNode.class).withName(vn.getMetadata().getName()).delete();
    client
        .resources(VirtualNode.class)
        .withName(vn.getMetadata().getName())
        .waitUntilCondition(v -> v == null, TIMEOUT, TimeUnit.SECONDS);
  }

  /** Bounded polling, for what no watch shows (ARM state, counters). */
  static void awaitTrue(String what, BooleanSupplier condition) {
    awaitTrue(what, TIMEOUT, condition);
  }

  static void awaitTrue(String what, long timeoutSeconds, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
