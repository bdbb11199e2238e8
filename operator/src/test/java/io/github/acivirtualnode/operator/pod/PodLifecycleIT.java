package io.github.acivirtualnode.operator.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.ConfigurationBuilder;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupRestartPolicy;
import com.azure.resourcemanager.containerinstance.models.EnvironmentVariable;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import com.azure.resourcemanager.containerinstance.models.ResourceRequests;
import com.azure.resourcemanager.containerinstance.models.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.api.v1alpha1.AzureCredentials;
import io.github.acivirtualnode.api.v1alpha1.AzureSettings;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeCrd;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeSpec;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.controlplane.TestNamespace;
import io.github.acivirtualnode.operator.VirtualNodeOperator;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciBackendFactory;
import io.github.acivirtualnode.operator.aci.AzureCredentialFactory;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.operator.node.ContainerGroupTags;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import io.github.acivirtualnode.operator.translation.PodStatusTranslator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pod lifecycle with the whole operator in this JVM, against the real local control plane and
 * the ACI emulator: pods bound to a virtual node become container groups, their status comes back,
 * deletion cleans up, and the ARM calls add up. Waits are watches or bounded polls, never sleeps
 * that a test depends on; no timing is asserted.
 */
@ExtendWith(KubernetesClusterExtension.class)
class PodLifecycleIT {
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000cc";

  /** Its own subscription, so that its throttling touches no other test. */
  private static final String BURST_SUBSCRIPTION = "00000000-0000-0000-0000-0000000000cd";

  private static final String TENANT = "11111111-1111-1111-1111-111111111111";
  private static final String CLIENT_ID = "22222222-2222-2222-2222-222222222222";
  private static final String SECRET_VALUE = "pod-lifecycle-it-secret";
  private static final String RESOURCE_GROUP = "rg-pods";

  /** Creates per subscription and 5 minutes: the other tests stay below it, the burst above. */
  private static final int CREATE_BUDGET = 8;

  private static final long TIMEOUT = 180;

  private static AciEmulator emulator;
  private static KubernetesClient client;
  private static String operatorNamespace;
  private static VirtualNodeOperator operator;
  private static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();
  private static VirtualNode node;
  private static AciBackend aci;

  @BeforeAll
  static void start(KubernetesClient kubernetes) {
    client = kubernetes;
    VirtualNodeCrd.install(client);
    emulator =
        AciEmulator.builder()
            .requireAuthentication(true)
            .createBudget(CREATE_BUDGET, 100)
            .build()
            .start();
    emulator.addResourceGroup(SUBSCRIPTION, RESOURCE_GROUP, "westeurope");
    emulator.addResourceGroup(BURST_SUBSCRIPTION, RESOURCE_GROUP, "westeurope");
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
    aci = backend(SUBSCRIPTION);
    node = client.resource(virtualNode("pods", SUBSCRIPTION)).create();
    awaitReady(node);
  }

  @AfterAll
  static void stop() {
    // What the ARM calls were, for a reader of the test log: each count is explained by the pods.
    METRICS.find("aci.arm.calls").counters().stream()
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
    if (emulator != null) {
      emulator.close();
    }
  }

  private static VirtualNodeOperator newOperator() {
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
            .withPods(
                new OperatorConfig.PodSettings(
                    2,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(5)));
    return new VirtualNodeOperator(
        client, config, emulator.sslContext(), new ConfigurationBuilder().build(), METRICS);
  }

  @Test
  void aPodRunsAsAContainerGroupMadeFromItsSpecAndGoesWithItsGroup(TestNamespace ns) {
    client
        .secrets()
        .inNamespace(ns.name())
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("db")
                .endMetadata()
                .addToStringData("password", "hunter2")
                .build())
        .create();
    Pod pod =
        new PodBuilder(pod("web", ns.name()))
            .editSpec()
            .editFirstContainer()
            .withCommand("sh", "-c")
            .withArgs("echo hello; sleep 3600")
            .addNewEnv()
            .withName("GREETING")
            .withValue("hi")
            .endEnv()
            .addNewEnv()
            .withName("DB_PASSWORD")
            .withNewValueFrom()
            .withNewSecretKeyRef("password", "db", false)
            .endValueFrom()
            .endEnv()
            .addNewPort()
            .withContainerPort(8080)
            .withProtocol("TCP")
            .endPort()
            .withNewResources()
            .addToRequests("cpu", new Quantity("250m"))
            .addToRequests("memory", new Quantity("512Mi"))
            .endResources()
            .endContainer()
            .withRestartPolicy("OnFailure")
            .endSpec()
            .build();
    pod = client.resource(pod).create();
    Pod running = awaitPod(pod, PodLifecycleIT::running);

