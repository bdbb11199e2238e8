package io.github.acivirtualnode.aciemulator;

import static io.github.acivirtualnode.aciemulator.ArmClient.RG;
import static io.github.acivirtualnode.aciemulator.ArmClient.SUB;
import static io.github.acivirtualnode.aciemulator.ArmClient.container;
import static io.github.acivirtualnode.aciemulator.ArmClient.group;
import static io.github.acivirtualnode.aciemulator.ContainerGroupProfilesIT.PROFILES;
import static io.github.acivirtualnode.aciemulator.ContainerGroupProfilesIT.error;
import static io.github.acivirtualnode.aciemulator.ContainerGroupProfilesIT.profileBody;
import static io.github.acivirtualnode.aciemulator.ContainerGroupProfilesIT.profileId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Standby container group pools (Microsoft.StandbyPool) over real HTTP, on a clock the test moves:
 * the pool's resource, its instances becoming ready, groups handed out from it and the refill.
 */
class StandbyPoolsIT {
  private static final String V = "?api-version=2026-04-01";
  private static final String CG_V = "?api-version=2026-05-01";
  private static final String POOLS =
      "subscriptions/"
          + SUB
          + "/resourceGroups/"
          + RG
          + "/providers/Microsoft.StandbyPool/standbyContainerGroupPools";
  private static final String POOL_ID = "/" + POOLS + "/pool";
  private ManualClock clock;
  private AciEmulator emulator;
  private ArmClient arm;

