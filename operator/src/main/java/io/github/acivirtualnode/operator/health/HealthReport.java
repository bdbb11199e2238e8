package io.github.acivirtualnode.operator.health;

import java.util.List;

/**
 * The answer of {@code /healthz} or {@code /readyz}: named checks, each passed or failed with a
 * reason, written as the Kubernetes API server writes its own ({@code [+]name ok}, {@code [-]name
 * failed: reason}).
 */
public record HealthReport(List<Check> checks) {
  public HealthReport {
    checks = List.copyOf(checks);
  }

  /** One check; {@code detail} says what it saw (why it failed, or what it found). */
  public record Check(String name, boolean ok, String detail) {}

  public boolean ok() {
    return checks.stream().allMatch(Check::ok);
  }

  /** Every check on its own line, then a verdict. */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (Check c : checks) {
      out.append(c.ok() ? "[+]" : "[-]").append(c.name()).append(c.ok() ? " ok" : " failed");
      if (c.detail() != null && !c.detail().isEmpty()) {
        out.append(": ").append(c.detail());
      }
      out.append('\n');
    }
    out.append(ok() ? "ok\n" : "not ok\n");
    return out.toString();
  }
}
