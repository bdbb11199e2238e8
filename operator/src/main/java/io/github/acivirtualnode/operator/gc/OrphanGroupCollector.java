package io.github.acivirtualnode.operator.gc;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Decides which container groups of one node are orphans to delete: groups whose tags name a pod
 * (namespace, name, UID) that no longer exists, or exists under another UID, for at least the grace
 * period in a row. Pure: told the groups, the pods and the time.
 *
 * <p>The caller passes only groups that are ours (tagged with this cluster's identity and this
 * node, {@link io.github.acivirtualnode.operator.node.ContainerGroupTags}), and only once its view
 * of the pods is complete (the pod informer synced). A group whose tags name no pod was not made by
 * the pod controller and is never collected here; one that is seen with its pod again is no longer
 * a candidate.
 */
public final class OrphanGroupCollector {
  private final Duration gracePeriod;
  private final Map<String, Instant> orphanSince = new HashMap<>();

  public OrphanGroupCollector(Duration gracePeriod) {
    this.gracePeriod = gracePeriod;
  }

  /**
   * Takes in a list of the node's groups.
   *
   * @param groups every group of the node, as listed
   * @param podUid the UID of the pod of that namespace and name now, or empty when there is none
   * @param now the time of the list
   * @return the names of the groups to delete now, in list order
   */
  public synchronized List<String> collect(
      List<ContainerGroupInner> groups,
      BiFunction<String, String, Optional<String>> podUid,
      Instant now) {
    List<String> due = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ContainerGroupInner g : groups) {
      Optional<GroupNaming.PodIdentity> pod = GroupNaming.podOf(g);
      if (pod.isEmpty()) {
        continue;
      }
      seen.add(g.name());
      boolean alive =
          podUid
              .apply(pod.get().namespace(), pod.get().name())
              .map(pod.get().uid()::equals)
              .orElse(false);
      if (alive) {
        orphanSince.remove(g.name());
        continue;
      }
      Instant since = orphanSince.computeIfAbsent(g.name(), n -> now);
      if (Duration.between(since, now).compareTo(gracePeriod) >= 0) {
        due.add(g.name());
      }
    }
    orphanSince.keySet().retainAll(seen);
    return due;
  }

  /** The group was deleted (or is being): no longer a candidate. */
  public synchronized void deleted(String groupName) {
    orphanSince.remove(groupName);
  }

  /** Groups waiting out their grace period. */
  public synchronized int candidates() {
    return orphanSince.size();
  }
}
