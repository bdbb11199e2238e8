package io.github.acivirtualnode.operator.translation;

import java.util.Objects;

/**
 * Something in a pod that ACI cannot run as asked, named by its field path in the pod (for example
 * {@code spec.containers[0].args}) with a reason a human can act on.
 *
 * @param kind whether waiting can help ({@link Kind#MISSING_REFERENCE}) or not
 * @param fieldPath the pod field, in the API server's own path notation
 * @param reason why, in a sentence that fits a pod condition message and a Kubernetes Event
 */
public record TranslationError(Kind kind, String fieldPath, String reason) {
  /** What kind of problem: it decides whether the pod fails for good or waits. */
  public enum Kind {
    /** ACI has no way to do what the field asks (yet): the pod cannot run on this node. */
    UNSUPPORTED,
    /** The pod or an object it references is malformed (a bad dockerconfigjson, say). */
    INVALID,
    /**
     * A required Secret, ConfigMap or key does not exist (yet). A kubelet keeps such a pod Pending
     * ({@code CreateContainerConfigError}) and retries; so should the caller.
     */
    MISSING_REFERENCE
  }

  public TranslationError {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(fieldPath, "fieldPath");
    Objects.requireNonNull(reason, "reason");
  }

  static TranslationError unsupported(String fieldPath, String reason) {
    return new TranslationError(Kind.UNSUPPORTED, fieldPath, reason);
  }

  static TranslationError invalid(String fieldPath, String reason) {
    return new TranslationError(Kind.INVALID, fieldPath, reason);
  }

  static TranslationError missing(String fieldPath, String reason) {
    return new TranslationError(Kind.MISSING_REFERENCE, fieldPath, reason);
  }

  /** {@code fieldPath: reason}, the form used in pod messages and events. */
  @Override
  public String toString() {
    return fieldPath + ": " + reason;
  }
}
