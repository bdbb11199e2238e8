package io.github.acivirtualnode.operator.kubelet;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Finds what a pod-level request is about: the pod (from the API server), the virtual node it is
 * bound to, that node's backend and the pod's container group.
 */
final class PodTargets {
  /** A pod on one of the operator's virtual nodes. */
  record Target(Pod pod, String nodeName, Supplier<AciBackend> backend, String groupName) {

    /** The status of one of its containers, if the pod reports one. */
    Optional<ContainerStatus> status(String container) {
      if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
        return Optional.empty();
      }
      return pod.getStatus().getContainerStatuses().stream()
          .filter(s -> container.equals(s.getName()))
          .findFirst();
    }

    boolean hasContainer(String container) {
      return pod.getSpec().getContainers().stream().anyMatch(c -> container.equals(c.getName()))
          || (pod.getSpec().getInitContainers() != null
              && pod.getSpec().getInitContainers().stream()
                  .anyMatch(c -> container.equals(c.getName())));
    }
  }

  private final KubernetesClient client;
  private final Function<String, Optional<Supplier<AciBackend>>> backendOfNode;

  /**
   * @param backendOfNode the backend of a Node that is one of the operator's, or empty
   */
  PodTargets(
      KubernetesClient client, Function<String, Optional<Supplier<AciBackend>>> backendOfNode) {
    this.client = client;
    this.backendOfNode = backendOfNode;
  }

  /**
   * @throws KubeletApiException 404 when the pod does not exist or is not on a virtual node of this
   *     operator
   */
  Target find(String namespace, String name) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    if (pod == null) {
      throw new KubeletApiException(404, "pod " + namespace + "/" + name + " not found");
    }
    return current(pod);
  }

  /** The backend of a Node that is one of the operator's, or empty. */
  Optional<Supplier<AciBackend>> backendOfNode(String nodeName) {
    return backendOfNode.apply(nodeName);
  }

  /** The pod as the API server has it now. */
  Optional<Pod> reread(Target target) {
    return Optional.ofNullable(
        client
            .pods()
            .inNamespace(target.pod().getMetadata().getNamespace())
            .withName(target.pod().getMetadata().getName())
            .get());
  }

  private Target current(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    Optional<Supplier<AciBackend>> backend =
        node == null ? Optional.empty() : backendOfNode.apply(node);
    if (backend.isEmpty()) {
      throw new KubeletApiException(
          404,
          "pod "
              + pod.getMetadata().getNamespace()
              + "/"
              + pod.getMetadata().getName()
              + " is not on a virtual node of this operator");
    }
    return new Target(pod, node, backend.get(), GroupNaming.groupName(pod));
  }
}
