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
