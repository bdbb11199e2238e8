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

  /** 409 codes that mean another operation is under way: retrying later succeeds. */
  private static final Set<String> TRANSIENT_CONFLICTS =
      Set.of(
          "AnotherOperationInProgress",
          "Conflict",
          "OperationInProgress",
          "ContainerGroupTransitioning",
          "RetryableError");

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
      // Only a concurrent operation clears up on its own. Other conflicts (an unregistered
      // resource provider, a lock on the scope) wait for a human: they must show on the node.
      return c.isEmpty() || TRANSIENT_CONFLICTS.contains(c)
          ? AciException.Kind.TRANSIENT
          : AciException.Kind.INVALID_REQUEST;
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
