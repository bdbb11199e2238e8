package io.github.acivirtualnode.aciemulator.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an emulated container does, read from its spec. See README "Behaviour conventions".
 *
 * @param runFor how long the process runs before it exits; null runs until stopped
 * @param exitCode exit code when the process ends by itself
 * @param startDelay time between "pulled" and "started" (a slow start)
 * @param pullFailure the image cannot be pulled
 * @param livenessFailAfter the liveness probe fails this long after each start; null never
 * @param logInterval interval of heartbeat log lines; null for none
 */
public record ContainerBehavior(
    Duration runFor,
    int exitCode,
    Duration startDelay,
    boolean pullFailure,
    Duration livenessFailAfter,
    Duration logInterval) {

  public static final String EXIT_CODE = "ACI_EMULATOR_EXIT_CODE";
  public static final String RUN_SECONDS = "ACI_EMULATOR_RUN_SECONDS";
  public static final String START_DELAY_SECONDS = "ACI_EMULATOR_START_DELAY_SECONDS";
  public static final String PULL_FAILURE = "ACI_EMULATOR_PULL_FAILURE";
  public static final String LIVENESS_FAIL_SECONDS = "ACI_EMULATOR_LIVENESS_FAIL_SECONDS";
  public static final String LOG_INTERVAL_SECONDS = "ACI_EMULATOR_LOG_INTERVAL_SECONDS";

  /**
   * Derives the behaviour of a container.
   *
   * @param env plain (non-secure) environment variables of the container
   * @param command the container's command, may be empty
   * @param init whether this is an init container (they exit by default)
   * @param timings emulator defaults
   */
  public static ContainerBehavior from(
      Map<String, String> env, List<String> command, boolean init, EmulatorTimings timings) {
    Duration runFor = seconds(env.get(RUN_SECONDS));
    Integer exitCode = integer(env.get(EXIT_CODE));
    if (runFor == null && isOneShot(command)) {
      // "echo hi" or "sh -c 'exit 3'" finish immediately, like the real process would.
      runFor = Duration.ZERO;
      if (exitCode == null) {
        exitCode = exitCodeOf(command);
      }
    }
    if (runFor == null && (exitCode != null || init)) {
      runFor = init ? timings.initContainerRun() : Duration.ofMillis(300);
    }
    Duration startDelay = seconds(env.get(START_DELAY_SECONDS));
    Duration interval = seconds(env.get(LOG_INTERVAL_SECONDS));
    return new ContainerBehavior(
        runFor,
        exitCode == null ? 0 : exitCode,
        startDelay == null ? Duration.ZERO : startDelay,
        Boolean.parseBoolean(env.getOrDefault(PULL_FAILURE, "false")),
        seconds(env.get(LIVENESS_FAIL_SECONDS)),
        interval == null ? timings.logInterval() : interval.isZero() ? null : interval);
  }

  /** A command that is only echo/exit/true/false statements ends right away. */
  private static boolean isOneShot(List<String> command) {
    if (command.isEmpty()) {
      return false;
    }
    String script = shellScript(command);
    if (script == null) {
      return false;
    }
    for (String statement : script.split("[;&|]+")) {
      String word = statement.trim().split("\\s+")[0];
      if (!List.of("echo", "exit", "true", "false", "printf", "").contains(word)) {
        return false;
      }
    }
    return true;
  }

  private static int exitCodeOf(List<String> command) {
    String script = shellScript(command);
    for (String statement : script.split("[;&|]+")) {
      String[] words = statement.trim().split("\\s+");
      if (words[0].equals("exit")) {
        try {
          return words.length > 1 ? Integer.parseInt(words[1]) : 0;
        } catch (NumberFormatException e) {
          return 2; // What sh answers for "exit abc".
        }
      }
      if (words[0].equals("false")) {
        return 1;
      }
    }
    return 0;
  }

  /** The script a command runs: "sh -c X" gives X, a plain command gives itself joined. */
  static String shellScript(List<String> command) {
    String first = command.get(0);
    if ((first.endsWith("sh")) && command.size() >= 3 && command.get(1).equals("-c")) {
      return command.get(2);
    }
    if (first.endsWith("sh")) {
      return null;
    }
    return String.join(" ", command);
  }

  private static Duration seconds(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return Duration.ofMillis(Math.round(Double.parseDouble(value.trim()) * 1000));
  }

  private static Integer integer(String value) {
    return value == null || value.isBlank() ? null : Integer.valueOf(value.trim());
  }
}
