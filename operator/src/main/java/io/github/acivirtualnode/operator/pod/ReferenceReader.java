package io.github.acivirtualnode.operator.pod;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.acivirtualnode.operator.translation.PodReferences;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the Secrets and ConfigMaps a pod references, from the pod's own namespace, as a kubelet
 * does: only the names {@link PodReferences#referencedBy} gives, one GET each, when the pod's group
 * is about to be created (never listed, never watched, never kept). A missing object is left out:
 * the translation says which reference is missing.
 *
 * <p>The tokens of projected serviceAccountToken sources are requested as a kubelet requests them:
 * TokenRequest for the pod's service account, bound to the pod (so deleting the pod revokes them).
 * One that cannot be issued is left out, and the translation waits for it as for a missing Secret.
 */
final class ReferenceReader {
  private static final Logger LOG = LoggerFactory.getLogger(ReferenceReader.class);

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
    Map<PodReferences.TokenKey, String> tokens = new HashMap<>();
    for (PodReferences.TokenKey key : names.tokens()) {
      String token = token(pod, key);
      if (token != null) {
        tokens.put(key, token);
      }
    }
    return new PodReferences(secrets, configMaps, tokens);
  }

  private String token(Pod pod, PodReferences.TokenKey key) {
    String account = serviceAccount(pod);
    var spec =
        new TokenRequestBuilder()
            .withNewSpec()
            .withExpirationSeconds(key.expirationSeconds())
            .withNewBoundObjectRef()
            .withApiVersion("v1")
            .withKind("Pod")
            .withName(pod.getMetadata().getName())
            .withUid(pod.getMetadata().getUid())
            .endBoundObjectRef();
    if (!key.audience().isEmpty()) {
      spec.withAudiences(key.audience());
    }
    try {
      TokenRequest issued =
          client
              .serviceAccounts()
              .inNamespace(pod.getMetadata().getNamespace())
              .withName(account)
              .tokenRequest(spec.endSpec().build());
      return issued.getStatus() == null ? null : issued.getStatus().getToken();
    } catch (KubernetesClientException e) {
      // The message names the account and the API server's reason, never a token.
      LOG.warn(
          "no token for service account {}/{}: {}",
          pod.getMetadata().getNamespace(),
          account,
          e.getMessage());
      return null;
    }
  }

  static String serviceAccount(Pod pod) {
    String name = pod.getSpec().getServiceAccountName();
    return name == null || name.isEmpty() ? "default" : name;
  }
}
