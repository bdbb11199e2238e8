package io.github.acivirtualnode.operator.pod;

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
   */
  public record Facts(
      boolean deleting,
      boolean terminal,
      boolean listed,
      boolean groupExists,
      boolean created,
      boolean goneConfirmed,
      boolean podStarted,
      boolean deleteRequested) {}

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
    if (!f.listed()) {
      return Action.WAIT_FOR_LIST;
    }
    if (f.goneConfirmed()) {
      return f.created() || f.podStarted() ? Action.VANISHED : Action.CREATE;
    }
    if (f.groupExists() || f.created()) {
      return Action.OBSERVE;
    }
    return f.podStarted() ? Action.CONFIRM_ABSENCE : Action.CREATE;
  }
}
