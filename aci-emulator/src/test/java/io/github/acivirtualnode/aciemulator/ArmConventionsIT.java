package io.github.acivirtualnode.aciemulator;

import static io.github.acivirtualnode.aciemulator.ArmClient.RG;
import static io.github.acivirtualnode.aciemulator.ArmClient.SUB;
import static io.github.acivirtualnode.aciemulator.ArmClient.container;
import static io.github.acivirtualnode.aciemulator.ArmClient.group;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.acivirtualnode.aciemulator.model.ApiVersions;
import io.github.acivirtualnode.aciemulator.model.Regions;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ARM's conventions around the resources: api-versions, locations, the provider. */
class ArmConventionsIT {
  private static final String CG_LIST =
      "subscriptions/"
          + SUB
          + "/resourceGroups/"
          + RG
          + "/providers/Microsoft.ContainerInstance/containerGroups";
  private static final String PROVIDER =
      "subscriptions/" + SUB + "/providers/Microsoft.ContainerInstance";
  static AciEmulator emulator;
  static ArmClient arm;

  @BeforeAll
  static void start() {
    emulator = AciEmulator.builder().build().start();
    emulator.addResourceGroup(SUB, RG, "westcentralus");
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

  private static JsonNode error(HttpResponse<String> response, int status, String code)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = SpecSchemas.MAPPER.readTree(response.body());
    assertThat(body.at("/error/code").asText()).isEqualTo(code);
    assertThat(body.at("/error/message").asText()).isNotBlank();
    assertThat(body.size()).isEqualTo(1);
    return body;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(e -> out.add(e.asText()));
    return out;
  }

  @Test
  void servesTheVersionsRealClientsSendAndRefusesTheRestAsArmDoes() throws Exception {
    for (String version : List.of("2023-05-01", "2022-10-01-preview", "2026-05-01")) {
      assertThat(arm.send("GET", CG_LIST + "?api-version=" + version, null).statusCode())
          .as(version)
          .isEqualTo(200);
    }
    error(arm.send("GET", emulator.baseUrl() + CG_LIST, null), 400, "MissingApiVersionParameter");
    error(
        arm.send("GET", emulator.baseUrl() + group("x") + "?api-version=", null),
        400,
        "MissingApiVersionParameter");
    JsonNode unsupported =
        error(
            arm.send("GET", CG_LIST + "?api-version=2020-01-01", null),
            400,
            "NoRegisteredProviderFound");
    assertThat(unsupported.at("/error/message").asText())
        .contains("'2020-01-01'", "containerGroups", "westcentralus")
        .contains(ApiVersions.CONTAINER_INSTANCE);
    for (String malformed : List.of("latest", "2023-13-45", "2023-05-01-foo", "2023-5-1")) {
      JsonNode invalid =
          error(
              arm.send("GET", CG_LIST + "?api-version=" + malformed, null),
              400,
              "InvalidApiVersionParameter");
      assertThat(invalid.at("/error/message").asText()).contains("'" + malformed + "'");
    }
    // Location APIs and the provider's operations are Microsoft.ContainerInstance's as well.
    error(
        arm.send(
            "GET",
            "subscriptions/"
                + SUB
                + "/providers/Microsoft.ContainerInstance/locations/westeurope/usages?api-version=2019-01-01",
            null),
        400,
        "NoRegisteredProviderFound");
    error(
        arm.send(
            "GET", emulator.baseUrl() + "providers/Microsoft.ContainerInstance/operations", null),
        400,
        "MissingApiVersionParameter");
    // Resource groups are ARM's own (Microsoft.Resources): an unknown version is invalid there.
    String rg = "subscriptions/" + SUB + "/resourcegroups/" + RG;
    assertThat(arm.send("GET", rg + "?api-version=2025-04-01", null).statusCode()).isEqualTo(200);
    error(arm.send("GET", rg + "?api-version=2023-05-01", null), 400, "InvalidApiVersionParameter");
    error(arm.send("GET", emulator.baseUrl() + rg, null), 400, "MissingApiVersionParameter");
  }

  @Test
  void entraAndAdminRoutesNeedNoApiVersion() {
    assertThat(arm.send("GET", "_emulator/table", null).statusCode()).isEqualTo(200);
    HttpResponse<String> discovery =
        arm.send(
            "GET", emulator.baseUrl() + "some-tenant/v2.0/.well-known/openid-configuration", null);
    assertThat(discovery.statusCode()).isEqualTo(200);
    assertThat(discovery.body()).contains("token_endpoint");
  }

