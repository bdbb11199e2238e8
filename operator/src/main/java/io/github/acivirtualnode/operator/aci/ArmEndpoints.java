package io.github.acivirtualnode.operator.aci;

import com.azure.core.management.AzureEnvironment;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which ARM endpoints a VirtualNode may send the operator's Azure token to: those of Azure's clouds
 * (public, China, US Government), plus what the operator's own settings allow. Pure.
 */
public final class ArmEndpoints {
  static final List<String> AZURE_CLOUDS =
      Stream.of(
              AzureEnvironment.AZURE,
              AzureEnvironment.AZURE_CHINA,
              AzureEnvironment.AZURE_US_GOVERNMENT)
          .map(AzureEnvironment::getResourceManagerEndpoint)
          .map(ArmEndpoints::normalize)
          .toList();

  private ArmEndpoints() {}

  /**
   * Why the endpoint must not be used, or empty when it may. A null endpoint is Azure's public
   * cloud.
   */
  public static Optional<String> refusal(String endpoint, List<String> allowedByOperator) {
    if (endpoint == null) {
      return Optional.empty();
    }
    String normal = normalize(endpoint);
    if (normal == null) {
      return Optional.of("spec.azure.endpoint '" + endpoint + "' is not a valid URL");
    }
    boolean allowed =
        AZURE_CLOUDS.contains(normal)
            || allowedByOperator.stream().map(ArmEndpoints::normalize).anyMatch(normal::equals);
    if (!allowed) {
      return Optional.of(
          "spec.azure.endpoint "
              + endpoint
              + " is neither the Resource Manager of an Azure cloud nor allowed by the operator"
              + " (its setting AVN_ALLOWED_ARM_ENDPOINTS); no request was sent to it");
    }
    if (!normal.startsWith("https://")) {
      return Optional.of(
          "spec.azure.endpoint "
              + endpoint
              + " is not https: the Azure SDK sends bearer tokens over https only");
    }
    return Optional.empty();
  }

  /** scheme://host[:port]/path/ in lower case, default ports dropped; null when unparseable. */
  static String normalize(String url) {
    try {
      URI uri = new URI(url.trim());
      if (uri.getScheme() == null || uri.getHost() == null) {
        return null;
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      int port = uri.getPort();
      boolean defaultPort =
          port == -1
              || (scheme.equals("https") && port == 443)
              || (scheme.equals("http") && port == 80);
      String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
      if (!path.endsWith("/")) {
        path = path + "/";
      }
      return scheme
          + "://"
          + uri.getHost().toLowerCase(Locale.ROOT)
          + (defaultPort ? "" : ":" + port)
          + path;
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
