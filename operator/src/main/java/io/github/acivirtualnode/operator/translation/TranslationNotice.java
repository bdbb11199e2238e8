package io.github.acivirtualnode.operator.translation;

import java.util.Objects;

/**
 * Something the translation accepted but could not honour in full, for a Normal or Warning Event on
 * the pod: nothing is dropped without a word. Example: the service account token volume that the
 * API server injects into every pod, which a container group cannot refresh.
 *
 * @param fieldPath the pod field concerned
 * @param message what happens instead
 * @param warning whether something the pod asked for is not done (a Warning Event, not a Normal
 *     one): a lifecycle hook that is not run, say
 */
public record TranslationNotice(String fieldPath, String message, boolean warning) {
  public TranslationNotice {
    Objects.requireNonNull(fieldPath, "fieldPath");
    Objects.requireNonNull(message, "message");
  }

  /** A notice for a Normal Event. */
  public TranslationNotice(String fieldPath, String message) {
    this(fieldPath, message, false);
  }

  @Override
  public String toString() {
    return fieldPath + ": " + message;
  }
}
