package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.models.ImageRegistryCredential;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code imagePullSecrets} as ACI image registry credentials (server, username, password). Secrets
 * of type {@code kubernetes.io/dockerconfigjson} and the older {@code kubernetes.io/dockercfg} are
 * read; a registry's entry gives its username and password, or an {@code auth} field (base64 of
 * {@code user:password}). Only registries that one of the pod's images comes from are sent: ACI
 * gets no credential it does not need. As with the kubelet, a missing pull secret does not stop the
 * pod (a notice says so); a malformed one is an error.
 */
final class RegistryCredentialTranslator {
  static final String DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson";
  static final String DOCKER_CFG = "kubernetes.io/dockercfg";
  private static final Set<String> DOCKER_HUB =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com");

  private RegistryCredentialTranslator() {}

  static List<ImageRegistryCredential> translate(
      Pod pod, Set<String> imageRegistries, PodReferences refs, Findings findings) {
    Map<String, ImageRegistryCredential> byServer = new LinkedHashMap<>();
    var secrets = Lists.of(pod.getSpec().getImagePullSecrets());
    for (int i = 0; i < secrets.size(); i++) {
      String path = "spec.imagePullSecrets[" + i + "]";
      String name = secrets.get(i).getName();
      Secret secret = refs.secret(name);
      if (secret == null) {
        findings.apply(
            PodField.IMAGE_PULL_SECRET_MISSING,
            path,
            "image pull Secret \""
                + name
                + "\" not found: "
                + PodField.IMAGE_PULL_SECRET_MISSING.reason());
        continue;
      }
      Map<String, Object> auths = auths(secret, name, path, findings);
      if (auths == null) {
        continue;
      }
      auths.forEach(
          (registry, entry) -> {
            String server = server(registry);
            if (!imageRegistries.contains(normalize(server)) || byServer.containsKey(server)) {
              return;
            }
            ImageRegistryCredential credential =
                credential(server, entry, name, registry, path, findings);
            if (credential != null) {
              byServer.put(server, credential);
            }
          });
    }
    return new ArrayList<>(byServer.values());
  }

  /** The registry an image is pulled from, normalized (Docker Hub is {@code docker.io}). */
  static String registryOf(String image) {
    if (image == null) {
      return "docker.io";
    }
    int slash = image.indexOf('/');
    if (slash < 0) {
      return "docker.io";
    }
    String first = image.substring(0, slash);
    boolean isHost = first.contains(".") || first.contains(":") || first.equals("localhost");
    return isHost ? normalize(first) : "docker.io";
  }

  /** All registries the images come from. */
  static Set<String> registriesOf(List<String> images) {
    Set<String> result = new LinkedHashSet<>();
    images.forEach(i -> result.add(registryOf(i)));
    return result;
  }

  private static String normalize(String server) {
    String s = server.toLowerCase(Locale.ROOT);
    return DOCKER_HUB.contains(s) ? "docker.io" : s;
  }

  /** A docker config key as ACI wants a server: no scheme, no path. */
  static String server(String registry) {
    String s = registry.trim();
    int scheme = s.indexOf("://");
    if (scheme >= 0) {
      s = s.substring(scheme + 3);
    }
    int slash = s.indexOf('/');
    if (slash >= 0) {
      s = s.substring(0, slash);
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> auths(
      Secret secret, String name, String path, Findings findings) {
    String type = secret.getType();
    String key;
    if (DOCKER_CONFIG_JSON.equals(type)) {
      key = ".dockerconfigjson";
    } else if (DOCKER_CFG.equals(type)) {
      key = ".dockercfg";
    } else {
      findings.invalid(
          path,
          "Secret \""
              + name
              + "\" is of type \""
              + type
              + "\", not "
              + DOCKER_CONFIG_JSON
              + " or "
              + DOCKER_CFG);
      return null;
    }
    String text = SecretData.decoded(secret, key, path, findings);
    if (text == null) {
      findings.invalid(path, "Secret \"" + name + "\" has no key " + key);
      return null;
    }
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (IllegalArgumentException e) {
      findings.invalid(
          path, "Secret \"" + name + "\": " + key + " is not valid JSON (" + e.getMessage() + ")");
      return null;
    }
    if (!(parsed instanceof Map)) {
      findings.invalid(path, "Secret \"" + name + "\": " + key + " is not a JSON object");
      return null;
    }
    Map<String, Object> root = (Map<String, Object>) parsed;
    if (key.equals(".dockercfg")) {
      return root;
    }
    Object auths = root.get("auths");
    if (!(auths instanceof Map)) {
      findings.invalid(path, "Secret \"" + name + "\": " + key + " has no \"auths\" object");
      return null;
    }
    return (Map<String, Object>) auths;
  }

  @SuppressWarnings("unchecked")
  private static ImageRegistryCredential credential(
      String server, Object entry, String name, String registry, String path, Findings findings) {
    String where = "Secret \"" + name + "\", registry \"" + registry + "\"";
    if (!(entry instanceof Map)) {
      findings.invalid(path, where + ": the entry is not a JSON object");
      return null;
    }
    Map<String, Object> auth = (Map<String, Object>) entry;
    String username = text(auth.get("username"));
    String password = text(auth.get("password"));
    String encoded = text(auth.get("auth"));
    if ((username == null || password == null) && encoded != null) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        findings.invalid(path, where + ": \"auth\" is not valid base64");
        return null;
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        findings.invalid(path, where + ": \"auth\" is not of the form user:password");
        return null;
      }
      username = decoded.substring(0, colon);
      password = decoded.substring(colon + 1);
    }
    if (username == null || username.isEmpty() || password == null) {
      String why =
          auth.containsKey("identitytoken")
              ? ": identity tokens cannot be used by ACI, only a username and password"
              : ": no username and password";
      findings.invalid(path, where + why);
      return null;
    }
    return new ImageRegistryCredential()
        .withServer(server)
        .withUsername(username)
        .withPassword(password);
  }

  private static String text(Object o) {
    return o instanceof String ? (String) o : null;
  }
}