  @Test
  void usagesAndOperationsTakeARegionsDisplayNameAsWellAsItsName() throws Exception {
    HttpResponse<String> put =
        arm.send(
            "PUT",
            group("here"),
            "{\"location\":\"westcentralus\",\"properties\":{\"osType\":\"Linux\",\"containers\":["
                + container("a", "nginx", null, null)
                + "]}}");
    assertThat(put.statusCode()).isEqualTo(201);
    arm.send(
        "PUT",
        group("there"),
        "{\"location\":\"West Central US\",\"properties\":{\"osType\":\"Linux\",\"containers\":["
            + container("a", "nginx", null, null)
            + "]}}");
    for (String location : List.of("westcentralus", "West%20Central%20US", "WestCentralUS")) {
      JsonNode usages =
          arm.json(
              "GET",
              "subscriptions/"
                  + SUB
                  + "/providers/Microsoft.ContainerInstance/locations/"
                  + location
                  + "/usages",
              null);
      assertThat(usages.at("/value/0/name/value").asText()).isEqualTo("ContainerGroups");
      assertThat(usages.at("/value/0/currentValue").asInt()).as(location).isEqualTo(2);
      assertThat(usages.at("/value/1/currentValue").asInt()).as(location).isEqualTo(2);
    }
    String operation = put.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    assertThat(operation).contains("/locations/westcentralus/operations/");
    String byDisplayName = operation.replace("/westcentralus/", "/West%20Central%20US/");
    assertThat(arm.send("GET", byDisplayName, null).statusCode()).isEqualTo(200);
    assertThat(
            arm.send("GET", operation.replace("/westcentralus/", "/westeurope/"), null)
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void theProviderListsItsTypesRegionsAndVersions() throws Exception {
    for (String version : ApiVersions.PROVIDERS) {
      HttpResponse<String> response = arm.send("GET", PROVIDER + "?api-version=" + version, null);
      assertThat(response.statusCode()).as(version).isEqualTo(200);
      JsonNode provider = SpecSchemas.MAPPER.readTree(response.body());
      assertThat(provider.path("id").asText())
          .isEqualTo("/subscriptions/" + SUB + "/providers/Microsoft.ContainerInstance");
      assertThat(provider.path("namespace").asText()).isEqualTo("Microsoft.ContainerInstance");
      assertThat(provider.path("registrationState").asText()).isEqualTo("Registered");
      JsonNode groups = provider.path("resourceTypes").get(0);
      assertThat(groups.path("resourceType").asText()).isEqualTo("containerGroups");
      assertThat(strings(groups.path("locations")))
          .contains("West Europe", "East US", "West Central US")
          .containsExactlyElementsOf(Regions.CONTAINER_INSTANCE);
      assertThat(strings(groups.path("apiVersions")))
          .containsExactlyElementsOf(ApiVersions.CONTAINER_INSTANCE);
    }
    error(
        arm.send("GET", PROVIDER + "?api-version=2023-05-01", null),
        400,
        "InvalidApiVersionParameter");
    error(
        arm.send(
            "GET",
            "subscriptions/00000000-0000-0000-0000-00000000beef/providers/Microsoft.ContainerInstance",
            null),
        404,
        "SubscriptionNotFound");
  }

  @Test
  void theProviderIsAuthenticatedAndItsRegionsConfigurable() throws Exception {
    try (AciEmulator strict =
        AciEmulator.builder()
            .requireAuthentication(true)
            .regions(List.of("West Europe", "North Europe"))
            .build()
            .start()) {
      strict.addSubscription(SUB);
      ArmClient client = new ArmClient(strict);
      error(client.send("GET", PROVIDER, null), 401, "AuthenticationFailed");
    }
    try (AciEmulator small =
        AciEmulator.builder().regions(List.of("West Europe", "North Europe")).build().start()) {
      small.addSubscription(SUB);
      JsonNode provider = new ArmClient(small).json("GET", PROVIDER, null);
      assertThat(strings(provider.at("/resourceTypes/0/locations")))
          .containsExactly("West Europe", "North Europe");
    }
  }

  @Test
  void aPutMayNotCarryGroupPropertiesItsVersionDoesNotDefineWhileAnswersCarryThem()
      throws Exception {
    // The recorded 2023-05-01 answers carry these; a client that PUTs them back is refused.
    for (String property :
        List.of(
            "\"provisioningTimeoutInSeconds\":1800",
            "\"isCustomProvisioningTimeout\":false",
            "\"isCreatedFromStandbyPool\":false")) {
      HttpResponse<String> refused =
          arm.create("g", "[" + container("app", "nginx", null, null) + "]", property);
      JsonNode body = error(refused, 400, "InvalidRequestContent");
      assertThat(body.at("/error/message").asText()).contains(property.split("\"")[1]);
    }
    HttpResponse<String> created =
        arm.create("g", "[" + container("app", "nginx", null, null) + "]", null);
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode answer = SpecSchemas.MAPPER.readTree(created.body());
    assertThat(answer.at("/properties/provisioningTimeoutInSeconds").asInt()).isEqualTo(1800);
    assertThat(answer.at("/properties/isCreatedFromStandbyPool").isBoolean()).isTrue();
    // 2026-05-01 defines isCreatedFromStandbyPool, read-only: accepted and decided by the service.
    HttpResponse<String> newer =
        arm.send(
            "PUT",
            group("h") + "?api-version=2026-05-01",
            "{\"location\":\"westeurope\",\"properties\":{\"osType\":\"Linux\","
                + "\"isCreatedFromStandbyPool\":true,\"containers\":["
                + container("app", "nginx", null, null)
                + "]}}");
    assertThat(newer.statusCode()).as(newer.body()).isEqualTo(201);
    assertThat(
            SpecSchemas.MAPPER
                .readTree(newer.body())
                .at("/properties/isCreatedFromStandbyPool")
                .asBoolean())
        .isFalse();
  }
}
