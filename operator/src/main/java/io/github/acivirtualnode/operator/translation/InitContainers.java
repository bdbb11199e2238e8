package io.github.acivirtualnode.operator.translation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of a pod's containers become what in a container group. A pod's init containers are of two
 * kinds: those that run to completion before the app containers start (restartPolicy unset), which
 * become the group's {@code initContainers}, and native sidecars (restartPolicy {@code Always},
 * Kubernetes 1.29+), which ACI has no notion of and which become regular containers of the group,
 * after the app containers. So the group's containers are the pod's app containers in spec order,
 * then its sidecars in spec order; restart counts ({@link ContainerRestarts}) use that order.
 */
public final class InitContainers {
  /** The restart policy that makes an init container a sidecar. */
  static final String SIDECAR_POLICY = "Always";

  private InitContainers() {}

  /** Whether the init container is a native sidecar (restartPolicy Always). */
  public static boolean isSidecar(Container initContainer) {
    return SIDECAR_POLICY.equals(initContainer.getRestartPolicy());
  }

  /** The pod's sidecars, in spec order. */
  public static List<Container> sidecars(Pod pod) {
    return Lists.of(spec(pod).getInitContainers()).stream()
        .filter(InitContainers::isSidecar)
        .toList();
  }

  /** The init containers that run to completion before the app containers, in spec order. */
  public static List<Container> regular(Pod pod) {
    return Lists.of(spec(pod).getInitContainers()).stream().filter(c -> !isSidecar(c)).toList();
  }

  /**
   * The pod containers that become the group's {@code containers}, in the group's order: the app
   * containers, then the sidecars.
   */
  public static List<Container> groupContainers(Pod pod) {
    List<Container> result = new ArrayList<>(Lists.of(spec(pod).getContainers()));
    result.addAll(sidecars(pod));
    return result;
  }

  private static PodSpec spec(Pod pod) {
    return pod.getSpec() == null ? new PodSpec() : pod.getSpec();
  }
}
