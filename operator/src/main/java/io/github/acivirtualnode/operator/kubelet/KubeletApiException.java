package io.github.acivirtualnode.operator.kubelet;

/** A refusal with the HTTP status and the message the client sees (kubectl prints it). */
final class KubeletApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final transient Long retryAfterSeconds;

  KubeletApiException(int status, String message) {
    this(status, message, null);
  }

  KubeletApiException(int status, String message, Long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  int status() {
    return status;
  }

  Long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
