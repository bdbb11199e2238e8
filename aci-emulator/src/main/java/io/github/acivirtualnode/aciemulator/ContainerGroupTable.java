package io.github.acivirtualnode.aciemulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupRecord;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupView;
import io.github.acivirtualnode.aciemulator.model.EmulatorTimings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Renders container groups like {@code az container list -o table}. */
final class ContainerGroupTable {
  private static final String[] HEADERS = {
    "Name",
    "ResourceGroup",
    "Status",
    "Image",
    "IP:ports",
    "Network",
    "CPU/Memory",
    "OsType",
    "Location"
  };

  private ContainerGroupTable() {}

  static String render(List<ContainerGroupRecord> groups, Instant now, EmulatorTimings timings) {
    List<String[]> rows = new ArrayList<>();
    groups.sort(Comparator.comparing(ContainerGroupRecord::ordinal));
    for (ContainerGroupRecord record : groups) {
      ContainerGroupView view = new ContainerGroupView(record, now, timings);
      JsonNode json = view.toJson(ContainerGroupView.Shape.RESOURCE);
      JsonNode props = json.path("properties");
      List<String> images = new ArrayList<>();
      double cpu = 0;
      double memory = 0;
      for (JsonNode container : props.path("containers")) {
        images.add(container.path("properties").path("image").asText());
        JsonNode requests = container.path("properties").path("resources").path("requests");
        cpu += requests.path("cpu").asDouble();
        memory += requests.path("memoryInGB").asDouble();
      }
      JsonNode ip = props.path("ipAddress");
      List<String> ports = new ArrayList<>();
      ip.path("ports").forEach(p -> ports.add(p.path("port").asText()));
      String address = ip.path("ip").asText("");
      rows.add(
          new String[] {
            record.name(),
            record.resourceGroup(),
            props.path("instanceView").path("state").asText(),
            String.join(",", images),
            address.isEmpty() ? "" : address + ":" + String.join(",", ports),
            ip.path("type").asText(""),
            trim(cpu) + " core/" + trim(memory) + " gb",
            props.path("osType").asText(),
            record.location()
          });
    }
    int[] widths = new int[HEADERS.length];
    for (int i = 0; i < HEADERS.length; i++) {
      widths[i] = HEADERS[i].length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, HEADERS, widths);
    String[] rule = new String[HEADERS.length];
    for (int i = 0; i < HEADERS.length; i++) {
      rule[i] = "-".repeat(widths[i]);
    }
    line(out, rule, widths);
    rows.forEach(row -> line(out, row, widths));
    return out.toString();
  }

  private static void line(StringBuilder out, String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      line.append(String.format("%-" + widths[i] + "s", cells[i]));
      if (i < cells.length - 1) {
        line.append("  ");
      }
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
