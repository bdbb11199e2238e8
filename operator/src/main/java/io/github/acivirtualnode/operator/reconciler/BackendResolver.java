package io.github.acivirtualnode.operator.reconciler;

import com.azure.core.credential.TokenCredential;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.acivirtualnode.api.v1alpha1.AzureCredentials;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciBackendFactory;
import io.github.acivirtualnode.operator.aci.AciException;
import io.github.acivirtualnode.operator.aci.AzureCredentialFactory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Resolves a VirtualNode's credentials into an {@link AciBackend}, or into the reason there is
 * none. Secrets are read only from the operator's own namespace.
 */
final class BackendResolver {
  private final KubernetesClient client;
  private final String operatorNamespace;
  private final AzureCredentialFactory credentials;
  private final AciBackendFactory backends;

  BackendResolver(
      KubernetesClient client,
      String operatorNamespace,
      AzureCredentialFactory credentials,
      AciBackendFactory backends) {
    this.client = client;
    this.operatorNamespace = operatorNamespace;
    this.credentials = credentials;
    this.backends = backends;
  }

  /** What a resolution depends on: when it is unchanged the cached backend is reused. */
  record Key(Long generation, String secretVersion) {}

  record Resolution(Key key, Supplier<AciBackend> backend) {}

  Resolution resolve(VirtualNode vn, Resolution previous) {
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
        // Not cached: the next reconcile tries again.
        return failing(
            null,
            new Key(vn.getMetadata().getGeneration(), namespace + "/" + name + "@unreadable"),
            "CredentialsSecretUnreadable",
            "credentials Secret " + namespace + "/" + name + " cannot be read: " + e.getMessage());
      }
      if (secret == null) {
        return failing(
            previous,
            new Key(vn.getMetadata().getGeneration(), namespace + "/" + name + "@missing"),
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
    try {
      TokenCredential credential = credentials.create(spec, secretData);
      AciBackend backend = backends.create(vn.getSpec().getAzure(), credential);
      return new Resolution(key, () -> backend);
    } catch (IllegalArgumentException e) {
      return failing(null, key, "InvalidCredentials", e.getMessage());
    }
  }

  /** A resolution whose backend throws why there is none; reused while its cause stands. */
  private static Resolution failing(Resolution previous, Key key, String code, String message) {
    if (previous != null && previous.key().equals(key)) {
      return previous;
    }
    AciException failure =
        new AciException(AciException.Kind.AUTHENTICATION, code, 0, message, null, null);
    return new Resolution(
        key,
        () -> {
          throw failure;
        });
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
