package io.github.acivirtualnode.api.v1alpha1;

/** The SKU of a node's container groups; the names are ACI's own. */
public enum ContainerGroupSku {
  Standard,
  /** A hardware-based trusted execution environment, Linux only. */
  Confidential
}
