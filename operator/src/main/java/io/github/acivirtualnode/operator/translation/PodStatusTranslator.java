package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupPriority;
import com.azure.resourcemanager.containerinstance.models.Event;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * ACI container group to pod status, as a kubelet would report it.
 *
 * <p><b>Phase</b> follows the kubelet's rules over the containers: Pending while any container
 * waits to start for the first time; Running while any runs; when none runs and some have stopped,
 * Running under restartPolicy Always (or OnFailure with a failure: ACI restarts them), else
 * Succeeded if all exited 0, else Failed. On top of that, from the group: a provisioning state of
 * Failed fails the pod ({@code ProviderFailed}), a stopped Spot group fails it unless it succeeded
 * ({@code SpotEvicted}), and another group stopped outside Kubernetes fails a pod that would
 * otherwise count as Running ({@code ContainerGroupStopped}), as ACI will not restart it.
 *
 * <p><b>Ready</b>: a container without a readiness probe is ready while it runs (as with a
 * kubelet); one with a probe by the rule in {@link Readiness} (ACI reports probe failures, never
 * successes). The pod is Ready when all its containers are and its readiness gates are True.
 * Conditions keep their lastTransitionTime while their status holds; conditions of other types
 * (readiness gates, DisruptionTarget) are kept as they are.
 */
public final class PodStatusTranslator {
  /** The pod reason for a pod that ACI cannot run or that failed in ACI. */
  public static final String PROVIDER_FAILED = "ProviderFailed";

  /** The pod reason for a pod whose group was deleted outside Kubernetes. */
  public static final String GROUP_VANISHED = "ContainerGroupNotFound";

  /** A kubelet's reason for a pod stopped at its activeDeadlineSeconds. */
  public static final String DEADLINE_EXCEEDED = "DeadlineExceeded";

  /** The pod reason for a pod whose group was stopped outside Kubernetes. */
  public static final String GROUP_STOPPED = "ContainerGroupStopped";

  /**
   * The pod reason for a pod whose Spot group ACI evicted: a stopped Spot group (nobody but ACI
   * stops a group behind the operator's back, and for a Spot group the likely one is an eviction).
   */
  public static final String SPOT_EVICTED = "SpotEvicted";

  /** Why a container waits while the pod's init containers run (the kubelet's word). */
  static final String POD_INITIALIZING = "PodInitializing";

  static final String CONTAINER_CREATING = "ContainerCreating";

  static final Set<String> OWN_CONDITIONS =
      Set.of("PodScheduled", "Initialized", "ContainersReady", "Ready");

  private PodStatusTranslator() {}

