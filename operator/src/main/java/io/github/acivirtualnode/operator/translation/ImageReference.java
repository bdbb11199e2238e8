package io.github.acivirtualnode.operator.translation;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a container's image is a well-formed reference, by the grammar of the distribution
 * project that container runtimes parse images with: {@code [host[:port]/]path[:tag][@digest]}, the
 * path lowercase. The API server checks only for surrounding whitespace, and a kubelet refuses the
 * rest as InvalidImageName; a virtual node must refuse it too, before any ARM call, so that a
 * hostile string ({@code busybox;rm -rf /}) never reaches ACI as an image.
 */
final class ImageReference {
  private static final String ALPHANUMERIC = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|-+)";
  private static final String PATH_COMPONENT =
      ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
  private static final String DOMAIN_COMPONENT =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String HOST =
      "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])";
  private static final String DOMAIN = HOST + "(?::[0-9]+)?";
  private static final String NAME =
      "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
  private static final String TAG = ":[\\w][\\w.-]{0,127}";
  private static final String DIGEST =
      "@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  private static final Pattern REFERENCE =
      Pattern.compile("(" + NAME + ")(?:" + TAG + ")?(?:" + DIGEST + ")?");

  /** The distribution project's limit on the name part. */
  private static final int MAX_NAME = 255;

  /**
   * Longer than any well-formed reference (name, a 128-character tag and a long digest): refused
   * before the pattern, whose repetitions would recurse over a hostile megabyte of components.
   */
  private static final int MAX_REFERENCE = 1024;

  private ImageReference() {}

  /** Why the image cannot be pulled as it is written, or empty when it can. */
  static Optional<String> problem(String image) {
    if (Lists.isBlank(image)) {
      return Optional.of("a container needs an image");
    }
    if (image.length() > MAX_REFERENCE) {
      return Optional.of(
          "the image reference is " + image.length() + " characters long, more than any valid one");
    }
    var m = REFERENCE.matcher(image);
    if (!m.matches()) {
      return Optional.of(
          "'"
              + abbreviate(image)
              + "' is not a valid image reference ([registry[:port]/]repository[:tag][@digest],"
              + " the repository lowercase)");
    }
    if (m.group(1).length() > MAX_NAME) {
      return Optional.of("the image's repository name is longer than " + MAX_NAME + " characters");
    }
    return Optional.empty();
  }

  private static String abbreviate(String image) {
    return image.length() <= 120 ? image : image.substring(0, 120) + "...";
  }
}
