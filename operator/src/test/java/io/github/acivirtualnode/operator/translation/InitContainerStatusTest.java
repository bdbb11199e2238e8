package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.NODE;
import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.group;
import static io.github.acivirtualnode.operator.translation.Fixtures.podBuilder;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Init containers and sidecars in the pod status, from the group's instance views. */
class InitContainerStatusTest {
  private static final Instant NOW = Instant.parse("2024-10-16T05:20:00Z");
  private static final String RUNNING =
      "{\"state\":\"Running\",\"startTime\":\"2024-10-16T05:12:17Z\",\"detailStatus\":\"\"}";
  private static final String WAITING = "{\"state\":\"Waiting\",\"detailStatus\":\"\"}";

  private static String completed(int exit) {
    return "{\"state\":\"Terminated\",\"startTime\":\"2024-10-16T05:12:10Z\",\"exitCode\":"
        + exit
        + ",\"finishTime\":\"2024-10-16T05:12:15Z\",\"detailStatus\":\""
        + (exit == 0 ? "Completed" : "Error")
        + "\"}";
  }

  private static String view(int restarts, String current, String previous) {
    return "{\"restartCount\":"
        + restarts
        + ",\"currentState\":"
        + current
        + (previous == null ? "" : ",\"previousState\":" + previous)
        + ",\"events\":[{\"count\":1,\"firstTimestamp\":\"2024-10-16T05:12:09Z\","
        + "\"lastTimestamp\":\"2024-10-16T05:12:09Z\",\"name\":\"Pulled\","
        + "\"message\":\"pulled\",\"type\":\"Normal\"}]}";
  }

  private static String init(String name, String view) {
    return "{\"name\":\""
        + name
        + "\",\"properties\":{\"image\":\"busybox:1.36\""
        + (view == null ? "" : ",\"instanceView\":" + view)
        + "}}";
  }

  private static String app(String name, String view) {
    return "{\"name\":\""
        + name
        + "\",\"properties\":{\"image\":\"nginx:1.27\",\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1.5}}"
        + (view == null ? "" : ",\"instanceView\":" + view)
        + "}}";
  }

  private static ContainerGroupInner groupOf(
      String provisioning, String state, String[] inits, String... containers) {
    return group(
        "{\"name\":\"g\",\"location\":\"westeurope\",\"properties\":{\"provisioningState\":\""
            + provisioning
            + "\",\"osType\":\"Linux\",\"initContainers\":["
            + String.join(",", inits)
            + "],\"containers\":["
            + String.join(",", containers)
            + "],\"instanceView\":{\"state\":\""
            + state
            + "\",\"events\":[]}}}");
  }

  private static String[] inits(String... inits) {
    return inits;
  }

  /** Two init containers (setup, migrate), a sidecar (proxy) between them, one app container. */
  private static Pod pod(String restartPolicy) {
    return podBuilder(container("app").build())
        .editSpec()
        .withRestartPolicy(restartPolicy)
        .withInitContainers(
            new ContainerBuilder().withName("setup").withImage("busybox:1.36").build(),
            new ContainerBuilder()
                .withName("proxy")
                .withImage("nginx:1.27")
                .withRestartPolicy("Always")
                .build(),
            new ContainerBuilder().withName("migrate").withImage("busybox:1.36").build())
        .endSpec()
        .build();
  }

  private static PodStatus observe(Pod pod, ContainerGroupInner group) {
    return PodStatusTranslator.observe(pod, group, NODE, NOW).status().orElseThrow();
  }

