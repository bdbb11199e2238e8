package io.github.acivirtualnode.aciemulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * JSON schemas from the published REST spec: a swagger definition becomes a draft-4 schema whose
 * {@code definitions} are the spec's, so every {@code #/definitions/...} reference resolves.
 */
final class SpecSchemas {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNode SPEC = load("aci-reference/spec-2023-05-01/containerInstance.json");

  private SpecSchemas() {}

  static JsonNode load(String resource) {
    try (InputStream in = SpecSchemas.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing test resource " + resource);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonSchema schema(String definition) {
    ObjectNode schema = MAPPER.createObjectNode();
    schema.put("$schema", "http://json-schema.org/draft-04/schema#");
    JsonNode definitions = SPEC.get("definitions").deepCopy();
    relaxExtensibleEnums(definitions);
    schema.set("definitions", definitions);
    schema.put("$ref", "#/definitions/" + definition);
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
  }

  /**
   * AutoRest's {@code x-ms-enum} with {@code modelAsString: true} is an extensible enum: any string
   * is valid (the real service answers "Http" where the enum lists "http").
   */
  private static void relaxExtensibleEnums(JsonNode node) {
    if (node.isObject()) {
      if (node.path("x-ms-enum").path("modelAsString").asBoolean(false)) {
        ((ObjectNode) node).remove("enum");
      }
      node.elements().forEachRemaining(SpecSchemas::relaxExtensibleEnums);
    } else if (node.isArray()) {
      node.elements().forEachRemaining(SpecSchemas::relaxExtensibleEnums);
    }
  }

  /** The schema violations of a document, as readable strings (empty when valid). */
  static Set<String> violations(String definition, JsonNode document) {
    Set<ValidationMessage> messages = schema(definition).validate(document);
    return messages.stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
  }
}
