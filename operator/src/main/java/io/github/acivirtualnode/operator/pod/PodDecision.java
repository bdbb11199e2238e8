package io.github.acivirtualnode.operator.pod;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.github.acivirtualnode.operator.translation.InitContainers;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a worker does for a pod, from what is known about it and its container group. Pure: the
 * whole of the lifecycle's branching, unit-tested on its own.
 */
public final class PodDecision {
  private PodDecision() {}

  /** The next step for the pod. */
  public enum Action {
    /** Nothing is known about the resource group yet (no list since the start): ask again soon. */
    WAIT_FOR_LIST,
    /** Translate the pod and PUT its group. */
    CREATE,
    /** The group exists (or was just created): report what its last GET says. */
    OBSERVE,
    /**
     * The group runs other images than the pod's containers now name (the one change of a running
     * pod a kubelet acts on): replace the group, restarting its containers.
     */
    REPLACE,
    /**
     * The pod ran before (its status says so) but its group is not listed: have the observer
     * confirm with a GET before failing the pod. After an operator restart this tells a group that
     * vanished while the operator was down from one that was never made.
     */
    CONFIRM_ABSENCE,
    /** The group the pod ran in is gone although the pod was not deleted: fail the pod. */
    VANISHED,
    /** The pod is being deleted and its group may exist: DELETE the group first. */
    DELETE_GROUP,
    /** The pod is being deleted and its group is gone or going: final status, then remove it. */
    REMOVE_POD,
    /**
     * The pod has been active longer than its activeDeadlineSeconds: DELETE its group, as a kubelet
     * kills the containers, and fail the pod with reason DeadlineExceeded.
     */
    DEADLINE_EXCEEDED,
    /** A pod in a final phase: nothing to do (its group stays until the pod is deleted). */
    NOTHING
  }

  /**
   * What is known.
   *
   * @param deleting the pod has a deletionTimestamp
   * @param terminal the pod's phase is Succeeded or Failed
   * @param listed a list of the resource group has been answered since the controller started
   * @param groupExists the last list or a later GET shows the group
   * @param created this controller's PUT of the group was accepted
   * @param goneConfirmed a GET found no such group after it was expected or listed
   * @param podStarted the pod's status shows it ran (a phase past Pending, or a container that ran)
   * @param deleteRequested this controller's DELETE of the group was accepted
   * @param imageChanged the pod's containers name other images than the group runs ({@link
   *     #imageChanged})
   * @param deadlineExceeded the pod's activeDeadlineSeconds have passed since its start
   */
  public record Facts(
      boolean deleting,
      boolean terminal,
      boolean listed,
      boolean groupExists,
      boolean created,
      boolean goneConfirmed,
      boolean podStarted,
      boolean deleteRequested,
      boolean imageChanged,
      boolean deadlineExceeded) {
    /** What is known of a pod whose group's images, if any, are its own. */
    public Facts(
        boolean deleting,
        boolean terminal,
        boolean listed,
        boolean groupExists,
        boolean created,
        boolean goneConfirmed,
        boolean podStarted,
        boolean deleteRequested) {
      this(
          deleting,
          terminal,
          listed,
          groupExists,
          created,
          goneConfirmed,
          podStarted,
          deleteRequested,
          false,
          false);
    }
  }

  public static Action decide(Facts f) {
    if (f.deleting()) {
      if (f.deleteRequested() || f.goneConfirmed()) {
        return Action.REMOVE_POD;
      }
      if (!f.listed()) {
        return Action.WAIT_FOR_LIST;
      }
      return f.groupExists() || f.created() ? Action.DELETE_GROUP : Action.REMOVE_POD;
    }
    if (f.terminal()) {
      return Action.NOTHING;
    }
    if (f.deadlineExceeded()) {
      return Action.DEADLINE_EXCEEDED;
    }
    if (!f.listed()) {
      return Action.WAIT_FOR_LIST;
    }
    if (f.goneConfirmed()) {
      return f.created() || f.podStarted() ? Action.VANISHED : Action.CREATE;
    }
    if (f.groupExists() || f.created()) {
      return f.imageChanged() ? Action.REPLACE : Action.OBSERVE;
    }
    return f.podStarted() ? Action.CONFIRM_ABSENCE : Action.CREATE;
  }

  /**
   * When to look at the pod again for its activeDeadlineSeconds: the time left, for a live pod
   * whose deadline is still ahead; empty otherwise (no deadline, a final pod, a pod being deleted,
   * or a deadline already due, which this sync has acted on). Never a delay of zero or less: a
   * final pod past its deadline must not come back at once, for ever.
   */
  public static Optional<Duration> deadlineRecheck(
      Facts f, Optional<Instant> deadline, Instant now) {
    if (deadline.isEmpty() || f.terminal() || f.deleting() || !now.isBefore(deadline.get())) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, deadline.get()));
  }

  /**
   * The image of each of the pod's containers that run in the group's containers, by name: its app
   * containers and its sidecars (init containers with restartPolicy Always), not the init
   * containers that run to completion.
   */
  public static Map<String, String> images(Pod pod) {
    Map<String, String> images = new LinkedHashMap<>();
    for (Container c : InitContainers.groupContainers(pod)) {
      images.put(c.getName(), c.getImage());
    }
    return images;
  }

  /** The image of each of the group's containers, by name (empty for a group without any). */
  public static Map<String, String> images(ContainerGroupInner group) {
    Map<String, String> images = new LinkedHashMap<>();
    if (group != null && group.containers() != null) {
      group.containers().forEach(c -> images.put(c.name(), c.image()));
    }
    return images;
  }

  /**
   * Whether the pod's containers name other images than the group runs, by every account of the
   * group there is (a list, a GET, the spec of a replacement just sent): an account that already
   * shows the pod's images wins, so a list sent before the replacement does not replace it again.
   * Only the group's containers count (app containers and sidecars): a kubelet does not run the
   * init containers of an initialized pod again, and every other field of a pod's spec that may
   * change (activeDeadlineSeconds, tolerations, terminationGracePeriodSeconds) restarts nothing.
   *
   * @param accounts the images of the group's containers by name, one map per account
   */
  public static boolean imageChanged(Pod pod, Collection<Map<String, String>> accounts) {
    Map<String, String> wanted = images(pod);
    List<Map<String, String>> known =
        accounts.stream().filter(a -> a != null && !a.isEmpty()).toList();
    if (known.isEmpty()) {
      return false;
    }
    for (Map<String, String> account : known) {
      boolean differs =
          wanted.entrySet().stream()
              .anyMatch(
                  e ->
                      account.containsKey(e.getKey())
                          && !Objects.equals(account.get(e.getKey()), e.getValue()));
      if (!differs) {
        return false;
      }
    }
    return true;
  }
}
