package io.github.acivirtualnode.operator.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.github.acivirtualnode.operator.translation.ContainerRestarts;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Pod statuses the lifecycle needs beyond the translation's: what a pod shows as it goes. Pure. */
final class PodStatuses {
  /** Why a container was stopped: its group was deleted with the pod. */
  static final String GROUP_DELETED = "ContainerGroupDeleted";

  /** Why a container waits: its group is being created (or replaced). */
  static final String CONTAINER_CREATING = "ContainerCreating";

  /** Why a container stopped: its group was replaced to run a new image. */
  static final String GROUP_REPLACED = "ContainerGroupReplaced";

  private static final Set<String> READINESS = Set.of("Ready", "ContainersReady");

  private PodStatuses() {}

  /** Whether the pod's phase is final. */
  static boolean terminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /**
   * When the pod's activeDeadlineSeconds run out: counted from its status' startTime, as a kubelet
   * counts them; empty without a deadline or before the pod has started.
   */
  static Optional<Instant> deadline(Pod pod) {
    Long seconds = pod.getSpec() == null ? null : pod.getSpec().getActiveDeadlineSeconds();
    String start = pod.getStatus() == null ? null : pod.getStatus().getStartTime();
    if (seconds == null || start == null || start.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(start).plusSeconds(seconds));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Whether the pod's status shows that it ran: a phase past Pending, or a container that ran. */
  static boolean started(Pod pod) {
    PodStatus status = pod.getStatus();
    if (status == null) {
      return false;
    }
    if ("Running".equals(status.getPhase())) {
      return true;
    }
    for (ContainerStatus cs : nullSafe(status.getContainerStatuses())) {
      ContainerState state = cs.getState();
      if (state != null && (state.getRunning() != null || state.getTerminated() != null)) {
        return true;
      }
      if (cs.getRestartCount() != null && cs.getRestartCount() > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The kubelet's last word on a deleted pod whose group is gone: every container that had not
   * terminated is terminated (ACI reports no exit code for a deleted group: 137, as for a kill),
   * nothing is ready, and the phase is final: Succeeded if every container exited 0, else Failed.
   */
  static PodStatus terminated(Pod pod, Instant now) {
    PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<ContainerStatus> statuses = new ArrayList<>();
    boolean allSucceeded = !nullSafe(old.getContainerStatuses()).isEmpty();
    for (ContainerStatus cs : nullSafe(old.getContainerStatuses())) {
      ContainerState state = cs.getState();
      if (state != null && state.getTerminated() != null) {
        statuses.add(cs);
        Integer code = state.getTerminated().getExitCode();
        allSucceeded &= code != null && code == 0;
        continue;
      }
      allSucceeded = false;
      statuses.add(
          new ContainerStatusBuilder(cs)
              .withReady(false)
              .withStarted(false)
              .withLastState(
                  state != null && state.getRunning() != null ? state : cs.getLastState())
              .withState(
                  new ContainerStateBuilder()
                      .withNewTerminated()
                      .withExitCode(137)
                      .withReason(GROUP_DELETED)
                      .withMessage("the container group was deleted with the pod")
                      .withStartedAt(
                          state != null && state.getRunning() != null
                              ? state.getRunning().getStartedAt()
                              : null)
                      .withFinishedAt(at)
                      .endTerminated()
                      .build())
              .build());
    }
    List<PodCondition> conditions = new ArrayList<>();
    for (PodCondition c : nullSafe(old.getConditions())) {
      if (READINESS.contains(c.getType()) && !"False".equals(c.getStatus())) {
        conditions.add(
            new PodConditionBuilder(c)
                .withStatus("False")
                .withReason("PodCompleted")
                .withMessage(null)
                .withLastTransitionTime(at)
                .build());
      } else {
        conditions.add(c);
      }
    }
    String phase = old.getPhase();
    if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
      phase = allSucceeded ? "Succeeded" : "Failed";
    }
    return new PodStatusBuilder(old)
        .withPhase(phase)
        .withConditions(conditions)
        .withContainerStatuses(statuses)
        .build();
  }

  /**
   * What a pod shows once ARM accepted the replacement of its group (an image change): each
   * container that ran is restarted, as a kubelet restarts a container whose image changed: its
   * restartCount grows by one, its last state is the run that ended (ACI reports no exit code for a
   * replaced group: 137, as for a kill) and it waits, not ready, to start again with the image the
   * pod now names. The phase stays what it was: the pod runs on.
   */
  static PodStatus replacing(Pod pod, String groupName, Instant now) {
    PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<ContainerStatus> statuses = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Container spec : pod.getSpec().getContainers()) {
      names.add(spec.getName());
      ContainerStatus cs =
          nullSafe(old.getContainerStatuses()).stream()
              .filter(s -> spec.getName().equals(s.getName()))
              .findFirst()
              .orElse(null);
      ContainerState state = cs == null ? null : cs.getState();
      int restarts = cs == null || cs.getRestartCount() == null ? 0 : cs.getRestartCount();
      ContainerState last = cs == null ? new ContainerState() : cs.getLastState();
      if (state != null && state.getTerminated() != null) {
        last = state;
      } else if (state != null && state.getRunning() != null) {
        last =
            new ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(137)
                .withReason(GROUP_REPLACED)
                .withMessage("the container group was replaced to run image " + spec.getImage())
                .withStartedAt(state.getRunning().getStartedAt())
                .withFinishedAt(at)
                .endTerminated()
                .build();
      }
      statuses.add(
          new ContainerStatusBuilder()
              .withName(spec.getName())
              .withImage(spec.getImage())
              .withImageID("")
              .withRestartCount(ContainerRestarts.ran(cs) ? restarts + 1 : restarts)
              .withReady(false)
              .withStarted(false)
              .withLastState(last == null ? new ContainerState() : last)
              .withState(
                  new ContainerStateBuilder()
                      .withNewWaiting()
                      .withReason(CONTAINER_CREATING)
                      .withMessage(
                          "replacing ACI container group " + groupName + " for a new image")
                      .endWaiting()
                      .build())
              .build());
    }
    List<PodCondition> conditions = new ArrayList<>();
    String message = "containers with unready status: [" + String.join(" ", names) + "]";
    for (PodCondition c : nullSafe(old.getConditions())) {
      if (READINESS.contains(c.getType()) && !"False".equals(c.getStatus())) {
        conditions.add(
            new PodConditionBuilder(c)
                .withStatus("False")
                .withReason("ContainersNotReady")
                .withMessage(message)
                .withLastTransitionTime(at)
                .build());
      } else {
        conditions.add(c);
      }
    }
    return new PodStatusBuilder(old)
        .withConditions(conditions)
        .withContainerStatuses(statuses)
        .build();
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
