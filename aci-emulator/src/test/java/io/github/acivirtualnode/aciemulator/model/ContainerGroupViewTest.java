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
  void provisioningGoesPendingThenSucceededWhileContainersReportTheirOwnReadiness()
      throws Exception {
    ContainerGroupRecord record = record(SPEC);
    ContainerGroupView pending = new ContainerGroupView(record, T0.plusMillis(500), TIMINGS);
    assertThat(pending.provisioningState()).isEqualTo("Pending");
    assertThat(pending.toJson(ContainerGroupView.Shape.RESOURCE).toString())
        .doesNotContain("\"currentState\"");
    // Placed and pulling: still Pending (there is no Creating), the init container is Waiting.
    ContainerGroupView pulling = new ContainerGroupView(record, T0.plusMillis(1500), TIMINGS);
    assertThat(pulling.provisioningState()).isEqualTo("Pending");
    ObjectNode json = pulling.toJson(ContainerGroupView.Shape.RESOURCE);
    assertThat(json.at("/properties/initContainers/0/properties/instanceView/currentState/state"))
        .hasToString("\"Waiting\"");
    assertThat(json.at("/properties/initContainers/0/properties/instanceView/events/0/name"))
        .hasToString("\"Pulling\"");
    // Init: pull 1..2, runs 0 s (echo); app: pull 2..3, started at 3.
    ContainerGroupView later = new ContainerGroupView(record, T0.plusSeconds(3), TIMINGS);
    assertThat(later.provisioningState()).isEqualTo("Succeeded");
    assertThat(later.groupState()).isEqualTo("Running");
    assertThat(later.status("init").succeeded()).isTrue();
    assertThat(later.status("app").current().startTime()).isEqualTo(T0.plusSeconds(3));
  }

  @Test
  void listItemsCarryNoInstanceView() throws Exception {
    ContainerGroupView view = new ContainerGroupView(record(SPEC), T0.plusSeconds(4), TIMINGS);
    ObjectNode item = view.toJson(ContainerGroupView.Shape.LIST_ITEM);
    assertThat(item.toString()).doesNotContain("instanceView");
    assertThat(item.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(item.at("/properties/ipAddress/ip").isTextual()).isTrue();
    ObjectNode resource = view.toJson(ContainerGroupView.Shape.RESOURCE);
    assertThat(resource.at("/properties/instanceView/state").asText()).isEqualTo("Running");
    assertThat(resource.at("/properties/initContainers/0/properties/instanceView").isObject())
        .isTrue();
  }

  @Test
  void jsonHasInstanceViewAndNoSecrets() throws Exception {
    ContainerGroupView view = new ContainerGroupView(record(SPEC), T0.plusSeconds(4), TIMINGS);
    ObjectNode json = view.toJson(ContainerGroupView.Shape.RESOURCE);
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
  void anEvictedSpotGroupIsStoppedWithAWarningEventUntilStartedAgain() throws Exception {
    ContainerGroupRecord record =
        record(
            SPEC.replace("\"osType\":\"Linux\",", "\"osType\":\"Linux\",\"priority\":\"Spot\","));
    assertThat(record.spot()).isTrue();
    record.evict(T0.plusSeconds(5));
    ObjectNode json =
        new ContainerGroupView(record, T0.plusSeconds(6), TIMINGS)
            .toJson(ContainerGroupView.Shape.RESOURCE);
    assertThat(json.at("/properties/priority").asText()).isEqualTo("Spot");
    assertThat(json.at("/properties/instanceView/state").asText()).isEqualTo("Stopped");
    assertThat(json.at("/properties/instanceView/events")).hasSize(1);
    assertThat(json.at("/properties/instanceView/events/0/name").asText())
        .isEqualTo(ContainerGroupView.EVICTED_EVENT);
    assertThat(json.at("/properties/instanceView/events/0/type").asText()).isEqualTo("Warning");
    assertThat(json.at("/properties/instanceView/events/0/firstTimestamp").asText())
        .isEqualTo("2026-01-01T00:00:05Z");
    assertThat(json.at("/properties/containers/0/properties").has("instanceView")).isFalse();
    record.start(T0.plusSeconds(10), T0.plusSeconds(11));
    ObjectNode started =
        new ContainerGroupView(record, T0.plusSeconds(14), TIMINGS)
            .toJson(ContainerGroupView.Shape.RESOURCE);
    assertThat(started.at("/properties/instanceView/state").asText()).isEqualTo("Running");
    assertThat(started.at("/properties/instanceView/events")).isEmpty();
  }

  @Test
  void aStoppedGroupHasNoEvictionEventAndARegularGroupIsNotSpot() throws Exception {
    ContainerGroupRecord record = record(SPEC);
    assertThat(record.spot()).isFalse();
    record.stop(T0.plusSeconds(5));
    ObjectNode json =
        new ContainerGroupView(record, T0.plusSeconds(6), TIMINGS)
            .toJson(ContainerGroupView.Shape.RESOURCE);
    assertThat(json.at("/properties/instanceView/events")).isEmpty();
  }

  @Test
  void stopDeallocatesAndRestartGoesUpdatingThenSucceeded() throws Exception {
    ContainerGroupRecord record = record(SPEC);
    record.stop(T0.plusSeconds(5));
    ContainerGroupView stopped = new ContainerGroupView(record, T0.plusSeconds(6), TIMINGS);
    assertThat(stopped.groupState()).isEqualTo("Stopped");
    assertThat(stopped.status("app").current().detailStatus()).isEqualTo("Stopped");
    ObjectNode json = stopped.toJson(ContainerGroupView.Shape.RESOURCE);
    assertThat(json.at("/properties/instanceView/state").asText()).isEqualTo("Stopped");
    assertThat(json.at("/properties/containers/0/properties").has("instanceView")).isFalse();
    assertThat(json.at("/properties/initContainers/0/properties").has("instanceView")).isFalse();
    record.restart(T0.plusSeconds(10), T0.plusSeconds(11));
    ContainerGroupView restarting = new ContainerGroupView(record, T0.plusSeconds(10), TIMINGS);
    assertThat(restarting.provisioningState()).isEqualTo("Updating");
    ContainerGroupView restarted = new ContainerGroupView(record, T0.plusSeconds(13), TIMINGS);
    assertThat(restarted.provisioningState()).isEqualTo("Succeeded");
    assertThat(restarted.groupState()).isEqualTo("Running");
  }

  @Test
  void startProvisionsAgainAsPending() throws Exception {
    ContainerGroupRecord record = record(SPEC);
    record.stop(T0.plusSeconds(5));
    record.start(T0.plusSeconds(10), T0.plusSeconds(11));
    assertThat(new ContainerGroupView(record, T0.plusSeconds(10), TIMINGS).provisioningState())
        .isEqualTo("Pending");
    ContainerGroupView started = new ContainerGroupView(record, T0.plusSeconds(13), TIMINGS);
    assertThat(started.provisioningState()).isEqualTo("Succeeded");
    assertThat(started.groupState()).isEqualTo("Running");
  }
}
