package io.github.acivirtualnode.aciemulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ContainerGroupFromProfileTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String REVISION =
      "{\"location\":\"westus\",\"zones\":[\"1\"],\"properties\":{\"osType\":\"Linux\","
          + "\"restartPolicy\":\"Always\",\"containers\":["
          + "{\"name\":\"a\",\"properties\":{\"image\":\"nginx\",\"configMap\":{\"keyValuePairs\":{\"x\":\"1\"}}}},"
          + "{\"name\":\"b\",\"properties\":{\"image\":\"busybox\"}}]}}";

  @Test
  void theGroupsPropertiesOverlayTheRevisionsContainersByName() throws Exception {
    ObjectNode revision = (ObjectNode) MAPPER.readTree(REVISION);
    ObjectNode reference = MAPPER.createObjectNode().put("id", "/p").put("revision", 1);
    ObjectNode merged =
        ContainerGroupFromProfile.merge(
            revision,
            MAPPER.readTree(
                "{\"properties\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"b\","
                    + "\"properties\":{\"configMap\":{\"keyValuePairs\":{\"y\":\"2\"}}}}]}}"),
            reference);
    assertThat(merged.path("location").asText()).isEqualTo("westus");
    assertThat(merged.path("zones").toString()).isEqualTo("[\"1\"]");
    assertThat(merged.at("/properties/restartPolicy").asText()).isEqualTo("Never");
    assertThat(merged.at("/properties/containers/0/properties/configMap/keyValuePairs/x").asText())
        .isEqualTo("1");
    assertThat(merged.at("/properties/containers/1/properties/image").asText())
        .isEqualTo("busybox");
    assertThat(merged.at("/properties/containers/1/properties/configMap/keyValuePairs/y").asText())
        .isEqualTo("2");
    assertThat(merged.at("/properties/containerGroupProfile")).isEqualTo(reference);
    // The stored revision is untouched.
    assertThat(revision).isEqualTo(MAPPER.readTree(REVISION));
  }

  @Test
  void aLocationInThePutWins() throws Exception {
    ObjectNode merged =
        ContainerGroupFromProfile.merge(
            (ObjectNode) MAPPER.readTree(REVISION),
            MAPPER.readTree("{\"location\":\"westeurope\",\"properties\":{}}"),
            MAPPER.createObjectNode());
    assertThat(merged.path("location").asText()).isEqualTo("westeurope");
    assertThat(merged.at("/properties/containers")).hasSize(2);
  }
}
