package io.github.acivirtualnode.aciemulator;

import static io.github.acivirtualnode.aciemulator.ArmClient.RG;
import static io.github.acivirtualnode.aciemulator.ArmClient.SUB;
import static io.github.acivirtualnode.aciemulator.ArmClient.group;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Container group profiles (2025-09-01, 2026-05-01) over real HTTP: revisions, the spec's routes
 * and answers, and container groups created from a profile.
 */
class ContainerGroupProfilesIT {
  static final String V = "?api-version=2026-05-01";
  static final String PROFILES =
      "subscriptions/"
          + SUB
          + "/resourceGroups/"
          + RG
          + "/providers/Microsoft.ContainerInstance/containerGroupProfiles";
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

  static String profileId(String name) {
    return "/" + PROFILES + "/" + name;
  }

  /** A profile body: one container with the image, secrets of three kinds, a secret volume. */
  static String profileBody(String image) {
    return "{\"location\":\"westeurope\",\"zones\":[\"1\"],\"properties\":{\"osType\":\"Linux\","
        + "\"containers\":[{\"name\":\"app\",\"properties\":{\"image\":\""
        + image
        + "\",\"resources\":{\"requests\":{\"cpu\":1,\"memoryInGB\":1.5}},"
        + "\"environmentVariables\":[{\"name\":\"TOKEN\",\"secureValue\":\"s3cret\"},"
        + "{\"name\":\"MODE\",\"value\":\"profile\"}],"
        + "\"volumeMounts\":[{\"name\":\"keys\",\"mountPath\":\"/keys\"}]}}],"
        + "\"volumes\":[{\"name\":\"keys\",\"secret\":{\"k\":\"c2VjcmV0\"}}]}}";
  }

  HttpResponse<String> putProfile(String name, String body) {
    return arm.send("PUT", PROFILES + "/" + name + V, body);
  }

  JsonNode json(HttpResponse<String> response) throws Exception {
    return SpecSchemas.MAPPER.readTree(response.body());
  }

