package io.github.acivirtualnode.aciemulator.model;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which api-versions a route serves, and ARM's refusals of the others: a missing api-version is
 * {@code MissingApiVersionParameter}, a malformed one {@code InvalidApiVersionParameter}, an
 * unsupported one {@code NoRegisteredProviderFound} for a resource provider's types (ARM routes
 * those) and {@code InvalidApiVersionParameter} for ARM's own Microsoft.Resources.
 *
 * @param versions supported versions, newest first
 * @param type the resource type named in NoRegisteredProviderFound, or null for ARM's own routes
 */
public record ApiVersions(List<String> versions, String type) {
  /** Microsoft.ContainerInstance: the Java SDK, the reference implementation, the newest stable. */
  public static final List<String> CONTAINER_INSTANCE =
      List.of("2026-05-01", "2023-05-01", "2022-10-01-preview");

  /**
   * Microsoft.Resources (resource groups): the versions recorded sessions and the Java SDK send,
   * and the provider route's 2021-04-01 and 2022-09-01.
   */
  public static final List<String> RESOURCES =
      List.of("2025-04-01", "2024-11-01", "2024-07-01", "2024-03-01", "2022-09-01", "2021-04-01");

  /**
   * Microsoft.ContainerInstance/containerGroupProfiles: stable from 2025-09-01 (the Java SDK's
   * 2023-05-01 and the reference implementation's 2022-10-01-preview do not have the type).
   */
  public static final List<String> CONTAINER_GROUP_PROFILES = List.of("2026-05-01", "2025-09-01");

  /** Microsoft.StandbyPool/standbyContainerGroupPools: its stable versions. */
  public static final List<String> STANDBY_POOL =
      List.of("2026-04-01", "2025-10-01", "2025-03-01", "2024-03-01");

  /** Microsoft.Insights metrics and metric definitions (Azure Monitor). */
  public static final List<String> MONITOR = List.of("2018-01-01");

  /** GET of a resource provider (Microsoft.Resources' Providers_Get). */
  public static final List<String> PROVIDERS = List.of("2022-09-01", "2021-04-01");

  private static final Pattern FORMAT =
      Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})(-(preview|alpha|beta|privatepreview))?");

  public ApiVersions {
    versions = List.copyOf(versions);
  }

  /** A resource provider's type, for example {@code containerGroups}. */
  public static ApiVersions provider(List<String> versions, String type) {
    return new ApiVersions(versions, type);
  }

  /** One of ARM's own routes (Microsoft.Resources). */
  public static ApiVersions arm(List<String> versions) {
    return new ApiVersions(versions, null);
  }

  /** Whether {@code version} is a well-formed api-version (a real date, optional suffix). */
  public static boolean wellFormed(String version) {
    Matcher m = FORMAT.matcher(version);
    if (!m.matches()) {
      return false;
    }
    try {
      LocalDate.of(
          Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  /**
   * Refuses a request's api-version as ARM does, or returns normally.
   *
   * @param version the query parameter, null when missing
   * @param location the location named in NoRegisteredProviderFound
   */
  public void check(String version, String location) {
    if (version == null || version.isEmpty()) {
      throw ArmException.badRequest(
          "MissingApiVersionParameter",
          "The api-version query parameter (?api-version=) is required for all requests.");
    }
    if (versions.contains(version)) {
      return;
    }
    String supported = String.join(", ", versions);
    if (!wellFormed(version) || type == null) {
      throw ArmException.badRequest(
          "InvalidApiVersionParameter",
          "The api-version '"
              + version
              + "' is invalid. The supported versions are '"
              + String.join(",", versions)
              + "'.");
    }
    throw ArmException.badRequest(
        "NoRegisteredProviderFound",
        "No registered resource provider found for location '"
            + location
            + "' and API version '"
            + version
            + "' for type '"
            + type
            + "'. The supported api-versions are '"
            + supported
            + "'.");
  }
}
