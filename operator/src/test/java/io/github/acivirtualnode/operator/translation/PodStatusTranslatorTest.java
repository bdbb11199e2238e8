package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.NODE;
import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.group;
import static io.github.acivirtualnode.operator.translation.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodStatusTranslatorTest {
  private static final Instant NOW = Instant.parse("2024-10-16T05:20:00Z");

  private static String running(String name, String start) {
    return "{\"name\":\""
        + name
        + "\",\"properties\":{\"image\":\"nginx:1.27\",\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1.5}},"
        + "\"instanceView\":{\"restartCount\":0,\"currentState\":{\"state\":\"Running\",\"startTime\":\""
        + start
        + "\",\"detailStatus\":\"\"},"
        + "\"events\":[{\"count\":1,\"firstTimestamp\":\"2024-10-16T05:12:10Z\",\"lastTimestamp\":\"2024-10-16T05:12:10Z\",\"name\":\"Pulled\","
        + "\"message\":\"Successfully pulled image \\\"nginx@sha256:"
        + "a".repeat(64)
        + "\\\"\",\"type\":\"Normal\"}]}}}";
  }

  private static String aciContainer(String name, String instanceView) {
    return "{\"name\":\""
        + name
        + "\",\"properties\":{\"image\":\"nginx:1.27\",\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1.5}}"
        + (instanceView == null ? "" : ",\"instanceView\":" + instanceView)
        + "}}";
  }

  private static String terminated(int exit, String detail) {
    return "{\"state\":\"Terminated\",\"startTime\":\"2024-10-16T05:12:17Z\",\"exitCode\":"
        + exit
        + ",\"finishTime\":\"2024-10-16T05:13:00Z\",\"detailStatus\":\""
        + detail
        + "\"}";
  }

  private static ContainerGroupInner groupOf(
      String provisioning, String state, String ip, String... containers) {
    return group(
        "{\"name\":\"g\",\"location\":\"westeurope\",\"properties\":{\"provisioningState\":\""
            + provisioning
            + "\","
            + "\"osType\":\"Linux\",\"containers\":["
            + String.join(",", containers)
            + "]"
            + (ip == null
                ? ""
                : ",\"ipAddress\":{\"type\":\"Public\",\"ip\":\""
                    + ip
                    + "\",\"ports\":[{\"port\":80}]}")
            + (state == null ? "" : ",\"instanceView\":{\"state\":\"" + state + "\",\"events\":[]}")
            + "}}");
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

  private static Pod withPolicy(Pod pod, String policy) {
    return new PodBuilder(pod).editSpec().withRestartPolicy(policy).endSpec().build();
  }

  @Test
  void aListAnswerWithoutInstanceViewSaysNothingNew() {
    var obs =
        PodStatusTranslator.observe(
            pod(),
            groupOf("Succeeded", null, null, running("app", "2024-10-16T05:12:17Z")),
            NODE,
            NOW);
    assertThat(obs.status()).isEmpty();
    assertThat(obs.events()).isEmpty();
    assertThat(obs.recheckAt()).isEmpty();
  }

  @Test
  void aRunningGroupIsARunningReadyPod() {
    var s =
        observe(
            pod(),
            groupOf("Succeeded", "Running", "20.1.2.3", running("app", "2024-10-16T05:12:17.94Z")));
    assertThat(s.getPhase()).isEqualTo("Running");
    assertThat(s.getPodIP()).isEqualTo("20.1.2.3");
    assertThat(s.getPodIPs()).extracting(p -> p.getIp()).containsExactly("20.1.2.3");
    assertThat(s.getHostIP()).isEqualTo("10.0.0.9");
    assertThat(s.getStartTime()).isEqualTo("2024-10-16T05:20:00Z");
    ContainerStatus c = s.getContainerStatuses().get(0);
    assertThat(c.getName()).isEqualTo("app");
    assertThat(c.getState().getRunning().getStartedAt()).isEqualTo("2024-10-16T05:12:17Z");
    assertThat(c.getReady()).isTrue();
    assertThat(c.getStarted()).isTrue();
    assertThat(c.getRestartCount()).isZero();
    assertThat(c.getImage()).isEqualTo("nginx:1.27");
    assertThat(c.getImageID()).isEqualTo("nginx@sha256:" + "a".repeat(64));
    assertThat(c.getContainerID()).isEqualTo("aci://g/app");
    assertThat(s.getConditions())
        .extracting(PodCondition::getType)
        .containsExactly("Initialized", "Ready", "ContainersReady", "PodScheduled");
    assertThat(s.getConditions()).allSatisfy(x -> assertThat(x.getStatus()).isEqualTo("True"));
  }

  @Test
  void pendingProvisioningIsAPendingPodWithCreatingContainers() {
    var s = observe(pod(), groupOf("Pending", "Pending", null, aciContainer("app", null)));
    assertThat(s.getPhase()).isEqualTo("Pending");
    assertThat(s.getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("ContainerCreating");
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Ready").getReason()).isEqualTo("ContainersNotReady");
    assertThat(condition(s, "ContainersReady").getMessage())
        .isEqualTo("containers with unready status: [app]");
    assertThat(s.getPodIP()).isNull();
  }

  @Test
  void waitingWithADetailGivesItsReason() {
    var s =
        observe(
            pod(),
            groupOf(
                "Succeeded",
                "Running",
                null,
                aciContainer(
                    "app",
                    "{\"restartCount\":0,\"currentState\":{\"state\":\"Waiting\",\"detailStatus\":\"ImagePullBackOff: back-off pulling\"}}")));
    var w = s.getContainerStatuses().get(0).getState().getWaiting();
    assertThat(w.getReason()).isEqualTo("ImagePullBackOff");
    assertThat(w.getMessage()).isEqualTo("back-off pulling");
    assertThat(s.getPhase()).isEqualTo("Pending");
  }

  @ParameterizedTest(name = "{0} exit {1} -> {2}")
  @CsvSource({
    "Never,0,Succeeded",
    "Never,1,Failed",
    "OnFailure,0,Succeeded",
    "OnFailure,1,Running",
    "Always,0,Running",
    "Always,1,Running"
  })
  void terminatedContainersGiveThePhaseAKubeletWould(String policy, int exit, String phase) {
    var s =
        observe(
            withPolicy(pod(), policy),
            groupOf(
                "Succeeded",
                "Succeeded",
                null,
                aciContainer(
                    "app", "{\"restartCount\":0,\"currentState\":" + terminated(exit, "") + "}")));
    assertThat(s.getPhase()).isEqualTo(phase);
    var t = s.getContainerStatuses().get(0).getState().getTerminated();
    assertThat(t.getExitCode()).isEqualTo(exit);
    assertThat(t.getReason()).isEqualTo(exit == 0 ? "Completed" : "Error");
    assertThat(t.getStartedAt()).isEqualTo("2024-10-16T05:12:17Z");
    assertThat(t.getFinishedAt()).isEqualTo("2024-10-16T05:13:00Z");
    assertThat(s.getContainerStatuses().get(0).getReady()).isFalse();
    assertThat(s.getContainerStatuses().get(0).getStarted()).isFalse();
  }

  @Test
  void terminalPodsAreNotReadyWithReasonPodCompleted() {
    var s =
        observe(
            withPolicy(pod(), "Never"),
            groupOf(
                "Succeeded",
                "Succeeded",
                null,
                aciContainer("app", "{\"currentState\":" + terminated(0, "Completed") + "}")));
    assertThat(condition(s, "Ready").getReason()).isEqualTo("PodCompleted");
    assertThat(condition(s, "ContainersReady").getStatus()).isEqualTo("False");
  }

  @Test
  void aDetailLikeOomKilledBecomesTheReason() {
    var s =
        observe(
            withPolicy(pod(), "Never"),
            groupOf(
                "Succeeded",
                "Succeeded",
                null,
                aciContainer("app", "{\"currentState\":" + terminated(137, "OOMKilled") + "}")));
    assertThat(s.getContainerStatuses().get(0).getState().getTerminated().getReason())
        .isEqualTo("OOMKilled");
  }

  @Test
  void restartsKeepLastStateAndCount() {
    var iv =
        "{\"restartCount\":2,\"currentState\":{\"state\":\"Running\",\"startTime\":\"2024-10-16T05:12:49Z\"},"
            + "\"previousState\":"
            + terminated(1, "Error")
            + "}";
    var s = observe(pod(), groupOf("Succeeded", "Running", null, aciContainer("app", iv)));
    var c = s.getContainerStatuses().get(0);
    assertThat(c.getRestartCount()).isEqualTo(2);
    assertThat(c.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    assertThat(c.getState().getRunning()).isNotNull();
  }

  @Test
  void aCrashLoopWaitingAfterARunCountsAsStopped() {
    var iv =
        "{\"restartCount\":3,\"currentState\":{\"state\":\"Waiting\",\"detailStatus\":\"\"},\"previousState\":"
            + terminated(2, "Error")
            + "}";
    var s = observe(pod(), groupOf("Succeeded", "Running", null, aciContainer("app", iv)));
    assertThat(s.getContainerStatuses().get(0).getState().getWaiting().getReason())
        .isEqualTo("CrashLoopBackOff");
    assertThat(s.getPhase()).isEqualTo("Running");
    var never =
        observe(
            withPolicy(pod(), "Never"),
            groupOf("Succeeded", "Running", null, aciContainer("app", iv)));
    assertThat(never.getPhase()).isEqualTo("Failed");
  }

  @Test
  void restartCountNeverGoesBack() {
    Pod pod =
        new PodBuilder(pod())
            .withNewStatus()
            .addNewContainerStatus()
            .withName("app")
            .withRestartCount(5)
            .endContainerStatus()
            .endStatus()
            .build();
    var s =
        observe(pod, groupOf("Succeeded", "Running", null, running("app", "2024-10-16T05:12:17Z")));
    assertThat(s.getContainerStatuses().get(0).getRestartCount()).isEqualTo(5);
  }

  @Test
  void failedProvisioningFailsThePodWithTheWarning() {
    var g =
        group(
            "{\"name\":\"g\",\"properties\":{\"provisioningState\":\"Failed\",\"containers\":["
                + aciContainer("app", null)
                + "],"
                + "\"instanceView\":{\"state\":\"Pending\",\"events\":[{\"count\":1,\"lastTimestamp\":\"2017-10-08T00:19:10Z\",\"name\":\"FailedMount\","
                + "\"message\":\"Output: mount error(2): Permission denied\",\"type\":\"Warning\"}]}}}");
    var s = observe(pod(), g);
    assertThat(s.getPhase()).isEqualTo("Failed");
    assertThat(s.getReason()).isEqualTo(PodStatusTranslator.PROVIDER_FAILED);
    assertThat(s.getMessage()).contains("Permission denied");
  }

  @Test
  void aStoppedGroupFailsAPodThatWouldRestart() {
    var s =
        observe(
            pod(),
            groupOf(
                "Succeeded",
                "Stopped",
                null,
                aciContainer("app", "{\"currentState\":" + terminated(0, "") + "}")));
    assertThat(s.getPhase()).isEqualTo("Failed");
    assertThat(s.getReason()).isEqualTo(PodStatusTranslator.GROUP_STOPPED);
  }

  private static ContainerGroupInner evictedSpotGroup(String events) {
    return group(
        "{\"name\":\"g\",\"location\":\"westeurope\",\"properties\":{"
            + "\"provisioningState\":\"Succeeded\",\"priority\":\"Spot\",\"osType\":\"Linux\","
            + "\"containers\":["
            + aciContainer("app", null)
            + "],\"instanceView\":{\"state\":\"Stopped\",\"events\":["
            + events
            + "]}}}");
  }

  @Test
  void anEvictedSpotGroupFailsThePodWithItsOwnReasonAndAcisMessage() {
    var s =
        observe(
            pod(),
            evictedSpotGroup(
                "{\"count\":1,\"firstTimestamp\":\"2024-10-16T05:19:00Z\","
                    + "\"lastTimestamp\":\"2024-10-16T05:19:00Z\",\"name\":\"Evicted\","
                    + "\"message\":\"capacity reclaimed\",\"type\":\"Warning\"}"));
    assertThat(s.getPhase()).isEqualTo("Failed");
    assertThat(s.getReason()).isEqualTo(PodStatusTranslator.SPOT_EVICTED);
    assertThat(s.getMessage())
        .isEqualTo("ACI evicted the Spot container group: capacity reclaimed");
  }

  @Test
  void anEvictedSpotGroupWithoutEventsStillSaysEvicted() {
    var s = observe(pod(), evictedSpotGroup(""));
    assertThat(s.getPhase()).isEqualTo("Failed");
    assertThat(s.getReason()).isEqualTo(PodStatusTranslator.SPOT_EVICTED);
    assertThat(s.getMessage()).isEqualTo("ACI evicted the Spot container group");
  }

  @Test
  void aRunningSpotGroupIsJustRunning() {
    var g =
        group(
            "{\"name\":\"g\",\"location\":\"westeurope\",\"properties\":{"
                + "\"provisioningState\":\"Succeeded\",\"priority\":\"Spot\","
                + "\"osType\":\"Linux\",\"containers\":["
                + running("app", "2024-10-16T05:00:00Z")
                + "],\"instanceView\":{\"state\":\"Running\",\"events\":[]}}}");
    var s = observe(pod(), g);
    assertThat(s.getPhase()).isEqualTo("Running");
    assertThat(s.getReason()).isNull();
  }

  @Test
  void transitionTimesAreKeptWhileTheStatusHolds() {
    Pod before =
        new PodBuilder(pod())
            .withNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .withLastTransitionTime("2024-01-01T00:00:00Z")
            .endCondition()
            .addNewCondition()
            .withType("ContainersReady")
            .withStatus("False")
            .withLastTransitionTime("2024-01-01T00:00:00Z")
            .endCondition()
            .addNewCondition()
            .withType("DisruptionTarget")
            .withStatus("True")
            .endCondition()
            .withStartTime("2024-01-01T00:00:00Z")
            .endStatus()
            .build();
    var s =
        observe(
            before, groupOf("Succeeded", "Running", null, running("app", "2024-10-16T05:12:17Z")));
    assertThat(condition(s, "Ready").getLastTransitionTime()).isEqualTo("2024-01-01T00:00:00Z");
    assertThat(condition(s, "ContainersReady").getLastTransitionTime())
        .isEqualTo("2024-10-16T05:20:00Z");
    assertThat(condition(s, "DisruptionTarget").getStatus()).isEqualTo("True");
    assertThat(s.getStartTime()).isEqualTo("2024-01-01T00:00:00Z");
  }

  private static Pod withReadinessProbe() {
    return pod(
        container("app")
            .withNewReadinessProbe()
            .withNewHttpGet()
            .withPort(new IntOrString(80))
            .endHttpGet()
            .withInitialDelaySeconds(5)
            .withPeriodSeconds(10)
            .withSuccessThreshold(1)
            .withTimeoutSeconds(1)
            .endReadinessProbe()
            .build());
  }

  private static String runningWithEvents(String start, String events) {
    return aciContainer(
        "app",
        "{\"restartCount\":0,\"currentState\":{\"state\":\"Running\",\"startTime\":\""
            + start
            + "\"},\"events\":["
            + events
            + "]}");
  }

  @Test
  void aContainerWithAReadinessProbeIsNotReadyBeforeTheProbeCanHavePassed() {
    var obs =
        PodStatusTranslator.observe(
            withReadinessProbe(),
            groupOf("Succeeded", "Running", null, runningWithEvents("2024-10-16T05:19:58Z", "")),
            NODE,
            NOW);
    var s = obs.status().orElseThrow();
    assertThat(s.getPhase()).isEqualTo("Running");
    assertThat(s.getContainerStatuses().get(0).getReady()).isFalse();
    assertThat(s.getContainerStatuses().get(0).getStarted()).isTrue();
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(obs.recheckAt()).contains(Instant.parse("2024-10-16T05:20:03Z"));
  }

  @Test
  void aContainerWithAReadinessProbeIsReadyOnceItCanHavePassedWithoutFailures() {
    var s =
        observe(
            withReadinessProbe(),
            groupOf("Succeeded", "Running", null, runningWithEvents("2024-10-16T05:19:00Z", "")));
    assertThat(s.getContainerStatuses().get(0).getReady()).isTrue();
  }

  private static String readinessFailure(String at) {
    return "{\"count\":3,\"firstTimestamp\":\"2024-10-16T05:10:00Z\",\"lastTimestamp\":\""
        + at
        + "\",\"name\":\"Unhealthy\","
        + "\"message\":\"Readiness probe failed: HTTP probe failed with statuscode: 503\",\"type\":\"Warning\"}";
  }

  @Test
  void aRecentReadinessFailureMakesItUnready() {
    var obs =
        PodStatusTranslator.observe(
            withReadinessProbe(),
            groupOf(
                "Succeeded",
                "Running",
                null,
                runningWithEvents(
                    "2024-10-16T05:00:00Z", readinessFailure("2024-10-16T05:19:55Z"))),
            NODE,
            NOW);
    assertThat(obs.status().orElseThrow().getContainerStatuses().get(0).getReady()).isFalse();
    assertThat(obs.recheckAt()).contains(Instant.parse("2024-10-16T05:20:06Z"));
  }

  @Test
  void anOldReadinessFailureNoLongerCounts() {
    var s =
        observe(
            withReadinessProbe(),
            groupOf(
                "Succeeded",
                "Running",
                null,
                runningWithEvents(
                    "2024-10-16T05:00:00Z", readinessFailure("2024-10-16T05:15:00Z"))));
    assertThat(s.getContainerStatuses().get(0).getReady()).isTrue();
  }

  @Test
  void aFailureBeforeTheContainerStartedDoesNotCount() {
    var s =
        observe(
            withReadinessProbe(),
            groupOf(
                "Succeeded",
                "Running",
                null,
                runningWithEvents(
                    "2024-10-16T05:19:50Z", readinessFailure("2024-10-16T05:19:49Z"))));
    assertThat(s.getContainerStatuses().get(0).getReady()).isTrue();
  }

  @Test
  void readinessGatesHoldReadyBack() {
    Pod pod =
        new PodBuilder(pod()).editSpec().addNewReadinessGate("example.com/lb").endSpec().build();
    var s =
        observe(pod, groupOf("Succeeded", "Running", null, running("app", "2024-10-16T05:12:17Z")));
    assertThat(condition(s, "ContainersReady").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Ready").getReason()).isEqualTo("ReadinessGatesNotReady");
  }

  @Test
  void oneOfTwoContainersPendingKeepsThePodPending() {
    var s =
        observe(
            pod(container("a").build(), container("b").build()),
            groupOf(
                "Creating",
                "Pending",
                null,
                running("a", "2024-10-16T05:12:17Z"),
                aciContainer("b", null)));
    assertThat(s.getPhase()).isEqualTo("Pending");
    assertThat(s.getContainerStatuses())
        .extracting(ContainerStatus::getName)
        .containsExactly("a", "b");
    assertThat(condition(s, "ContainersReady").getMessage())
        .isEqualTo("containers with unready status: [b]");
  }

  @Test
  void eventsAreListedWithStableKeys() {
    var g = groupOf("Succeeded", "Running", null, running("app", "2024-10-16T05:12:17Z"));
    var events = PodStatusTranslator.observe(pod(), g, NODE, NOW).events();
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.container()).isEqualTo("app");
              assertThat(e.fieldPath()).isEqualTo("spec.containers{app}");
              assertThat(e.reason()).isEqualTo("Pulled");
              assertThat(e.type()).isEqualTo("Normal");
              assertThat(e.count()).isEqualTo(1);
              assertThat(e.firstTimestamp()).isEqualTo(Instant.parse("2024-10-16T05:12:10Z"));
              assertThat(e.key()).hasSize(16).matches("[0-9a-f]+");
            });
    var again = PodStatusTranslator.observe(pod(), g, NODE, NOW.plusSeconds(600)).events();
    assertThat(again.get(0).key()).isEqualTo(events.get(0).key());
  }

  @Test
  void aRepeatedEventKeepsItsKeyAndRaisesItsCount() {
    String first =
        "{\"count\":1,\"firstTimestamp\":\"2024-10-16T05:12:18Z\",\"lastTimestamp\":\"2024-10-16T05:12:18Z\",\"name\":\"Failed\",\"message\":\"Liveness probe failed:\",\"type\":\"Warning\"}";
    String later =
        first
            .replace("\"count\":1", "\"count\":2")
            .replace(
                "\"lastTimestamp\":\"2024-10-16T05:12:18Z\"",
                "\"lastTimestamp\":\"2024-10-16T05:13:12Z\"");
    var a =
        PodStatusTranslator.observe(
                pod(),
                groupOf(
                    "Succeeded", "Running", null, runningWithEvents("2024-10-16T05:12:17Z", first)),
                NODE,
                NOW)
            .events()
            .get(0);
    var b =
        PodStatusTranslator.observe(
                pod(),
                groupOf(
                    "Succeeded", "Running", null, runningWithEvents("2024-10-16T05:12:17Z", later)),
                NODE,
                NOW)
            .events()
            .get(0);
    assertThat(b.key()).isEqualTo(a.key());
    assertThat(b.count()).isEqualTo(2);
    assertThat(b.type()).isEqualTo("Warning");
    assertThat(b.lastTimestamp()).isEqualTo(Instant.parse("2024-10-16T05:13:12Z"));
  }

  @Test
  void aVanishedGroupFailsThePod() {
    Pod pod =
        new PodBuilder(pod())
            .withNewStatus()
            .withPhase("Running")
            .addNewContainerStatus()
            .withName("app")
            .withRestartCount(1)
            .withNewState()
            .withNewRunning("2024-10-16T05:12:17Z")
            .endState()
            .endContainerStatus()
            .endStatus()
            .build();
    PodStatus s = PodStatusTranslator.vanished(pod, "g", NOW);
    assertThat(s.getPhase()).isEqualTo("Failed");
    assertThat(s.getReason()).isEqualTo(PodStatusTranslator.GROUP_VANISHED);
    assertThat(s.getMessage()).contains("g").contains("deleted outside Kubernetes");
    var c = s.getContainerStatuses().get(0);
    assertThat(c.getState().getTerminated().getExitCode()).isEqualTo(137);
    assertThat(c.getState().getTerminated().getReason()).isEqualTo("ContainerStatusUnknown");
    assertThat(c.getLastState().getRunning()).isNotNull();
    assertThat(c.getRestartCount()).isEqualTo(1);
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void aPodPastItsDeadlineFailsAsAKubeletReportsIt() {
    Pod pod =
        new PodBuilder(pod())
            .withNewStatus()
            .withPhase("Running")
            .withStartTime("2024-10-16T05:12:10Z")
            .addNewContainerStatus()
            .withName("app")
            .withRestartCount(0)
            .withNewState()
            .withNewRunning("2024-10-16T05:12:17Z")
            .endState()
            .endContainerStatus()
            .endStatus()
            .build();
    PodStatus s = PodStatusTranslator.deadlineExceeded(pod, NOW);
    assertThat(s.getPhase()).isEqualTo("Failed");
    assertThat(s.getReason()).isEqualTo("DeadlineExceeded");
    assertThat(s.getMessage())
        .isEqualTo("Pod was active on the node longer than the specified deadline");
    assertThat(s.getStartTime()).isEqualTo("2024-10-16T05:12:10Z");
    var c = s.getContainerStatuses().get(0);
    assertThat(c.getState().getTerminated().getExitCode()).isEqualTo(137);
    assertThat(c.getState().getTerminated().getReason()).isEqualTo("DeadlineExceeded");
    assertThat(c.getLastState().getRunning()).isNotNull();
    assertThat(c.getReady()).isFalse();
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");
  }

  @Test
  void aRejectedPodFailsWithProviderFailed() {
    var rejection =
        new TranslationResult.Rejected(
            List.of(TranslationError.unsupported("spec.containers[0].workingDir", "no")));
    PodStatus s = PodStatusTranslator.rejected(pod(), rejection, NOW);
    assertThat(s.getPhase()).isEqualTo("Failed");
    assertThat(s.getReason()).isEqualTo("ProviderFailed");
    assertThat(s.getMessage()).isEqualTo("spec.containers[0].workingDir: no");
  }

  @Test
  void aWaitingPodIsPendingWithTheReason() {
    PodStatus s =
        PodStatusTranslator.waiting(
            pod(), "CreateContainerConfigError", "Secret \"db\" not found", NOW);
    assertThat(s.getPhase()).isEqualTo("Pending");
    var w = s.getContainerStatuses().get(0).getState().getWaiting();
    assertThat(w.getReason()).isEqualTo("CreateContainerConfigError");
    assertThat(w.getMessage()).isEqualTo("Secret \"db\" not found");
  }

  private static ContainerGroupInner replacement(String base, ContainerGroupInner group) {
    return group.withTags(java.util.Map.of(ContainerRestarts.TAG, base));
  }

  @Test
  void aReplacementGroupCountsOnFromTheRestartsBeforeIt() {
    var iv =
        "{\"restartCount\":1,\"currentState\":{\"state\":\"Running\",\"startTime\":\"2024-10-16T05:12:49Z\"},"
            + "\"previousState\":"
            + terminated(1, "Error")
            + "}";
    var s =
        observe(
            pod(),
            replacement("3", groupOf("Succeeded", "Running", null, aciContainer("app", iv))));
    assertThat(s.getContainerStatuses().get(0).getRestartCount()).isEqualTo(4);
    var fresh =
        observe(
            pod(),
            replacement(
                "3",
                groupOf("Succeeded", "Running", null, running("app", "2024-10-16T05:12:17Z"))));
    assertThat(fresh.getContainerStatuses().get(0).getRestartCount()).isEqualTo(3);
  }

  @Test
  void aContainerNotYetStartedInAReplacementIsCreatedWhileThePodRunsOn() {
    Pod replaced =
        new PodBuilder(withPolicy(pod(), "Never"))
            .withNewStatus()
            .withPhase("Running")
            .addNewContainerStatus()
            .withName("app")
            .withRestartCount(1)
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(137)
            .withReason("ContainerGroupReplaced")
            .endTerminated()
            .endLastState()
            .withNewState()
            .withNewWaiting()
            .withReason("ContainerCreating")
            .endWaiting()
            .endState()
            .endContainerStatus()
            .endStatus()
            .build();
    var waiting =
        "{\"restartCount\":0,\"currentState\":{\"state\":\"Waiting\",\"detailStatus\":\"\"}}";
    var s =
        observe(
            replaced,
            replacement("1", groupOf("Pending", "Pending", null, aciContainer("app", waiting))));
    ContainerStatus c = s.getContainerStatuses().get(0);
    assertThat(c.getState().getWaiting().getReason())
        .as("not a crash loop: it has not run in this group yet")
        .isEqualTo("ContainerCreating");
    assertThat(c.getRestartCount()).isEqualTo(1);
    assertThat(c.getLastState().getTerminated().getReason()).isEqualTo("ContainerGroupReplaced");
    assertThat(c.getReady()).isFalse();
    assertThat(s.getPhase())
        .as("neither Pending again nor Failed under Never")
        .isEqualTo("Running");
    assertThat(condition(s, "Ready").getStatus()).isEqualTo("False");

    var none = observe(replaced, groupOf("Pending", "Pending", null, aciContainer("app", waiting)));
    assertThat(none.getContainerStatuses().get(0).getState().getWaiting().getReason())
        .as("without a replacement's tag, a wait after a run is a crash loop")
        .isEqualTo("CrashLoopBackOff");
  }

  @ParameterizedTest(name = "pending={0} running={1} stopped={2} succeeded={3} {4} -> {5}")
  @CsvSource({
    "1,1,0,0,Always,Pending", "0,1,1,1,Never,Running", "0,0,2,2,Never,Succeeded",
    "0,0,2,1,Never,Failed", "0,0,2,1,OnFailure,Running", "0,0,2,2,OnFailure,Succeeded",
    "0,0,2,2,Always,Running", "0,0,0,0,Always,Pending"
  })
  void phaseRules(
      int pending, int running, int stopped, int succeeded, String policy, String phase) {
    assertThat(PodStatusTranslator.phase(pending, running, stopped, succeeded, policy))
        .isEqualTo(phase);
  }
}
