package io.github.acivirtualnode.api.v1alpha1;

/** The OS type of an ACI container group; the names are ACI's own. */
public enum OperatingSystem {
  Linux,
  Windows;

  /** The value of the kubernetes.io/os label. */
  public String kubernetesLabel() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
