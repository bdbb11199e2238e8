package io.github.acivirtualnode.e2e.bench;

import java.util.List;

/**
 * Every scenario one subject went through in one run.
 *
 * @param subject the subject's name, the column's heading
 * @param description how it ran (in-JVM, a process, which version)
 */
public record SubjectRun(String subject, String description, List<ScenarioResult> scenarios) {
  public SubjectRun {
    scenarios = List.copyOf(scenarios);
  }
}
