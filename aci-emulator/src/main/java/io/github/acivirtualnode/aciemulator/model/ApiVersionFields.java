package io.github.acivirtualnode.aciemulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What depends on the api-version in container group requests and answers. The evidence points to a
 * service that reads a request with the version's own schema, strictly, and writes answers from its
 * current model: the recorded 2023-05-01 answers carry {@code isCreatedFromStandbyPool}, {@code
 * provisioningTimeoutInSeconds}, {@code isCustomProvisioningTimeout} and {@code configMap}, none of
 * which the 2023-05-01 spec defines, while clients that PUT such an answer back at 2023-05-01 have
 * to remove the first three or the PUT is refused. So:
 *
 * <ul>
 *   <li>a PUT carrying a group property its version does not define is refused ({@code
 *       InvalidRequestContent}), for the properties listed in {@link #REQUEST_PROPERTIES};
 *   <li>answers keep the recorded fields in every version, and leave out only the profile and
 *       standby pool references at versions without container group profiles (nothing recorded says
 *       otherwise; the issue asks for fields a version does not know to be absent).
 * </ul>
 */
public final class ApiVersionFields {
  /** The group properties only versions with container group profiles know. */
  static final List<String> PROFILE_FIELDS = List.of("containerGroupProfile", "standbyPoolProfile");

  /**
   * Group properties and the served versions whose spec defines them: the profile references and
   * {@code isCreatedFromStandbyPool} (read-only) from 2025-09-01; the provisioning timeout fields
   * in none of the served versions (not in the 2023-05-01 nor the 2026-05-01 spec).
   */
  static final Map<String, List<String>> REQUEST_PROPERTIES = new LinkedHashMap<>();

  static {
    REQUEST_PROPERTIES.put("containerGroupProfile", ApiVersions.CONTAINER_GROUP_PROFILES);
    REQUEST_PROPERTIES.put("standbyPoolProfile", ApiVersions.CONTAINER_GROUP_PROFILES);
    REQUEST_PROPERTIES.put("isCreatedFromStandbyPool", ApiVersions.CONTAINER_GROUP_PROFILES);
    REQUEST_PROPERTIES.put("provisioningTimeoutInSeconds", List.of());
    REQUEST_PROPERTIES.put("isCustomProvisioningTimeout", List.of());
  }

  private ApiVersionFields() {}

  /** Whether {@code apiVersion} has container group profiles and standby pool references. */
  public static boolean knowsProfiles(String apiVersion) {
    return ApiVersions.CONTAINER_GROUP_PROFILES.contains(apiVersion);
  }

  /** Refuses a group PUT body carrying a property {@code apiVersion} does not define. */
  public static void checkRequest(JsonNode body, String apiVersion) {
    JsonNode props = body.path("properties");
    REQUEST_PROPERTIES.forEach(
        (property, versions) -> {
          if (props.has(property) && !versions.contains(apiVersion)) {
            throw ArmException.badRequest(
                "InvalidRequestContent",
                String.format(
                    "The request content was invalid and could not be deserialized: 'Could not"
                        + " find member '%s' on object of type 'ContainerGroupProperties'. Path"
                        + " 'properties.%s'.'",
                    property, property));
          }
        });
  }

  /** Removes from a group answer the fields {@code apiVersion} does not know. */
  public static void shape(ObjectNode group, String apiVersion) {
    if (!knowsProfiles(apiVersion) && group.path("properties").isObject()) {
      ((ObjectNode) group.get("properties")).remove(PROFILE_FIELDS);
    }
  }
}
