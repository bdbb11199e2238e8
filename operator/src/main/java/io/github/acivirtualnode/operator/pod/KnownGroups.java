package io.github.acivirtualnode.operator.pod;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one node's pod controller knows of its container groups: the last list, the last GET of
 * each, and what it did itself (created, asked to delete). Rebuilt from ACI at every start: nothing
 * here outlives the operator. Thread-safe; recorded on the observer's thread, read by the workers.
 */
final class KnownGroups {
  /** Groups of the node as the last list gave them, and when that list was sent. */
  private volatile Map<String, ContainerGroupInner> listed = Map.of();

  private volatile Instant listedAt;
  private final Map<String, ContainerGroupInner> observed = new ConcurrentHashMap<>();
  private final Set<String> created = ConcurrentHashMap.newKeySet();
  private final Set<String> gone = ConcurrentHashMap.newKeySet();
  private final Set<String> deleteRequested = ConcurrentHashMap.newKeySet();
  private final Map<String, PodWork.Pod> podOfGroup = new ConcurrentHashMap<>();

  /** The images of the replacements this controller sent, by group. */
  private final Map<String, Map<String, String>> replacedWith = new ConcurrentHashMap<>();

  /**
   * Takes in a list.
   *
   * @return the names of the groups that are new or whose provisioning state changed
   */
  List<String> listed(List<ContainerGroupInner> groups, Instant startedAt) {
    Map<String, ContainerGroupInner> before = listed;
    Map<String, ContainerGroupInner> now = new HashMap<>();
    List<String> changed = new ArrayList<>();
    for (ContainerGroupInner g : groups) {
      now.put(g.name(), g);
      GroupNaming.podOf(g)
          .ifPresent(p -> podOfGroup.put(g.name(), new PodWork.Pod(p.namespace(), p.name())));
      ContainerGroupInner old = before.get(g.name());
      if (old == null || !Objects.equals(old.provisioningState(), g.provisioningState())) {
        changed.add(g.name());
      }
    }
    // A DELETE is remembered while the group is still listed (being deleted), not longer.
    deleteRequested.retainAll(now.keySet());
    listed = Map.copyOf(now);
    listedAt = startedAt;
    return changed;
  }

  void observed(ContainerGroupInner group) {
    observed.put(group.name(), group);
    gone.remove(group.name());
  }

  void gone(String groupName) {
    observed.remove(groupName);
    gone.add(groupName);
  }

  /** Whether a list has been answered since the start. */
  boolean hasListed() {
    return listedAt != null;
  }

  /** The last list or a later GET shows the group, and no GET since found it gone. */
  boolean exists(String groupName) {
    return !gone.contains(groupName)
        && (listed.containsKey(groupName) || observed.containsKey(groupName));
  }

  boolean isGone(String groupName) {
    return gone.contains(groupName);
  }

  boolean isCreated(String groupName) {
    return created.contains(groupName);
  }

  boolean isDeleteRequested(String groupName) {
    return deleteRequested.contains(groupName);
  }

  /** The group as the last list gave it, or null. */
  ContainerGroupInner listedGroup(String groupName) {
    return listed.get(groupName);
  }

  /** Every group of the last list. */
  Iterable<ContainerGroupInner> allListed() {
    return listed.values();
  }

  /** The group as its last GET gave it (with its instance view), or null. */
  ContainerGroupInner observedGroup(String groupName) {
    return observed.get(groupName);
  }

  /** The pod a group stands for, as far as its tags or a worker said. */
  Optional<PodWork.Pod> podOf(String groupName) {
    return Optional.ofNullable(podOfGroup.get(groupName));
  }

  void bind(String groupName, PodWork.Pod pod) {
    podOfGroup.put(groupName, pod);
  }

  void created(String groupName) {
    created.add(groupName);
  }

  /**
   * ARM accepted a replacement of the group with these images: the last GET is of the group that
   * was replaced, so it is dropped, and until a GET or a list shows the new spec the images sent
   * count as the group's.
   */
  void replaced(String groupName, Map<String, String> images) {
    replacedWith.put(groupName, Map.copyOf(images));
    observed.remove(groupName);
  }

  /** Every account there is of the images the group runs ({@link PodDecision#imageChanged}). */
  List<Map<String, String>> imageAccounts(String groupName) {
    List<Map<String, String>> accounts = new ArrayList<>();
    ContainerGroupInner l = listed.get(groupName);
    if (l != null) {
      accounts.add(PodDecision.images(l));
    }
    ContainerGroupInner o = observed.get(groupName);
    if (o != null) {
      accounts.add(PodDecision.images(o));
    }
    Map<String, String> r = replacedWith.get(groupName);
    if (r != null) {
      accounts.add(r);
    }
    return accounts;
  }

  void deleteRequested(String groupName) {
    deleteRequested.add(groupName);
    created.remove(groupName);
    observed.remove(groupName);
  }

  /** The pod is done with the group. */
  void forget(String groupName) {
    created.remove(groupName);
    replacedWith.remove(groupName);
    gone.remove(groupName);
    observed.remove(groupName);
    podOfGroup.remove(groupName);
    // deleteRequested stays until the group is no longer listed (see listed)
  }
}
