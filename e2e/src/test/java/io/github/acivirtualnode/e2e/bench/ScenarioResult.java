package io.github.acivirtualnode.e2e.bench;

import java.util.List;
import java.util.Map;

/**
 * What one scenario measured for one subject.
 *
 * @param name the scenario's name (burst, spread, ...)
 * @param parameters its size and settings, as the report lists them
 * @param figures the figures, in report order
 * @param charts file names of its PNG charts, relative to the report
 * @param violations counts that should have held and did not (lost pods, two groups, orphans)
 */
public record ScenarioResult(
    String name,
    Map<String, String> parameters,
    List<Figure> figures,
    List<String> charts,
    List<String> violations) {
  public ScenarioResult {
    parameters = Map.copyOf(parameters);
    figures = List.copyOf(figures);
    charts = List.copyOf(charts);
    violations = List.copyOf(violations);
  }
}