  @BeforeEach
  void start() {
    clock = new ManualClock();
    emulator = AciEmulator.builder().clock(clock).build().start();
    emulator.addResourceGroup(SUB, RG, "westeurope");
    arm = new ArmClient(emulator);
    assertThat(
            arm.send("PUT", PROFILES + "/web?api-version=2026-05-01", profileBody("nginx"))
                .statusCode())
        .isEqualTo(201);
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private static String poolBody(int capacity) {
    return "{\"location\":\"westeurope\",\"tags\":{},\"properties\":{\"elasticityProfile\":"
        + "{\"maxReadyCapacity\":"
        + capacity
        + ",\"refillPolicy\":\"always\"},\"containerGroupProperties\":{\"containerGroupProfile\":"
        + "{\"id\":\""
        + profileId("web")
        + "\",\"revision\":1}},\"zones\":[\"1\"]}}";
  }

  private JsonNode json(HttpResponse<String> response) throws Exception {
    return SpecSchemas.MAPPER.readTree(response.body());
  }

  /** Running and Creating counts of the pool's runtime view. */
  private List<Integer> counts() {
    JsonNode view = arm.json("GET", POOLS + "/pool/runtimeViews/latest" + V, null);
    List<Integer> out = new ArrayList<>();
    for (JsonNode state : view.at("/properties/instanceCountSummary/0/instanceCountsByState")) {
      out.add(state.path("count").asInt());
    }
    return out;
  }

  private HttpResponse<String> groupFromPool(String name) {
    return arm.send(
        "PUT",
        group(name) + CG_V,
        "{\"location\":\"westeurope\",\"properties\":{\"standbyPoolProfile\":{\"id\":\""
            + POOL_ID
            + "\"},\"containers\":[{\"name\":\"app\",\"properties\":{\"configMap\":"
            + "{\"keyValuePairs\":{\"k\":\"v\"}}}}]}}");
  }

  @Test
  void thePoolIsAnArmResourceWithTheSpecsRoutesAndAnswers() throws Exception {
    HttpResponse<String> created = arm.send("PUT", POOLS + "/pool" + V, poolBody(2));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode pool = json(created);
    // The keys of the 2026-04-01 StandbyContainerGroupPools_CreateOrUpdate example's answer.
    assertThat(pool.path("properties").fieldNames())
        .toIterable()
        .containsExactly(
            "elasticityProfile", "provisioningState", "containerGroupProperties", "zones");
    assertThat(pool.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(pool.path("type").asText())
        .isEqualTo("Microsoft.StandbyPool/standbyContainerGroupPools");
    assertThat(pool.path("id").asText()).isEqualTo(POOL_ID);
    String operation = created.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    assertThat(arm.json("GET", operation, null).path("status").asText()).isEqualTo("Succeeded");

    HttpResponse<String> patched =
        arm.send(
            "PATCH",
            POOLS + "/pool" + V,
            "{\"properties\":{\"elasticityProfile\":{\"maxReadyCapacity\":3}}}");
    assertThat(patched.statusCode()).isEqualTo(200);
    assertThat(json(patched).at("/properties/elasticityProfile/maxReadyCapacity").asInt())
        .isEqualTo(3);
    assertThat(json(patched).at("/properties/elasticityProfile/refillPolicy").asText())
        .isEqualTo("always");
    assertThat(counts()).containsExactly(0, 3);
    assertThat(arm.json("GET", POOLS + V, null).path("value")).hasSize(1);
    assertThat(
            arm.json(
                    "GET",
                    "subscriptions/"
                        + SUB
                        + "/providers/Microsoft.StandbyPool/standbyContainerGroupPools"
                        + V,
                    null)
                .path("value"))
        .hasSize(1);

    HttpResponse<String> deleted = arm.send("DELETE", POOLS + "/pool" + V, null);
    assertThat(deleted.statusCode()).isEqualTo(202);
    String location = deleted.headers().firstValue("Location").orElseThrow();
    assertThat(arm.send("GET", location, null).statusCode()).isEqualTo(200);
    assertThat(arm.send("DELETE", POOLS + "/pool" + V, null).statusCode()).isEqualTo(204);
    error(arm.send("GET", POOLS + "/pool" + V, null), 404, "ResourceNotFound");
  }

  @Test
  void badPoolsAreRefusedInArmsErrorShape() throws Exception {
    error(
        arm.send("PUT", POOLS + "/pool?api-version=2023-05-01", poolBody(1)),
        400,
        "NoRegisteredProviderFound");
    error(arm.send("PUT", POOLS + "/ab" + V, poolBody(1)), 400, "InvalidResourceName");
    error(arm.send("PUT", POOLS + "/pool" + V, poolBody(5000)), 400, "InvalidRequestContent");
    error(
        arm.send(
            "PUT", POOLS + "/pool" + V, poolBody(1).replace(profileId("web"), profileId("nope"))),
        404,
        "ResourceNotFound");
    error(
        arm.send("PUT", POOLS + "/pool" + V, poolBody(1).replace(profileId("web"), "/nope")),
        400,
        "LinkedInvalidPropertyId");
    error(
        arm.send("PUT", POOLS + "/pool" + V, poolBody(1).replace("\"westeurope\"", "\"\"")),
        400,
        "LocationRequired");
    error(groupFromPool("g"), 404, "ResourceNotFound"); // the pool does not exist
  }

  @Test
  void aGroupIsHandedOutReadyFromThePoolAndThePoolRefills() throws Exception {
    arm.send("PUT", POOLS + "/pool" + V, poolBody(2));
    assertThat(counts()).containsExactly(0, 2);
    clock.advance(Duration.ofSeconds(30));
    assertThat(counts()).containsExactly(2, 0);

    Instant now = clock.instant();
    HttpResponse<String> put = groupFromPool("g");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    JsonNode created = json(put);
    // As the 2026-05-01 ContainerGroupCreateOrUpdateWithStandbyPool example answers.
    assertThat(created.at("/properties/isCreatedFromStandbyPool").asBoolean()).isTrue();
    assertThat(created.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(created.at("/properties/instanceView/state").asText()).isEqualTo("Running");
    assertThat(created.at("/properties/containerGroupProfile/id").asText())
        .isEqualTo(profileId("web"));
    assertThat(created.path("properties").has("standbyPoolProfile")).isFalse();
    assertThat(created.at("/properties/containers/0/properties/image").asText()).isEqualTo("nginx");
    assertThat(created.at("/properties/containers/0/properties/configMap/keyValuePairs/k").asText())
        .isEqualTo("v");
    String operation = put.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    assertThat(arm.json("GET", operation, null).path("status").asText()).isEqualTo("Succeeded");

    JsonNode got = arm.json("GET", group("g") + CG_V, null);
    JsonNode state = got.at("/properties/containers/0/properties/instanceView/currentState");
    assertThat(state.path("state").asText()).isEqualTo("Running");
    // Running since its time in the pool, before the PUT.
    assertThat(Instant.parse(state.path("startTime").asText())).isBefore(now);
    assertThat(got.at("/properties/isCreatedFromStandbyPool").asBoolean()).isTrue();

    // The instance handed out is replaced by one that begins provisioning now.
    assertThat(counts()).containsExactly(1, 1);
    clock.advance(Duration.ofSeconds(30));
    assertThat(counts()).containsExactly(2, 0);
  }

  @Test
  void anEmptyPoolMeansAnOrdinaryCreateAndTheAdminApiControlsThePool() throws Exception {
    arm.send("PUT", POOLS + "/pool" + V, poolBody(1));
    String pool =
        "{\"subscriptionId\":\"" + SUB + "\",\"resourceGroup\":\"" + RG + "\",\"name\":\"pool\"}";
    assertThat(arm.send("POST", "_emulator/standbypools/fill", pool).statusCode()).isEqualTo(204);
    assertThat(counts()).containsExactly(1, 0);
    assertThat(arm.send("POST", "_emulator/standbypools/pause", pool).statusCode()).isEqualTo(204);
    assertThat(json(groupFromPool("first")).at("/properties/isCreatedFromStandbyPool").asBoolean())
        .isTrue();
    assertThat(counts()).containsExactly(0, 0);

    JsonNode ordinary = json(groupFromPool("second"));
    assertThat(ordinary.at("/properties/isCreatedFromStandbyPool").asBoolean()).isFalse();
    assertThat(ordinary.at("/properties/provisioningState").asText()).isEqualTo("Pending");

    assertThat(arm.send("POST", "_emulator/standbypools/resume", pool).statusCode()).isEqualTo(204);
    assertThat(counts()).containsExactly(0, 1);
    assertThat(arm.send("POST", "_emulator/standbypools/drain", pool).statusCode()).isEqualTo(204);
    assertThat(counts()).containsExactly(0, 1);
    assertThat(
            arm.send("POST", "_emulator/standbypools/fill", pool.replace("pool\"}", "other\"}"))
                .statusCode())
        .isEqualTo(404);
    HttpResponse<String> unknown = arm.send("POST", "_emulator/standbypools/explode", pool);
    assertThat(unknown.statusCode()).isEqualTo(400);
  }

  @Test
  void aGroupOfAnotherProfileRevisionIsNotTakenFromThePool() throws Exception {
    arm.send("PUT", POOLS + "/pool" + V, poolBody(1));
    arm.send("PUT", PROFILES + "/web?api-version=2026-05-01", profileBody("nginx:1.27"));
    clock.advance(Duration.ofSeconds(30));
    HttpResponse<String> put =
        arm.send(
            "PUT",
            group("g") + CG_V,
            "{\"location\":\"westeurope\",\"properties\":{\"standbyPoolProfile\":{\"id\":\""
                + POOL_ID
                + "\"},\"containerGroupProfile\":{\"id\":\""
                + profileId("web")
                + "\",\"revision\":2},\"containers\":[{\"name\":\"app\",\"properties\":{}}]}}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    assertThat(json(put).at("/properties/isCreatedFromStandbyPool").asBoolean()).isFalse();
    assertThat(json(put).at("/properties/containers/0/properties/image").asText())
        .isEqualTo("nginx:1.27");
    assertThat(counts()).containsExactly(1, 0);
    // The pool's own revision (1) is handed out.
    assertThat(json(groupFromPool("h")).at("/properties/isCreatedFromStandbyPool").asBoolean())
        .isTrue();
  }

  @Test
  void versionsWithoutStandbyPoolsRefuseThePoolReference() throws Exception {
    arm.send("PUT", POOLS + "/pool" + V, poolBody(1));
    clock.advance(Duration.ofSeconds(30));
    HttpResponse<String> put =
        arm.send(
            "PUT",
            group("g") + "?api-version=2023-05-01",
            "{\"location\":\"westeurope\",\"properties\":{\"osType\":\"Linux\","
                + "\"standbyPoolProfile\":{\"id\":\""
                + POOL_ID
                + "\"},\"containers\":["
                + container("app", "nginx", null, null)
                + "]}}");
    error(put, 400, "InvalidRequestContent");
    assertThat(json(put).at("/error/message").asText()).contains("'standbyPoolProfile'");
    assertThat(counts()).containsExactly(1, 0);
    assertThat(arm.send("GET", group("g") + CG_V, null).statusCode()).isEqualTo(404);
  }
}
