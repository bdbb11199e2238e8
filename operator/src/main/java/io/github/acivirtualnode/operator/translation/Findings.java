package io.github.acivirtualnode.operator.translation;

import java.util.ArrayList;
import java.util.List;

/** The errors and notices one translation collects: every part reports here, none throws. */
final class Findings {
  private final List<TranslationError> errors = new ArrayList<>();
  private final List<TranslationNotice> notices = new ArrayList<>();

  void unsupported(String path, String reason) {
    errors.add(TranslationError.unsupported(path, reason));
  }

  void invalid(String path, String reason) {
    errors.add(TranslationError.invalid(path, reason));
  }

  void missing(String path, String reason) {
    errors.add(TranslationError.missing(path, reason));
  }

  void notice(String path, String message) {
    notices.add(new TranslationNotice(path, message));
  }

  /**
   * Reports {@code field} at {@code path} as its table row says: an error for a refused field, a
   * notice for an ignored or emulated one, nothing otherwise.
   */
  void apply(PodField field, String path) {
    apply(field, path, field.reason());
  }

  /** As {@link #apply(PodField, String)}, with a reason more specific than the row's. */
  void apply(PodField field, String path, String reason) {
    switch (field.treatment()) {
      case REFUSED -> unsupported(path, reason);
      case IGNORED, EMULATED -> notices.add(new TranslationNotice(path, reason, field.warning()));
      case TRANSLATED, INERT -> {}
    }
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  List<TranslationError> errors() {
    return List.copyOf(errors);
  }

  List<TranslationNotice> notices() {
    return List.copyOf(notices);
  }
}
