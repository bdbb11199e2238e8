package io.github.acivirtualnode.aciemulator;

import static io.github.acivirtualnode.aciemulator.ArmClient.RG;
import static io.github.acivirtualnode.aciemulator.ArmClient.SUB;
import static io.github.acivirtualnode.aciemulator.ArmClient.container;
import static io.github.acivirtualnode.aciemulator.ArmClient.group;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.acivirtualnode.aciemulator.model.SecretProperties;
import io.github.acivirtualnode.aciemulator.model.ServiceFilled;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator's behaviour over its REST API: instance views, validation, faults, admin API. */
class EmulatorBehaviourIT {
  private static final String SECRET_MOUNT =
      "\"volumeMounts\":[{\"name\":\"sec\",\"mountPath\":\"/mnt/sec\"}]";
  static AciEmulator emulator;
  static ArmClient arm;

  @BeforeAll
  static void start() {
    emulator = AciEmulator.builder().regionalQuota(6, 5).build().start();
    emulator.addResourceGroup(SUB, RG, "westeurope");
    arm = new ArmClient(emulator);
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @BeforeEach
  void reset() {
    emulator.reset();
  }

  private static JsonNode containerView(String group, String container) {
    for (JsonNode c : arm.get(group).at("/properties/containers")) {
      if (c.path("name").asText().equals(container)) {
        return c.at("/properties/instanceView");
      }
    }
    return arm.get(group).at("/properties/initContainers/0/properties/instanceView");
  }

  @Test
  void createGoesPendingThenSucceededAndStripsSecrets() {
    HttpResponse<String> put =
        arm.create(
            "secrets",
            "["
                + container(
                    "app",
                    "nginx",
                    null,
                    "[{\"name\":\"PLAIN\",\"value\":\"v\"},{\"name\":\"KEY\",\"secureValue\":\"hidden\"}]",
                    SECRET_MOUNT)
                + "]",
            "\"volumes\":[{\"name\":\"sec\",\"secret\":{\"pw\":\"aHVudGVyMg==\"}}],\"imageRegistryCredentials\":[{\"server\":\"r.example.io\",\"username\":\"u\",\"password\":\"p\"}]");
    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(put.body()).doesNotContain("hidden", "aHVudGVyMg==", "\"password\"");
    String operation = put.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    JsonNode status =
        Poll.until(
            () -> arm.json("GET", operation, null),
            s -> s.path("status").asText().equals("Succeeded"),
            "operation");
    assertThat(status.at("/properties/events").size()).isPositive();
    JsonNode group =
        Poll.until(
            () -> arm.get("secrets"),
            g -> g.at("/properties/instanceView/state").asText().equals("Running"),
            "running");
    assertThat(group.toString()).doesNotContain("hidden", "aHVudGVyMg==");
    assertThat(group.at("/properties/volumes/0/secret").size()).isZero();
    assertThat(group.at("/properties/ipAddress").isMissingNode()).isTrue();
  }

  /** The nodes at a secret's path (see SecretProperties): empty when the property is absent. */
  private static List<JsonNode> at(JsonNode node, List<String> path, int from) {
    if (from == path.size()) {
      return List.of(node);
    }
    String segment = path.get(from);
    List<JsonNode> found = new ArrayList<>();
    if (segment.equals(SecretProperties.EACH) || segment.equals(SecretProperties.ANY)) {
      node.forEach(child -> found.addAll(at(child, path, from + 1)));
    } else if (node.has(segment)) {
      found.addAll(at(node.get(segment), path, from + 1));
    }
    return found;
  }

  @Test
  void everyPropertyTheSpecMarksSecretIsWithheldFromEveryAnswer() throws Exception {
    String env =
        "[{\"name\":\"PLAIN\",\"value\":\"v\"},{\"name\":\"S\",\"secureValue\":\"secret-env\"}]";
    String body =
        "{\"location\":\"westeurope\",\"properties\":{\"osType\":\"Linux\",\"containers\":["
            + container("app", "nginx", null, env)
            + "],\"initContainers\":[{\"name\":\"init\",\"properties\":{\"image\":\"busybox\","
            + "\"command\":[\"echo\",\"x\"],\"environmentVariables\":"
            + env.replace("secret-env", "secret-init")
            + "}}],\"imageRegistryCredentials\":[{\"server\":\"r.example.io\",\"username\":\"u\","
            + "\"password\":\"secret-password\"}],\"diagnostics\":{\"logAnalytics\":{"
            + "\"workspaceId\":\"w\",\"workspaceKey\":\"secret-key\","
            + "\"workspaceResourceId\":\"secret-resource-id\"}}}}";
    JsonNode request = SpecSchemas.MAPPER.readTree(body);
    List<List<String>> secrets = SecretProperties.containerGroup().paths();
    assertThat(secrets).isNotEmpty();
    // The request sets every secret the spec knows (a new one in the spec fails here first).
    for (List<String> path : secrets) {
      assertThat(at(request, path, 0)).as("request sets " + path).isNotEmpty();
    }
    HttpResponse<String> put = arm.send("PUT", group("secret"), body);
    assertThat(put.statusCode()).isEqualTo(201);
    Poll.until(
        () -> arm.get("secret").at("/properties/provisioningState").asText(),
        "Succeeded"::equals,
        "provisioned");
    String list =
        "subscriptions/"
            + SUB
            + "/resourceGroups/"
            + RG
            + "/providers/Microsoft.ContainerInstance/containerGroups";
    List<JsonNode> answers =
        List.of(
            SpecSchemas.MAPPER.readTree(put.body()),
            arm.get("secret"),
            arm.json("GET", list, null).at("/value/0"),
            arm.json(
                    "GET",
                    "subscriptions/"
                        + SUB
                        + "/providers/Microsoft.ContainerInstance/containerGroups",
                    null)
                .at("/value/0"),
            arm.json("PATCH", group("secret"), "{\"tags\":{\"a\":\"b\"}}"),
            arm.json("DELETE", group("secret"), null));
    for (JsonNode answer : answers) {
      assertThat(answer.at("/name").asText()).isEqualTo("secret");
      for (List<String> path : secrets) {
        assertThat(at(answer, path, 0)).as("answer carries " + path).isEmpty();
      }
      assertThat(answer.toString()).doesNotContain("secret-");
      assertThat(answer.at("/properties/diagnostics/logAnalytics/workspaceId").asText())
          .isEqualTo("w");
    }
  }

  @Test
  void exitCodeCrashLoopAndInitContainers() {
    arm.create(
        "exit-never",
        "[" + container("app", "busybox", "[\"sh\",\"-c\",\"echo done; exit 3\"]", null) + "]",
        "\"restartPolicy\":\"Never\"");
    JsonNode terminated =
        Poll.until(
            () -> containerView("exit-never", "app"),
            v -> v.at("/currentState/state").asText().equals("Terminated"),
            "terminated");
    assertThat(terminated.at("/currentState/exitCode").asInt()).isEqualTo(3);
    Poll.until(
        () -> arm.get("exit-never").at("/properties/instanceView/state").asText(),
        "Failed"::equals,
        "group failed");

    arm.create(
        "crash",
        "["
            + container(
                "app",
                "busybox",
                null,
                "[{\"name\":\"ACI_EMULATOR_RUN_SECONDS\",\"value\":\"0.2\"},{\"name\":\"ACI_EMULATOR_EXIT_CODE\",\"value\":\"1\"}]")
            + "]",
        "\"restartPolicy\":\"Always\"");
    JsonNode looping =
        Poll.until(
            () -> containerView("crash", "app"),
            v -> v.path("restartCount").asInt() >= 2,
            "restarts");
    assertThat(looping.at("/previousState/exitCode").asInt()).isEqualTo(1);

    arm.create(
        "with-init",
        "[" + container("app", "nginx", null, null) + "]",
        "\"initContainers\":[{\"name\":\"init1\",\"properties\":{\"image\":\"busybox\",\"command\":[\"echo\",\"first\"]}},"
            + "{\"name\":\"init2\",\"properties\":{\"image\":\"busybox\",\"command\":[\"echo\",\"second\"]}}]");
    JsonNode withInit =
        Poll.until(
            () -> arm.get("with-init"),
            g -> g.at("/properties/instanceView/state").asText().equals("Running"),
            "init done");
    // As instants: ISO strings do not sort ("...01.5Z" < "...01Z" as text).
    Instant firstEnd =
        Instant.parse(
            withInit
                .at("/properties/initContainers/0/properties/instanceView/currentState/finishTime")
                .asText());
    Instant secondStart =
        Instant.parse(
            withInit
                .at("/properties/initContainers/1/properties/instanceView/currentState/startTime")
                .asText());
    assertThat(firstEnd).isBeforeOrEqualTo(secondStart);
    // The second init container only starts after the first one ended, not merely pulls.
    assertThat(
            Instant.parse(
                withInit
                    .at(
                        "/properties/initContainers/0/properties/instanceView/currentState/startTime")
                    .asText()))
        .isBefore(secondStart);
    assertThat(
            arm.json("GET", group("with-init") + "/containers/init2/logs", null)
                .path("content")
                .asText())
        .isEqualTo("second\ninit2: exited with code 0\n");
  }

  @Test
  void logsFollowTailAndTimestamps() {
    arm.create(
        "logs",
        "["
            + container(
                "app",
                "busybox",
                "[\"sh\",\"-c\",\"echo hello; sleep 1000\"]",
                "[{\"name\":\"ACI_EMULATOR_LOG_INTERVAL_SECONDS\",\"value\":\"0.2\"}]")
            + "]",
        null);
    String path = group("logs") + "/containers/app/logs";
    JsonNode logs =
        Poll.until(
            () -> arm.json("GET", path, null),
            l -> l.path("content").asText().contains("heartbeat 3"),
            "heartbeats");
    assertThat(logs.path("content").asText()).startsWith("hello\napp: heartbeat 1 (run 0)\n");
    String tail = arm.json("GET", path + "?tail=1&timestamps=true", null).path("content").asText();
    assertThat(tail.lines().count()).isEqualTo(1);
    assertThat(tail).matches("\\d{4}-\\d{2}-\\d{2}T.*Z app: heartbeat \\d+ \\(run 0\\)\\n");
  }

  @Test
  void attachStreamsTheLogUntilTheContainerEnds() throws Exception {
    arm.create(
        "attach",
        "["
            + container(
                "app",
                "busybox",
                "[\"sh\",\"-c\",\"echo attached; sleep 1\"]",
                "[{\"name\":\"ACI_EMULATOR_RUN_SECONDS\",\"value\":\"1\"},{\"name\":\"ACI_EMULATOR_LOG_INTERVAL_SECONDS\",\"value\":\"0.3\"}]")
            + "]",
        "\"restartPolicy\":\"Never\"");
    JsonNode attach = arm.json("POST", group("attach") + "/containers/app/attach", null);
    WebSocketSession session =
        WebSocketSession.open(
            emulator.sslContext(),
            attach.path("webSocketUri").asText(),
            attach.path("password").asText());
    assertThat(session.awaitClose()).isEqualTo(1000);
    assertThat(session.output()).startsWith("attached\n").endsWith("app: exited with code 0\n");
  }

  @Test
  void execReadsSecretVolumesAndRefusesWrongPassword() throws Exception {
    arm.create(
        "exec",
        "[" + container("app", "nginx", null, null, SECRET_MOUNT) + "]",
        "\"volumes\":[{\"name\":\"sec\",\"secret\":{\"pw\":\"aHVudGVyMg==\"}}]");
    Poll.until(
        () -> containerView("exec", "app"),
        v -> v.at("/currentState/state").asText().equals("Running"),
        "running");
    JsonNode exec =
        arm.json(
            "POST",
            group("exec") + "/containers/app/exec",
            "{\"command\":\"/bin/sh\",\"terminalSize\":{\"rows\":24,\"cols\":80}}");
    WebSocketSession session =
        WebSocketSession.open(
            emulator.sslContext(),
            exec.path("webSocketUri").asText(),
            exec.path("password").asText());
    session.sendStdin("cat /mnt/sec/pw\r\n");
    session.sendStdin("exit\r");
    assertThat(session.awaitClose()).isEqualTo(1000);
    // A terminal: the prompt, the typed line echoed, CR LF; one CR LF pair is one Enter.
    assertThat(session.output()).isEqualTo("# cat /mnt/sec/pw\r\nhunter2# exit\r\n");
    JsonNode again =
        arm.json("POST", group("exec") + "/containers/app/exec", "{\"command\":\"ls /\"}");
    WebSocketSession refused =
        WebSocketSession.open(emulator.sslContext(), again.path("webSocketUri").asText(), "wrong");
    assertThat(refused.awaitClose()).isEqualTo(4001);
    assertThat(refused.output()).isEmpty();
  }

  @Test
  void execLaunchesOneExecutableWithoutArgumentsAndReportsNoExitCode() throws Exception {
    arm.create("one", "[" + container("app", "nginx", null, null) + "]", null);
    Poll.until(
        () -> containerView("one", "app"),
        v -> v.at("/currentState/state").asText().equals("Running"),
        "running");
    for (String command : List.of("echo hi", "sh -c 'echo hi'", "nosuch", "/opt/ls")) {
      JsonNode exec =
          arm.json(
              "POST",
              group("one") + "/containers/app/exec",
              "{\"command\":\"" + command.replace("'", "\\u0027") + "\"}");
      WebSocketSession session =
          WebSocketSession.open(
              emulator.sslContext(),
              exec.path("webSocketUri").asText(),
              exec.path("password").asText());
      assertThat(session.awaitClose()).isEqualTo(1000);
      assertThat(session.closeReason()).as(command).isEmpty();
      assertThat(session.output())
          .as(command)
          .isEqualTo(
              "rpc error: code = 2 desc = oci runtime error: exec failed: container_linux.go:247:"
                  + " starting container process caused \"exec: \\\""
                  + command
                  + "\\\": executable file not found in $PATH\"\r\n");
    }
    for (String command : List.of("hostname", "/bin/hostname", "/usr/bin/hostname")) {
      JsonNode exec =
          arm.json(
              "POST", group("one") + "/containers/app/exec", "{\"command\":\"" + command + "\"}");
      WebSocketSession session =
          WebSocketSession.open(
              emulator.sslContext(),
              exec.path("webSocketUri").asText(),
              exec.path("password").asText());
      assertThat(session.awaitClose()).isEqualTo(1000);
      assertThat(session.closeReason()).isEmpty();
      assertThat(session.output()).as(command).isEqualTo("one\r\n");
    }
  }

  @Test
  void execRequestsAreRecordedWithTheCommandAndTerminalSizeAsSent() throws Exception {
    arm.create("sized", "[" + container("app", "nginx", null, null) + "]", null);
    Poll.until(
        () -> containerView("sized", "app"),
        v -> v.at("/currentState/state").asText().equals("Running"),
        "running");
    arm.json(
        "POST",
        group("sized") + "/containers/app/exec",
        "{\"command\":\"/bin/sh\",\"terminalSize\":{\"rows\":33,\"cols\":111}}");
    arm.json("POST", group("sized") + "/containers/app/exec", "{\"command\":\"echo  a\"}");

    assertThat(emulator.execRequests())
        .containsExactly(
            new ExecRequest(SUB, RG, "sized", "app", "/bin/sh", 33, 111),
            new ExecRequest(SUB, RG, "sized", "app", "echo  a", null, null));
    HttpResponse<String> admin = arm.send("GET", "_emulator/execs", null);
    JsonNode listed = SpecSchemas.MAPPER.readTree(admin.body());
    assertThat(listed.get(0).path("command").asText()).isEqualTo("/bin/sh");
    assertThat(listed.get(0).path("rows").asInt()).isEqualTo(33);
    assertThat(listed.get(0).path("cols").asInt()).isEqualTo(111);
    assertThat(listed.get(1).path("rows").isNull()).isTrue();
    emulator.reset();
    assertThat(emulator.execRequests()).isEmpty();
  }

  @Test
  void theServiceFillsIdentityIdsAndAConfidentialGroupsPolicy() throws Exception {
    String user =
        "/subscriptions/"
            + SUB
            + "/resourceGroups/"
            + RG
            + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1";
    String body =
        "{\"location\":\"westeurope\",\"identity\":{\"type\":\"SystemAssigned, UserAssigned\","
            + "\"userAssignedIdentities\":{\""
            + user
            + "\":{}}},\"properties\":{\"osType\":\"Linux\",\"sku\":\"Confidential\",\"containers\":["
            + container("app", "nginx", null, null)
            + "]}}";
    HttpResponse<String> put = arm.send("PUT", group("filled"), body);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    for (JsonNode answer : List.of(SpecSchemas.MAPPER.readTree(put.body()), arm.get("filled"))) {
      assertThat(answer.at("/identity/principalId").asText()).matches("[0-9a-f-]{36}");
      assertThat(answer.at("/identity/tenantId").asText()).matches("[0-9a-f-]{36}");
      JsonNode assigned = answer.at("/identity/userAssignedIdentities").get(user);
      assertThat(assigned.path("principalId").asText()).matches("[0-9a-f-]{36}");
      assertThat(assigned.path("clientId").asText()).matches("[0-9a-f-]{36}");
      assertThat(answer.at("/properties/confidentialComputeProperties/ccePolicy").asText())
          .isEqualTo(ServiceFilled.DEFAULT_CCE_POLICY);
      assertThat(SpecSchemas.violations("ContainerGroup", answer)).isEmpty();
    }
    // A replaced group keeps its identity; a policy that was sent is kept.
    String principal = arm.get("filled").at("/identity/principalId").asText();
    String withPolicy =
        body.replace(
            "\"sku\":\"Confidential\",",
            "\"sku\":\"Confidential\",\"confidentialComputeProperties\":{\"ccePolicy\":\"cG9saWN5\"},");
    assertThat(arm.send("PUT", group("filled"), withPolicy).statusCode()).isEqualTo(200);
    JsonNode replaced = arm.get("filled");
    assertThat(replaced.at("/identity/principalId").asText()).isEqualTo(principal);
    assertThat(replaced.at("/properties/confidentialComputeProperties/ccePolicy").asText())
        .isEqualTo("cG9saWN5");
  }

  @Test
  void validationQuotasAndResourceGroups() {
    HttpResponse<String> unknownRg =
        arm.send(
            "PUT",
            "subscriptions/"
                + SUB
                + "/resourceGroups/nope/providers/Microsoft.ContainerInstance/containerGroups/x",
            "{\"location\":\"westeurope\",\"properties\":{\"osType\":\"Linux\",\"containers\":["
                + container("a", "nginx", null, null)
                + "]}}");
    assertThat(unknownRg.statusCode()).isEqualTo(404);
    assertThat(unknownRg.body()).contains("\"code\":\"ResourceGroupNotFound\"");
    HttpResponse<String> privateImage =
        arm.create(
            "private", "[" + container("a", "myacr.azurecr.io/app:1", null, null) + "]", null);
    assertThat(privateImage.statusCode()).isEqualTo(400);
    assertThat(privateImage.body()).contains("InaccessibleImage");
    for (int i = 0; i < 5; i++) {
      assertThat(
              arm.create("q" + i, "[" + container("a", "nginx", null, null) + "]", null)
                  .statusCode())
          .isEqualTo(201);
    }
    HttpResponse<String> overQuota =
        arm.create("q5", "[" + container("a", "nginx", null, null) + "]", null);
    assertThat(overQuota.statusCode()).isEqualTo(400);
    assertThat(overQuota.body()).contains("ContainerGroupQuotaReached");
    JsonNode usages =
        arm.json(
            "GET",
            "subscriptions/"
                + SUB
                + "/providers/Microsoft.ContainerInstance/locations/westeurope/usages",
            null);
    assertThat(usages.at("/value/0/currentValue").asInt()).isEqualTo(5);
    assertThat(SpecSchemas.violations("UsageListResult", usages)).isEmpty();
    assertThat(
            SpecSchemas.violations(
                "CapabilitiesListResult",
                arm.json(
                    "GET",
                    "subscriptions/"
                        + SUB
                        + "/providers/Microsoft.ContainerInstance/locations/westeurope/capabilities",
                    null)))
        .isEmpty();
    JsonNode operations = arm.json("GET", "providers/Microsoft.ContainerInstance/operations", null);
    assertThat(operations.path("value").size()).isGreaterThan(5);
    assertThat(SpecSchemas.violations("OperationListResult", operations)).isEmpty();

    // Resource group paths are case-insensitive, like ARM's.
    assertThat(
            arm.send(
                    "PUT",
                    "SUBSCRIPTIONS/" + SUB + "/ResourceGroups/rg-two",
                    "{\"location\":\"northeurope\"}")
                .statusCode())
        .isEqualTo(201);
    assertThat(
            arm.send("HEAD", "subscriptions/" + SUB + "/resourcegroups/RG-TWO", null).statusCode())
        .isEqualTo(204);
    HttpResponse<String> deleted =
        arm.send("DELETE", "subscriptions/" + SUB + "/resourcegroups/rg-two", null);
    assertThat(deleted.statusCode()).isEqualTo(202);
    assertThat(deleted.headers().firstValue("Location")).isPresent();
    assertThat(arm.send("GET", "subscriptions/" + SUB + "/resourcegroups/rg-two", null).body())
        .contains("ResourceGroupNotFound");
  }

  @Test
  void faultsOutageVanishKillAndTable() {
    arm.create(
        "victim", "[" + container("app", "nginx", null, null) + "]", "\"restartPolicy\":\"Never\"");
    Poll.until(
        () -> arm.get("victim").at("/properties/instanceView/state").asText(),
        "Running"::equals,
        "running");

    assertThat(emulator.table())
        .contains("victim", RG, "Running", "nginx", "1 core/1 gb", "Linux", "westeurope");
    HttpResponse<String> table = arm.send("GET", "_emulator/table", null);
    assertThat(table.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(table.body()).startsWith("Name").contains("victim");

    assertThat(
            arm.send(
                    "POST",
                    "_emulator/kill",
                    "{\"subscriptionId\":\""
                        + SUB
                        + "\",\"resourceGroup\":\""
                        + RG
                        + "\",\"name\":\"victim\",\"container\":\"app\",\"exitCode\":143}")
                .statusCode())
        .isEqualTo(204);
    JsonNode killed = containerView("victim", "app");
    assertThat(killed.at("/currentState/exitCode").asInt()).isEqualTo(143);

    arm.send(
        "POST",
        "_emulator/faults",
        "{\"operation\":\"ContainerGroups_Get\",\"errorRate\":1.0,\"status\":500}");
    HttpResponse<String> failing = arm.send("GET", group("victim"), null);
    assertThat(failing.statusCode()).isEqualTo(500);
    assertThat(failing.body()).contains("\"error\":{\"code\":\"InternalServerError\"");

    emulator.reset();
    arm.create("victim", "[" + container("app", "nginx", null, null) + "]", null);
    emulator.outage(Duration.ofSeconds(30));
    HttpResponse<String> outage = arm.send("GET", group("victim"), null);
    assertThat(outage.statusCode()).isEqualTo(503);
    assertThat(outage.headers().firstValue("Retry-After")).isPresent();
    emulator.reset();

    arm.create("gone", "[" + container("app", "nginx", null, null) + "]", null);
    assertThat(emulator.vanish(SUB, RG, "GONE")).isTrue();
    assertThat(arm.send("GET", group("gone"), null).statusCode()).isEqualTo(404);
    assertThat(arm.send("DELETE", group("gone"), null).statusCode()).isEqualTo(204);
  }

  @Test
  void aSpotGroupIsEvictedOnRequestAndARegularOneCannotBe() {
    String containers = "[" + container("app", "nginx", null, null) + "]";
    arm.create("spot", containers, "\"priority\":\"Spot\"");
    arm.create("regular", containers, null);
    Poll.until(
        () -> arm.get("spot").at("/properties/instanceView/state").asText(),
        "Running"::equals,
        "running");
    String body = "{\"subscriptionId\":\"" + SUB + "\",\"resourceGroup\":\"" + RG + "\",\"name\":";

    assertThat(arm.send("POST", "_emulator/evict", body + "\"spot\"}").statusCode()).isEqualTo(204);
    JsonNode evicted = arm.get("spot");
    assertThat(evicted.at("/properties/priority").asText()).isEqualTo("Spot");
    assertThat(evicted.at("/properties/instanceView/state").asText()).isEqualTo("Stopped");
    assertThat(evicted.at("/properties/instanceView/events/0/name").asText())
        .isEqualTo("SpotContainerGroupEvicted");
    assertThat(evicted.at("/properties/instanceView/events/0/type").asText()).isEqualTo("Warning");

    HttpResponse<String> regular = arm.send("POST", "_emulator/evict", body + "\"regular\"}");
    assertThat(regular.statusCode()).isEqualTo(409);
    assertThat(regular.body()).contains("priority Spot");
    assertThat(arm.send("POST", "_emulator/evict", body + "\"none\"}").statusCode()).isEqualTo(404);
  }

  @Test
  void everyArmRequestIsCountedByOperationResourceAndTheStatusItGot() {
    String containers = "[" + container("app", "nginx", null, null) + "]";
    assertThat(arm.create("counted", containers, null).statusCode()).isEqualTo(201);
    assertThat(arm.create("counted", containers, null).statusCode()).isEqualTo(200);
    // One resource, one count, however the path spells it.
    assertThat(arm.send("GET", group("Counted"), null).statusCode()).isEqualTo(200);
    assertThat(arm.send("GET", group("missing"), null).statusCode()).isEqualTo(404);
    emulator.injectFaults("ContainerGroups_CreateOrUpdate", 1.0, 503, Duration.ZERO);
    assertThat(arm.create("counted", containers, null).statusCode()).isEqualTo(503);
    // Not ARM: the admin routes are not counted.
    arm.send("GET", "_emulator/table", null);

    String rg = RG.toLowerCase(java.util.Locale.ROOT);
    assertThat(emulator.armRequests())
        .containsExactly(
            new ArmRequestCount("ContainerGroups_CreateOrUpdate", SUB, rg, "counted", 200, 1),
            new ArmRequestCount("ContainerGroups_CreateOrUpdate", SUB, rg, "counted", 201, 1),
            new ArmRequestCount("ContainerGroups_CreateOrUpdate", SUB, rg, "counted", 503, 1),
            new ArmRequestCount("ContainerGroups_Get", SUB, rg, "counted", 200, 1),
            new ArmRequestCount("ContainerGroups_Get", SUB, rg, "missing", 404, 1));
    JsonNode overHttp = arm.json("GET", "_emulator/requests", null);
    assertThat(overHttp).hasSize(5);
    assertThat(overHttp.get(1).path("operation").asText())
        .isEqualTo("ContainerGroups_CreateOrUpdate");
    assertThat(overHttp.get(1).path("name").asText()).isEqualTo("counted");
    assertThat(overHttp.get(1).path("status").asInt()).isEqualTo(201);
    assertThat(overHttp.get(1).path("count").asLong()).isEqualTo(1);

    emulator.reset();
    assertThat(emulator.armRequests()).isEmpty();
  }

  @Test
  void stopStartAndRestart() {
    arm.create("cycle", "[" + container("app", "nginx", null, null) + "]", null);
    Poll.until(
        () -> arm.get("cycle"),
        g -> g.at("/properties/instanceView/state").asText().equals("Running"),
        "running");
    assertThat(arm.send("POST", group("cycle") + "/stop", null).statusCode()).isEqualTo(204);
    assertThat(arm.get("cycle").at("/properties/instanceView/state").asText()).isEqualTo("Stopped");
    HttpResponse<String> start = arm.send("POST", group("cycle") + "/start", null);
    assertThat(start.statusCode()).isEqualTo(204);
    assertThat(start.headers().firstValue("Azure-AsyncOperation")).isPresent();
    Poll.until(
        () -> containerView("cycle", "app"),
        v -> v.at("/currentState/state").asText().equals("Running"),
        "running again");
    assertThat(arm.send("POST", group("cycle") + "/restart", null).statusCode()).isEqualTo(204);
    HttpResponse<String> patched =
        arm.send("PATCH", group("cycle"), "{\"tags\":{\"pod\":\"default/x\"}}");
    assertThat(patched.statusCode()).isEqualTo(200);
    assertThat(arm.get("cycle").at("/tags/pod").asText()).isEqualTo("default/x");
    HttpResponse<String> deleted = arm.send("DELETE", group("cycle"), null);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(deleted.body()).contains("\"name\":\"cycle\"");
  }

  @Test
  void armRequiresIssuedTokensWhenConfigured() {
    try (AciEmulator strict = AciEmulator.builder().requireAuthentication(true).build().start()) {
      strict.addResourceGroup(SUB, RG, "westeurope");
      ArmClient client = new ArmClient(strict);
      HttpResponse<String> missing = client.send("GET", group("x"), null);
      assertThat(missing.statusCode()).isEqualTo(401);
      assertThat(missing.body()).contains("AuthenticationFailed");
    }
  }
}
