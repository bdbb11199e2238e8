package io.github.acivirtualnode.operator.pod;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.operator.translation.PodReferences;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the Secrets and ConfigMaps a pod references, from the pod's own namespace, as a kubelet
 * does: only the names {@link PodReferences#referencedBy} gives, one GET each, when the pod's group
 * is about to be created (never listed, never watched, never kept). A missing object is left out:
 * the translation says which reference is missing.
 */
final class ReferenceReader {
  private final KubernetesClient client;

  ReferenceReader(KubernetesClient client) {
    this.client = client;
  }

  PodReferences read(Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    PodReferences.Names names = PodReferences.referencedBy(pod);
    Map<String, Secret> secrets = new HashMap<>();
    for (String name : names.secrets()) {
      Secret s = client.secrets().inNamespace(namespace).withName(name).get();
      if (s != null) {
        secrets.put(name, s);
      }
    }
    Map<String, ConfigMap> configMaps = new HashMap<>();
    for (String name : names.configMaps()) {
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
      if (cm != null) {
        configMaps.put(name, cm);
      }
    }
    return new PodReferences(secrets, configMaps);
  }
}
