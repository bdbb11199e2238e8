package io.github.acivirtualnode.operator.aci;

import java.time.Duration;
import java.util.Set;

/** Classifies ARM answers into {@link AciException.Kind}; pure so that it can be tested fully. */
public final class AciErrors {
  private static final Set<String> QUOTA_CODES =
      Set.of(
          "ContainerGroupQuotaReached",
          "StandardCoresQuotaExceeded",
          "QuotaExceeded",
          "ResourceRequestsNotAvailable",
          "ServiceUnavailable.Capacity");
  private static final Set<String> AUTH_CODES =
      Set.of(
          "AuthenticationFailed",
          "InvalidAuthenticationToken",
          "InvalidAuthenticationTokenTenant",
          "AuthorizationFailed",
          "LinkedAuthorizationFailed");

  private AciErrors() {}

  public static AciException.Kind classify(int status, String code) {
    String c = code == null ? "" : code;
    if (QUOTA_CODES.contains(c) || c.endsWith("QuotaExceeded")) {
      return AciException.Kind.QUOTA;
    }
    if (status == 401 || status == 403 || AUTH_CODES.contains(c)) {
      return AciException.Kind.AUTHENTICATION;
    }
    if (status == 429) {
      return AciException.Kind.THROTTLED;
    }
    if (status == 404) {
      return AciException.Kind.NOT_FOUND;
    }
    if (status == 408 || status >= 500 || status == 0) {
      return AciException.Kind.TRANSIENT;
    }
    if (status == 409) {
      // Conflicts (another operation in progress) clear up on their own.
      return AciException.Kind.TRANSIENT;
    }
    return AciException.Kind.INVALID_REQUEST;
  }

  /** Retry-After as ARM sends it: delta-seconds. Unparseable or absent gives null. */
  public static Duration parseRetryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      long seconds = Long.parseLong(header.trim());
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
