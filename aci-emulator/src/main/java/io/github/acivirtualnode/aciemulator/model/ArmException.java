package io.github.acivirtualnode.aciemulator.model;

import java.util.Map;

/**
 * An ARM error answer: HTTP status, error code and message, rendered as {@code
 * {"error":{"code","message"}}}.
 */
public final class ArmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient Map<String, String> headers;

  public ArmException(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  public ArmException(int status, String code, String message, Map<String, String> headers) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Extra response headers, such as Retry-After for throttling. */
  public Map<String, String> headers() {
    return headers;
  }

  public static ArmException badRequest(String code, String message) {
    return new ArmException(400, code, message);
  }
}