  private static PodCondition condition(PodStatus s, String type) {
    return s.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  private static ContainerStatus initStatus(PodStatus s, String name) {
    return s.getInitContainerStatuses().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void whileAnInitContainerRunsThePodIsPendingAndNotInitialized() {
    var s =
        observe(
            pod("Always"),
            groupOf(
                "Pending",
                "Pending",
                inits(init("setup", view(0, RUNNING, null)), init("migrate", null)),
                app("app", view(0, WAITING, null)),
                app("proxy", view(0, WAITING, null))));
    assertThat(s.getPhase()).isEqualTo("Pending");
    assertThat(s.getInitContainerStatuses())
        .as("in spec order, sidecar included")
        .extracting(ContainerStatus::getName)
        .containsExactly("setup", "proxy", "migrate");
    ContainerStatus setup = initStatus(s, "setup");
    assertThat(setup.getState().getRunning().getStartedAt()).isEqualTo("2024-10-16T05:12:17Z");
    assertThat(setup.getStarted()).isTrue();
    assertThat(setup.getReady()).isFalse();
    assertThat(setup.getImage()).isEqualTo("busybox:1.36");
    assertThat(setup.getContainerID()).isEqualTo("aci://g/setup");
    assertThat(initStatus(s, "migrate").getState().getWaiting().getReason())
        .isEqualTo("PodInitializing");
    assertThat(initStatus(s, "proxy").getState().getWaiting().getReason())
        .isEqualTo("PodInitializing");
    assertThat(s.getContainerStatuses())
        .extracting(ContainerStatus::getName)
        .containsExactly("app");
    assertThat(s.getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("PodInitializing");
    PodCondition initialized = condition(s, "Initialized");
    assertThat(initialized.getStatus()).isEqualTo("False");
    assertThat(initialized.getReason()).isEqualTo("ContainersNotInitialized");
    assertThat(initialized.getMessage())
        .isEqualTo("containers with incomplete status: [setup migrate]");
    assertThat(condition(s, "ContainersReady").getMessage())
        .isEqualTo("containers with unready status: [app proxy]");
  }

  @Test
  void completedInitContainersInitializeThePodAndTheSidecarRunsAsStarted() {
    var s =
        observe(
            pod("Always"),
            groupOf(
                "Succeeded",
                "Running",
                inits(
                    init("setup", view(0, completed(0), null)),
                    init("migrate", view(0, completed(0), null))),
                app("app", view(0, RUNNING, null)),
                app("proxy", view(0, RUNNING, null))));
    assertThat(s.getPhase()).isEqualTo("Running");
    ContainerStatus setup = initStatus(s, "setup");
    var t = setup.getState().getTerminated();
    assertThat(t.getExitCode()).isZero();
    assertThat(t.getReason()).isEqualTo("Completed");
    assertThat(t.getStartedAt()).isEqualTo("2024-10-16T05:12:10Z");
    assertThat(t.getFinishedAt()).isEqualTo("2024-10-16T05:12:15Z");
    assertThat(setup.getReady()).as("a completed init container is ready").isTrue();
    assertThat(setup.getStarted()).isFalse();
    assertThat(setup.getRestartCount()).isZero();
    ContainerStatus proxy = initStatus(s, "proxy");
    assertThat(proxy.getStarted()).isTrue();
    assertThat(proxy.getReady()).isTrue();
    assertThat(proxy.getState().getRunning()).isNotNull();
    assertThat(condition(s, "Initialized").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Initialized").getReason()).isNull();
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("True");
  }

  @Test
  void anUnreadySidecarKeepsThePodUnready() {
    var s =
        observe(
            pod("Always"),
            groupOf(
                "Succeeded",
                "Running",
                inits(
                    init("setup", view(0, completed(0), null)),
                    init("migrate", view(0, completed(0), null))),
                app("app", view(0, RUNNING, null)),
                app("proxy", view(0, WAITING, null))));
    assertThat(s.getPhase()).as("the phase is the app containers'").isEqualTo("Running");
    assertThat(initStatus(s, "proxy").getState().getWaiting().getReason())
        .isEqualTo("ContainerCreating");
    assertThat(condition(s, "ContainersReady").getMessage())
        .isEqualTo("containers with unready status: [proxy]");
  }

  @Test
  void aRunningSidecarDoesNotKeepACompletedPodRunning() {
    var s =
        observe(
            pod("Never"),
            groupOf(
                "Succeeded",
                "Running",
                inits(
                    init("setup", view(0, completed(0), null)),
                    init("migrate", view(0, completed(0), null))),
                app("app", view(0, completed(0), null)),
                app("proxy", view(0, RUNNING, null))));
    assertThat(s.getPhase()).isEqualTo("Succeeded");
  }

  @Test
  void aFailedInitContainerUnderNeverFailsThePodAsAKubeletDoes() {
    var s =
        observe(
            pod("Never"),
            groupOf(
                "Pending",
                "Pending",
                inits(init("setup", view(0, completed(3), null)), init("migrate", null)),
                app("app", null),
                app("proxy", null)));
    assertThat(s.getPhase()).isEqualTo("Failed");
    assertThat(s.getReason()).as("kubectl shows Init:Error").isNull();
    assertThat(s.getMessage()).isEqualTo("init container \"setup\" exited with code 3");
    var t = initStatus(s, "setup").getState().getTerminated();
    assertThat(t.getExitCode()).isEqualTo(3);
    assertThat(t.getReason()).isEqualTo("Error");
    assertThat(initStatus(s, "setup").getReady()).isFalse();
    assertThat(s.getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("PodInitializing");
    assertThat(condition(s, "Initialized").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Ready").getReason()).isEqualTo("PodCompleted");
  }

  @Test
  void aFailedInitContainerUnderAlwaysFailsThePodOnceAciFailsTheGroup() {
    var s =
        observe(
            pod("Always"),
            groupOf(
                "Failed",
                "Failed",
                inits(init("setup", view(0, completed(3), null)), init("migrate", null)),
                app("app", null),
                app("proxy", null)));
    assertThat(s.getPhase()).isEqualTo("Failed");
    assertThat(s.getReason()).isNull();
    assertThat(s.getMessage())
        .startsWith("init container \"setup\" exited with code 3, and ACI does not run")
        .contains("restartPolicy Always");
    assertThat(initStatus(s, "setup").getState().getTerminated().getExitCode()).isEqualTo(3);
  }

  @Test
  void aFailedInitContainerUnderAlwaysWaitsWhileAciHasNotFailedTheGroup() {
    var s =
        observe(
            pod("OnFailure"),
            groupOf(
                "Pending",
                "Pending",
                inits(init("setup", view(0, completed(3), null)), init("migrate", null)),
                app("app", null),
                app("proxy", null)));
    assertThat(s.getPhase()).isEqualTo("Pending");
    assertThat(s.getMessage()).isNull();
  }

  @Test
  void anInitContainerAciRestartsShowsItsRestartsAndLastState() {
    var s =
        observe(
            pod("Always"),
            groupOf(
                "Pending",
                "Pending",
                inits(init("setup", view(2, WAITING, completed(1))), init("migrate", null)),
                app("app", null),
                app("proxy", null)));
    ContainerStatus setup = initStatus(s, "setup");
    assertThat(setup.getRestartCount()).isEqualTo(2);
    assertThat(setup.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(setup.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(s.getPhase()).isEqualTo("Pending");
  }

  @Test
  void initContainersRunAgainInAReplacedGroupLeaveTheRunningPodInitialized() {
    Pod before =
        new PodBuilder(pod("Always"))
            .withNewStatus()
            .withPhase("Running")
            .addNewCondition()
            .withType("Initialized")
            .withStatus("True")
            .withLastTransitionTime("2024-10-16T05:00:00Z")
            .endCondition()
            .endStatus()
            .build();
    var s =
        observe(
            before,
            groupOf(
                "Pending",
                "Pending",
                inits(init("setup", view(0, RUNNING, null)), init("migrate", null)),
                app("app", view(0, WAITING, null)),
                app("proxy", view(0, WAITING, null))));
    assertThat(condition(s, "Initialized").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Initialized").getLastTransitionTime())
        .isEqualTo("2024-10-16T05:00:00Z");
    assertThat(initStatus(s, "setup").getState().getRunning()).as("as ACI says").isNotNull();
    assertThat(s.getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("ContainerCreating");
  }

  @Test
  void initContainerEventsAreForwarded() {
    var obs =
        PodStatusTranslator.observe(
            pod("Always"),
            groupOf(
                "Pending",
                "Pending",
                inits(init("setup", view(0, RUNNING, null)), init("migrate", null)),
                app("app", null),
                app("proxy", null)),
            NODE,
            NOW);
    assertThat(obs.events())
        .extracting(AciEvent::container, AciEvent::reason)
        .contains(org.assertj.core.groups.Tuple.tuple("setup", "Pulled"));
  }

  @Test
  void aPodWaitingForItsGroupShowsItsInitContainersWaiting() {
    var s =
        PodStatusTranslator.waiting(
            pod("Always"), "CreateContainerConfigError", "Secret \"x\" not found", NOW);
    assertThat(s.getInitContainerStatuses())
        .extracting(c -> c.getState().getWaiting().getReason())
        .containsExactly(
            "CreateContainerConfigError",
            "CreateContainerConfigError",
            "CreateContainerConfigError");
    assertThat(s.getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("PodInitializing");
    assertThat(condition(s, "Initialized").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Initialized").getMessage())
        .isEqualTo("containers with incomplete status: [setup migrate]");
  }

  @Test
  void aPodWithOnlyASidecarIsInitializedRightAway() {
    Pod pod =
        podBuilder(container("app").build())
            .editSpec()
            .withInitContainers(
                new ContainerBuilder()
                    .withName("proxy")
                    .withImage("nginx:1.27")
                    .withRestartPolicy("Always")
                    .build())
            .endSpec()
            .build();
    var s =
        observe(
            pod,
            groupOf(
                "Succeeded",
                "Running",
                inits(),
                app("app", view(0, RUNNING, null)),
                app("proxy", view(0, RUNNING, null))));
    assertThat(condition(s, "Initialized").getStatus()).isEqualTo("True");
    assertThat(s.getPhase()).isEqualTo("Running");
  }
}
