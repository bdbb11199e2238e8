package io.github.acivirtualnode.operator.pod;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
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
 *
 * <p>A PersistentVolumeClaim is read with the PersistentVolume it is bound to and the Secret that
 * volume names (a claim not bound yet is left at that: the translation waits for it).
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
    Map<String, PersistentVolumeClaim> claims = new HashMap<>();
    Map<String, PersistentVolume> volumes = new HashMap<>();
    Map<PodReferences.SecretRef, Secret> volumeSecrets = new HashMap<>();
    for (String name : names.claims()) {
      PersistentVolumeClaim claim =
          client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
      if (claim == null) {
        continue;
      }
      claims.put(name, claim);
      String volumeName = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
      if (volumeName == null || volumeName.isEmpty() || volumes.containsKey(volumeName)) {
        continue;
      }
      PersistentVolume pv = client.persistentVolumes().withName(volumeName).get();
      if (pv == null) {
        continue;
      }
      volumes.put(volumeName, pv);
      PodReferences.SecretRef ref = PodReferences.secretOf(pv, namespace);
      if (ref != null && !volumeSecrets.containsKey(ref)) {
        Secret s = client.secrets().inNamespace(ref.namespace()).withName(ref.name()).get();
        if (s != null) {
          volumeSecrets.put(ref, s);
        }
      }
    }
    return new PodReferences(secrets, configMaps, tokens, claims, volumes, volumeSecrets);
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
