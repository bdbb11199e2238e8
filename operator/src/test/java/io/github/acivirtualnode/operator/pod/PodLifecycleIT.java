package io.github.acivirtualnode.operator.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupPriority;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupRestartPolicy;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupSku;
import com.azure.resourcemanager.containerinstance.models.EnvironmentVariable;
import com.azure.resourcemanager.containerinstance.models.InitContainerDefinition;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import com.azure.resourcemanager.containerinstance.models.ResourceIdentityType;
import com.azure.resourcemanager.containerinstance.models.ResourceRequests;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.controlplane.TestNamespace;
import io.github.acivirtualnode.operator.EventRecorder;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.node.ContainerGroupTags;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import io.github.acivirtualnode.operator.translation.PodStatusTranslator;
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

  /** ACI's own create budget: no test of this class waits for it (PodBurstIT does). */
  private static final int CREATE_BUDGET = 100;

  private static final long TIMEOUT = PodFixture.TIMEOUT;
  private static final String RESOURCE_GROUP = PodFixture.RESOURCE_GROUP;

  private static PodFixture fx;
  private static KubernetesClient client;
  private static AciEmulator emulator;
  private static AciBackend aci;

  @BeforeAll
  static void start(KubernetesClient kubernetes) {
    client = kubernetes;
    fx = PodFixture.start(kubernetes, SUBSCRIPTION, CREATE_BUDGET);
    emulator = fx.emulator;
    aci = fx.aci;
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
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
    // ACI gives the group its IP when provisioning ends, which can be after its container started.
    running = awaitPod(running, p -> running(p) && p.getStatus().getPodIP() != null);
    assertThat(running.getStatus().getPodIP()).isNotBlank();
    assertThat(running.getStatus().getPodIPs()).isNotEmpty();
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
        .containsEntry(ContainerGroupTags.CLUSTER, fx.clusterId())
        .containsEntry(ContainerGroupTags.NODE, fx.node().nodeName())
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
  void initContainersRunFirstAndASidecarRunsWithTheAppContainer(TestNamespace ns) {
    Pod pod =
        new PodBuilder(pod("init", ns.name()))
            .editSpec()
            .addNewVolume()
            .withName("work")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .addNewInitContainer()
            .withName("setup")
            .withImage("busybox:1.36")
            .withCommand("sh", "-c")
            .withArgs("echo $(FLAG) > /work/flag")
            .addNewEnv()
            .withName("FLAG")
            .withValue("ready")
            .endEnv()
            .addNewVolumeMount()
            .withName("work")
            .withMountPath("/work")
            .endVolumeMount()
            .endInitContainer()
            .addNewInitContainer()
            .withName("proxy")
            .withImage("busybox:1.36")
            .withCommand("sleep", "3600")
            .withRestartPolicy("Always")
            .endInitContainer()
            .addNewInitContainer()
            .withName("migrate")
            .withImage("busybox:1.37")
            .withCommand("sh", "-c", "echo migrated")
            .endInitContainer()
            .editFirstContainer()
            .addNewVolumeMount()
            .withName("work")
            .withMountPath("/work")
            .endVolumeMount()
            .endContainer()
            .endSpec()
            .build();
    pod = client.resource(pod).create();
    Pod running =
        awaitPod(
            pod,
            p ->
                running(p)
                    && p.getStatus().getInitContainerStatuses() != null
                    && p.getStatus().getInitContainerStatuses().size() == 3
                    && Boolean.TRUE.equals(
                        p.getStatus().getInitContainerStatuses().get(1).getStarted()));

    assertThat(running.getStatus().getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus())
        .contains("Initialized=True");
    List<ContainerStatus> init = running.getStatus().getInitContainerStatuses();
    assertThat(init)
        .extracting(ContainerStatus::getName)
        .containsExactly("setup", "proxy", "migrate");
    for (ContainerStatus done : List.of(init.get(0), init.get(2))) {
      var t = done.getState().getTerminated();
      assertThat(t).as(done.getName()).isNotNull();
      assertThat(t.getExitCode()).isZero();
      assertThat(t.getReason()).isEqualTo("Completed");
      assertThat(t.getFinishedAt()).isNotBlank();
      assertThat(done.getReady()).isTrue();
    }
    assertThat(init.get(1).getState().getRunning()).as("the sidecar runs").isNotNull();
    assertThat(init.get(1).getReady()).isTrue();
    assertThat(running.getStatus().getContainerStatuses())
        .extracting(ContainerStatus::getName)
        .containsExactly("main");

    ContainerGroupInner group = aci.get(GroupNaming.groupName(running)).orElseThrow();
    assertThat(group.containers()).extracting(Container::name).containsExactly("main", "proxy");
    Container proxy = group.containers().get(1);
    assertThat(proxy.image()).isEqualTo("busybox:1.36");
    assertThat(proxy.command()).containsExactly("sleep", "3600");
    assertThat(proxy.resources().requests().cpu()).as("the node's default").isEqualTo(1.0);
    assertThat(group.containers().get(0).volumeMounts())
        .extracting(m -> m.name() + ":" + m.mountPath())
        .containsExactly("work:/work");
    assertThat(group.initContainers())
        .extracting(InitContainerDefinition::name)
        .containsExactly("setup", "migrate");
    InitContainerDefinition setup = group.initContainers().get(0);
    assertThat(setup.image()).isEqualTo("busybox:1.36");
    assertThat(setup.command()).containsExactly("sh", "-c", "echo ready > /work/flag");
    assertThat(setup.environmentVariables())
        .extracting(e -> e.name() + "=" + e.value())
        .containsExactly("FLAG=ready");
    assertThat(setup.volumeMounts())
        .extracting(m -> m.name() + ":" + m.mountPath())
        .containsExactly("work:/work");
    InitContainerDefinition migrate = group.initContainers().get(1);
    assertThat(migrate.image()).isEqualTo("busybox:1.37");
    assertThat(migrate.command()).containsExactly("sh", "-c", "echo migrated");
    assertThat(migrate.volumeMounts()).isNullOrEmpty();
    assertThat(group.volumes()).extracting(v -> v.name()).containsExactly("work");
    fx.deleteAndAwaitGone(running);
  }

  @Test
  void aFailingInitContainerFailsThePodAsAKubeletReportsIt(TestNamespace ns) {
    Pod never = client.resource(failingInit(pod("init-fails", ns.name()), "Never")).create();
    Pod always =
        client.resource(failingInit(pod("init-fails-always", ns.name()), "Always")).create();

    Pod failed = awaitPod(never, p -> "Failed".equals(p.getStatus().getPhase()));
    var t = failed.getStatus().getInitContainerStatuses().get(0).getState().getTerminated();
    assertThat(t.getExitCode()).isEqualTo(3);
    assertThat(t.getReason()).isEqualTo("Error");
    assertThat(failed.getStatus().getReason()).as("kubectl shows Init:Error").isNull();
    assertThat(failed.getStatus().getMessage())
        .isEqualTo("init container \"setup\" exited with code 3");
    assertThat(failed.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("PodInitializing");
    assertThat(failed.getStatus().getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus())
        .contains("Initialized=False", "Ready=False");

    // Under Always a kubelet would run the init container again; ACI fails the group instead.
    Pod failedAlways = awaitPod(always, p -> "Failed".equals(p.getStatus().getPhase()));
    assertThat(
            failedAlways
                .getStatus()
                .getInitContainerStatuses()
                .get(0)
                .getState()
                .getTerminated()
                .getExitCode())
        .isEqualTo(3);
    assertThat(failedAlways.getStatus().getMessage())
        .startsWith("init container \"setup\" exited with code 3, and ACI does not run");
    ContainerGroupInner group = aci.get(GroupNaming.groupName(failedAlways)).orElseThrow();
    assertThat(group.provisioningState()).isEqualTo("Failed");
    fx.deleteAndAwaitGone(failed);
    fx.deleteAndAwaitGone(failedAlways);
  }

  private static Pod failingInit(Pod pod, String restartPolicy) {
    return new PodBuilder(pod)
        .editSpec()
        .withRestartPolicy(restartPolicy)
        .addNewInitContainer()
        .withName("setup")
        .withImage("busybox:1.36")
        .withCommand("sh", "-c", "echo failing; exit 3")
        .endInitContainer()
        .endSpec()
        .build();
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
  void aPodPastItsActiveDeadlineFailsAndItsGroupGoesAsAKubeletKillsIt(TestNamespace ns) {
    Pod pod =
        client
            .resource(
                new PodBuilder(pod("deadline", ns.name()))
                    .editSpec()
                    .withActiveDeadlineSeconds(6L)
                    .endSpec()
                    .build())
            .create();
    Pod running = awaitPod(pod, PodLifecycleIT::running);
    String name = GroupNaming.groupName(running);
    assertThat(aci.get(name)).isPresent();

    Pod failed = awaitPod(pod, p -> "Failed".equals(p.getStatus().getPhase()));
    assertThat(failed.getStatus().getReason()).isEqualTo(PodStatusTranslator.DEADLINE_EXCEEDED);
    assertThat(failed.getStatus().getMessage())
        .isEqualTo("Pod was active on the node longer than the specified deadline");
    assertThat(failed.getStatus().getContainerStatuses())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getState().getTerminated().getExitCode()).isEqualTo(137);
              assertThat(c.getReady()).isFalse();
            });
    // Not before the deadline: counted from the start time the pod was given.
    assertThat(
            java.time.Duration.between(
                java.time.Instant.parse(failed.getStatus().getStartTime()),
                java.time.Instant.parse(
                    failed
                        .getStatus()
                        .getContainerStatuses()
                        .get(0)
                        .getState()
                        .getTerminated()
                        .getFinishedAt())))
        .isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(5));
    PodFixture.awaitTrue("the group deleted", () -> aci.get(name).isEmpty());
    // Failed stays Failed: the group is not made again.
    assertThat(fx.groupsOf(failed.getMetadata().getUid())).isEmpty();

    client.resource(failed).delete();
    client.resource(failed).waitUntilCondition(p -> p == null, TIMEOUT, TimeUnit.SECONDS);
  }

  @Test
  void aSpotPodRunsAsASpotGroupInItsZoneWithItsIdentityAndAnEvictionFailsIt(TestNamespace ns) {
    String identity =
        "/subscriptions/"
            + SUBSCRIPTION
            + "/resourceGroups/"
            + RESOURCE_GROUP
            + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/spot-reader";
    Pod pod =
        new PodBuilder(pod("spot", ns.name()))
            .editMetadata()
            .addToAnnotations("acivirtualnode.github.io/priority", "Spot")
            .addToAnnotations("acivirtualnode.github.io/zone", "2")
            .addToAnnotations("acivirtualnode.github.io/managed-identities", identity)
            .endMetadata()
            .build();
    pod = awaitPod(client.resource(pod).create(), PodLifecycleIT::running);

    String name = GroupNaming.groupName(pod);
    ContainerGroupInner group = aci.get(name).orElseThrow();
    assertThat(group.priority()).isEqualTo(ContainerGroupPriority.SPOT);
    assertThat(group.sku()).isEqualTo(ContainerGroupSku.STANDARD); // ACI's default, answered
    assertThat(group.confidentialComputeProperties()).isNull();
    assertThat(group.zones()).containsExactly("2");
    assertThat(group.identity().type()).isEqualTo(ResourceIdentityType.USER_ASSIGNED);
    assertThat(group.identity().userAssignedIdentities()).containsOnlyKeys(identity);
    assertThat(group.ipAddress()).as("a Spot group has no public IP").isNull();

    assertThat(emulator.evict(SUBSCRIPTION, RESOURCE_GROUP, name))
        .isEqualTo(AciEmulator.Eviction.EVICTED);
    Pod failed = awaitPod(pod, p -> "Failed".equals(p.getStatus().getPhase()));
    assertThat(failed.getStatus().getReason()).isEqualTo(PodStatusTranslator.SPOT_EVICTED);
    assertThat(failed.getStatus().getMessage())
        .startsWith("ACI evicted the Spot container group: ")
        .contains("Azure reclaimed the capacity");
    assertThat(aci.get(name).orElseThrow().priority())
        .as("the group is left for the pod's deletion")
        .isEqualTo(ContainerGroupPriority.SPOT);
    fx.deleteAndAwaitGone(failed);
  }

  @Test
  void aConfidentialPodRunsWithItsCcePolicyAndARegularGroupCannotBeEvicted(TestNamespace ns) {
    String policy =
        java.util.Base64.getEncoder()
            .encodeToString(
                "package policy\napi_version := \"0.10.0\"\nallow_all := true"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Pod pod =
        new PodBuilder(pod("confidential", ns.name()))
            .editMetadata()
            .addToAnnotations("acivirtualnode.github.io/sku", "Confidential")
            .addToAnnotations("acivirtualnode.github.io/cce-policy", policy)
            .endMetadata()
            .build();
    pod = awaitPod(client.resource(pod).create(), PodLifecycleIT::running);

    String name = GroupNaming.groupName(pod);
    ContainerGroupInner group = aci.get(name).orElseThrow();
    assertThat(group.sku()).isEqualTo(ContainerGroupSku.CONFIDENTIAL);
    assertThat(group.confidentialComputeProperties().ccePolicy()).isEqualTo(policy);
    assertThat(group.priority()).isNull();
    assertThat(group.zones()).isNull();
    assertThat(group.identity()).isNull();
    assertThat(emulator.evict(SUBSCRIPTION, RESOURCE_GROUP, name))
        .isEqualTo(AciEmulator.Eviction.NOT_SPOT);
    assertThat(fx.awaitPod(pod, PodLifecycleIT::running).getStatus().getReason()).isNull();
    fx.deleteAndAwaitGone(pod);
  }

  @Test
  void aSpotConfidentialPodFailsWithTheReasonAndNoGroup(TestNamespace ns) {
    Pod pod =
        new PodBuilder(pod("spot-confidential", ns.name()))
            .editMetadata()
            .addToAnnotations("acivirtualnode.github.io/priority", "Spot")
            .addToAnnotations("acivirtualnode.github.io/sku", "Confidential")
            .endMetadata()
            .build();
    pod = client.resource(pod).create();
    Pod failed = awaitPod(pod, p -> "Failed".equals(p.getStatus().getPhase()));
    assertThat(failed.getStatus().getReason()).isEqualTo(PodStatusTranslator.PROVIDER_FAILED);
    assertThat(failed.getStatus().getMessage())
        .contains(
            "metadata.annotations[acivirtualnode.github.io/priority]: ACI has no Spot container"
                + " groups of the Confidential SKU");
    assertThat(aci.get(GroupNaming.groupName(failed))).isEmpty();
    fx.deleteAndAwaitGone(failed);
  }

  @Test
  void probesSecurityContextAndHooksReachTheGroupAsTheMatrixSays(TestNamespace ns) {
    Pod pod =
        new PodBuilder(pod("probed", ns.name()))
            .editSpec()
            .editFirstContainer()
            .withCommand("sh", "-c", "sleep 3600")
            .addNewPort()
            .withName("http")
            .withContainerPort(8080)
            .endPort()
            .withNewStartupProbe()
            .withNewExec()
            .withCommand("test", "-f", "/tmp/started")
            .endExec()
            .withInitialDelaySeconds(2)
            .withPeriodSeconds(3)
            .withFailureThreshold(10)
            .endStartupProbe()
            .withNewLivenessProbe()
            .withNewHttpGet()
            .withPath("/healthz")
            .withNewPort("http")
            .endHttpGet()
            .withInitialDelaySeconds(5)
            .withPeriodSeconds(15)
            .endLivenessProbe()
            .withNewReadinessProbe()
            .withNewExec()
            .withCommand("cat", "/tmp/ready")
            .endExec()
            .withPeriodSeconds(4)
            .endReadinessProbe()
            .withNewLifecycle()
            .withNewPreStop()
            .withNewSleep(5L)
            .endPreStop()
            .endLifecycle()
            .withNewSecurityContext()
            .withPrivileged(false)
            .withAllowPrivilegeEscalation(false)
            .withRunAsNonRoot(true)
            .withNewCapabilities()
            .withAdd("NET_BIND_SERVICE")
            .withDrop("ALL")
            .endCapabilities()
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .endContainer()
            .withNewSecurityContext()
            .withRunAsUser(1000L)
            .withRunAsGroup(3000L)
            .endSecurityContext()
            .endSpec()
            .build();
    pod = client.resource(pod).create();
    Pod ready =
        awaitPod(
            pod,
            p ->
                running(p)
                    && p.getStatus().getConditions().stream()
                        .anyMatch(
                            c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
    assertThat(ready.getStatus().getContainerStatuses().get(0).getReady()).isTrue();

    ContainerGroupInner group = aci.get(GroupNaming.groupName(ready)).orElseThrow();
    Container c = group.containers().get(0);
    // The startup probe's window (2 + 10 x 3 s) holds the liveness probe back.
    assertThat(c.livenessProbe().initialDelaySeconds()).isEqualTo(32);
    assertThat(c.livenessProbe().periodSeconds()).isEqualTo(15);
    assertThat(c.livenessProbe().httpGet().path()).isEqualTo("/healthz");
    assertThat(c.livenessProbe().httpGet().port()).isEqualTo(8080);
    assertThat(c.livenessProbe().httpGet().scheme().toString()).isEqualToIgnoringCase("http");
    assertThat(c.livenessProbe().exec()).isNull();
    assertThat(c.readinessProbe().exec().command()).containsExactly("cat", "/tmp/ready");
    assertThat(c.readinessProbe().periodSeconds()).isEqualTo(4);
    assertThat(c.readinessProbe().initialDelaySeconds())
        .as("not delayed by the startup probe (0 is the API server's omitted default)")
        .isNull();
    var sc = c.securityContext();
    assertThat(sc.privileged()).isFalse();
    assertThat(sc.allowPrivilegeEscalation()).isFalse();
    assertThat(sc.capabilities().add()).containsExactly("NET_BIND_SERVICE");
    assertThat(sc.capabilities().drop()).containsExactly("ALL");
    assertThat(sc.runAsUser()).isEqualTo(1000);
    assertThat(sc.runAsGroup()).isEqualTo(3000);
    assertThat(sc.seccompProfile()).as("RuntimeDefault is ACI's own: nothing to send").isNull();

    String uid = ready.getMetadata().getUid();
    awaitTrue(
        "a Warning event for the preStop hook and a Normal one for the startup probe",
        () -> {
          var events =
              client.v1().events().inNamespace(ns.name()).list().getItems().stream()
                  .filter(
                      e ->
                          uid.equals(e.getInvolvedObject().getUid())
                              && "ProviderNotice".equals(e.getReason()))
                  .toList();
          return events.stream()
                  .anyMatch(
                      e ->
                          "Warning".equals(e.getType())
                              && e.getMessage()
                                  .startsWith("spec.containers[0].lifecycle.preStop: "))
              && events.stream()
                  .anyMatch(
                      e ->
                          "Normal".equals(e.getType())
                              && e.getMessage().startsWith("spec.containers[0].startupProbe: "));
        });
    fx.deleteAndAwaitGone(ready);
  }

  @Test
  void aPrivilegedGpuPodFailsNamingBothFieldsAndNoGroupIsMade(TestNamespace ns) {
    Pod pod =
        new PodBuilder(pod("gpu", ns.name()))
            .editSpec()
            .editFirstContainer()
            .withNewSecurityContext()
            .withPrivileged(true)
            .endSecurityContext()
            .withNewResources()
            .addToLimits("nvidia.com/gpu", new Quantity("1"))
            .endResources()
            .endContainer()
            .endSpec()
            .build();
    pod = client.resource(pod).create();
    Pod failed = awaitPod(pod, p -> "Failed".equals(p.getStatus().getPhase()));
    assertThat(failed.getStatus().getReason()).isEqualTo(PodStatusTranslator.PROVIDER_FAILED);
    assertThat(failed.getStatus().getMessage())
        .contains("spec.containers[0].resources.limits[nvidia.com/gpu]: ")
        .contains("retired its GPU SKUs in July 2025")
        .contains("spec.containers[0].securityContext.privileged: ")
        .contains("privileged containers");
    String uid = failed.getMetadata().getUid();
    awaitTrue(
        "a Warning event naming the GPU",
        () ->
            client.v1().events().inNamespace(ns.name()).list().getItems().stream()
                .anyMatch(
                    e ->
                        uid.equals(e.getInvolvedObject().getUid())
                            && PodStatusTranslator.PROVIDER_FAILED.equals(e.getReason())
                            && "Warning".equals(e.getType())
                            && e.getMessage().contains("nvidia.com/gpu")));
    assertThat(aci.get(GroupNaming.groupName(failed))).isEmpty();
    fx.deleteAndAwaitGone(failed);
  }

  @Test
  void aPodThatAciCannotRunFailsOnceWithAnEventAndNoGroup(TestNamespace ns) {
    double rejectedBefore = translationErrors("unsupported");
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
    assertThat(translationErrors("unsupported") - rejectedBefore)
        .as("aci.pod.translation.errors{reason=unsupported}")
        .isEqualTo(1);
    client.resource(failed).delete();
    client.resource(failed).waitUntilCondition(p -> p == null, TIMEOUT, TimeUnit.SECONDS);
  }

  @Test
  void nPodsThroughTheirWholeLifeCostExactlyNPutsAndNDeletesAndFewGetsOnceSettled(
      TestNamespace ns) {
    int n = 3;
    double putsBefore = calls("put:containerGroup");
    double deletesBefore = calls("delete:containerGroup");
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pods.add(
          client
              .resource(
                  new PodBuilder(pod("counted-" + i, ns.name()))
                      .editMetadata()
                      .addToLabels("app", "counted")
                      .endMetadata()
                      .build())
              .create());
    }
    List<String> names = new ArrayList<>();
    for (Pod p : pods) {
      names.add(GroupNaming.groupName(awaitPod(p, PodLifecycleIT::running)));
    }
    // Settled: provisioned, every container running. From here on only the slow refresh reads.
    awaitTrue(
        "every group settled",
        () ->
            names.stream()
                .map(aci::get)
                .allMatch(
                    g ->
                        g.isPresent()
                            && "Succeeded".equalsIgnoreCase(g.get().provisioningState())
                            && g.get().containers().stream()
                                .allMatch(
                                    c ->
                                        c.instanceView() != null
                                            && "Running"
                                                .equals(c.instanceView().currentState().state()))));
    long from = System.nanoTime();
    double getsBefore = calls("get:containerGroup");
    // At least two refresh rounds of every group: counted, not timed.
    PodFixture.awaitTrue(
        "two rounds of settled refreshes",
        3 * TIMEOUT,
        () -> calls("get:containerGroup") - getsBefore >= 2 * n);
    double gets = calls("get:containerGroup") - getsBefore;
    Duration elapsed = Duration.ofNanos(System.nanoTime() - from);
    // A settled group is read at most once per settled refresh (the observer's only read of it);
    // the window can hold a partial round at its end and the last brisk read (the one that saw
    // the group settled) at its start.
    long refresh = PodFixture.POD_SETTINGS.settledRefresh().toMillis();
    long bound = n * (elapsed.toMillis() / refresh + 2);
    System.out.printf(
        "settled pods: %.0f GETs for %d pods in %d s (%.1f per pod and minute; bound %d)%n",
        gets, n, elapsed.toSeconds(), gets / n / Math.max(1, elapsed.toMillis()) * 60_000, bound);
    assertThat(gets).isLessThanOrEqualTo(bound);

    // Scaled down to nothing as a ReplicaSet would: every pod deleted, every group with it.
    client.pods().inNamespace(ns.name()).withLabel("app", "counted").delete();
    for (Pod p : pods) {
      client.resource(p).waitUntilCondition(x -> x == null, TIMEOUT, TimeUnit.SECONDS);
    }
    for (String name : names) {
      awaitTrue("group " + name + " is gone", () -> aci.get(name).isEmpty());
    }
    assertThat(calls("put:containerGroup") - putsBefore).isEqualTo(n);
    assertThat(calls("delete:containerGroup") - deletesBefore).isEqualTo(n);
  }

  @Test
  void aRestartedOperatorAdoptsRunningGroupsWithoutACreateOrAStatusRegressionOrARepeatedEvent(
      TestNamespace ns) throws Exception {
    Pod pod = client.resource(pod("survivor", ns.name())).create();
    pod = awaitPod(pod, PodLifecycleIT::running);
    String name = GroupNaming.groupName(pod);
    String uid = pod.getMetadata().getUid();
    awaitTrue("ACI's Started event is on the pod", () -> aciEvents(ns, uid, "Started").size() == 1);
    double putsBefore = calls("put:containerGroup");
    List<String> phases = new CopyOnWriteArrayList<>();
    Watch watch = fx.watchPhases(pod, phases);
    try {
      fx.restartOperator();
      // The new operator observes the adopted group: a container restart shows in the pod.
      assertThat(emulator.killContainer(SUBSCRIPTION, RESOURCE_GROUP, name, "main", 1)).isTrue();
      awaitPod(
          pod,
          p ->
              running(p)
                  && p.getStatus().getContainerStatuses().get(0).getRestartCount() != null
                  && p.getStatus().getContainerStatuses().get(0).getRestartCount() >= 1);
      // ACI counts the second start on its Started event: the same Event, counted on.
      awaitTrue(
          "the Started event counts two",
          () ->
              aciEvents(ns, uid, "Started").stream()
                  .anyMatch(e -> e.getCount() != null && e.getCount() >= 2));
    } finally {
      watch.close();
    }
    assertThat(calls("put:containerGroup") - putsBefore).as("no create after the restart").isZero();
    assertThat(phases).as("never back to Pending").doesNotContain("Pending", "Failed");
    List<io.fabric8.kubernetes.api.model.Event> forwarded = aciEvents(ns, uid, null);
    assertThat(forwarded).extracting(e -> e.getReason()).contains("Pulling", "Pulled", "Started");
    assertThat(forwarded)
        .as("each ACI event once, also across the restart")
        .extracting(e -> e.getReason() + "|" + e.getMessage() + "|" + e.getFirstTimestamp())
        .doesNotHaveDuplicates();
    assertThat(
            client.v1().events().inNamespace(ns.name()).list().getItems().stream()
                .filter(e -> uid.equals(e.getInvolvedObject().getUid()))
                .filter(e -> EventRecorder.COMPONENT.equals(e.getReportingComponent())))
        .as("nor written again under another name")
        .extracting(e -> e.getReason() + "|" + e.getMessage())
        .doesNotHaveDuplicates();
    fx.deleteAndAwaitGone(pod);
  }

  @Test
  void exitCodesAndCrashLoopsShowInTheContainerStatus(TestNamespace ns) {
    Pod failing =
        client
            .resource(
                withEnv(pod("exits-3", ns.name()), "Never", Map.of("ACI_EMULATOR_EXIT_CODE", "3")))
            .create();
    Pod completing =
        client
            .resource(
                withEnv(
                    pod("exits-0", ns.name()), "OnFailure", Map.of("ACI_EMULATOR_EXIT_CODE", "0")))
            .create();
    Pod looping =
        client
            .resource(
                withEnv(pod("loops", ns.name()), "Always", Map.of("ACI_EMULATOR_EXIT_CODE", "2")))
            .create();

    Pod failed = awaitPod(failing, p -> "Failed".equals(p.getStatus().getPhase()));
    var terminated = failed.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(terminated.getExitCode()).isEqualTo(3);
    assertThat(terminated.getReason()).isEqualTo("Error");
    assertThat(terminated.getFinishedAt()).isNotBlank();
    assertThat(failed.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();

    Pod succeeded = awaitPod(completing, p -> "Succeeded".equals(p.getStatus().getPhase()));
    var done = succeeded.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(done.getExitCode()).isZero();
    assertThat(done.getReason()).isEqualTo("Completed");

    Pod loop =
        awaitPod(
            looping,
            p ->
                p.getStatus().getContainerStatuses() != null
                    && !p.getStatus().getContainerStatuses().isEmpty()
                    && p.getStatus().getContainerStatuses().get(0).getRestartCount() >= 2
                    && p.getStatus().getContainerStatuses().get(0).getLastState().getTerminated()
                        != null);
    ContainerStatus cs = loop.getStatus().getContainerStatuses().get(0);
    assertThat(loop.getStatus().getPhase())
        .as("restartPolicy Always: it runs on")
        .isEqualTo("Running");
    assertThat(cs.getLastState().getTerminated().getExitCode()).isEqualTo(2);
    for (Pod p : List.of(failed, succeeded, loop)) {
      fx.deleteAndAwaitGone(p);
    }
  }

  @Test
  void aContainerKilledInAciRestartsWithItsExitCodeAsLastState(TestNamespace ns) {
    Pod pod =
        client
            .resource(
                new PodBuilder(pod("killed", ns.name()))
                    .editSpec()
                    .withRestartPolicy("OnFailure")
                    .endSpec()
                    .build())
            .create();
    pod = awaitPod(pod, PodLifecycleIT::running);
    assertThat(
            emulator.killContainer(
                SUBSCRIPTION, RESOURCE_GROUP, GroupNaming.groupName(pod), "main", 7))
        .isTrue();
    Pod restarted =
        awaitPod(
            pod,
            p ->
                running(p)
                    && p.getStatus().getContainerStatuses().get(0).getRestartCount() == 1
                    && p.getStatus().getContainerStatuses().get(0).getLastState().getTerminated()
                        != null);
    assertThat(
            restarted
                .getStatus()
                .getContainerStatuses()
                .get(0)
                .getLastState()
                .getTerminated()
                .getExitCode())
        .isEqualTo(7);
    fx.deleteAndAwaitGone(restarted);
  }

  @Test
  void anImageUpdateReplacesTheGroupAndRestartsTheContainerOtherChangesDoNothing(TestNamespace ns) {
    Pod pod = client.resource(pod("updated", ns.name())).create();
    pod = awaitPod(pod, PodLifecycleIT::running);
    String name = GroupNaming.groupName(pod);
    String uid = pod.getMetadata().getUid();
    double putsBefore = calls("put:containerGroup");
    double deletesBefore = calls("delete:containerGroup");
    List<String> phases = new CopyOnWriteArrayList<>();
    Watch watch = fx.watchPhases(pod, phases);
    Pod updated;
    try {
      // A change a kubelet ignores: nothing is sent to ACI.
      client
          .pods()
          .inNamespace(ns.name())
          .withName("updated")
          .edit(
              p ->
                  new PodBuilder(p)
                      .editSpec()
                      .withActiveDeadlineSeconds(86_400L)
                      .addNewToleration()
                      .withKey("example.com/extra")
                      .withOperator("Exists")
                      .endToleration()
                      .endSpec()
                      .build());
      client
          .pods()
          .inNamespace(ns.name())
          .withName("updated")
          .edit(
              p ->
                  new PodBuilder(p)
                      .editSpec()
                      .editFirstContainer()
                      .withImage("busybox:1.37")
                      .endContainer()
                      .endSpec()
                      .build());
      updated =
          awaitPod(
              pod,
              p ->
                  running(p)
                      && "busybox:1.37"
                          .equals(p.getStatus().getContainerStatuses().get(0).getImage())
                      && p.getStatus().getContainerStatuses().get(0).getRestartCount() == 1);
    } finally {
      watch.close();
    }
    ContainerStatus cs = updated.getStatus().getContainerStatuses().get(0);
    assertThat(cs.getLastState().getTerminated()).as("the run that the update ended").isNotNull();
    assertThat(cs.getLastState().getTerminated().getReason()).isEqualTo(PodStatuses.GROUP_REPLACED);
    assertThat(phases).as("the pod runs on").doesNotContain("Pending", "Failed", "Succeeded");
    List<ContainerGroupInner> groups = fx.groupsOf(uid);
    assertThat(groups).as("one group for the pod, never two").hasSize(1);
    assertThat(groups.get(0).name()).isEqualTo(name);
    assertThat(aci.get(name).orElseThrow().containers().get(0).image()).isEqualTo("busybox:1.37");
    assertThat(calls("put:containerGroup") - putsBefore).as("one PUT replaces it").isEqualTo(1);
    assertThat(calls("delete:containerGroup") - deletesBefore).isZero();

    // The count survives an operator restart and a restart in the new group: 1 + 1.
    fx.restartOperator();
    assertThat(emulator.killContainer(SUBSCRIPTION, RESOURCE_GROUP, name, "main", 1)).isTrue();
    Pod again =
        awaitPod(
            pod,
            p -> running(p) && p.getStatus().getContainerStatuses().get(0).getRestartCount() == 2);
    assertThat(calls("put:containerGroup") - putsBefore).as("not replaced again").isEqualTo(1);
    fx.deleteAndAwaitGone(again);
    awaitTrue("the group is gone", () -> aci.get(name).isEmpty());
  }

  @Test
  void aDeploymentScaledDownAndDeletedLeavesNoGroupOfItsPods(TestNamespace ns) {
    String node = fx.node().nodeName();
    Deployment deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("scaled")
            .withNamespace(ns.name())
            .endMetadata()
            .withNewSpec()
            .withReplicas(3)
            .withNewSelector()
            .addToMatchLabels("app", "scaled")
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", "scaled")
            .endMetadata()
            .withNewSpec()
            .withAutomountServiceAccountToken(false)
            .addToNodeSelector("kubernetes.io/hostname", node)
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
            .endTemplate()
            .endSpec()
            .build();
    client.resource(deployment).create();
    awaitTrue(
        "three replicas run on the virtual node (scheduled by the scheduler)",
        () -> scaledPods(ns).stream().filter(PodLifecycleIT::running).count() == 3);
    List<String> uids = scaledPods(ns).stream().map(p -> p.getMetadata().getUid()).toList();
    uids.forEach(uid -> assertThat(fx.groupsOf(uid)).hasSize(1));

    client.apps().deployments().inNamespace(ns.name()).withName("scaled").scale(1);
    awaitTrue("one replica is left", () -> scaledPods(ns).size() == 1);
    String kept = scaledPods(ns).get(0).getMetadata().getUid();
    for (String uid : uids) {
      if (!uid.equals(kept)) {
        awaitTrue("the group of a scaled-down pod is gone", () -> fx.groupsOf(uid).isEmpty());
      }
    }
    assertThat(fx.groupsOf(kept)).as("the replica left keeps its group").hasSize(1);

    client.apps().deployments().inNamespace(ns.name()).withName("scaled").delete();
    awaitTrue("every replica is gone", () -> scaledPods(ns).isEmpty());
    awaitTrue("and every group", () -> uids.stream().allMatch(uid -> fx.groupsOf(uid).isEmpty()));
  }

  private static List<Pod> scaledPods(TestNamespace ns) {
    return client.pods().inNamespace(ns.name()).withLabel("app", "scaled").list().getItems();
  }

  @Test
  void orphanedGroupsOfTheNodeAreCollectedAndNoOtherGroupIsTouched() {
    String cluster = fx.clusterId();
    String orphan = "orphan-" + UUID.randomUUID().toString().substring(0, 8);
    String untagged = "manual-" + UUID.randomUUID().toString().substring(0, 8);
    String foreign = "foreign-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> podTags =
        new HashMap<>(ContainerGroupTags.of(cluster, fx.node().nodeName()));
    podTags.put(GroupNaming.POD_NAMESPACE, "nowhere");
    podTags.put(GroupNaming.POD_NAME, "gone");
    podTags.put(GroupNaming.POD_UID, UUID.randomUUID().toString());
    Map<String, String> otherCluster = new HashMap<>(podTags);
    otherCluster.put(ContainerGroupTags.CLUSTER, UUID.randomUUID().toString());
    aci.create(orphan, PodFixture.group(podTags));
    aci.create(untagged, PodFixture.group(ContainerGroupTags.of(cluster, fx.node().nodeName())));
    aci.create(foreign, PodFixture.group(otherCluster));
    try {
      awaitTrue("the orphan is collected", () -> aci.get(orphan).isEmpty());
      assertThat(aci.get(untagged)).as("names no pod: not made by the pod controller").isPresent();
      assertThat(aci.get(foreign)).as("another cluster's").isPresent();
    } finally {
      aci.delete(untagged);
      aci.delete(foreign);
    }
  }

  // --- helpers ---

  private static Pod withEnv(Pod pod, String restartPolicy, Map<String, String> env) {
    PodBuilder b = new PodBuilder(pod).editSpec().withRestartPolicy(restartPolicy).endSpec();
    env.forEach(
        (k, v) ->
            b.editSpec()
                .editFirstContainer()
                .addNewEnv()
                .withName(k)
                .withValue(v)
                .endEnv()
                .endContainer()
                .endSpec());
    return b.build();
  }

  /** The ACI events forwarded to the pod (optionally of one reason), as the API server has them. */
  private static List<io.fabric8.kubernetes.api.model.Event> aciEvents(
      TestNamespace ns, String uid, String reason) {
    return client.v1().events().inNamespace(ns.name()).list().getItems().stream()
        .filter(e -> uid.equals(e.getInvolvedObject().getUid()))
        .filter(e -> AciEventForwarder.keyOf(e.getMetadata().getName()).isPresent())
        .filter(e -> reason == null || reason.equals(e.getReason()))
        .toList();
  }

  private static boolean running(Pod p) {
    return PodFixture.running(p);
  }

  private static Pod awaitPod(Pod pod, Predicate<Pod> condition) {
    return fx.awaitPod(pod, condition);
  }

  private static Pod pod(String name, String namespace) {
    return fx.pod(name, namespace);
  }

  private static double calls(String operation) {
    return fx.calls(operation);
  }

  private static double translationErrors(String reason) {
    var counter = fx.metrics.find("aci.pod.translation.errors").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
    PodFixture.awaitTrue(what, condition);
  }
}