    ContainerStatus status = running.getStatus().getContainerStatuses().get(0);
    assertThat(status.getName()).isEqualTo("main");
    assertThat(status.getState().getRunning()).isNotNull();
    assertThat(status.getImage()).isEqualTo("busybox:1.36");
    assertThat(running.getStatus().getHostIP()).isEqualTo("127.0.0.1");
    assertThat(running.getStatus().getPodIP()).isNotBlank();
    assertThat(running.getStatus().getStartTime()).isNotBlank();
    assertThat(running.getStatus().getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus())
        .contains("PodScheduled=True", "Initialized=True");

    String name = GroupNaming.groupName(running);
    ContainerGroupInner group = aci.get(name).orElseThrow();
    assertThat(group.location()).isEqualTo("westeurope");
    assertThat(group.osType()).isEqualTo(OperatingSystemTypes.LINUX);
    assertThat(group.restartPolicy()).isEqualTo(ContainerGroupRestartPolicy.ON_FAILURE);
    assertThat(group.tags())
        .containsEntry(ContainerGroupTags.CLUSTER, clusterId())
        .containsEntry(ContainerGroupTags.NODE, node.nodeName())
        .containsEntry(GroupNaming.POD_NAMESPACE, ns.name())
        .containsEntry(GroupNaming.POD_NAME, "web")
        .containsEntry(GroupNaming.POD_UID, running.getMetadata().getUid());
    assertThat(group.containers()).hasSize(1);
    Container c = group.containers().get(0);
    assertThat(c.name()).isEqualTo("main");
    assertThat(c.image()).isEqualTo("busybox:1.36");
    assertThat(c.command()).containsExactly("sh", "-c", "echo hello; sleep 3600");
    assertThat(c.ports()).extracting(p -> p.port()).containsExactly(8080);
    ResourceRequests requests = c.resources().requests();
    assertThat(requests.cpu()).isEqualTo(0.25);
    assertThat(requests.memoryInGB()).isEqualTo(0.6); // 512 MiB rounded up to tenths of a GB
    Map<String, EnvironmentVariable> env = new HashMap<>();
    c.environmentVariables().forEach(e -> env.put(e.name(), e));
    assertThat(env.get("GREETING").value()).isEqualTo("hi");
    // A secret goes as a secureValue, which ARM never answers with.
    assertThat(env.get("DB_PASSWORD")).isNotNull();
    assertThat(env.get("DB_PASSWORD").value()).isNull();
    assertThat(group.ipAddress().ports()).extracting(p -> p.port()).containsExactly(8080);

