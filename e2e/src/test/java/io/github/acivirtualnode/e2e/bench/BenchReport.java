package io.github.acivirtualnode.e2e.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Figures to the Markdown report (a table per scenario: figure, measured, target, met or why not,
 * the peer's figure and the ratio) and to the machine-readable summary. Pure: the caller writes the
 * files. The peer column is filled only from a peer's own run; without one it says so, and no
 * figure is ever made up for it.
 */
public final class BenchReport {
  /** What the peer column says when no peer ran. */
  public static final String PEER_NOT_MEASURED = "not measured in this run";

  /** The peer's column heading when no peer ran: the reference implementation of issue 13. */
  public static final String PEER_NAME = "virtual-kubelet/azure-aci v1.6.4";

  private final String scale;
  private final String generatedAt;
  private final SubjectRun subject;
  private final Optional<SubjectRun> peer;
  private final List<String> notes;

  public BenchReport(
      String scale,
      String generatedAt,
      SubjectRun subject,
      Optional<SubjectRun> peer,
      List<String> notes) {
    this.scale = scale;
    this.generatedAt = generatedAt;
    this.subject = subject;
    this.peer = peer;
    this.notes = List.copyOf(notes);
  }

  public String markdown() {
    StringBuilder md = new StringBuilder();
    String peerName = peer.map(SubjectRun::subject).orElse(PEER_NAME);
    md.append("# Benchmark (issue 13), scale ").append(scale).append("\n\n");
    md.append("Generated ").append(generatedAt).append(".\n\n");
    md.append("- This run: **").append(subject.subject()).append("**, ");
    md.append(subject.description()).append("\n");
    md.append("- Peer: **").append(peerName).append("**, ");
    md.append(peer.map(SubjectRun::description).orElse(PEER_NOT_MEASURED)).append("\n\n");
    for (String note : notes) {
      md.append("> ").append(note).append("\n>\n");
    }
    if (!notes.isEmpty()) {
      md.setLength(md.length() - 2);
      md.append("\n");
    }
    for (ScenarioResult scenario : subject.scenarios()) {
      Optional<ScenarioResult> peerScenario =
          peer.flatMap(
              p ->
                  p.scenarios().stream().filter(s -> s.name().equals(scenario.name())).findFirst());
      md.append("## ").append(scenario.name()).append("\n\n");
      scenario.parameters().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(
              e ->
                  md.append("- ")
                      .append(e.getKey())
                      .append(": ")
                      .append(e.getValue())
                      .append("\n"));
      md.append("\n| Figure | Measured | Target | Met? | ")
          .append(escape(peerName))
          .append(" | this ÷ peer |\n");
      md.append("|---|---|---|---|---|---|\n");
      for (Figure f : scenario.figures()) {
        Optional<Figure> pf =
            peerScenario.flatMap(
                s -> s.figures().stream().filter(x -> x.id().equals(f.id())).findFirst());
        md.append("| ")
            .append(escape(f.what()))
            .append(" | ")
            .append(measured(f))
            .append(" | ")
            .append(f.target() == null ? "" : escape(f.target()))
            .append(" | ")
            .append(met(f))
            .append(" | ")
            .append(peerCell(peerScenario.isPresent(), pf))
            .append(" | ")
            .append(ratio(f, pf))
            .append(" |\n");
      }
      md.append("\n");
      if (scenario.violations().isEmpty()) {
        md.append("Counts that must hold: all held.\n\n");
      } else {
        md.append("Counts that did not hold:\n\n");
        scenario.violations().forEach(v -> md.append("- ").append(escape(v)).append("\n"));
        md.append("\n");
      }
      for (String chart : scenario.charts()) {
        md.append("![").append(chart).append("](").append(chart).append(")\n\n");
      }
    }
    return md.toString();
  }

  static String measured(Figure f) {
    if (f.value() == null) {
      return "not measured" + (f.note() == null ? "" : ": " + escape(f.note()));
    }
    return format(f.value()) + " " + f.unit();
  }

  static String met(Figure f) {
    if (f.target() == null) {
      return "";
    }
    if (f.met() == null) {
      return "not judged";
    }
    if (f.met()) {
      return "yes";
    }
    return "**no**" + (f.note() == null ? "" : ": " + escape(f.note()));
  }

  private static String peerCell(boolean peerRan, Optional<Figure> pf) {
    if (!peerRan) {
      return PEER_NOT_MEASURED;
    }
    return pf.map(BenchReport::measured).orElse("not measured");
  }

  private static String ratio(Figure f, Optional<Figure> pf) {
    if (pf.isEmpty() || pf.get().value() == null || f.value() == null || pf.get().value() == 0) {
      return "";
    }
    return format(f.value() / pf.get().value()) + "×";
  }

  /** Up to three significant decimals, no trailing zeros, a dot as the decimal separator. */
  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) v);
    }
    String s = String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.3f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  private static String escape(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  /** The summary: every subject's scenarios and figures, as they are. */
  public String json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("scale", scale);
    root.put("generatedAt", generatedAt);
    List<Object> subjects = new ArrayList<>();
    subjects.add(subject);
    peer.ifPresent(subjects::add);
    root.put("subjects", subjects);
    root.put("peer", peer.isPresent() ? peer.get().subject() : PEER_NOT_MEASURED);
    root.put("notes", notes);
    try {
      return new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
              .writeValueAsString(root)
          + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
