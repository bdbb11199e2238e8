package io.github.acivirtualnode.aciemulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * Fields the service fills in on an accepted group: the identities' principal, tenant and client
 * ids, and a Confidential group's CCE policy when none was sent. Deterministic: the ids derive from
 * the names, so a replaced group keeps its identity.
 */
public final class ServiceFilled {
  /**
   * The allow-all policy of the published Confidential example (base64 of {@code {"allow_all":
   * true, "containers": {"length": 0, "elements": null}}}).
   */
  public static final String DEFAULT_CCE_POLICY =
      Base64.getEncoder()
          .encodeToString(
              "{\"allow_all\": true, \"containers\": {\"length\": 0, \"elements\": null}}"
                  .getBytes(StandardCharsets.UTF_8));

  private ServiceFilled() {}

  /** Fills {@code spec} (the stored group) in place. */
  public static void apply(
      ObjectNode spec, String subscription, String resourceGroup, String name) {
    JsonNode identity = spec.path("identity");
    if (identity.isObject()) {
      ObjectNode id = (ObjectNode) identity;
      String type = id.path("type").asText("").toLowerCase(Locale.ROOT);
      String group = (subscription + "/" + resourceGroup + "/" + name).toLowerCase(Locale.ROOT);
      if (type.contains("systemassigned")) {
        id.put("principalId", uuid("principal:" + group));
        id.put("tenantId", tenant(subscription));
      } else {
        id.remove("principalId");
        id.remove("tenantId");
      }
      JsonNode users = id.path("userAssignedIdentities");
      if (users.isObject()) {
        users
            .properties()
            .forEach(
                e -> {
                  String key = e.getKey().toLowerCase(Locale.ROOT);
                  ObjectNode user =
                      e.getValue().isObject()
                          ? (ObjectNode) e.getValue()
                          : ((ObjectNode) users).putObject(e.getKey());
                  user.put("principalId", uuid("principal:" + key));
                  user.put("clientId", uuid("client:" + key));
                });
      }
    }
    ObjectNode props = (ObjectNode) spec.path("properties");
    if ("Confidential".equalsIgnoreCase(props.path("sku").asText())) {
      JsonNode confidential = props.path("confidentialComputeProperties");
      ObjectNode cce =
          confidential.isObject()
              ? (ObjectNode) confidential
              : props.putObject("confidentialComputeProperties");
      if (cce.path("ccePolicy").asText("").isEmpty()) {
        cce.put("ccePolicy", DEFAULT_CCE_POLICY);
      }
    }
  }

  /** The tenant a subscription belongs to (one per subscription in the emulator). */
  public static String tenant(String subscription) {
    return uuid("tenant:" + subscription.toLowerCase(Locale.ROOT));
  }

  private static String uuid(String seed) {
    return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
