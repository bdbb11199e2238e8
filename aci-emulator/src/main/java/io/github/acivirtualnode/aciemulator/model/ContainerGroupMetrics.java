package io.github.acivirtualnode.aciemulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Azure Monitor's platform metrics of a container group, simulated: one sample per container per
 * minute while the container runs (a fixed share of what it requested: {@link #CPU_SHARE} of its
 * CPU, {@link #MEMORY_SHARE} of its memory), none while it waits, has ended, or the group is
 * stopped. Without a {@code containerName} split a bucket aggregates every container's samples (so
 * Average is the mean per container, as Azure Monitor reports a group), with one it has a time
 * series per container that has samples. Pure: a function of the view, the query and the clock.
 */
public final class ContainerGroupMetrics {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Share of the requested CPU a running container uses. */
  public static final double CPU_SHARE = 0.25;

  /** Share of the requested memory a running container uses. */
  public static final double MEMORY_SHARE = 0.5;

  /** A metric of Microsoft.ContainerInstance/containerGroups as Azure Monitor describes it. */
  public record Metric(String name, String localizedName, String description, String unit) {}

  public static final List<Metric> METRICS =
      List.of(
          new Metric("CpuUsage", "CPU Usage", "CPU usage on all cores in millicores.", "Count"),
          new Metric("MemoryUsage", "Memory Usage", "Total memory usage in byte.", "Bytes"));

  public static final String NAMESPACE = "Microsoft.ContainerInstance/containerGroups";

  private ContainerGroupMetrics() {}

  /** The metric named {@code name} (case-insensitive), or null. */
  public static Metric metric(String name) {
    return METRICS.stream().filter(m -> m.name().equalsIgnoreCase(name)).findFirst().orElse(null);
  }

  /** The answer of Metrics_List for the group seen in {@code view} at {@code now}. */
  public static ObjectNode answer(ContainerGroupView view, MetricsQuery query, Instant now) {
    List<String> unknown = new ArrayList<>();
    query.metrics().stream().filter(m -> metric(m) == null).forEach(unknown::add);
    if (!unknown.isEmpty()) {
      throw new ArmException(
          400,
          "BadRequest",
          "Failed to find metric configuration for provider: Microsoft.ContainerInstance,"
              + " resource Type: containerGroups, metric: "
              + String.join(",", unknown)
              + ", Valid metrics: "
              + String.join(",", METRICS.stream().map(Metric::name).toList()));
    }
    ContainerGroupRecord record = view.record();
    ObjectNode out = JSON.objectNode();
    out.put("cost", 0);
    out.put(
        "timespan",
        DateTimeFormatter.ISO_INSTANT.format(query.start())
            + "/"
            + DateTimeFormatter.ISO_INSTANT.format(query.end()));
    out.put("interval", query.intervalText());
    ArrayNode value = out.putArray("value");
    List<String> aggregations =
        query.aggregations().isEmpty() ? List.of("average") : query.aggregations();
    for (String name : query.metrics()) {
      Metric metric = metric(name);
      ObjectNode m = value.addObject();
      m.put("id", record.id() + "/providers/Microsoft.Insights/metrics/" + metric.name());
      m.put("type", "Microsoft.Insights/metrics");
      m.putObject("name").put("value", metric.name()).put("localizedValue", metric.localizedName());
      m.put("displayDescription", metric.description());
      m.put("unit", metric.unit());
      ArrayNode series = m.putArray("timeseries");
      Map<String, List<List<Double>>> perContainer = samples(view, metric, query, now);
      if (query.split() == null) {
        List<List<Double>> all = new ArrayList<>();
        for (int b = 0; b < buckets(query); b++) {
          List<Double> bucket = new ArrayList<>();
          for (List<List<Double>> c : perContainer.values()) {
            bucket.addAll(c.get(b));
          }
          all.add(bucket);
        }
        ObjectNode s = series.addObject();
        s.putArray("metadatavalues");
        s.set("data", data(all, query, aggregations));
      } else {
        int added = 0;
        for (Map.Entry<String, List<List<Double>>> c : perContainer.entrySet()) {
          boolean asked = query.split().contains("*") || query.split().contains(c.getKey());
          boolean hasData = c.getValue().stream().anyMatch(b -> !b.isEmpty());
          if (!asked || !hasData || added >= query.top()) {
            continue;
          }
          added++;
          ObjectNode s = series.addObject();
          ObjectNode dimension = s.putArray("metadatavalues").addObject();
          dimension
              .putObject("name")
              .put("value", "containername")
              .put("localizedValue", "containername");
          dimension.put("value", c.getKey());
          s.set("data", data(c.getValue(), query, aggregations));
        }
      }
      m.put("errorCode", "Success");
    }
    out.put("namespace", NAMESPACE);
    out.put("resourceregion", Regions.name(record.location()));
    return out;
  }

  private static int buckets(MetricsQuery query) {
    Instant first = query.firstBucket();
    long seconds = Duration.between(first, query.end()).getSeconds();
    long grain = query.interval().getSeconds();
    return (int) Math.max(1, (seconds + grain - 1) / grain);
  }

  /** Per container (spec order), per bucket: the minute samples that fall into it. */
  private static Map<String, List<List<Double>>> samples(
      ContainerGroupView view, Metric metric, MetricsQuery query, Instant now) {
    Map<String, List<List<Double>>> out = new LinkedHashMap<>();
    Instant stoppedAt = view.record().stoppedAt();
    int buckets = buckets(query);
    Instant first = query.firstBucket();
    for (JsonNode container : view.record().spec().path("properties").path("containers")) {
      String name = container.path("name").asText();
      ContainerStatus status = view.containerStatuses().get(name);
      double sample = sampleValue(metric, container);
      List<List<Double>> perBucket = new ArrayList<>();
      for (int b = 0; b < buckets; b++) {
        Instant from = first.plus(query.interval().multipliedBy(b));
        Instant to = min(from.plus(query.interval()), query.end());
        List<Double> values = new ArrayList<>();
        for (Instant t = minuteAtOrAfter(max(from, query.start()));
            t.isBefore(to);
            t = t.plusSeconds(60)) {
          boolean stopped = stoppedAt != null && !t.isBefore(stoppedAt);
          if (!t.isAfter(now) && !stopped && status != null && running(status, t)) {
            values.add(sample);
          }
        }
        perBucket.add(values);
      }
      out.put(name, perBucket);
    }
    return out;
  }

  private static double sampleValue(Metric metric, JsonNode container) {
    JsonNode requests = container.path("properties").path("resources").path("requests");
    return metric.name().equals("CpuUsage")
        ? requests.path("cpu").asDouble() * 1000 * CPU_SHARE
        : requests.path("memoryInGB").asDouble() * 1024 * 1024 * 1024 * MEMORY_SHARE;
  }

  private static boolean running(ContainerStatus status, Instant t) {
    for (ContainerStatus.Run run : status.runs()) {
      if (!t.isBefore(run.start()) && (run.end() == null || t.isBefore(run.end()))) {
        return true;
      }
    }
    return false;
  }

  private static ArrayNode data(
      List<List<Double>> buckets, MetricsQuery query, List<String> aggregations) {
    ArrayNode data = JSON.arrayNode();
    Instant first = query.firstBucket();
    for (int b = 0; b < buckets.size(); b++) {
      List<Double> values = buckets.get(b);
      ObjectNode point = data.addObject();
      point.put(
          "timeStamp",
          DateTimeFormatter.ISO_INSTANT.format(first.plus(query.interval().multipliedBy(b))));
      for (String aggregation : aggregations) {
        if (aggregation.equals("count")) {
          point.put("count", (double) values.size());
        } else if (aggregation.equals("total")) {
          point.put("total", values.stream().mapToDouble(Double::doubleValue).sum());
        } else if (!values.isEmpty()) {
          var stats = values.stream().mapToDouble(Double::doubleValue).summaryStatistics();
          point.put(
              aggregation,
              switch (aggregation) {
                case "minimum" -> stats.getMin();
                case "maximum" -> stats.getMax();
                default -> stats.getAverage();
              });
        }
      }
    }
    return data;
  }

  private static Instant minuteAtOrAfter(Instant t) {
    long epoch = t.getEpochSecond();
    long rounded = epoch - Math.floorMod(epoch, 60);
    Instant minute = Instant.ofEpochSecond(rounded);
    return minute.isBefore(t) ? minute.plusSeconds(60) : minute;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
