package io.github.acivirtualnode.controlplane;

import io.fabric8.kubernetes.api.model.Pod;

/** What tests ask of a pod's conditions. */
public final class PodConditions {
  private PodConditions() {}

  /** The scheduler tried and found no node for the pod. */
  public static boolean unschedulable(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(
                c -> "PodScheduled".equals(c.getType()) && "Unschedulable".equals(c.getReason()));
  }
}
