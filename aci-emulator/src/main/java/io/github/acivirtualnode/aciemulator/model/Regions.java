package io.github.acivirtualnode.aciemulator.model;

import java.util.List;
import java.util.Locale;

/**
 * Azure regions by display name ({@code West Central US}); a region's name ({@code westcentralus})
 * is its display name in lower case without spaces, and ARM accepts either wherever a location is
 * given.
 */
public final class Regions {
  /** Regions where Azure Container Instances is offered (display names). */
  public static final List<String> CONTAINER_INSTANCE =
      List.of(
          "Australia East",
          "Australia Southeast",
          "Brazil South",
          "Canada Central",
          "Canada East",
          "Central India",
          "Central US",
          "East Asia",
          "East US",
          "East US 2",
          "France Central",
          "Germany West Central",
          "Israel Central",
          "Italy North",
          "Japan East",
          "Japan West",
          "Korea Central",
          "Mexico Central",
          "North Central US",
          "North Europe",
          "Norway East",
          "Poland Central",
          "Qatar Central",
          "South Africa North",
          "South Central US",
          "South India",
          "Southeast Asia",
          "Spain Central",
          "Sweden Central",
          "Switzerland North",
          "UAE North",
          "UK South",
          "UK West",
          "West Central US",
          "West Europe",
          "West India",
          "West US",
          "West US 2",
          "West US 3");

  private Regions() {}

  /** The region's name for a name or display name: {@code West Central US} -> westcentralus. */
  public static String name(String location) {
    return location == null ? "" : location.replace(" ", "").toLowerCase(Locale.ROOT);
  }

  /** Whether two locations (names or display names) are the same region. */
  public static boolean same(String a, String b) {
    return name(a).equals(name(b));
  }
}
