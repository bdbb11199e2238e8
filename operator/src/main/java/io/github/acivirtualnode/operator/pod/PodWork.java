package io.github.acivirtualnode.operator.pod;

/** A key of the pod controller's work queue. */
sealed interface PodWork {
  /** A pod bound to the node, by namespace and name (the informer's key). */
  record Pod(String namespace, String name) implements PodWork {
    static Pod of(io.fabric8.kubernetes.api.model.Pod pod) {
      return new Pod(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    }

    String storeKey() {
      return namespace + "/" + name;
    }
  }

  /** A container group of the node whose pod is gone, to delete. */
  record Orphan(String groupName) implements PodWork {}
}
