package io.github.acivirtualnode.aciemulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The properties the published REST spec marks {@code x-ms-secret}, found by walking a definition
 * of the spec (its {@code $ref}s, {@code allOf}s, properties, array items and maps): ARM never
 * returns them in a resource's GET, PUT, PATCH, DELETE or list answers. Nothing here is a hand-kept
 * list; a new secret in the spec is withheld without a change to this code.
 */
public final class SecretProperties {
  /** The spec the emulator serves, on the classpath. */
  public static final String SPEC_RESOURCE = "aci-reference/spec-2023-05-01/containerInstance.json";

  /** An array element in a path. */
  public static final String EACH = "[]";

  /** A map value (additionalProperties) in a path. */
  public static final String ANY = "*";

  private static volatile SecretProperties published;

  private final List<List<String>> paths;

  private SecretProperties(List<List<String>> paths) {
    this.paths = List.copyOf(paths);
  }

  /** The secret properties of {@code definition} in {@code spec} (a swagger document). */
  public static SecretProperties of(JsonNode spec, String definition) {
    List<List<String>> paths = new ArrayList<>();
    collect(spec.path("definitions"), ref(definition), new ArrayList<>(), new HashSet<>(), paths);
    return new SecretProperties(paths);
  }

  /** The secrets of a ContainerGroup in the published spec the emulator carries. */
  public static SecretProperties containerGroup() {
    SecretProperties result = published;
    if (result == null) {
      result = of(loadSpec(), "ContainerGroup");
      published = result;
    }
    return result;
  }

  /** The published spec from the classpath. */
  public static JsonNode loadSpec() {
    try (InputStream in =
        SecretProperties.class.getClassLoader().getResourceAsStream(SPEC_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + SPEC_RESOURCE);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every secret property as a path of names, {@link #EACH} and {@link #ANY}. */
  public List<List<String>> paths() {
    return paths;
  }

  /** Removes every secret property from {@code node} (in place). */
  public void strip(JsonNode node) {
    for (List<String> path : paths) {
      strip(node, path, 0);
    }
  }

  private static void strip(JsonNode node, List<String> path, int at) {
    String segment = path.get(at);
    boolean last = at == path.size() - 1;
    if (segment.equals(EACH) || segment.equals(ANY)) {
      if (node.isArray() || (segment.equals(ANY) && node.isObject())) {
        for (JsonNode child : node) {
          if (!last) {
            strip(child, path, at + 1);
          }
        }
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    if (last) {
      ((ObjectNode) node).remove(segment);
    } else if (node.has(segment)) {
      strip(node.get(segment), path, at + 1);
    }
  }

  private static JsonNode ref(String definition) {
    return new ObjectMapper().createObjectNode().put("$ref", "#/definitions/" + definition);
  }

  private static void collect(
      JsonNode definitions,
      JsonNode schema,
      List<String> path,
      Set<String> visiting,
      List<List<String>> out) {
    if (schema.path("x-ms-secret").asBoolean(false)) {
      out.add(List.copyOf(path));
      return;
    }
    String ref = schema.path("$ref").asText("");
    if (ref.startsWith("#/definitions/")) {
      String name = ref.substring("#/definitions/".length());
      if (visiting.add(name)) {
        collect(definitions, definitions.path(name), path, visiting, out);
        visiting.remove(name);
      }
    }
    for (JsonNode part : schema.path("allOf")) {
      collect(definitions, part, path, visiting, out);
    }
    schema
        .path("properties")
        .properties()
        .forEach(
            e -> {
              path.add(e.getKey());
              collect(definitions, e.getValue(), path, visiting, out);
              path.remove(path.size() - 1);
            });
    if (schema.path("items").isObject()) {
      path.add(EACH);
      collect(definitions, schema.get("items"), path, visiting, out);
      path.remove(path.size() - 1);
    }
    if (schema.path("additionalProperties").isObject()) {
      path.add(ANY);
      collect(definitions, schema.get("additionalProperties"), path, visiting, out);
      path.remove(path.size() - 1);
    }
  }
}
