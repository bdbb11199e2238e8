package io.github.acivirtualnode.aciemulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The body of a container group PUT that references a profile revision, as the service builds it:
 * the revision's location, zones and properties, with what the PUT itself says laid over them.
 * Containers are matched by name and overlaid property by property (the 2026-05-01 example sends a
 * container with only its {@code configMap}); a container the profile does not have is added as
 * sent (and then validated like any container: it needs its own image and resources).
 */
public final class ContainerGroupFromProfile {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ContainerGroupFromProfile() {}

  /**
   * @param revision the stored profile revision (location, zones, properties)
   * @param body the group PUT body
   * @param reference the {@code containerGroupProfile} the answer carries (id, resolved revision)
   */
  public static ObjectNode merge(ObjectNode revision, JsonNode body, ObjectNode reference) {
    ObjectNode merged = body.deepCopy();
    if (!merged.hasNonNull("location")) {
      merged.set("location", revision.get("location").deepCopy());
    }
    if (!merged.has("zones") && revision.has("zones")) {
      merged.set("zones", revision.get("zones").deepCopy());
    }
    ObjectNode props = ((ObjectNode) revision.get("properties")).deepCopy();
    JsonNode own = body.path("properties");
    for (Map.Entry<String, JsonNode> field : own.properties()) {
      if (field.getKey().equals("containers") || field.getKey().equals("initContainers")) {
        props.set(field.getKey(), overlayByName(props.path(field.getKey()), field.getValue()));
      } else {
        props.set(field.getKey(), field.getValue().deepCopy());
      }
    }
    props.set("containerGroupProfile", reference);
    merged.set("properties", props);
    return merged;
  }

  private static ArrayNode overlayByName(JsonNode base, JsonNode overrides) {
    ArrayNode result = base.isArray() ? (ArrayNode) base.deepCopy() : JSON.arrayNode();
    for (JsonNode override : overrides) {
      String name = override.path("name").asText();
      ObjectNode target = null;
      for (JsonNode candidate : result) {
        if (candidate.path("name").asText().equals(name)) {
          target = (ObjectNode) candidate;
        }
      }
      if (target == null) {
        result.add(override.deepCopy());
        continue;
      }
      ObjectNode targetProps =
          target.path("properties").isObject()
              ? (ObjectNode) target.get("properties")
              : target.putObject("properties");
      override
          .path("properties")
          .properties()
          .forEach(e -> targetProps.set(e.getKey(), e.getValue().deepCopy()));
    }
    return result;
  }
}
