package io.github.acivirtualnode.aciemulator;

import static io.github.acivirtualnode.aciemulator.ArmClient.RG;
import static io.github.acivirtualnode.aciemulator.ArmClient.SUB;
import static io.github.acivirtualnode.aciemulator.ArmClient.container;
import static io.github.acivirtualnode.aciemulator.ArmClient.group;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sequences of states clients observe, on a clock the test moves by hand: provisioning states
 * as recorded (Pending then Succeeded after a PUT or start, Updating then Succeeded after a
 * restart, no Creating), container readiness apart from them, list answers without instance views,
 * and the headers of start and restart.
 */
class ProvisioningLifecycleIT {
  private static final Duration STEP = Duration.ofMillis(50);
  private ManualClock clock;
  private AciEmulator emulator;
  private ArmClient arm;

  @BeforeEach
  void start() {
    clock = new ManualClock();
    emulator = AciEmulator.builder().clock(clock).build().start();
    emulator.addResourceGroup(SUB, RG, "westeurope");
    arm = new ArmClient(emulator);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  /** Distinct consecutive values of {@code probe}, moving the clock until {@code last} shows. */
  private List<String> walk(Function<ArmClient, String> probe, String last) {
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String value = probe.apply(arm);
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(value)) {
        seen.add(value);
      }
      if (value.equals(last)) {
        return seen;
      }
      clock.advance(STEP);
    }
    throw new AssertionError("never reached " + last + ": " + seen);
  }

  private static String provisioning(ArmClient arm) {
    return arm.get("g").at("/properties/provisioningState").asText();
  }

  private static String containerState(ArmClient arm) {
    JsonNode view = arm.get("g").at("/properties/containers/0/properties/instanceView");
    return view.isMissingNode() ? "none" : view.at("/currentState/state").asText();
  }

  private HttpResponse<String> create() {
    return arm.create(
        "g",
        "[" + container("app", "nginx", null, null) + "]",
        "\"initContainers\":[{\"name\":\"init\",\"properties\":{\"image\":\"busybox\","
            + "\"command\":[\"echo\",\"ready\"]}}]");
  }

  @Test
  void createGoesPendingThenSucceededAndContainersGoWaitingThenRunning() throws Exception {
    HttpResponse<String> put = create();
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(put.headers().firstValue("Retry-After")).isEmpty();
    String operation = put.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    assertThat(SpecSchemas.MAPPER.readTree(put.body()).at("/properties/provisioningState").asText())
        .isEqualTo("Pending");

    List<String> states = new ArrayList<>();
    List<String> containers = new ArrayList<>();
    List<String> operations = new ArrayList<>();
    for (int i = 0; i < 400 && !states.contains("Succeeded"); i++) {
      addDistinct(states, provisioning(arm));
      addDistinct(containers, containerState(arm));
      addDistinct(operations, arm.json("GET", operation, null).path("status").asText());
      clock.advance(STEP);
    }
    assertThat(states).containsExactly("Pending", "Succeeded");
    assertThat(operations).containsExactly("Pending", "Succeeded");
    assertThat(containers).containsExactly("none", "Waiting", "Running");
    JsonNode events = arm.get("g").at("/properties/containers/0/properties/instanceView/events");
    assertThat(events.findValuesAsText("name")).contains("Pulling", "Pulled", "Started");
  }

  private static void addDistinct(List<String> seen, String value) {
    if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(value)) {
      seen.add(value);
    }
  }

  @Test
  void listAnswersCarryNoInstanceViewButGetDoes() throws Exception {
    create();
    walk(ProvisioningLifecycleIT::provisioning, "Succeeded");
    JsonNode get = arm.get("g");
    assertThat(get.at("/properties/instanceView/state").asText()).isEqualTo("Running");
    assertThat(get.at("/properties/containers/0/properties/instanceView").isObject()).isTrue();
    assertThat(get.at("/properties/initContainers/0/properties/instanceView").isObject()).isTrue();
    for (String list :
        List.of(
            "subscriptions/"
                + SUB
                + "/resourceGroups/"
                + RG
                + "/providers/Microsoft.ContainerInstance/containerGroups",
            "subscriptions/" + SUB + "/providers/Microsoft.ContainerInstance/containerGroups")) {
      JsonNode page = arm.json("GET", list, null);
      assertThat(page.path("value")).hasSize(1);
      JsonNode item = page.path("value").get(0);
      assertThat(item.findValues("instanceView")).as(list).isEmpty();
      assertThat(item.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
      assertThat(item.at("/properties/containers/0/properties/image").asText()).isEqualTo("nginx");
      assertThat(SpecSchemas.violations("ContainerGroupListResult", page)).isEmpty();
    }
  }

  @Test
  void stopDeallocatesStartAndRestartAreOperationsToPoll() throws Exception {
    create();
    walk(ProvisioningLifecycleIT::provisioning, "Succeeded");

    assertThat(arm.send("POST", group("g") + "/stop", null).statusCode()).isEqualTo(204);
    JsonNode stopped = arm.get("g");
    assertThat(stopped.at("/properties/instanceView/state").asText()).isEqualTo("Stopped");
    assertThat(stopped.at("/properties/containers/0/properties").has("instanceView")).isFalse();
    assertThat(stopped.at("/properties/initContainers/0/properties").has("instanceView")).isFalse();

    HttpResponse<String> start = arm.send("POST", group("g") + "/start", null);
    assertThat(start.statusCode()).isEqualTo(204);
    assertThat(start.headers().firstValue("Retry-After")).isEmpty();
    String startOperation = start.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    assertThat(walk(a -> a.json("GET", startOperation, null).path("status").asText(), "Succeeded"))
        .containsExactly("Pending", "Succeeded");
    assertThat(containerState(arm)).isEqualTo("Running");

    HttpResponse<String> restart = arm.send("POST", group("g") + "/restart", null);
    assertThat(restart.statusCode()).isEqualTo(204);
    assertThat(restart.headers().firstValue("Retry-After")).isEmpty();
    String restartOperation = restart.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    assertThat(provisioning(arm)).isEqualTo("Updating");
    assertThat(
            walk(a -> a.json("GET", restartOperation, null).path("status").asText(), "Succeeded"))
        .containsExactly("Updating", "Succeeded");
    assertThat(provisioning(arm)).isEqualTo("Succeeded");
    assertThat(containerState(arm)).isEqualTo("Running");
    // The start operation was superseded by the restart: it stays done.
    assertThat(arm.json("GET", startOperation, null).path("status").asText())
        .isEqualTo("Succeeded");
  }
}
