package io.github.acivirtualnode.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  private static ScenarioResult burst(double p99, List<String> violations) {
    return new ScenarioResult(
        "burst",
        Map.of("pods", "30"),
        List.of(
            Figure.of("boundToPut.p99", "pod bound -> PUT p99", p99, "ms")
                .target("under 100 ms", p99 < 100)
                .note(p99 < 100 ? null : "the create budget was spent"),
            Figure.of("heap", "operator heap", null, "MiB").note("no sample"),
            Figure.of("puts", "PUTs per pod", 1.0, "calls/pod")),
        List.of("burst-latency.png"),
        violations);
  }

  private static final SubjectRun OURS =
      new SubjectRun("this operator", "in the test's JVM", List.of(burst(42.5, List.of())));

  @Test
  void aTableRowPerFigureWithTargetAndVerdict() {
    String md =
        new BenchReport("small", "now", OURS, Optional.empty(), List.of("a note")).markdown();
    assertThat(md)
        .contains("# Benchmark (issue 13), scale small")
        .contains("## burst")
        .contains("- pods: 30")
        .contains("| Figure | Measured | Target | Met? | virtual-kubelet/azure-aci v1.6.4 |")
        .contains(
            "| pod bound -> PUT p99 | 42.5 ms | under 100 ms | yes | not measured in this run |")
        .contains("| operator heap | not measured: no sample |  |  | not measured in this run |")
        .contains("| PUTs per pod | 1 calls/pod |  |  |")
        .contains("![burst-latency.png](burst-latency.png)")
        .contains("Counts that must hold: all held.")
        .contains("> a note");
  }

  @Test
  void aMissedTargetSaysWhyAndViolationsAreListed() {
    SubjectRun slow =
        new SubjectRun("this operator", "x", List.of(burst(250, List.of("pod p-1 is Pending"))));
    String md = new BenchReport("small", "now", slow, Optional.empty(), List.of()).markdown();
    assertThat(md)
        .contains("| 250 ms | under 100 ms | **no**: the create budget was spent |")
        .contains("Counts that did not hold:\n\n- pod p-1 is Pending");
  }

  @Test
  void aPeerRunFillsItsColumnAndTheRatio() {
    SubjectRun peer = new SubjectRun("peer 1.0", "a process", List.of(burst(85, List.of())));
    String md = new BenchReport("small", "now", OURS, Optional.of(peer), List.of()).markdown();
    assertThat(md)
        .contains("| peer 1.0 | this ÷ peer |")
        .contains("| 42.5 ms | under 100 ms | yes | 85 ms | 0.5× |")
        .doesNotContain(BenchReport.PEER_NOT_MEASURED);
  }

  @Test
  void theSummaryCarriesEveryFigure() throws Exception {
    JsonNode json =
        new ObjectMapper()
            .readTree(new BenchReport("small", "now", OURS, Optional.empty(), List.of()).json());
    assertThat(json.path("scale").asText()).isEqualTo("small");
    assertThat(json.path("peer").asText()).isEqualTo(BenchReport.PEER_NOT_MEASURED);
    JsonNode figure = json.at("/subjects/0/scenarios/0/figures/0");
    assertThat(figure.path("id").asText()).isEqualTo("boundToPut.p99");
    assertThat(figure.path("value").asDouble()).isEqualTo(42.5);
    assertThat(figure.path("met").asBoolean()).isTrue();
    assertThat(json.at("/subjects/0/scenarios/0/figures/1/value").isNull()).isTrue();
  }

  @Test
  void numbersAreShortAndLocaleFree() {
    assertThat(BenchReport.format(3)).isEqualTo("3");
    assertThat(BenchReport.format(0.12345)).isEqualTo("0.123");
    assertThat(BenchReport.format(1234.56)).isEqualTo("1234.6");
    assertThat(BenchReport.format(0.5)).isEqualTo("0.5");
  }
}
