package io.github.acivirtualnode.operator.translation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The contents of Secrets and ConfigMaps, decoded or encoded as each consumer wants them. */
final class SecretData {
  private SecretData() {}

  /** A Secret's values as text ({@code data} is base64; {@code stringData} counts too). */
  static Map<String, String> decoded(Secret secret, String path, Findings findings) {
    Map<String, String> result = new LinkedHashMap<>();
    Lists.of(secret.getData())
        .forEach(
            (k, v) -> {
              try {
                result.put(
                    k,
                    new String(
                        Base64.getDecoder().decode(v == null ? "" : v), StandardCharsets.UTF_8));
              } catch (IllegalArgumentException e) {
                findings.invalid(
                    path,
                    "key \"" + k + "\" of Secret \"" + name(secret) + "\" is not valid base64");
              }
            });
    result.putAll(Lists.of(secret.getStringData()));
    return result;
  }

  /** One value of a Secret as text, or null when the Secret has no such key. */
  static String decoded(Secret secret, String key, String path, Findings findings) {
    String text = Lists.of(secret.getStringData()).get(key);
    if (text != null) {
      return text;
    }
    String encoded = Lists.of(secret.getData()).get(key);
    if (encoded == null) {
      return null;
    }
    try {
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      findings.invalid(
          path, "key \"" + key + "\" of Secret \"" + name(secret) + "\" is not valid base64");
      return null;
    }
  }

  /** A Secret's values base64-encoded, as ACI secret volumes want them. */
  static Map<String, String> base64(Secret secret, String path, Findings findings) {
    Map<String, String> result = new LinkedHashMap<>();
    Lists.of(secret.getData())
        .forEach(
            (k, v) -> {
              String value = v == null ? "" : v;
              try {
                Base64.getDecoder().decode(value);
                result.put(k, value);
              } catch (IllegalArgumentException e) {
                findings.invalid(
                    path,
                    "key \"" + k + "\" of Secret \"" + name(secret) + "\" is not valid base64");
              }
            });
    Lists.of(secret.getStringData()).forEach((k, v) -> result.put(k, encode(v)));
    return result;
  }

  /** A ConfigMap's values base64-encoded: {@code data} as UTF-8, {@code binaryData} as it is. */
  static Map<String, String> base64(ConfigMap cm) {
    Map<String, String> result = new LinkedHashMap<>();
    Lists.of(cm.getData()).forEach((k, v) -> result.put(k, encode(v)));
    Lists.of(cm.getBinaryData()).forEach((k, v) -> result.put(k, v == null ? "" : v));
    return result;
  }

  static String encode(String text) {
    return Base64.getEncoder()
        .encodeToString((text == null ? "" : text).getBytes(StandardCharsets.UTF_8));
  }

  private static String name(Secret secret) {
    return secret.getMetadata() == null ? "" : secret.getMetadata().getName();
  }
}
