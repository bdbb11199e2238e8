package io.github.acivirtualnode.aciemulator.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Which container group fields an api-version knows, for the fields where the emulator's answers
 * differ by version. The recorded 2023-05-01 answers carry fields the 2023-05-01 spec does not
 * define ({@code isCreatedFromStandbyPool}, {@code provisioningTimeoutInSeconds}, {@code
 * isCustomProvisioningTimeout}, {@code configMap}): the service does not drop newer fields from
 * older versions' answers in general, so neither does the emulator. What does depend on the version
 * is the profile and standby pool references: a version without container group profiles (before
 * 2025-09-01 among stable versions) neither reads them from a PUT nor shows them.
 */
public final class ApiVersionFields {
  /** The group properties only versions with container group profiles know. */
  static final List<String> PROFILE_FIELDS = List.of("containerGroupProfile", "standbyPoolProfile");

  private ApiVersionFields() {}

  /** Whether {@code apiVersion} has container group profiles and standby pool references. */
  public static boolean knowsProfiles(String apiVersion) {
    return ApiVersions.CONTAINER_GROUP_PROFILES.contains(apiVersion);
  }

  /** Removes from a group body or answer the fields {@code apiVersion} does not know. */
  public static void shape(ObjectNode group, String apiVersion) {
    if (!knowsProfiles(apiVersion) && group.path("properties").isObject()) {
      ((ObjectNode) group.get("properties")).remove(PROFILE_FIELDS);
    }
  }
}