  /**
   * The pod status a group implies.
   *
   * @param pod the pod as it is now (its status supplies transition times, restart counts)
   * @param group the group as a GET answers (a list answer has no instance view: nothing new)
   * @param node the pod's node (its address is the pod's hostIP)
   * @param now the time of the observation
   */
  public static StatusObservation observe(
      Pod pod, ContainerGroupInner group, NodeContext node, Instant now) {
    if (group.instanceView() == null) {
      return StatusObservation.nothingNew();
    }
    PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    String restartPolicy =
        pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
    List<AciEvent> events = new ArrayList<>();
    String uid = pod.getMetadata().getUid();
    events.addAll(events(uid, null, group.instanceView().events()));
    Instant recheck = null;

    // Init containers that run to completion: until each has exited 0 the pod is not initialized.
    Map<String, ContainerStatus> initStatuses = new LinkedHashMap<>();
    List<String> incomplete = new ArrayList<>();
    Container failedInit = null;
    Integer failedExit = null;
    for (Container spec : InitContainers.regular(pod)) {
      var aci =
          Lists.of(group.initContainers()).stream()
              .filter(c -> spec.getName().equals(c.name()))
              .findFirst()
              .orElse(null);
      var view = ContainerStatusTranslator.View.of(aci);
      var r =
          ContainerStatusTranslator.translate(
              spec,
              view,
              group.name(),
              find(old.getInitContainerStatuses(), spec.getName()),
              0,
              POD_INITIALIZING,
              now);
      boolean completed = r.terminated() && r.exitedOk();
      // As a kubelet reports them: ready once completed, started only while running.
      initStatuses.put(
          spec.getName(), new ContainerStatusBuilder(r.status()).withReady(completed).build());
      if (!completed) {
        incomplete.add(spec.getName());
      }
      if (r.terminated() && !r.exitedOk() && failedInit == null) {
        failedInit = spec;
        failedExit = r.status().getState().getTerminated().getExitCode();
      }
      if (view != null) {
        events.addAll(events(uid, spec.getName(), view.events()));
      }
    }
    // ACI runs init containers again when it replaces a running pod's group (an image change); a
    // kubelet never initializes a pod twice, so the pod stays initialized and Running meanwhile.
    boolean wasInitialized =
        "Running".equals(old.getPhase())
            && Lists.of(old.getConditions()).stream()
                .anyMatch(c -> "Initialized".equals(c.getType()) && "True".equals(c.getStatus()));
    boolean initialized = incomplete.isEmpty() || wasInitialized;
    String waitingReason = initialized ? CONTAINER_CREATING : POD_INITIALIZING;

    int pending = 0;
    int running = 0;
    int stopped = 0;
    int succeeded = 0;
    List<ContainerStatus> statuses = new ArrayList<>();
    List<String> unready = new ArrayList<>();
    List<Container> groupContainers = InitContainers.groupContainers(pod);
    int apps = pod.getSpec().getContainers().size();
    for (int i = 0; i < groupContainers.size(); i++) {
      Container spec = groupContainers.get(i);
      boolean sidecar = i >= apps;
      var aci =
          Lists.of(group.containers()).stream()
              .filter(c -> spec.getName().equals(c.name()))
              .findFirst()
              .orElse(null);
      ContainerStatus previous =
          find(
              sidecar ? old.getInitContainerStatuses() : old.getContainerStatuses(),
              spec.getName());
      var r =
          ContainerStatusTranslator.translate(
              spec,
              ContainerStatusTranslator.View.of(aci),
              group.name(),
              previous,
              ContainerRestarts.base(group, i),
              waitingReason,
              now);
      if (!Boolean.TRUE.equals(r.status().getReady())) {
        unready.add(spec.getName());
      }
      if (aci != null && aci.instanceView() != null) {
        events.addAll(events(uid, spec.getName(), aci.instanceView().events()));
      }
      if (r.recheckAt() != null && (recheck == null || r.recheckAt().isBefore(recheck))) {
        recheck = r.recheckAt();
      }
      if (sidecar) {
        // Reported where Kubernetes reports sidecars; the phase is the app containers' alone.
        initStatuses.put(spec.getName(), r.status());
        continue;
      }
      statuses.add(r.status());
      if (r.running() || r.replacing()) {
        running++; // a container restarting in a replaced group leaves the pod running
      } else if (r.terminated() || r.restarting()) {
        stopped++;
        if (r.terminated() && r.exitedOk()) {
          succeeded++;
        }
      } else {
        pending++;
      }
    }
    String phase =
        initialized ? phase(pending, running, stopped, succeeded, restartPolicy) : "Pending";
    String reason = null;
    String message = null;
    boolean groupFailed = "Failed".equalsIgnoreCase(group.provisioningState());
    if (!initialized && failedInit != null && ("Never".equals(restartPolicy) || groupFailed)) {
      // As a kubelet under Never: Failed, the init container's termination saying why (kubectl
      // shows Init:Error). Under Always or OnFailure a kubelet would run it again; ACI does not,
      // and fails the group: the pod cannot start.
      phase = "Failed";
      message =
          "init container \""
              + failedInit.getName()
              + "\" exited with code "
              + failedExit
              + ("Never".equals(restartPolicy)
                  ? ""
                  : ", and ACI does not run a failed init container again (a kubelet would, with"
                      + " back-off under restartPolicy "
                      + restartPolicy
                      + "): the pod cannot start");
    } else if (groupFailed) {
      phase = "Failed";
      reason = PROVIDER_FAILED;
      message = lastWarning(group, "ACI could not create the container group");
    } else if ("Stopped".equalsIgnoreCase(group.instanceView().state())
        && group.priority() == ContainerGroupPriority.SPOT
        && !"Succeeded".equals(phase)) {
      // Evicted: the containers are gone however they ended, and ACI will not bring them back.
      phase = "Failed";
      reason = SPOT_EVICTED;
      message = lastWarning(group, "ACI evicted the Spot container group");
    } else if ("Stopped".equalsIgnoreCase(group.instanceView().state())
        && "Running".equals(phase)
        && running == 0) {
      phase = "Failed";
      reason = GROUP_STOPPED;
      message = "the container group was stopped outside Kubernetes";
    }
    boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
    String podIp = group.ipAddress() == null ? null : group.ipAddress().ip();
    List<ContainerStatus> initOrdered = new ArrayList<>();
    for (Container spec : Lists.of(pod.getSpec().getInitContainers())) {
      initOrdered.add(initStatuses.get(spec.getName()));
    }
    PodStatus status =
        new PodStatusBuilder()
            .withPhase(phase)
            .withReason(reason)
            .withMessage(message)
            .withConditions(
                conditions(pod, old, initialized ? List.of() : incomplete, unready, terminal, now))
            .withInitContainerStatuses(initOrdered)
            .withContainerStatuses(statuses)
            .withHostIP(node.hostIp())
            .withHostIPs(node.hostIp() == null ? List.of() : List.of(new HostIP(node.hostIp())))
            .withPodIP(Lists.isBlank(podIp) ? null : podIp)
            .withPodIPs(Lists.isBlank(podIp) ? List.of() : List.of(new PodIP(podIp)))
            .withStartTime(
                old.getStartTime() != null
                    ? old.getStartTime()
                    : ContainerStatusTranslator.format(now))
            .withQosClass(old.getQosClass())
            .build();
    return new StatusObservation(Optional.of(status), events, Optional.ofNullable(recheck));
  }

