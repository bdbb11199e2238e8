package io.github.acivirtualnode.operator.translation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Secrets and ConfigMaps a pod references, read by the caller from the pod's own namespace (as
 * a kubelet reads them), keyed by name. A name that is absent means the object does not exist.
 *
 * <p>{@link #referencedBy(Pod)} says which names to read, so that the caller never reads an object
 * that no pod references.
 */
public record PodReferences(Map<String, Secret> secrets, Map<String, ConfigMap> configMaps) {
  public PodReferences {
    secrets = Map.copyOf(secrets);
    configMaps = Map.copyOf(configMaps);
  }

  public static PodReferences none() {
    return new PodReferences(Map.of(), Map.of());
  }

  Secret secret(String name) {
    return name == null ? null : secrets.get(name);
  }

  ConfigMap configMap(String name) {
    return name == null ? null : configMaps.get(name);
  }

  /**
   * The names of the Secrets and ConfigMaps in the pod's namespace that its translation reads.
   *
   * @param secrets Secret names (image pull secrets, secret volumes, env and envFrom)
   * @param configMaps ConfigMap names (configMap volumes, env and envFrom)
   */
  public record Names(Set<String> secrets, Set<String> configMaps) {
    public Names {
      secrets = Set.copyOf(secrets);
      configMaps = Set.copyOf(configMaps);
    }
  }

  /** What a pod's translation will look up: read these, and only these, before translating. */
  public static Names referencedBy(Pod pod) {
    Set<String> secrets = new TreeSet<>();
    Set<String> configMaps = new TreeSet<>();
    var spec = pod.getSpec();
    for (LocalObjectReference ref : Lists.of(spec.getImagePullSecrets())) {
      addName(secrets, ref.getName());
    }
    for (Volume volume : Lists.of(spec.getVolumes())) {
      if (volume.getSecret() != null) {
        addName(secrets, volume.getSecret().getSecretName());
      }
      if (volume.getConfigMap() != null) {
        addName(configMaps, volume.getConfigMap().getName());
      }
    }
    List<Container> containers = new ArrayList<>(Lists.of(spec.getContainers()));
    containers.addAll(Lists.of(spec.getInitContainers()));
    for (Container container : containers) {
      for (EnvFromSource from : Lists.of(container.getEnvFrom())) {
        if (from.getSecretRef() != null) {
          addName(secrets, from.getSecretRef().getName());
        }
        if (from.getConfigMapRef() != null) {
          addName(configMaps, from.getConfigMapRef().getName());
        }
      }
      for (EnvVar env : Lists.of(container.getEnv())) {
        var from = env.getValueFrom();
        if (from != null && from.getSecretKeyRef() != null) {
          addName(secrets, from.getSecretKeyRef().getName());
        }
        if (from != null && from.getConfigMapKeyRef() != null) {
          addName(configMaps, from.getConfigMapKeyRef().getName());
        }
      }
    }
    return new Names(secrets, configMaps);
  }

  private static void addName(Set<String> names, String name) {
    if (name != null && !name.isEmpty()) {
      names.add(name);
    }
  }
}