  static void error(HttpResponse<String> response, int status, String code) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = SpecSchemas.MAPPER.readTree(response.body());
    assertThat(body.at("/error/code").asText()).as(response.body()).isEqualTo(code);
    assertThat(body.at("/error/message").asText()).isNotBlank();
  }

  @Test
  void aPutThatChangesTheProfileAddsARevisionAndRevisionsAreListedAndReadable() throws Exception {
    HttpResponse<String> created = putProfile("web", profileBody("nginx"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode first = json(created);
    // The answer's shape is the 2026-05-01 ContainerGroupProfilesCreateOrUpdate example's.
    assertThat(first.at("/properties/revision").asInt()).isEqualTo(1);
    assertThat(first.at("/properties/sku").asText()).isEqualTo("Standard");
    assertThat(first.path("type").asText())
        .isEqualTo("Microsoft.ContainerInstance/containerGroupProfiles");
    assertThat(first.path("id").asText()).isEqualTo(profileId("web"));
    assertThat(first.path("zones").toString()).isEqualTo("[\"1\"]");
    assertThat(first.toString()).doesNotContain("s3cret").doesNotContain("c2VjcmV0");
    assertThat(first.at("/properties/volumes/0/secret").size()).isZero();

    HttpResponse<String> same = putProfile("web", profileBody("nginx"));
    assertThat(same.statusCode()).isEqualTo(200);
    assertThat(json(same).at("/properties/revision").asInt()).isEqualTo(1);

    HttpResponse<String> changed = putProfile("web", profileBody("nginx:1.27"));
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(json(changed).at("/properties/revision").asInt()).isEqualTo(2);

    JsonNode revisions = arm.json("GET", PROFILES + "/web/revisions" + V, null);
    List<String> images = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    for (JsonNode revision : revisions.path("value")) {
      numbers.add(revision.at("/properties/revision").asInt());
      images.add(revision.at("/properties/containers/0/properties/image").asText());
      assertThat(revision.path("id").asText()).isEqualTo(profileId("web"));
    }
    assertThat(numbers).containsExactly(1, 2);
    assertThat(images).containsExactly("nginx", "nginx:1.27");

    JsonNode one = arm.json("GET", PROFILES + "/web/revisions/1" + V, null);
    assertThat(one.at("/properties/containers/0/properties/image").asText()).isEqualTo("nginx");
    assertThat(one.toString()).doesNotContain("s3cret");
    JsonNode current = arm.json("GET", PROFILES + "/web" + V, null);
    assertThat(current.at("/properties/revision").asInt()).isEqualTo(2);

    error(arm.send("GET", PROFILES + "/web/revisions/3" + V, null), 404, "ResourceNotFound");
    error(arm.send("GET", PROFILES + "/web/revisions/latest" + V, null), 404, "ResourceNotFound");
  }

  @Test
  void patchChangesOnlyTagsListsAndDeleteFollowTheSpec() throws Exception {
    putProfile("web", profileBody("nginx"));
    HttpResponse<String> patched =
        arm.send("PATCH", PROFILES + "/web" + V, "{\"tags\":{\"team\":\"a\"}}");
    assertThat(patched.statusCode()).isEqualTo(200);
    assertThat(json(patched).at("/tags/team").asText()).isEqualTo("a");
    assertThat(json(patched).at("/properties/revision").asInt()).isEqualTo(1);

    emulator.addResourceGroup(SUB, "rg-other", "westeurope");
    arm.send(
        "PUT",
        PROFILES.replace("/" + RG + "/", "/rg-other/") + "/batch" + V,
        profileBody("busybox"));
    JsonNode inGroup = arm.json("GET", PROFILES + V, null);
    assertThat(inGroup.path("value")).hasSize(1);
    assertThat(inGroup.at("/value/0/name").asText()).isEqualTo("web");
    JsonNode inSubscription =
        arm.json(
            "GET",
            "subscriptions/"
                + SUB
                + "/providers/Microsoft.ContainerInstance/containerGroupProfiles"
                + V,
            null);
    assertThat(inSubscription.path("value")).hasSize(2);

    HttpResponse<String> deleted = arm.send("DELETE", PROFILES + "/web" + V, null);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(deleted.body()).isEmpty();
    assertThat(arm.send("DELETE", PROFILES + "/web" + V, null).statusCode()).isEqualTo(204);
    error(arm.send("GET", PROFILES + "/web" + V, null), 404, "ResourceNotFound");
  }

  @Test
  void versionsWithoutProfilesAnswerAsArmDoesForAnUnsupportedVersion() throws Exception {
    for (String old : List.of("2023-05-01", "2022-10-01-preview")) {
      HttpResponse<String> refused =
          arm.send("PUT", PROFILES + "/web?api-version=" + old, profileBody("nginx"));
      error(refused, 400, "NoRegisteredProviderFound");
      assertThat(json(refused).at("/error/message").asText())
          .contains("'containerGroupProfiles'")
          .contains("2026-05-01, 2025-09-01");
    }
    assertThat(
            arm.send("PUT", PROFILES + "/web?api-version=2025-09-01", profileBody("nginx"))
                .statusCode())
        .isEqualTo(201);
  }

  @Test
  void badProfilesAreRefusedInArmsErrorShape() throws Exception {
    error(
        putProfile("web", "{\"location\":\"westeurope\",\"properties\":{\"osType\":\"Linux\"}}"),
        400,
        "InvalidRequestContent");
    error(putProfile("-web", profileBody("nginx")), 400, "InvalidResourceName");
    error(putProfile("web", "{not json"), 400, "InvalidRequestContent");
    error(putProfile("web", profileBody("myregistry.example/app")), 400, "InaccessibleImage");
  }

  private static String fromProfile(String reference, String containers) {
    return "{\"location\":\"westeurope\",\"properties\":{\"containerGroupProfile\":"
        + reference
        + ",\"containers\":"
        + containers
        + "}}";
  }

  private static final String CONFIG_ONLY =
      "[{\"name\":\"app\",\"properties\":{\"configMap\":{\"keyValuePairs\":{\"k\":\"v\"}}}}]";

  @Test
  void aGroupFromAProfileRevisionTakesTheProfileWithItsOwnPropertiesOnTop() throws Exception {
    putProfile("web", profileBody("nginx"));
    putProfile("web", profileBody("nginx:1.27"));
    String reference = "{\"id\":\"" + profileId("web") + "\",\"revision\":1}";
    HttpResponse<String> put = arm.send("PUT", group("g") + V, fromProfile(reference, CONFIG_ONLY));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    JsonNode created = json(put);
    JsonNode app = created.at("/properties/containers/0/properties");
    assertThat(app.path("image").asText()).isEqualTo("nginx");
    assertThat(app.at("/configMap/keyValuePairs/k").asText()).isEqualTo("v");
    assertThat(app.at("/resources/requests/cpu").asDouble()).isEqualTo(1.0);
    assertThat(created.at("/properties/osType").asText()).isEqualTo("Linux");
    assertThat(created.at("/properties/containerGroupProfile/id").asText())
        .isEqualTo(profileId("web"));
    assertThat(created.at("/properties/containerGroupProfile/revision").asInt()).isEqualTo(1);
    assertThat(created.at("/properties/isCreatedFromStandbyPool").asBoolean()).isFalse();
    assertThat(created.at("/properties/provisioningState").asText()).isEqualTo("Pending");
    assertThat(created.toString()).doesNotContain("s3cret");

    // No revision: the current one.
    JsonNode latest =
        json(
            arm.send(
                "PUT",
                group("h") + V,
                fromProfile("{\"id\":\"" + profileId("web") + "\"}", CONFIG_ONLY)));
    assertThat(latest.at("/properties/containers/0/properties/image").asText())
        .isEqualTo("nginx:1.27");
    assertThat(latest.at("/properties/containerGroupProfile/revision").asInt()).isEqualTo(2);

    // It runs as any group does; the profile's environment reaches the container.
    clock.advance(Duration.ofSeconds(30));
    JsonNode got = arm.json("GET", group("g") + V, null);
    assertThat(got.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(
            got.at("/properties/containers/0/properties/instanceView/currentState/state").asText())
        .isEqualTo("Running");
    assertThat(got.at("/properties/containerGroupProfile/revision").asInt()).isEqualTo(1);
  }

  @Test
  void referencesToMissingOrMalformedProfilesAreRefused() throws Exception {
    putProfile("web", profileBody("nginx"));
    error(
        arm.send(
            "PUT",
            group("g") + V,
            fromProfile("{\"id\":\"" + profileId("nope") + "\"}", CONFIG_ONLY)),
        404,
        "ResourceNotFound");
    error(
        arm.send(
            "PUT",
            group("g") + V,
            fromProfile("{\"id\":\"" + profileId("web") + "\",\"revision\":9}", CONFIG_ONLY)),
        404,
        "ResourceNotFound");
    error(
        arm.send(
            "PUT",
            group("g") + V,
            fromProfile("{\"id\":\"" + profileId("web") + "\",\"revision\":\"one\"}", CONFIG_ONLY)),
        400,
        "InvalidRequestContent");
    error(
        arm.send("PUT", group("g") + V, fromProfile("{\"id\":\"web\"}", CONFIG_ONLY)),
        400,
        "LinkedInvalidPropertyId");
    // A container the profile does not have needs what any container needs.
    error(
        arm.send(
            "PUT",
            group("g") + V,
            fromProfile(
                "{\"id\":\"" + profileId("web") + "\"}",
                "[{\"name\":\"extra\",\"properties\":{\"configMap\":{}}}]")),
        400,
        "InvalidRequestContent");
    assertThat(arm.send("GET", group("g") + V, null).statusCode()).isEqualTo(404);
  }

  @Test
  void versionsWithoutProfilesRefuseTheReferenceAndDoNotShowIt() throws Exception {
    putProfile("web", profileBody("nginx"));
    String reference = "{\"id\":\"" + profileId("web") + "\"}";
    // 2023-05-01 reads the body with its own schema, which has no containerGroupProfile.
    HttpResponse<String> refused =
        arm.send(
            "PUT", group("g") + "?api-version=2023-05-01", fromProfile(reference, CONFIG_ONLY));
    error(refused, 400, "InvalidRequestContent");
    assertThat(json(refused).at("/error/message").asText()).contains("'containerGroupProfile'");
    assertThat(arm.send("PUT", group("g") + V, fromProfile(reference, CONFIG_ONLY)).statusCode())
        .isEqualTo(201);
    JsonNode old = arm.json("GET", group("g") + "?api-version=2023-05-01", null);
    assertThat(old.path("properties").has("containerGroupProfile")).isFalse();
    assertThat(old.at("/properties/containers/0/properties/image").asText()).isEqualTo("nginx");
    JsonNode listed =
        arm.json(
            "GET",
            "subscriptions/"
                + SUB
                + "/resourceGroups/"
                + RG
                + "/providers/Microsoft.ContainerInstance/containerGroups?api-version=2022-10-01-preview",
            null);
    assertThat(listed.at("/value/0/properties").has("containerGroupProfile")).isFalse();
    JsonNode current = arm.json("GET", group("g") + V, null);
    assertThat(current.at("/properties/containerGroupProfile/id").asText())
        .isEqualTo(profileId("web"));
  }
}