  /**
   * The status of a pod whose container group is gone although the pod was not deleted: Failed, as
   * a kubelet reports containers it can no longer find, so that a controller replaces it.
   */
  public static PodStatus vanished(Pod pod, String groupName, Instant now) {
    PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    return failed(
        pod,
        old,
        GROUP_VANISHED,
        "the ACI container group " + groupName + " was deleted outside Kubernetes",
        killed(
            pod,
            old,
            "ContainerStatusUnknown",
            "The container could not be located when the pod was terminated",
            now),
        now);
  }

  /**
   * The status of a pod active longer than its activeDeadlineSeconds, whose group the caller
   * deletes: Failed with the kubelet's reason and message, every container killed.
   */
  public static PodStatus deadlineExceeded(Pod pod, Instant now) {
    PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    return failed(
        pod,
        old,
        DEADLINE_EXCEEDED,
        "Pod was active on the node longer than the specified deadline",
        killed(
            pod,
            old,
            DEADLINE_EXCEEDED,
            "the container was killed when the pod's activeDeadlineSeconds passed",
            now),
        now);
  }

  /** Every app container terminated with exit code 137, as a kill leaves it. */
  private static List<ContainerStatus> killed(
      Pod pod, PodStatus old, String reason, String message, Instant now) {
    List<ContainerStatus> statuses = new ArrayList<>();
    for (Container spec : pod.getSpec().getContainers()) {
      ContainerStatus previous = find(old.getContainerStatuses(), spec.getName());
      statuses.add(
          new ContainerStatusBuilder()
              .withName(spec.getName())
              .withImage(spec.getImage())
              .withImageID(previous == null ? "" : previous.getImageID())
              .withContainerID(previous == null ? null : previous.getContainerID())
              .withRestartCount(
                  previous == null || previous.getRestartCount() == null
                      ? 0
                      : previous.getRestartCount())
              .withReady(false)
              .withStarted(false)
              .withLastState(
                  previous == null || previous.getState() == null
                      ? new io.fabric8.kubernetes.api.model.ContainerState()
                      : previous.getState())
              .withState(
                  new ContainerStateBuilder()
                      .withNewTerminated()
                      .withExitCode(137)
                      .withReason(reason)
                      .withMessage(message)
                      .withFinishedAt(ContainerStatusTranslator.format(now))
                      .endTerminated()
                      .build())
              .build());
    }
    return statuses;
  }

