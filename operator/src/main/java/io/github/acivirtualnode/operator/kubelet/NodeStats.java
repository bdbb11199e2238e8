package io.github.acivirtualnode.operator.kubelet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A virtual node's CPU and memory figures in the kubelet's two shapes: the Summary of {@code
 * /stats/summary} (stats/v1alpha1) and the Prometheus text of {@code /metrics/resource}, which
 * metrics-server scrapes. The node's figures are the sum of its pods' (a virtual node has nothing
 * else). Pure.
 */
final class NodeStats {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One container's figures at the scrape.
   *
   * @param cores the CPU in use, in cores (ACI's latest average)
   * @param coreSeconds the cumulative CPU time ({@link CpuCounters})
   * @param memoryBytes the working set (ACI's latest average of MemoryUsage)
   */
  record ContainerFigures(
      String name, Instant started, double cores, double coreSeconds, double memoryBytes) {}

  record PodFigures(
      String namespace,
      String name,
      String uid,
      Instant started,
      List<ContainerFigures> containers) {
    double cores() {
      return containers.stream().mapToDouble(ContainerFigures::cores).sum();
    }

    double coreSeconds() {
      return containers.stream().mapToDouble(ContainerFigures::coreSeconds).sum();
    }

    double memoryBytes() {
      return containers.stream().mapToDouble(ContainerFigures::memoryBytes).sum();
    }
  }

  private NodeStats() {}

  /** The stats/v1alpha1 Summary. */
  static String summary(String nodeName, Instant nodeStarted, Instant now, List<PodFigures> pods) {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode node = out.putObject("node");
    node.put("nodeName", nodeName);
    node.put("startTime", nodeStarted.toString());
    cpu(
        node,
        now,
        pods.stream().mapToDouble(PodFigures::cores).sum(),
        pods.stream().mapToDouble(PodFigures::coreSeconds).sum());
    memory(node, now, pods.stream().mapToDouble(PodFigures::memoryBytes).sum());
    ArrayNode podArray = out.putArray("pods");
    for (PodFigures p : pods) {
      ObjectNode pod = podArray.addObject();
      ObjectNode ref = pod.putObject("podRef");
      ref.put("name", p.name());
      ref.put("namespace", p.namespace());
      ref.put("uid", p.uid());
      pod.put("startTime", p.started().toString());
      ArrayNode containers = pod.putArray("containers");
      for (ContainerFigures c : p.containers()) {
        ObjectNode container = containers.addObject();
        container.put("name", c.name());
        container.put("startTime", c.started().toString());
        cpu(container, now, c.cores(), c.coreSeconds());
        memory(container, now, c.memoryBytes());
      }
      cpu(pod, now, p.cores(), p.coreSeconds());
      memory(pod, now, p.memoryBytes());
    }
    return out.toPrettyString();
  }

  private static void cpu(ObjectNode parent, Instant now, double cores, double coreSeconds) {
    ObjectNode cpu = parent.putObject("cpu");
    cpu.put("time", now.toString());
    cpu.put("usageNanoCores", Math.round(cores * 1e9));
    cpu.put("usageCoreNanoSeconds", Math.round(coreSeconds * 1e9));
  }

  private static void memory(ObjectNode parent, Instant now, double bytes) {
    ObjectNode memory = parent.putObject("memory");
    memory.put("time", now.toString());
    memory.put("workingSetBytes", Math.round(bytes));
    memory.put("usageBytes", Math.round(bytes));
  }

  /** The media type of {@link #resourceMetrics}: Prometheus text 0.0.4, as a kubelet's. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * The kubelet's resource metrics ({@code /metrics/resource}), every sample stamped with the
   * scrape time in milliseconds, as a kubelet stamps them.
   *
   * @param scrapeError whether some running container's figures could not be read
   */
  static String resourceMetrics(Instant now, List<PodFigures> pods, boolean scrapeError) {
    String ts = " " + now.toEpochMilli() + "\n";
    StringBuilder out = new StringBuilder();
    header(
        out,
        "container_cpu_usage_seconds_total",
        "counter",
        "Cumulative cpu time consumed by the container in core-seconds");
    for (PodFigures p : pods) {
      for (ContainerFigures c : p.containers()) {
        out.append("container_cpu_usage_seconds_total")
            .append(containerLabels(p, c))
            .append(' ')
            .append(number(c.coreSeconds()))
            .append(ts);
      }
    }
    header(
        out,
        "container_memory_working_set_bytes",
        "gauge",
        "Current working set of the container in bytes");
    for (PodFigures p : pods) {
      for (ContainerFigures c : p.containers()) {
        out.append("container_memory_working_set_bytes")
            .append(containerLabels(p, c))
            .append(' ')
            .append(number(Math.rint(c.memoryBytes())))
            .append(ts);
      }
    }
    header(
        out,
        "container_start_time_seconds",
        "gauge",
        "Start time of the container since unix epoch in seconds");
    for (PodFigures p : pods) {
      for (ContainerFigures c : p.containers()) {
        out.append("container_start_time_seconds")
            .append(containerLabels(p, c))
            .append(' ')
            .append(number(c.started().toEpochMilli() / 1000.0))
            .append(ts);
      }
    }
    header(
        out,
        "node_cpu_usage_seconds_total",
        "counter",
        "Cumulative cpu time consumed by the node in core-seconds");
    out.append("node_cpu_usage_seconds_total ")
        .append(number(pods.stream().mapToDouble(PodFigures::coreSeconds).sum()))
        .append(ts);
    header(
        out, "node_memory_working_set_bytes", "gauge", "Current working set of the node in bytes");
    out.append("node_memory_working_set_bytes ")
        .append(number(Math.rint(pods.stream().mapToDouble(PodFigures::memoryBytes).sum())))
        .append(ts);
    header(
        out,
        "pod_cpu_usage_seconds_total",
        "counter",
        "Cumulative cpu time consumed by the pod in core-seconds");
    for (PodFigures p : pods) {
      out.append("pod_cpu_usage_seconds_total")
          .append(podLabels(p))
          .append(' ')
          .append(number(p.coreSeconds()))
          .append(ts);
    }
    header(out, "pod_memory_working_set_bytes", "gauge", "Current working set of the pod in bytes");
    for (PodFigures p : pods) {
      out.append("pod_memory_working_set_bytes")
          .append(podLabels(p))
          .append(' ')
          .append(number(Math.rint(p.memoryBytes())))
          .append(ts);
    }
    header(
        out,
        "resource_scrape_error",
        "gauge",
        "1 if there was an error while getting container metrics, 0 otherwise");
    out.append("resource_scrape_error ").append(scrapeError ? "1" : "0").append(ts);
    return out.toString();
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ")
        .append(name)
        .append(" [STABLE] ")
        .append(help)
        .append('\n')
        .append("# TYPE ")
        .append(name)
        .append(' ')
        .append(type)
        .append('\n');
  }

  private static String containerLabels(PodFigures p, ContainerFigures c) {
    return "{container=\""
        + label(c.name())
        + "\",namespace=\""
        + label(p.namespace())
        + "\",pod=\""
        + label(p.name())
        + "\"}";
  }

  private static String podLabels(PodFigures p) {
    return "{namespace=\"" + label(p.namespace()) + "\",pod=\"" + label(p.name()) + "\"}";
  }

  /** Prometheus label value escaping (Kubernetes names never need it; stay safe anyway). */
  private static String label(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** Plain decimal, no exponent: what a reader of the text expects; whole numbers without ".0". */
  private static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return new java.math.BigDecimal(value)
        .setScale(9, java.math.RoundingMode.HALF_EVEN)
        .stripTrailingZeros()
        .toPlainString()
        .toLowerCase(Locale.ROOT);
  }
}
