package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeStatsTest {
  private static final Instant NODE_START = Instant.parse("2026-12-02T05:00:00Z");
  private static final Instant STARTED = Instant.parse("2026-12-02T06:00:00Z");
  private static final Instant NOW = Instant.parse("2026-12-02T06:10:00.250Z");
  private static final List<NodeStats.PodFigures> PODS =
      List.of(
          new NodeStats.PodFigures(
              "ns1",
              "web",
              "uid-1",
              STARTED,
              List.of(
                  new NodeStats.ContainerFigures("app", STARTED, 0.25, 150.5, 536870912),
                  new NodeStats.ContainerFigures("side", STARTED.plusSeconds(1), 0.5, 10, 1000))),
          new NodeStats.PodFigures(
              "ns2",
              "db",
              "uid-2",
              STARTED,
              List.of(new NodeStats.ContainerFigures("db", STARTED, 1, 600, 2000))));

  @Test
  void theSummaryHasEachPodAndContainerAndTheNodeAsTheirSum() throws Exception {
    JsonNode summary =
        new ObjectMapper().readTree(NodeStats.summary("vnode", NODE_START, NOW, PODS));

    JsonNode node = summary.path("node");
    assertThat(node.path("nodeName").asText()).isEqualTo("vnode");
    assertThat(node.path("startTime").asText()).isEqualTo("2026-12-02T05:00:00Z");
    assertThat(node.path("cpu").path("time").asText()).isEqualTo("2026-12-02T06:10:00.250Z");
    assertThat(node.path("cpu").path("usageNanoCores").asLong()).isEqualTo(1_750_000_000L);
    assertThat(node.path("cpu").path("usageCoreNanoSeconds").asLong()).isEqualTo(760_500_000_000L);
    assertThat(node.path("memory").path("workingSetBytes").asLong())
        .isEqualTo(536870912L + 1000 + 2000);
    assertThat(node.path("memory").path("usageBytes").asLong()).isEqualTo(536870912L + 3000);

    JsonNode web = summary.path("pods").get(0);
    assertThat(web.path("podRef").path("name").asText()).isEqualTo("web");
    assertThat(web.path("podRef").path("namespace").asText()).isEqualTo("ns1");
    assertThat(web.path("podRef").path("uid").asText()).isEqualTo("uid-1");
    assertThat(web.path("startTime").asText()).isEqualTo("2026-12-02T06:00:00Z");
    assertThat(web.path("cpu").path("usageNanoCores").asLong()).isEqualTo(750_000_000L);
    assertThat(web.path("memory").path("workingSetBytes").asLong()).isEqualTo(536871912L);
    JsonNode app = web.path("containers").get(0);
    assertThat(app.path("name").asText()).isEqualTo("app");
    assertThat(app.path("startTime").asText()).isEqualTo("2026-12-02T06:00:00Z");
    assertThat(app.path("cpu").path("usageNanoCores").asLong()).isEqualTo(250_000_000L);
    assertThat(app.path("cpu").path("usageCoreNanoSeconds").asLong()).isEqualTo(150_500_000_000L);
    assertThat(app.path("memory").path("workingSetBytes").asLong()).isEqualTo(536870912L);
    assertThat(web.path("containers")).hasSize(2);
    assertThat(summary.path("pods")).hasSize(2);
  }

  @Test
  void anEmptyNodeHasZeroFiguresAndNoPods() throws Exception {
    JsonNode summary =
        new ObjectMapper().readTree(NodeStats.summary("vnode", NODE_START, NOW, List.of()));

    assertThat(summary.path("pods")).isEmpty();
    assertThat(summary.path("node").path("cpu").path("usageNanoCores").asLong()).isZero();
  }

  @Test
  void theResourceMetricsAreTheKubeletsStampedWithTheScrapeTime() {
    String text = NodeStats.resourceMetrics(NOW, PODS, false);
    String ts = " 1796191800250";

    assertThat(text)
        .contains("# TYPE container_cpu_usage_seconds_total counter\n")
        .contains(
            "container_cpu_usage_seconds_total{container=\"app\",namespace=\"ns1\",pod=\"web\"}"
                + " 150.5"
                + ts
                + "\n")
        .contains(
            "container_memory_working_set_bytes{container=\"app\",namespace=\"ns1\",pod=\"web\"}"
                + " 536870912"
                + ts
                + "\n")
        .contains(
            "container_start_time_seconds{container=\"side\",namespace=\"ns1\",pod=\"web\"}"
                + " 1796191201"
                + ts
                + "\n")
        .contains("# TYPE node_cpu_usage_seconds_total counter\n")
        .contains("node_cpu_usage_seconds_total 760.5" + ts + "\n")
        .contains("node_memory_working_set_bytes 536873912" + ts + "\n")
        .contains("pod_cpu_usage_seconds_total{namespace=\"ns2\",pod=\"db\"} 600" + ts + "\n")
        .contains("pod_memory_working_set_bytes{namespace=\"ns1\",pod=\"web\"} 536871912" + ts)
        .contains("# TYPE resource_scrape_error gauge\n")
        .contains("resource_scrape_error 0" + ts + "\n")
        .doesNotContain("E+")
        .doesNotContain("e+");
    // Every sample line: name{labels} value timestamp.
    for (String line : text.split("\n")) {
      if (!line.startsWith("#")) {
        assertThat(line).matches("[a-z_]+(\\{[^}]*\\})? [0-9.]+ \\d+");
      }
    }
  }

  @Test
  void aScrapeErrorIsReported() {
    assertThat(NodeStats.resourceMetrics(NOW, List.of(), true))
        .contains("resource_scrape_error 1 ");
  }

  @Test
  void fractionsAreWrittenPlainlyAndLabelValuesEscaped() {
    String text =
        NodeStats.resourceMetrics(
            NOW,
            List.of(
                new NodeStats.PodFigures(
                    "n\"s",
                    "p",
                    "u",
                    STARTED,
                    List.of(new NodeStats.ContainerFigures("c", STARTED, 1e-7, 1e-7, 1)))),
            false);

    assertThat(text)
        .contains(
            "container_cpu_usage_seconds_total{container=\"c\",namespace=\"n\\\"s\",pod=\"p\"} 0.0000001 ");
  }
}
