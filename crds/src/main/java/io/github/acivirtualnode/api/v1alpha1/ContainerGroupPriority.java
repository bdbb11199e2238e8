package io.github.acivirtualnode.api.v1alpha1;

/** The priority of a node's container groups; the names are ACI's own. */
public enum ContainerGroupPriority {
  Regular,
  /** Spare capacity at a lower price; ACI may evict the group. */
  Spot
}
