package io.github.acivirtualnode.operator.translation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Secrets, ConfigMaps and PersistentVolumeClaims a pod references, read by the caller from the
 * pod's own namespace (as a kubelet reads them), keyed by name; the service account tokens its
 * projected volumes ask for, issued by the TokenRequest API; the PersistentVolumes its claims are
 * bound to, and the Secrets those volumes name (which a PersistentVolume may keep in another
 * namespace, as its creator, a cluster administrator, decided). A name or token that is absent
 * means the object does not exist or the token could not be issued.
 *
 * <p>{@link #referencedBy(Pod)} says which names to read and which tokens to request, and {@link
 * #secretOf} which Secret a bound volume needs, so that the caller never reads an object that no
 * pod references.
 */
public record PodReferences(
    Map<String, Secret> secrets,
    Map<String, ConfigMap> configMaps,
    Map<TokenKey, String> tokens,
    Map<String, PersistentVolumeClaim> claims,
    Map<String, PersistentVolume> persistentVolumes,
    Map<SecretRef, Secret> volumeSecrets) {
  /** The kubelet's expirationSeconds when a serviceAccountToken projection sets none. */
  public static final long DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

  public PodReferences {
    secrets = Map.copyOf(secrets);
    configMaps = Map.copyOf(configMaps);
    tokens = Map.copyOf(tokens);
    claims = Map.copyOf(claims);
    persistentVolumes = Map.copyOf(persistentVolumes);
    volumeSecrets = Map.copyOf(volumeSecrets);
  }

  public PodReferences(
      Map<String, Secret> secrets,
      Map<String, ConfigMap> configMaps,
      Map<TokenKey, String> tokens) {
    this(secrets, configMaps, tokens, Map.of(), Map.of(), Map.of());
  }

  public PodReferences(Map<String, Secret> secrets, Map<String, ConfigMap> configMaps) {
    this(secrets, configMaps, Map.of());
  }

  /** A Secret a PersistentVolume names, in the namespace the volume says. */
  public record SecretRef(String namespace, String name) {}

  /**
   * The Secret a PersistentVolume bound to one of the pod's claims needs, or null for none: read it
   * after the claim and the volume.
   */
  public static SecretRef secretOf(PersistentVolume pv, String podNamespace) {
    return AzureFileVolumes.secretOf(pv, podNamespace);
  }

  public static PodReferences none() {
    return new PodReferences(Map.of(), Map.of());
  }

  /**
   * One token a projected volume asks for.
   *
   * @param audience the audience, or empty for the API server's own
   * @param expirationSeconds the lifetime asked for
   */
  public record TokenKey(String audience, long expirationSeconds) {
    public TokenKey {
      audience = audience == null ? "" : audience;
    }

    static TokenKey of(ServiceAccountTokenProjection projection) {
      return new TokenKey(
          projection.getAudience(),
          projection.getExpirationSeconds() == null
              ? DEFAULT_TOKEN_EXPIRATION_SECONDS
              : projection.getExpirationSeconds());
    }
  }

  String token(TokenKey key) {
    return tokens.get(key);
  }

  Secret secret(String name) {
    return name == null ? null : secrets.get(name);
  }

  ConfigMap configMap(String name) {
    return name == null ? null : configMaps.get(name);
  }

  PersistentVolumeClaim claim(String name) {
    return name == null ? null : claims.get(name);
  }

  PersistentVolume persistentVolume(String name) {
    return name == null ? null : persistentVolumes.get(name);
  }

  Secret volumeSecret(SecretRef ref) {
    return volumeSecrets.get(ref);
  }

  /**
   * The names of the Secrets and ConfigMaps in the pod's namespace that its translation reads.
   *
   * @param secrets Secret names (image pull secrets, secret volumes, env and envFrom)
   * @param configMaps ConfigMap names (configMap volumes, env and envFrom)
   * @param tokens the tokens of projected serviceAccountToken sources, for the pod's service
   *     account
   * @param claims PersistentVolumeClaim names (persistentVolumeClaim volumes)
   */
  public record Names(
      Set<String> secrets, Set<String> configMaps, Set<TokenKey> tokens, Set<String> claims) {
    public Names {
      secrets = Set.copyOf(secrets);
      configMaps = Set.copyOf(configMaps);
      tokens = Set.copyOf(tokens);
      claims = Set.copyOf(claims);
    }
  }

  /** What a pod's translation will look up: read these, and only these, before translating. */
  public static Names referencedBy(Pod pod) {
    Set<String> secrets = new TreeSet<>();
    Set<String> configMaps = new TreeSet<>();
    Set<TokenKey> tokens = new LinkedHashSet<>();
    Set<String> claims = new TreeSet<>();
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
      if (volume.getAzureFile() != null) {
        addName(secrets, volume.getAzureFile().getSecretName());
      }
      if (AzureFileVolumes.isAzureFileCsi(volume.getCsi())) {
        addName(secrets, AzureFileVolumes.inlineSecretName(volume.getCsi()));
      }
      if (volume.getPersistentVolumeClaim() != null) {
        addName(claims, volume.getPersistentVolumeClaim().getClaimName());
      }
      if (volume.getProjected() != null && !VolumeTranslator.isServiceAccountVolume(volume)) {
        for (VolumeProjection source : Lists.of(volume.getProjected().getSources())) {
          if (source.getSecret() != null) {
            addName(secrets, source.getSecret().getName());
          }
          if (source.getConfigMap() != null) {
            addName(configMaps, source.getConfigMap().getName());
          }
          if (source.getServiceAccountToken() != null) {
            tokens.add(TokenKey.of(source.getServiceAccountToken()));
          }
        }
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
    return new Names(secrets, configMaps, tokens, claims);
  }

  private static void addName(Set<String> names, String name) {
    if (name != null && !name.isEmpty()) {
      names.add(name);
    }
  }
}
