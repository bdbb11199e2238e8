package io.github.acivirtualnode.aciemulator;

import io.github.acivirtualnode.aciemulator.model.ContainerGroupProfileRecord;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupRecord;
import io.github.acivirtualnode.aciemulator.model.StandbyPoolRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything the emulator remembers; keys are lower-cased because ARM names are not case-sensitive.
 */
final class EmulatorState {

  record ResourceGroup(String subscriptionId, String name, String location) {
    String id() {
      return "/subscriptions/" + subscriptionId + "/resourceGroups/" + name;
    }
  }

  /** A long-running operation: which group and what kind (create, start). */
  record Operation(String id, String groupKey, String groupId, java.time.Instant start) {}

  record ServicePrincipal(String tenantId, String clientId, String secret) {}

  final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
  final Map<String, ResourceGroup> resourceGroups = new ConcurrentHashMap<>();
  final Map<String, ContainerGroupRecord> groups = new ConcurrentHashMap<>();
  final Map<String, Operation> operations = new ConcurrentHashMap<>();
  final Map<String, ContainerGroupProfileRecord> profiles = new ConcurrentHashMap<>();
  final Map<String, StandbyPoolRecord> pools = new ConcurrentHashMap<>();
  final Map<String, ServicePrincipal> principals = new ConcurrentHashMap<>();
  final Map<String, String> federatedClients = new ConcurrentHashMap<>();
  final Map<String, Boolean> issuedTokens = new ConcurrentHashMap<>();
  final AtomicInteger ordinal = new AtomicInteger();

  static String key(String... parts) {
    return String.join("/", parts).toLowerCase(Locale.ROOT);
  }

  /** A subscription is known once added, or once it holds a resource group. */
  boolean knowsSubscription(String subscriptionId) {
    return subscriptions.contains(key(subscriptionId));
  }

  void putResourceGroup(ResourceGroup group) {
    subscriptions.add(key(group.subscriptionId()));
    resourceGroups.put(key(group.subscriptionId(), group.name()), group);
  }

  ResourceGroup resourceGroup(String subscriptionId, String name) {
    return resourceGroups.get(key(subscriptionId, name));
  }

  ContainerGroupRecord group(String subscriptionId, String resourceGroup, String name) {
    return groups.get(key(subscriptionId, resourceGroup, name));
  }

  List<ContainerGroupRecord> groups(String subscriptionId, String resourceGroup) {
    String prefix =
        resourceGroup == null
            ? key(subscriptionId) + "/"
            : key(subscriptionId, resourceGroup) + "/";
    List<ContainerGroupRecord> out = new ArrayList<>();
    groups.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.add(v);
          }
        });
    out.sort(Comparator.comparing(ContainerGroupRecord::ordinal));
    return out;
  }

  /** Values of {@code map} whose key is in the subscription (and resource group, if given). */
  static <T> List<T> inScope(Map<String, T> map, String subscriptionId, String resourceGroup) {
    String prefix =
        resourceGroup == null
            ? key(subscriptionId) + "/"
            : key(subscriptionId, resourceGroup) + "/";
    List<String> keys = new ArrayList<>(map.keySet());
    keys.sort(Comparator.naturalOrder());
    List<T> out = new ArrayList<>();
    for (String k : keys) {
      T value = map.get(k);
      if (k.startsWith(prefix) && value != null) {
        out.add(value);
      }
    }
    return out;
  }

  /** Container groups, profiles and pools; resource groups and identities survive a reset. */
  void clearContainerGroups() {
    groups.clear();
    operations.clear();
    profiles.clear();
    pools.clear();
  }
}
