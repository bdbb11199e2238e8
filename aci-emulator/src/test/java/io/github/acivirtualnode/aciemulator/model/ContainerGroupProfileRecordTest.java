package io.github.acivirtualnode.aciemulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ContainerGroupProfileRecordTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode body(String image, String tags) throws Exception {
    return MAPPER.readTree(
        "{\"location\":\"westeurope\",\"tags\":"
            + tags
            + ",\"properties\":{\"osType\":\"Linux\",\"revision\":7,\"containers\":[{\"name\":\"a\","
            + "\"properties\":{\"image\":\""
            + image
            + "\"}}]}}");
  }

  @Test
  void onlyChangesOfWhatTheProfileDescribesAddRevisions() throws Exception {
    ContainerGroupProfileRecord record = new ContainerGroupProfileRecord("s", "rg", "p");
    assertThat(record.put(body("nginx", "{}"))).isTrue();
    // Tags are not part of a revision; a client-sent revision is read-only and ignored.
    assertThat(record.put(body("nginx", "{\"a\":\"b\"}"))).isFalse();
    assertThat(record.revision()).isEqualTo(1);
    assertThat(record.put(body("busybox", "{}"))).isTrue();
    assertThat(record.revision()).isEqualTo(2);
    assertThat(record.toJson(1).at("/properties/containers/0/properties/image").asText())
        .isEqualTo("nginx");
    assertThat(record.toJson(2).at("/properties/revision").asInt()).isEqualTo(2);
    assertThat(record.revision(3)).isNull();
    assertThat(record.revision(0)).isNull();
  }
}
