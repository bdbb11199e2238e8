package io.github.acivirtualnode.e2e.bench;

/**
 * One measured figure of a scenario, with the target of issue 13 it answers, if any.
 *
 * @param id stable key, the same for every subject (the peer column is matched on it)
 * @param what what was measured, as the report's row says it
 * @param value the measured value, or null when it could not be measured (the note says why)
 * @param unit of the value ("ms", "calls/pod", ...)
 * @param target the target in words, or null when the figure has none
 * @param met whether the target was met; null when there is no target or no value
 * @param note how it was measured, or why a target was missed when that is known
 */
public record Figure(
    String id, String what, Double value, String unit, String target, Boolean met, String note) {

  public static Figure of(String id, String what, Double value, String unit) {
    return new Figure(id, what, value, unit, null, null, null);
  }

  /** The same figure judged against a target (not judged when there is no value). */
  public Figure target(String text, boolean metIfMeasured) {
    return new Figure(id, what, value, unit, text, value == null ? null : metIfMeasured, note);
  }

  /** A target stated but not judged by this run (the note says why: another size, say). */
  public Figure targetNotJudged(String text, String why) {
    return new Figure(id, what, value, unit, text, null, why);
  }

  public Figure note(String text) {
    return new Figure(id, what, value, unit, target, met, text);
  }
}
