package io.github.acivirtualnode.aciemulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretPropertiesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void findsEverySecretOfAContainerGroupInThePublishedSpec() {
    assertThat(SecretProperties.containerGroup().paths())
        .containsExactlyInAnyOrder(
            List.of(
                "properties",
                "containers",
                "[]",
                "properties",
                "environmentVariables",
                "[]",
                "secureValue"),
            List.of(
                "properties",
                "initContainers",
                "[]",
                "properties",
                "environmentVariables",
                "[]",
                "secureValue"),
            List.of("properties", "imageRegistryCredentials", "[]", "password"),
            List.of("properties", "diagnostics", "logAnalytics", "workspaceKey"),
            List.of("properties", "diagnostics", "logAnalytics", "workspaceResourceId"));
  }

  @Test
  void followsRefsAllOfItemsAndMapsOfAnySpec() throws Exception {
    JsonNode spec =
        MAPPER.readTree(
            """
            {"definitions": {
              "Root": {"allOf": [{"$ref": "#/definitions/Base"}],
                       "properties": {"map": {"additionalProperties": {"$ref": "#/definitions/Leaf"}},
                                      "self": {"$ref": "#/definitions/Root"}}},
              "Base": {"properties": {"list": {"items": {"$ref": "#/definitions/Leaf"}}}},
              "Leaf": {"properties": {"key": {"type": "string", "x-ms-secret": true},
                                      "name": {"type": "string"}}}}}
            """);
    SecretProperties secrets = SecretProperties.of(spec, "Root");
    assertThat(secrets.paths())
        .containsExactlyInAnyOrder(List.of("list", "[]", "key"), List.of("map", "*", "key"));
    JsonNode doc =
        MAPPER.readTree(
            "{\"list\":[{\"key\":\"a\",\"name\":\"n\"}],\"map\":{\"x\":{\"key\":\"b\"}},\"other\":1}");
    secrets.strip(doc);
    assertThat(doc.toString())
        .isEqualTo("{\"list\":[{\"name\":\"n\"}],\"map\":{\"x\":{}},\"other\":1}");
  }
}