  /**
   * The status of a pod that ACI cannot run as it stands: Failed with reason {@code ProviderFailed}
   * and the errors as message. For a {@link TranslationResult.Rejected#retriable} rejection use
   * {@link #waiting} instead.
   */
  public static PodStatus rejected(Pod pod, TranslationResult.Rejected rejection, Instant now) {
    PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    return failed(pod, old, PROVIDER_FAILED, rejection.message(), old.getContainerStatuses(), now);
  }

  /**
   * The status of a pod that waits before its group can be created (a missing Secret, ARM
   * throttling): Pending, each container waiting with the reason and message given (for example
   * {@code CreateContainerConfigError} and the rejection's message).
   */
  public static PodStatus waiting(Pod pod, String reason, String message, Instant now) {
    PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    List<String> incomplete = InitContainers.regular(pod).stream().map(Container::getName).toList();
    List<ContainerStatus> initStatuses = new ArrayList<>();
    for (Container spec : Lists.of(pod.getSpec().getInitContainers())) {
      initStatuses.add(waitingStatus(spec, reason, message));
    }
    List<ContainerStatus> statuses = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Container spec : pod.getSpec().getContainers()) {
      names.add(spec.getName());
      // Behind init containers, a container waits for them, as with a kubelet.
      statuses.add(
          incomplete.isEmpty()
              ? waitingStatus(spec, reason, message)
              : waitingStatus(spec, POD_INITIALIZING, null));
    }
    return new PodStatusBuilder(old)
        .withPhase("Pending")
        .withConditions(conditions(pod, old, incomplete, names, false, now))
        .withInitContainerStatuses(initStatuses)
        .withContainerStatuses(statuses)
        .withStartTime(
            old.getStartTime() != null ? old.getStartTime() : ContainerStatusTranslator.format(now))
        .build();
  }

  private static ContainerStatus waitingStatus(Container spec, String reason, String message) {
    return new ContainerStatusBuilder()
        .withName(spec.getName())
        .withImage(spec.getImage())
        .withImageID("")
        .withRestartCount(0)
        .withReady(false)
        .withStarted(false)
        .withLastState(new io.fabric8.kubernetes.api.model.ContainerState())
        .withState(
            new ContainerStateBuilder()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(message)
                .endWaiting()
                .build())
        .build();
  }

  private static PodStatus failed(
      Pod pod,
      PodStatus old,
      String reason,
      String message,
      List<ContainerStatus> statuses,
      Instant now) {
    List<String> names =
        pod.getSpec().getContainers().stream().map(Container::getName).collect(Collectors.toList());
    return new PodStatusBuilder(old)
        .withPhase("Failed")
        .withReason(reason)
        .withMessage(message)
        .withConditions(conditions(pod, old, incomplete(pod, old), names, true, now))
        .withContainerStatuses(statuses)
        .withStartTime(
            old.getStartTime() != null ? old.getStartTime() : ContainerStatusTranslator.format(now))
        .build();
  }

  /** The kubelet's phase rules (pkg/kubelet getPhase) over the container counts. */
  static String phase(int pending, int running, int stopped, int succeeded, String restartPolicy) {
    if (pending > 0) {
      return "Pending";
    }
    if (running > 0) {
      return "Running";
    }
    if (stopped > 0) {
      if ("Always".equals(restartPolicy)) {
        return "Running";
      }
      if (stopped == succeeded) {
        return "Succeeded";
      }
      if ("Never".equals(restartPolicy)) {
        return "Failed";
      }
      return "Running";
    }
    return "Pending";
  }

  /** The init containers (not sidecars) the status does not show completed with exit code 0. */
  private static List<String> incomplete(Pod pod, PodStatus old) {
    List<String> result = new ArrayList<>();
    for (Container spec : InitContainers.regular(pod)) {
      ContainerStatus s = find(old.getInitContainerStatuses(), spec.getName());
      var t = s == null || s.getState() == null ? null : s.getState().getTerminated();
      if (t == null || t.getExitCode() == null || t.getExitCode() != 0) {
        result.add(spec.getName());
      }
    }
    return result;
  }

  /**
   * @param incomplete the init containers that have not completed (Initialized is False while any
   *     has not)
   * @param unready the containers, app and sidecar, that are not ready
   */
  private static List<PodCondition> conditions(
      Pod pod,
      PodStatus old,
      List<String> incomplete,
      List<String> unready,
      boolean terminal,
      Instant now) {
    List<PodCondition> previous = Lists.of(old.getConditions());
    String containersReady = unready.isEmpty() && !terminal ? "True" : "False";
    String notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
    String notReadyMessage =
        terminal ? null : "containers with unready status: [" + String.join(" ", unready) + "]";
    List<String> gatesFalse = new ArrayList<>();
    for (var gate : Lists.of(pod.getSpec().getReadinessGates())) {
      PodCondition c = findCondition(previous, gate.getConditionType());
      if (c == null || !"True".equals(c.getStatus())) {
        gatesFalse.add(gate.getConditionType());
      }
    }
    String ready = containersReady;
    String readyReason = notReadyReason;
    String readyMessage = notReadyMessage;
    if ("True".equals(containersReady) && !gatesFalse.isEmpty()) {
      ready = "False";
      readyReason = "ReadinessGatesNotReady";
      readyMessage =
          "corresponding condition of pod readiness gate \""
              + gatesFalse.get(0)
              + "\" does not exist or is not True";
    }
    List<PodCondition> result = new ArrayList<>();
    result.add(
        incomplete.isEmpty()
            ? condition("Initialized", "True", null, null, previous, now)
            : condition(
                "Initialized",
                "False",
                "ContainersNotInitialized",
                "containers with incomplete status: [" + String.join(" ", incomplete) + "]",
                previous,
                now));
    result.add(
        condition(
            "Ready",
            ready,
            "True".equals(ready) ? null : readyReason,
            "True".equals(ready) ? null : readyMessage,
            previous,
            now));
    result.add(
        condition(
            "ContainersReady",
            containersReady,
            "True".equals(containersReady) ? null : notReadyReason,
            "True".equals(containersReady) ? null : notReadyMessage,
            previous,
            now));
    result.add(condition("PodScheduled", "True", null, null, previous, now));
    for (PodCondition c : previous) {
      if (!OWN_CONDITIONS.contains(c.getType())) {
        result.add(c);
      }
    }
    return result;
  }

  private static PodCondition condition(
      String type,
      String status,
      String reason,
      String message,
      List<PodCondition> previous,
      Instant now) {
    PodCondition before = findCondition(previous, type);
    String transition =
        before != null
                && status.equals(before.getStatus())
                && before.getLastTransitionTime() != null
            ? before.getLastTransitionTime()
            : ContainerStatusTranslator.format(now);
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(transition)
        .build();
  }

  private static List<AciEvent> events(String uid, String container, List<Event> events) {
    List<AciEvent> result = new ArrayList<>();
    for (Event e : Lists.of(events)) {
      Instant first = ContainerStatusTranslator.instant(e.firstTimestamp());
      Instant last = ContainerStatusTranslator.instant(e.lastTimestamp());
      result.add(
          new AciEvent(
              AciEvent.keyOf(uid, container, e.name(), e.message(), first),
              container,
              "Warning".equalsIgnoreCase(e.type()) ? "Warning" : "Normal",
              e.name(),
              e.message(),
              e.count() == null ? 1 : e.count(),
              first,
              last));
    }
    return result;
  }

  private static String lastWarning(ContainerGroupInner group, String fallback) {
    Event last = null;
    List<Event> all = new ArrayList<>(Lists.of(group.instanceView().events()));
    for (var c : Lists.of(group.containers())) {
      if (c.instanceView() != null) {
        all.addAll(Lists.of(c.instanceView().events()));
      }
    }
    for (Event e : all) {
      if ("Warning".equalsIgnoreCase(e.type())
          && e.message() != null
          && (last == null
              || (e.lastTimestamp() != null
                  && (last.lastTimestamp() == null
                      || !e.lastTimestamp().isBefore(last.lastTimestamp()))))) {
        last = e;
      }
    }
    return last == null ? fallback : fallback + ": " + last.message();
  }

  private static ContainerStatus find(List<ContainerStatus> statuses, String name) {
    return Lists.of(statuses).stream()
        .filter(s -> name.equals(s.getName()))
        .findFirst()
        .orElse(null);
  }

  private static PodCondition findCondition(List<PodCondition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }
}
