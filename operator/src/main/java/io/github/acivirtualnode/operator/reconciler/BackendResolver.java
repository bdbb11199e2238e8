package io.github.acivirtualnode.operator.reconciler;

import com.azure.core.credential.TokenCredential;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.github.acivirtualnode.api.v1alpha1.AzureCredentials;
import io.github.acivirtualnode.api.v1alpha1.AzureSettings;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciBackendFactory;
import io.github.acivirtualnode.operator.aci.AciException;
import io.github.acivirtualnode.operator.aci.ArmEndpoints;
import io.github.acivirtualnode.operator.aci.AzureCredentialFactory;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Resolves a VirtualNode's credentials into an {@link AciBackend}, or into the reason there is
 * none. Secrets are read only from the operator's own namespace.
 */
final class BackendResolver {
  private final KubernetesClient client;
  private final String operatorNamespace;
  private final List<String> allowedArmEndpoints;
  private final AzureCredentialFactory credentials;
  private final AciBackendFactory backends;

  /**
   * Backends by what they were built from: nodes with the same credentials and resource group share
   * one, and with it the observer's lists (a list answered for these credentials serves every such
   * node's probe). Bounded: an evicted backend still works, it is only no longer shared.
   */
  private final Map<SharedKey, AciBackend> shared =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<SharedKey, AciBackend> eldest) {
              return size() > MAX_SHARED;
            }
          });

  private static final int MAX_SHARED = 512;

  private record SharedKey(
      String endpoint,
      String subscriptionId,
      String resourceGroup,
      String credentials,
      String secretVersion) {}

  BackendResolver(
      KubernetesClient client,
      OperatorConfig config,
      AzureCredentialFactory credentials,
      AciBackendFactory backends) {
    this.client = client;
    this.operatorNamespace = config.namespace();
    this.allowedArmEndpoints = config.allowedArmEndpoints();
    this.credentials = credentials;
    this.backends = backends;
  }

  /** What a resolution depends on: when it is unchanged the cached backend is reused. */
  record Key(Long generation, String secretVersion) {}

  /**
   * @param usable whether the backend was built; false when it throws why there is none
   */
  record Resolution(Key key, Supplier<AciBackend> backend, boolean usable) {}

  Resolution resolve(VirtualNode vn, Resolution previous) {
    Optional<String> refusal =
        ArmEndpoints.refusal(vn.getSpec().getAzure().getEndpoint(), allowedArmEndpoints);
    if (refusal.isPresent()) {
      // Refused before any credential is built: not even a token request leaves the operator.
      return failing(
          previous,
          new Key(vn.getMetadata().getGeneration(), "endpoint@refused"),
          AciException.Kind.INVALID_REQUEST,
          "ArmEndpointRefused",
          refusal.get());
    }
    AzureCredentials spec = vn.getSpec().getAzure().getCredentials();
    Map<String, String> secretData = null;
    String secretVersion = null;
    if (spec.getSecretRef() != null) {
      String namespace =
          spec.getSecretRef().getNamespace() == null
              ? operatorNamespace
              : spec.getSecretRef().getNamespace();
      String name = spec.getSecretRef().getName();
      if (!operatorNamespace.equals(namespace)) {
        return failing(
            previous,
            new Key(vn.getMetadata().getGeneration(), namespace + "/" + name + "@refused"),
            AciException.Kind.AUTHENTICATION,
            "CredentialsNamespaceRefused",
            "credentials Secret "
                + namespace
                + "/"
                + name
                + " is refused: the operator reads Secrets only from its own namespace '"
                + operatorNamespace
                + "'");
      }
      Secret secret;
      try {
        secret = client.secrets().inNamespace(namespace).withName(name).get();
      } catch (KubernetesClientException e) {
        // The API server had a bad moment: that says nothing about the credentials. The backend
        // resolved before stays (no new backend, so no probe out of turn); without one, the
        // failure is transient and the next reconcile reads again.
        if (previous != null && previous.usable()) {
          return previous;
        }
        return failing(
            previous,
            new Key(vn.getMetadata().getGeneration(), namespace + "/" + name + "@unreadable"),
            AciException.Kind.TRANSIENT,
            "CredentialsSecretUnreadable",
            "credentials Secret " + namespace + "/" + name + " cannot be read: " + e.getMessage());
      }
      if (secret == null) {
        return failing(
            previous,
            new Key(vn.getMetadata().getGeneration(), namespace + "/" + name + "@missing"),
            AciException.Kind.AUTHENTICATION,
            "CredentialsSecretNotFound",
            "credentials Secret " + namespace + "/" + name + " does not exist");
      }
      secretVersion = namespace + "/" + name + "@" + secret.getMetadata().getResourceVersion();
      secretData = decode(secret);
    }
    Key key = new Key(vn.getMetadata().getGeneration(), secretVersion);
    if (previous != null && Objects.equals(previous.key(), key)) {
      return previous;
    }
    AzureSettings azure = vn.getSpec().getAzure();
    SharedKey sharedKey =
        new SharedKey(
            azure.getEndpoint(),
            azure.getSubscriptionId(),
            azure.getResourceGroup(),
            Serialization.asJson(spec),
            secretVersion);
    try {
      AciBackend backend = shared.get(sharedKey);
      if (backend == null) {
        TokenCredential credential = credentials.create(spec, secretData);
        backend = backends.create(azure, credential);
        shared.put(sharedKey, backend);
      }
      AciBackend resolved = backend;
      return new Resolution(key, () -> resolved, true);
    } catch (IllegalArgumentException e) {
      return failing(
          null, key, AciException.Kind.AUTHENTICATION, "InvalidCredentials", e.getMessage());
    }
  }

  /** A resolution whose backend throws why there is none; reused while its cause stands. */
  private static Resolution failing(
      Resolution previous, Key key, AciException.Kind kind, String code, String message) {
    if (previous != null && previous.key().equals(key)) {
      return previous;
    }
    AciException failure = new AciException(kind, code, 0, message, null, null);
    return new Resolution(
        key,
        () -> {
          throw failure;
        },
        false);
  }

  private static Map<String, String> decode(Secret secret) {
    Map<String, String> data = new HashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      data.putAll(secret.getStringData());
    }
    return data;
  }
}
