package io.github.acivirtualnode.operator.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the operator logs. logback.xml reads the same two variables when the first logger is made;
 * here they are checked, so that a bad value stops the operator with a message naming it rather
 * than logging in some fallback format.
 *
 * @param format AVN_LOG_FORMAT: {@code text} (default) or {@code json} (one object a line)
 * @param level AVN_LOG_LEVEL: the level of the operator's own loggers (default INFO)
 */
public record LogSettings(String format, String level) {
  public static final LogSettings DEFAULTS = new LogSettings("text", "INFO");
  private static final List<String> FORMATS = List.of("text", "json");
  private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  static LogSettings fromEnvironment(Map<String, String> env) {
    return new LogSettings(
        oneOf(env, "AVN_LOG_FORMAT", DEFAULTS.format(), FORMATS),
        oneOf(env, "AVN_LOG_LEVEL", DEFAULTS.level(), LEVELS));
  }

  private static String oneOf(
      Map<String, String> env, String name, String fallback, List<String> allowed) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    // logback reads levels in any case, formats as written.
    String value = allowed == LEVELS ? raw.trim().toUpperCase(Locale.ROOT) : raw.trim();
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException(
          name + "=" + value + " is not one of " + String.join(", ", allowed));
    }
    return value;
  }
}
