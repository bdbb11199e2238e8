package io.github.acivirtualnode.aciemulator;

import java.time.Instant;
import java.util.Map;

/**
 * When one container group's PUT arrived and since when ACI reports it Running, read in-process (no
 * ARM request): the emulator's side of a benchmark's latencies.
 *
 * @param subscriptionId as the group was created
 * @param resourceGroup as the group was created
 * @param name the group's name
 * @param tags the group's tags (empty when it has none)
 * @param putAt when the PUT that created or last replaced the group arrived
 * @param containersRunningSince when every container's instance view showed it running (ACI reports
 *     containers running before the group is placed), or null while one is not
 * @param runningSince when the group's instance view turned Running, or null while it is not
 */
public record GroupTimes(
    String subscriptionId,
    String resourceGroup,
    String name,
    Map<String, String> tags,
    Instant putAt,
    Instant containersRunningSince,
    Instant runningSince) {
  public GroupTimes {
    tags = Map.copyOf(tags);
  }
}