    client.resource(running).delete(); // the default grace period
    client.resource(running).waitUntilCondition(p -> p == null, TIMEOUT, TimeUnit.SECONDS);
    awaitTrue("the group is gone", () -> aci.get(name).isEmpty());
  }

  @Test
  void aGroupDeletedOutOfBandFailsItsPod(TestNamespace ns) {
    Pod pod = client.resource(pod("vanishing", ns.name())).create();
    pod = awaitPod(pod, PodLifecycleIT::running);
    String name = GroupNaming.groupName(pod);
    assertThat(emulator.vanish(SUBSCRIPTION, RESOURCE_GROUP, name)).isTrue();

    Pod failed = awaitPod(pod, p -> "Failed".equals(p.getStatus().getPhase()));
    assertThat(failed.getStatus().getReason()).isEqualTo(PodStatusTranslator.GROUP_VANISHED);
    assertThat(failed.getStatus().getMessage()).contains(name);
    assertThat(aci.get(name)).as("not created again").isEmpty();

    client.resource(failed).delete();
    client.resource(failed).waitUntilCondition(p -> p == null, TIMEOUT, TimeUnit.SECONDS);
  }

  @Test
  void aPodThatAciCannotRunFailsOnceWithAnEventAndNoGroup(TestNamespace ns) {
    Pod pod =
        new PodBuilder(pod("hostnet", ns.name()))
            .editSpec()
            .withHostNetwork(true)
            .endSpec()
            .build();
    pod = client.resource(pod).create();
    Pod failed = awaitPod(pod, p -> "Failed".equals(p.getStatus().getPhase()));
    assertThat(failed.getStatus().getReason()).isEqualTo(PodStatusTranslator.PROVIDER_FAILED);
    assertThat(failed.getStatus().getMessage()).contains("spec.hostNetwork");
    String uid = failed.getMetadata().getUid();
    awaitTrue(
        "a Warning event on the pod",
        () ->
            client.v1().events().inNamespace(ns.name()).list().getItems().stream()
                .anyMatch(
                    e ->
                        uid.equals(e.getInvolvedObject().getUid())
                            && PodStatusTranslator.PROVIDER_FAILED.equals(e.getReason())
                            && "Warning".equals(e.getType())));
    assertThat(aci.get(GroupNaming.groupName(failed))).isEmpty();
    client.resource(failed).delete();
    client.resource(failed).waitUntilCondition(p -> p == null, TIMEOUT, TimeUnit.SECONDS);
  }

  @Test
  void nPodsThroughTheirWholeLifeCostExactlyNPutsAndNDeletes(TestNamespace ns) {
    int n = 3;
    double putsBefore = calls("put:containerGroup");
    double deletesBefore = calls("delete:containerGroup");
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pods.add(client.resource(pod("counted-" + i, ns.name())).create());
    }
    for (Pod p : pods) {
      awaitPod(p, PodLifecycleIT::running);
    }
    for (Pod p : pods) {
      client.resource(p).delete();
    }
    for (Pod p : pods) {
      client.resource(p).waitUntilCondition(x -> x == null, TIMEOUT, TimeUnit.SECONDS);
    }
    assertThat(calls("put:containerGroup") - putsBefore).isEqualTo(n);
    assertThat(calls("delete:containerGroup") - deletesBefore).isEqualTo(n);
  }

  @Test
  void aRestartedOperatorAdoptsRunningGroupsWithoutACreateOrAStatusRegression(TestNamespace ns)
      throws Exception {
    Pod pod = client.resource(pod("survivor", ns.name())).create();
    pod = awaitPod(pod, PodLifecycleIT::running);
    String name = GroupNaming.groupName(pod);
    double putsBefore = calls("put:containerGroup");
    List<String> phases = new CopyOnWriteArrayList<>();
    Watch watch = watchPhases(pod, phases);
    try {
      operator.close();
      operator = newOperator().start();
      // The new operator observes the adopted group: a container restart shows in the pod.
      assertThat(emulator.killContainer(SUBSCRIPTION, RESOURCE_GROUP, name, "main", 1)).isTrue();
      awaitPod(
          pod,
          p ->
              running(p)
                  && p.getStatus().getContainerStatuses().get(0).getRestartCount() != null
                  && p.getStatus().getContainerStatuses().get(0).getRestartCount() >= 1);
    } finally {
      watch.close();
    }
    assertThat(calls("put:containerGroup") - putsBefore).as("no create after the restart").isZero();
    assertThat(phases).as("never back to Pending").doesNotContain("Pending", "Failed");
    client.resource(pod).delete();
    client.resource(pod).waitUntilCondition(p -> p == null, TIMEOUT, TimeUnit.SECONDS);
  }

  @Test
  void orphanedGroupsOfTheNodeAreCollectedAndNoOtherGroupIsTouched() {
    String cluster = clusterId();
    String orphan = "orphan-" + UUID.randomUUID().toString().substring(0, 8);
    String untagged = "manual-" + UUID.randomUUID().toString().substring(0, 8);
    String foreign = "foreign-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> podTags = new HashMap<>(ContainerGroupTags.of(cluster, node.nodeName()));
    podTags.put(GroupNaming.POD_NAMESPACE, "nowhere");
    podTags.put(GroupNaming.POD_NAME, "gone");
    podTags.put(GroupNaming.POD_UID, UUID.randomUUID().toString());
    Map<String, String> otherCluster = new HashMap<>(podTags);
    otherCluster.put(ContainerGroupTags.CLUSTER, UUID.randomUUID().toString());
    aci.create(orphan, group(podTags));
    aci.create(untagged, group(ContainerGroupTags.of(cluster, node.nodeName())));
    aci.create(foreign, group(otherCluster));
    try {
      awaitTrue("the orphan is collected", () -> aci.get(orphan).isEmpty());
      assertThat(aci.get(untagged)).as("names no pod: not made by the pod controller").isPresent();
      assertThat(aci.get(foreign)).as("another cluster's").isPresent();
    } finally {
      aci.delete(untagged);
      aci.delete(foreign);
    }
  }

  @Test
  void aBurstAboveTheCreateBudgetEndsWithEveryPodRunningAndNoneFailed(TestNamespace ns) {
    VirtualNode burst = client.resource(virtualNode("burst", BURST_SUBSCRIPTION)).create();
    try {
      awaitReady(burst);
      int n = CREATE_BUDGET + 2;
      List<Pod> pods = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        pods.add(
            client
                .resource(
                    new PodBuilder(pod("burst-" + i, ns.name()))
                        .editSpec()
                        .withNodeName(burst.nodeName())
                        .endSpec()
                        .build())
                .create());
      }
      // Some wait for the budget, Pending with a reason that says so.
      awaitTrue(
          "a pod waits for the create budget",
          () ->
              pods.stream()
                  .map(p -> client.resource(p).get())
                  .anyMatch(
                      p ->
                          p.getStatus().getContainerStatuses() != null
                              && p.getStatus().getContainerStatuses().stream()
                                  .anyMatch(
                                      cs ->
                                          cs.getState().getWaiting() != null
                                              && GroupCreator.THROTTLED.equals(
                                                  cs.getState().getWaiting().getReason()))));
      // The budget frees after ACI's 5-minute window: generous.
      for (Pod p : pods) {
        Pod done =
            client
                .resource(p)
                .waitUntilCondition(
                    x -> running(x) || "Failed".equals(x.getStatus().getPhase()),
                    600,
                    TimeUnit.SECONDS);
        assertThat(done.getStatus().getPhase()).isEqualTo("Running");
      }
    } finally {
      deleteAndAwaitGone(burst);
    }
  }

  // --- helpers ---

  private static boolean running(Pod p) {
    return p != null
        && p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())
        && p.getStatus().getContainerStatuses() != null
        && !p.getStatus().getContainerStatuses().isEmpty()
        && p.getStatus().getContainerStatuses().get(0).getState().getRunning() != null;
  }

  private static Pod awaitPod(Pod pod, Predicate<Pod> condition) {
    return client
        .resource(pod)
        .waitUntilCondition(
            p -> p != null && p.getStatus() != null && condition.test(p),
            TIMEOUT,
            TimeUnit.SECONDS);
  }

  private static Watch watchPhases(Pod pod, List<String> phases) {
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

  private static double calls(String operation) {
    return METRICS.find("aci.arm.calls").tag("operation", operation).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  /** A pod bound to the class's node, as the scheduler would bind it. */
  private static Pod pod(String name, String namespace) {
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

  private static ContainerGroupInner group(Map<String, String> tags) {
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

  private static VirtualNode virtualNode(String prefix, String subscription) {
    VirtualNode vn = new VirtualNode();
    vn.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("it-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 6))
            .build());
    VirtualNodeSpec spec = new VirtualNodeSpec();
    spec.setAzure(azure(subscription));
    vn.setSpec(spec);
    return vn;
  }

  private static AzureSettings azure(String subscription) {
    AzureSettings azure = new AzureSettings();
    azure.setSubscriptionId(subscription);
    azure.setResourceGroup(RESOURCE_GROUP);
    azure.setRegion("westeurope");
    azure.setEndpoint(emulator.baseUrl());
    AzureCredentials credentials = new AzureCredentials();
    AzureCredentials.SecretReference ref = new AzureCredentials.SecretReference();
    ref.setName("aci-credentials");
    credentials.setSecretRef(ref);
    azure.setCredentials(credentials);
    return azure;
  }

  private static AciBackend backend(String subscription) {
    com.azure.core.http.HttpClient http =
        new com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder(
                java.net.http.HttpClient.newBuilder().sslContext(emulator.sslContext()))
            .build();
    AzureSettings azure = azure(subscription);
    return new AciBackendFactory(http, new SimpleMeterRegistry(), emulator.authorityHost())
        .create(
            azure,
            new AzureCredentialFactory(
                    http, emulator.authorityHost(), new ConfigurationBuilder().build())
                .create(
                    azure.getCredentials(),
                    Map.of(
                        "tenantId", TENANT, "clientId", CLIENT_ID, "clientSecret", SECRET_VALUE)));
  }

  private static String clusterId() {
    return client.namespaces().withName("kube-system").get().getMetadata().getUid();
  }

  private static void awaitReady(VirtualNode vn) {
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

  private static void deleteAndAwaitGone(VirtualNode vn) {
    client.resources(VirtualNode.class).withName(vn.getMetadata().getName()).delete();
    client
        .resources(VirtualNode.class)
        .withName(vn.getMetadata().getName())
        .waitUntilCondition(v -> v == null, TIMEOUT, TimeUnit.SECONDS);
  }

  /** Bounded polling, for what no watch shows (ARM state). */
  private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT);
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
