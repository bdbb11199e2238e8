package io.github.acivirtualnode.operator.node;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciException;
import io.github.acivirtualnode.operator.observe.SharedGroupLists;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes a node's ACI backend with one list of the resource group (credentials, resource group and
 * ARM in one read), counts what is the node's, and deletes the groups of Node names it was renamed
 * away from. The list is the one the observer of the resource group shares ({@link
 * SharedGroupLists}): a probe adds no ARM read of its own while the observer lists with the same
 * credentials. Runs on the probe threads: it waits on ARM.
 */
final class BackendProbe {
  private static final Logger LOG = LoggerFactory.getLogger(BackendProbe.class);

  private final AgentContext ctx;
  private final BackendHealth health;
  private final NodeRegistrar registrar;
  private final Runnable onStatusChange;
  private final Runnable heartbeatNow;
  private final Runnable onRecovered;
  private final Supplier<OptionalInt> boundPods;
  private volatile NodeAgent.Counts counts = new NodeAgent.Counts(0, 0);

  /** The list outcome last recorded: one outcome is never counted twice by the health. */
  private SharedGroupLists.Outcome recorded;

  /** The backend and region last checked against ARM's locations, and what that said. */
  private AciBackend regionCheckedFor;

  private String regionChecked;
  private AciException regionRefusal;

  BackendProbe(
      AgentContext ctx,
      BackendHealth health,
      NodeRegistrar registrar,
      Runnable onStatusChange,
      Runnable heartbeatNow,
      Runnable onRecovered,
      Supplier<OptionalInt> boundPods) {
    this.ctx = ctx;
    this.boundPods = boundPods;
    this.health = health;
    this.registrar = registrar;
    this.onStatusChange = onStatusChange;
    this.heartbeatNow = heartbeatNow;
    this.onRecovered = onRecovered;
  }

  /** A list the observer made since the last probe (or its own last tick) is fresh enough. */
  private Duration listMaxAge() {
    Duration probe = ctx.config().healthProbeInterval();
    Duration list = ctx.config().pods().listInterval();
    return probe.compareTo(list) >= 0 ? probe : list;
  }

  NodeAgent.Counts counts() {
    return counts;
  }

  void probe(VirtualNode vn, Supplier<AciBackend> backend) {
    BackendHealth.Snapshot before = health.current();
    BackendHealth.Snapshot after;
    // Only a Node that is ours has pods and groups to count: a foreign Node of the same name
    // (NodeNameConflict) contributes nothing.
    Set<String> owned = registrar.ownedNames();
    int groups = owned.isEmpty() ? 0 : counts.containerGroups();
    try {
      AciBackend aci = backend.get();
      SharedGroupLists.Outcome listed = ctx.observers().lists().list(aci, listMaxAge());
      if (listed == recorded) {
        return; // brought forward with nothing new to learn
      }
      recorded = listed;
      List<ContainerGroupInner> all = listed.groupsOrThrow();
      checkRegion(vn, aci);
      after = health.recordSuccess(ctx.clock().instant());
      groups =
          (int)
              all.stream().filter(g -> ContainerGroupTags.ours(g, ctx.clusterId(), owned)).count();
      cleanUpRetired(vn, aci, all);
    } catch (AciException e) {
      after = health.recordFailure(e, ctx.clock().instant());
    }
    int pods = owned.isEmpty() ? 0 : boundPods.get().orElse(counts.pods());
    NodeAgent.Counts newCounts = new NodeAgent.Counts(pods, groups);
    boolean healthChanged =
        before.reachable() != after.reachable()
            || before.ready() != after.ready()
            || !Objects.equals(before.reason(), after.reason());
    if (healthChanged) {
      reportHealthChange(vn, before, after);
      heartbeatNow.run();
      if (recovered(before, after)) {
        onRecovered.run();
      }
    }
    if (healthChanged || !newCounts.equals(counts)) {
      counts = newCounts;
      onStatusChange.run();
    }
  }

  /** ARM answers again, or the node became usable: what pods waited on is back. */
  static boolean recovered(BackendHealth.Snapshot before, BackendHealth.Snapshot after) {
    boolean reachable =
        after.reachable() == BackendHealth.Status.TRUE
            && before.reachable() != BackendHealth.Status.TRUE;
    return reachable || (after.ready() && !before.ready());
  }

  /**
   * A region where ACI does not exist (or the subscription cannot use it) gives a node whose every
   * pod would fail: checked against ARM's locations once per backend and region, then again only
   * when either changes. Throws the refusal (actionable) on every probe while it stands.
   */
  private void checkRegion(VirtualNode vn, AciBackend aci) {
    String region = vn.getSpec().getAzure().getRegion();
    if (aci != regionCheckedFor || !region.equals(regionChecked)) {
      Set<String> regions = aci.regions(); // a transient failure here is retried next probe
      regionRefusal =
          regions.contains(AciBackend.normalizeRegion(region))
              ? null
              : new AciException(
                  AciException.Kind.INVALID_REQUEST,
                  "RegionNotAvailable",
                  0,
                  "Azure Container Instances has no region '"
                      + region
                      + "' for this subscription; it offers "
                      + String.join(", ", regions),
                  null,
                  null);
      regionCheckedFor = aci;
      regionChecked = region;
    }
    if (regionRefusal != null) {
      throw regionRefusal;
    }
  }

  /** Groups of Node names renamed away from go with those Nodes; retried by the next probe. */
  private void cleanUpRetired(VirtualNode vn, AciBackend aci, List<ContainerGroupInner> all) {
    Set<String> retired = registrar.retiredNames();
    if (retired.isEmpty()) {
      return;
    }
    try {
      for (ContainerGroupInner g : all) {
        if (ContainerGroupTags.ours(g, ctx.clusterId(), retired)) {
          aci.delete(g.name());
        }
      }
      registrar.retiredCleaned(retired);
    } catch (AciException e) {
      LOG.info(
          "container groups of renamed Nodes {} of {} not deleted yet: {}",
          retired,
          vn.getMetadata().getName(),
          e.getMessage());
    }
  }

  private void reportHealthChange(
      VirtualNode vn, BackendHealth.Snapshot before, BackendHealth.Snapshot after) {
    if (after.ready() != before.ready()) {
      if (after.ready()) {
        ctx.events().normal(vn, "NodeReady", "Node " + vn.nodeName() + " is Ready");
      } else {
        ctx.events()
            .warning(
                vn,
                "NodeNotReady",
                "Node "
                    + vn.nodeName()
                    + " is NotReady: "
                    + after.notReadyReason()
                    + ": "
                    + after.notReadyMessage());
      }
    }
    if (after.reachable() == BackendHealth.Status.TRUE) {
      ctx.events().normal(vn, "BackendReachable", "Azure Resource Manager answers");
    } else if (after.reachable() == BackendHealth.Status.FALSE) {
      ctx.events().warning(vn, after.reason(), after.message());
    }
  }
}
