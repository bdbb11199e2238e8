package io.github.acivirtualnode.aciemulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerGroupViewTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final EmulatorTimings TIMINGS =
      new EmulatorTimings(
          Duration.ofSeconds(1),
          Duration.ofSeconds(2),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          1);

  private static ContainerGroupRecord record(String json) throws Exception {
    ObjectNode spec = (ObjectNode) MAPPER.readTree(json);
    return new ContainerGroupRecord("sub", "rg", "g", 1, spec, T0, T0.plus(TIMINGS.pending()));
  }

  private static final String SPEC =
      "{\"location\":\"westeurope\",\"tags\":{},\"properties\":{\"osType\":\"Linux\","
          + "\"initContainers\":[{\"name\":\"init\",\"properties\":{\"image\":\"busybox\",\"command\":[\"echo\",\"x\"]}}],"
          + "\"containers\":[{\"name\":\"app\",\"properties\":{\"image\":\"nginx\","
          + "\"environmentVariables\":[{\"name\":\"S\",\"secureValue\":\"secret\"}],"
          + "\"volumeMounts\":[{\"name\":\"v\",\"mountPath\":\"/mnt/v\"}],"
          + "\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1}}}}],"
          + "\"volumes\":[{\"name\":\"v\",\"secret\":{\"k\":\"dmFsdWU=\"}}],"
          + "\"ipAddress\":{\"type\":\"Public\",\"ports\":[{\"port\":80,\"protocol\":\"TCP\"}]}}}";

  @Test
  void provisioningWalksPendingCreatingSucceeded() throws Exception {
    ContainerGroupRecord record = record(SPEC);
    assertThat(new ContainerGroupView(record, T0.plusMillis(500), TIMINGS).provisioningState())
        .isEqualTo("Pending");
    assertThat(new ContainerGroupView(record, T0.plusMillis(1500), TIMINGS).provisioningState())
        .isEqualTo("Creating");
    // Init: pull 1..2, runs 0 s (echo); app: pull 2..3, started at 3.
    ContainerGroupView later = new ContainerGroupView(record, T0.plusSeconds(4), TIMINGS);
    assertThat(later.provisioningState()).isEqualTo("Succeeded");
    assertThat(later.groupState()).isEqualTo("Running");
    assertThat(later.status("init").succeeded()).isTrue();
    assertThat(later.status("app").current().startTime()).isEqualTo(T0.plusSeconds(3));
  }

  @Test
  void jsonHasInstanceViewAndNoSecrets() throws Exception {
    ContainerGroupView view = new ContainerGroupView(record(SPEC), T0.plusSeconds(4), TIMINGS);
    ObjectNode json = view.toJson(true);
    assertThat(json.toString()).doesNotContain("secureValue", ":\"secret\"", "dmFsdWU=");
    assertThat(
            json.at("/properties/containers/0/properties/instanceView/currentState/state").asText())
        .isEqualTo("Running");
    assertThat(json.at("/properties/ipAddress/ip").asText()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    assertThat(json.at("/id").asText())
        .isEqualTo(
            "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/g");
    // The container itself still sees its secrets.
    assertThat(view.files(view.container("app"))).containsEntry("/mnt/v/k", "value");
    assertThat(ContainerGroupView.environment(view.container("app"))).containsEntry("S", "secret");
  }

  @Test
  void stopAndRestart() throws Exception {
    ContainerGroupRecord record = record(SPEC);
    record.stop(T0.plusSeconds(5));
    ContainerGroupView stopped = new ContainerGroupView(record, T0.plusSeconds(6), TIMINGS);
    assertThat(stopped.groupState()).isEqualTo("Stopped");
    assertThat(stopped.status("app").current().detailStatus()).isEqualTo("Stopped");
    record.restart(T0.plusSeconds(10));
    ContainerGroupView restarted = new ContainerGroupView(record, T0.plusSeconds(10), TIMINGS);
    assertThat(restarted.provisioningState()).isEqualTo("Succeeded");
    assertThat(restarted.groupState()).isEqualTo("Running");
  }
}
