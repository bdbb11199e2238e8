package io.github.acivirtualnode.aciemulator.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource id a request links to, such as {@code
 * /subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroupProfiles/p}.
 */
public record ArmResourceId(String subscriptionId, String resourceGroup, String type, String name) {
  private static final Pattern ID =
      Pattern.compile(
          "^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/([^/]+/[^/]+)/([^/]+)/?$",
          Pattern.CASE_INSENSITIVE);

  /**
   * Parses {@code id} as a resource of {@code expectedType}, or refuses it as ARM refuses a
   * malformed linked id ({@code LinkedInvalidPropertyId}).
   *
   * @param path the JSON path of the property, named in the message
   */
  public static ArmResourceId parse(String id, String expectedType, String path) {
    Matcher m = ID.matcher(id == null ? "" : id);
    if (!m.matches() || !m.group(3).equalsIgnoreCase(expectedType)) {
      throw ArmException.badRequest(
          "LinkedInvalidPropertyId",
          String.format(
              "Property id '%s' at path '%s' is invalid. Expect fully qualified resource Id that"
                  + " start with '/subscriptions/{subscriptionId}' and name a resource of type"
                  + " '%s'.",
              id, path, expectedType));
    }
    return new ArmResourceId(m.group(1), m.group(2), m.group(3), m.group(4));
  }

  /** The lower-cased key the emulator stores the resource under. */
  public String key() {
    return String.join("/", subscriptionId, resourceGroup, name).toLowerCase(Locale.ROOT);
  }
}
