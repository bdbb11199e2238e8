package io.github.acivirtualnode.aciemulator;

import java.util.Map;

/**
 * A container group as the emulator holds it right now, read in-process (no ARM request, so it is
 * neither counted nor subject to faults or budgets): what a test samples while it injects faults.
 *
 * @param subscriptionId as the group was created
 * @param resourceGroup as the group was created
 * @param name the group's name
 * @param tags the group's tags (empty when it has none)
 */
public record EmulatedGroup(
    String subscriptionId, String resourceGroup, String name, Map<String, String> tags) {
  public EmulatedGroup {
    tags = Map.copyOf(tags);
  }
}
