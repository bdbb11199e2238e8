package io.github.acivirtualnode.operator.aci;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed ACI or ARM call, typed so that callers can choose between retrying soon (transient),
 * waiting (throttled), giving up on the object (not found, invalid) and reporting an actionable
 * failure (authentication, quota).
 */
public final class AciException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public enum Kind {
    THROTTLED,
    TRANSIENT,
    NOT_FOUND,
    INVALID_REQUEST,
    AUTHENTICATION,
    QUOTA
  }

  private final Kind kind;
  private final String code;
  private final int statusCode;
  private final transient Duration retryAfter;

  public AciException(
      Kind kind,
      String code,
      int statusCode,
      String message,
      Duration retryAfter,
      Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.code = code;
    this.statusCode = statusCode;
    this.retryAfter = retryAfter;
  }

  public static AciException throttled(String operation, Duration retryAfter) {
    return new AciException(
        Kind.THROTTLED,
        "OperatorThrottled",
        429,
        operation
            + " held back by the subscription's ACI budget for "
            + retryAfter.toSeconds()
            + "s",
        retryAfter,
        null);
  }

  public Kind kind() {
    return kind;
  }

  /** ACI's or ARM's error code, e.g. ResourceGroupNotFound; never null. */
  public String code() {
    return code;
  }

  /** The HTTP status, or 0 when no response arrived. */
  public int statusCode() {
    return statusCode;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Whether retrying without a change by a human is pointless. */
  public boolean isActionable() {
    return switch (kind) {
      case AUTHENTICATION, QUOTA, INVALID_REQUEST -> true;
      case NOT_FOUND -> "ResourceGroupNotFound".equals(code) || "SubscriptionNotFound".equals(code);
      case THROTTLED, TRANSIENT -> false;
    };
  }
}
