package io.github.acivirtualnode.operator.aci;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads Azure Monitor's Metrics_List answer for a container group split by {@code containerName}:
 * each container's latest bucket that has an average, for CpuUsage and MemoryUsage. Pure.
 */
final class MetricsAnswer {
  private MetricsAnswer() {}

  private record Point(Instant at, double value) {}

  static List<AciBackend.ContainerUsage> latest(JsonNode answer) {
    Map<String, Point> cpu = latestOf(answer, "CpuUsage");
    Map<String, Point> memory = latestOf(answer, "MemoryUsage");
    List<AciBackend.ContainerUsage> out = new ArrayList<>();
    for (var e : cpu.entrySet()) {
      Point m = memory.get(e.getKey());
      if (m == null) {
        continue; // half a figure is no figure: metrics-server drops it too
      }
      Instant at = e.getValue().at().isAfter(m.at()) ? e.getValue().at() : m.at();
      out.add(new AciBackend.ContainerUsage(e.getKey(), at, e.getValue().value(), m.value()));
    }
    return out;
  }

  /** Container name -> its latest averaged bucket of the metric. */
  private static Map<String, Point> latestOf(JsonNode answer, String metric) {
    Map<String, Point> out = new TreeMap<>();
    for (JsonNode m : answer.path("value")) {
      if (!metric.equalsIgnoreCase(m.path("name").path("value").asText())) {
        continue;
      }
      for (JsonNode series : m.path("timeseries")) {
        String container = null;
        for (JsonNode md : series.path("metadatavalues")) {
          if ("containername".equalsIgnoreCase(md.path("name").path("value").asText())) {
            container = md.path("value").asText(null);
          }
        }
        if (container == null) {
          continue;
        }
        for (JsonNode d : series.path("data")) {
          if (!d.hasNonNull("average") || !d.hasNonNull("timeStamp")) {
            continue;
          }
          Instant at = Instant.parse(d.path("timeStamp").asText());
          Point seen = out.get(container);
          if (seen == null || at.isAfter(seen.at())) {
            out.put(container, new Point(at, d.path("average").asDouble()));
          }
        }
      }
    }
    return out;
  }
}
