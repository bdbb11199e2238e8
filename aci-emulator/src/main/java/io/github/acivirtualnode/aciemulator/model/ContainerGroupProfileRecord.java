package io.github.acivirtualnode.aciemulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A container group profile and its revisions: every PUT that changes what the profile describes
 * (location, zones, properties) adds a revision numbered from 1; an unchanged PUT or a tags PATCH
 * keeps the current one. Revisions are kept as accepted (secrets included) and stripped when
 * rendered.
 */
public final class ContainerGroupProfileRecord {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  public static final String TYPE = "Microsoft.ContainerInstance/containerGroupProfiles";

  private final String subscriptionId;
  private final String resourceGroup;
  private final String name;
  private final List<ObjectNode> revisions = new ArrayList<>();
  private ObjectNode tags = JSON.objectNode();

  public ContainerGroupProfileRecord(String subscriptionId, String resourceGroup, String name) {
    this.subscriptionId = subscriptionId;
    this.resourceGroup = resourceGroup;
    this.name = name;
  }

  public String name() {
    return name;
  }

  public String id() {
    return "/subscriptions/"
        + subscriptionId
        + "/resourceGroups/"
        + resourceGroup
        + "/providers/"
        + TYPE
        + "/"
        + name;
  }

  /**
   * Takes a PUT body: a new revision when what it describes differs from the current revision.
   *
   * @return whether a revision was added
   */
  public synchronized boolean put(JsonNode body) {
    ObjectNode described = JSON.objectNode();
    described.set("location", body.get("location"));
    if (body.has("zones")) {
      described.set("zones", body.get("zones"));
    }
    ObjectNode properties = ((ObjectNode) body.get("properties")).deepCopy();
    // Read-only: the service sets them.
    properties.remove(List.of("revision", "registeredRevisions"));
    described.set("properties", properties);
    tags =
        body.path("tags").isObject() ? (ObjectNode) body.get("tags").deepCopy() : JSON.objectNode();
    if (!revisions.isEmpty() && revisions.get(revisions.size() - 1).equals(described)) {
      return false;
    }
    revisions.add(described);
    return true;
  }

  public synchronized void updateTags(ObjectNode newTags) {
    tags = newTags.deepCopy();
  }

  /** The current (highest) revision number. */
  public synchronized int revision() {
    return revisions.size();
  }

  /** The stored revision {@code number} (location, zones, properties), or null. */
  public synchronized ObjectNode revision(int number) {
    return number >= 1 && number <= revisions.size() ? revisions.get(number - 1) : null;
  }

  /** The profile as the service answers it at {@code number}, secrets removed. */
  public synchronized ObjectNode toJson(int number) {
    ObjectNode stored = revision(number);
    ObjectNode props = JSON.objectNode();
    props.put("sku", "Standard");
    props.setAll((ObjectNode) stored.get("properties").deepCopy());
    props.put("revision", number);
    ObjectNode out = JSON.objectNode();
    out.set("properties", props);
    out.put("id", id());
    out.put("name", name);
    out.put("type", TYPE);
    out.set("location", stored.get("location"));
    out.set("tags", tags.deepCopy());
    if (stored.has("zones")) {
      out.set("zones", stored.get("zones").deepCopy());
    }
    ContainerGroupSecrets.strip(out);
    return out;
  }
}
