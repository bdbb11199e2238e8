package io.github.acivirtualnode.operator.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The kubelet API's settings (its port is {@link OperatorConfig#kubeletPort()}).
 *
 * @param enabled AVN_KUBELET_API: false serves no kubelet API (default true)
 * @param clientCaFile AVN_KUBELET_CLIENT_CA_FILE: the PEM CA that signs the API server's kubelet
 *     client certificate (default: the client-ca-file of the kube-system ConfigMap
 *     extension-apiserver-authentication, which the API server publishes)
 * @param followInterval AVN_LOG_FOLLOW_SECONDS: how often a followed log is read from ACI, one ARM
 *     read per followed stream each time (2)
 */
public record KubeletSettings(boolean enabled, Path clientCaFile, Duration followInterval) {

  public static KubeletSettings fromEnvironment(Map<String, String> env) {
    String enabled = env.getOrDefault("AVN_KUBELET_API", "true").trim();
    String ca = env.get("AVN_KUBELET_CLIENT_CA_FILE");
    String follow = env.getOrDefault("AVN_LOG_FOLLOW_SECONDS", "2").trim();
    int seconds;
    try {
      seconds = Integer.parseInt(follow);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "AVN_LOG_FOLLOW_SECONDS=" + follow + " is not a whole number", e);
    }
    if (seconds < 1 || seconds > 60) {
      throw new IllegalArgumentException(
          "AVN_LOG_FOLLOW_SECONDS=" + follow + " is out of range [1, 60]");
    }
    return new KubeletSettings(
        !"false".equalsIgnoreCase(enabled),
        ca == null || ca.isBlank() ? null : Path.of(ca.trim()),
        Duration.ofSeconds(seconds));
  }
}
