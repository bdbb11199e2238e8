package io.github.acivirtualnode.e2e;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Kubernetes manifests as plain maps, to compare what different tools render field by field. */
final class Manifests {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private Manifests() {}

  /** Every object of a multi-document YAML stream; empty documents are skipped. */
  static List<Map<String, Object>> parse(String yaml) {
    try (var parser = YAML.getFactory().createParser(yaml)) {
      List<Map<String, Object>> objects = new ArrayList<>();
      var documents = YAML.readValues(parser, new TypeReference<Map<String, Object>>() {});
      while (documents.hasNext()) {
        Map<String, Object> o = documents.next();
        if (o != null && !o.isEmpty()) {
          objects.add(o);
        }
      }
      return objects;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Map<String, Object>> read(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The one object of a file. */
  static Map<String, Object> readOne(Path file) {
    List<Map<String, Object>> objects = read(file);
    if (objects.size() != 1) {
      throw new IllegalStateException(file + " holds " + objects.size() + " objects, not one");
    }
    return objects.get(0);
  }

  /** apiVersion, kind, namespace and name: what identifies an object in a cluster. */
  static String id(Map<String, Object> o) {
    Map<String, Object> metadata = map(o, "metadata");
    return o.get("apiVersion")
        + " "
        + o.get("kind")
        + " "
        + Objects.requireNonNullElse(metadata.get("namespace"), "-")
        + "/"
        + metadata.get("name");
  }

  /** The objects by {@link #id}, sorted; two objects of the same id are an error. */
  static Map<String, Map<String, Object>> byId(List<Map<String, Object>> objects) {
    Map<String, Map<String, Object>> byId = new TreeMap<>();
    for (Map<String, Object> o : objects) {
      if (byId.put(id(o), o) != null) {
        throw new IllegalStateException("two objects " + id(o));
      }
    }
    return byId;
  }

  /** The object as YAML with sorted keys: equal objects give equal text, a diff shows where. */
  static String canonical(Object o) {
    try {
      return YAML.writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A deep copy, to edit without touching the original. */
  static Map<String, Object> copy(Map<String, Object> o) {
    return YAML.convertValue(o, new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  /** The map at {@code key}, empty when there is none. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Map<String, Object> o, String key) {
    Object value = o.get(key);
    return value == null ? Map.of() : (Map<String, Object>) value;
  }

  /** The map at a path of keys, empty when there is none. */
  static Map<String, Object> path(Map<String, Object> o, String... keys) {
    Map<String, Object> at = o;
    for (String key : keys) {
      at = map(at, key);
    }
    return at;
  }

  /** The list at {@code key}, empty when there is none. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Map<String, Object> o, String key) {
    Object value = o.get(key);
    return value == null ? List.of() : (List<Map<String, Object>>) value;
  }
}
