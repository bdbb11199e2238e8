package io.github.acivirtualnode.operator.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.operator.EventRecorder;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciException;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet emulation of one VirtualNode: registers its Node, renews its Lease, posts node status
 * as a kubelet does, and probes the ACI backend to decide readiness.
 *
 * <p>Heartbeats talk only to the Kubernetes API and run on their own scheduler, so that a slow or
 * unreachable ARM (probes wait on it) can never delay Lease renewal and get pods evicted. Every
 * scheduled body catches everything it throws: a scheduled task that throws is never run again.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  static final String FIELD_MANAGER = "aci-virtual-node";
  public static final String LEASE_NAMESPACE = "kube-node-lease";

  /** Tag on container groups naming the Node whose pod they run. */
  public static final String NODE_TAG = "k8s-virtual-node";

  /** A kubelet re-posts unchanged status at this interval so heartbeat times stay fresh. */
  private static final Duration STATUS_REPORT_INTERVAL = Duration.ofMinutes(1);

  private static final Duration CLEANUP_RETRY = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final OperatorConfig config;
  private final EventRecorder events;
  private final ScheduledExecutorService heartbeats;
  private final ScheduledExecutorService probes;
  private final Runnable onStatusChange;
  private final java.util.function.BooleanSupplier stillWanted;
  private final Clock clock;
  private final BackendHealth health;
  private final ReentrantLock probeLock = new ReentrantLock();

  private volatile VirtualNode virtualNode;
  private volatile Supplier<AciBackend> backend;
  private volatile Counts counts = new Counts(0, 0);
  private volatile Registration registration =
      new Registration(false, "Registering", "registering the Node", null);
  private volatile String appliedNodeName;
  private Long appliedGeneration;
  private String nodeUid;
  private Instant lastStatusReport = Instant.EPOCH;

  /** Set once by close(); a heartbeat queued before it must not register the Node again. */
  private boolean closed;

  private ScheduledFuture<?> heartbeatTask;
  private ScheduledFuture<?> probeTask;

  /** Pods bound to the node and container groups tagged for it, as last counted. */
  public record Counts(int pods, int containerGroups) {}

  /**
   * Whether the Node stands as the spec says.
   *
   * @param appliedGeneration the VirtualNode generation last applied to the Node, or null
   */
  public record Registration(
      boolean registered, String reason, String message, Long appliedGeneration) {}

  /** The outcome of {@link #decommission()}: done, or to be retried after a while. */
  public record Decommission(boolean done, Duration retryAfter) {}

  /**
   * @param backend gives the backend, or throws an {@link AciException} saying why there is none
   *     (for instance a missing credentials Secret)
   */
  public NodeAgent(
      KubernetesClient client,
      OperatorConfig config,
      EventRecorder events,
      ScheduledExecutorService heartbeats,
      ScheduledExecutorService probes,
      Runnable onStatusChange,
      java.util.function.BooleanSupplier stillWanted,
      Clock clock,
      VirtualNode virtualNode,
      Supplier<AciBackend> backend,
      BackendHealth health) {
    this.client = client;
    this.config = config;
    this.events = events;
    this.heartbeats = heartbeats;
    this.probes = probes;
    this.onStatusChange = onStatusChange;
    this.stillWanted = stillWanted;
    this.clock = clock;
    this.virtualNode = virtualNode;
    this.backend = backend;
    this.health = health;
  }

  /**
   * An existing Node of this VirtualNode, seen in the cache when the agent starts (after an
   * operator restart): it counts as registered at once, so status does not flap.
   */
  public synchronized void adopt(Node existing) {
    appliedNodeName = existing.getMetadata().getName();
    nodeUid = existing.getMetadata().getUid();
    registration =
        new Registration(true, "Registered", "Node " + appliedNodeName + " is registered", null);
  }

  public synchronized void start() {
    heartbeatTask =
        heartbeats.scheduleWithFixedDelay(
            this::heartbeat, 0, config.leaseRenewInterval().toMillis(), TimeUnit.MILLISECONDS);
    probeTask =
        probes.scheduleWithFixedDelay(
            this::probe, 0, config.healthProbeInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Hands over the latest VirtualNode and backend. A new spec is applied at once; a new backend
   * (changed credentials or endpoint) is probed at once. Otherwise nothing is brought forward, so
   * that reconciles do not bypass the probe interval and its failure threshold.
   */
  public void update(VirtualNode updated, Supplier<AciBackend> updatedBackend) {
    VirtualNode previous = this.virtualNode;
    boolean specChanged =
        !Objects.equals(
            previous.getMetadata().getGeneration(), updated.getMetadata().getGeneration());
    boolean backendChanged = updatedBackend != this.backend;
    this.virtualNode = updated;
    this.backend = updatedBackend;
    if (specChanged) {
      heartbeats.execute(this::heartbeat);
    }
    if (backendChanged) {
      probes.execute(this::probe);
    }
  }

  /** The Node was seen deleted: register it again now rather than at the next heartbeat. */
  public void nodeDeleted() {
    heartbeats.execute(this::heartbeat);
  }

  public BackendHealth.Snapshot health() {
    return health.current();
  }

  public Counts counts() {
    return counts;
  }

  public Registration registration() {
    Registration r = registration;
    boolean current = r.registered() && virtualNode.nodeName().equals(appliedNodeName);
    return current ? r : new Registration(false, r.reason(), r.message(), r.appliedGeneration());
  }

  public String nodeName() {
    return virtualNode.nodeName();
  }

  /** Registers or re-registers the Node, posts status when due and renews the Lease. */
  synchronized void heartbeat() {
    if (closed) {
      return;
    }
    VirtualNode vn = virtualNode;
    if (!stillWanted.getAsBoolean()) {
      // The VirtualNode went without cleanup (its finalizer removed by hand): clean up now.
      LOG.warn(
          "VirtualNode {} is gone without cleanup; removing its Node", vn.getMetadata().getName());
      try {
        decommission();
      } catch (Throwable e) {
        LOG.error("cleanup of node {} failed", vn.nodeName(), e);
      }
      return;
    }
    Node node = null;
    try {
      node = ensureNode(vn);
    } catch (KubernetesClientException e) {
      registrationFailed(
          vn, "NodeApplyFailed", "the API server refused the Node: " + e.getMessage());
    } catch (Throwable e) {
      LOG.error("registration of node {} failed", vn.nodeName(), e);
    }
    if (node != null) {
      try {
        postStatusIfDue(vn, node);
      } catch (Throwable e) {
        LOG.warn("status of node {} not posted: {}", vn.nodeName(), e.toString());
      }
    }
    // The Lease of a Node that is ours is renewed even when applying a spec change failed: a
    // bad edit must not get the node's pods evicted.
    if (appliedNodeName != null && appliedNodeName.equals(vn.nodeName())) {
      try {
        renewLease(vn.nodeName());
      } catch (Throwable e) {
        LOG.warn("Lease of node {} not renewed: {}", vn.nodeName(), e.toString());
      }
    }
  }

  private Node ensureNode(VirtualNode vn) {
    String name = vn.nodeName();
    if (appliedNodeName != null && !appliedNodeName.equals(name)) {
      // Renamed: the old Node goes, so that the scheduler does not keep using it.
      String old = appliedNodeName;
      deleteNodeAndLeaseIfOurs(vn, old);
      events.normal(vn, "NodeRenamed", "Node " + old + " replaced by " + name);
      appliedNodeName = null;
      nodeUid = null;
    }
    Node existing = client.nodes().withName(name).get();
    if (existing != null && !ours(existing, vn)) {
      registrationFailed(
          vn,
          "NodeNameConflict",
          "a Node named "
              + name
              + " exists and does not belong to this VirtualNode; choose another spec.nodeName");
      return null;
    }
    boolean specChanged = !Objects.equals(appliedGeneration, vn.getMetadata().getGeneration());
    if (existing != null && !specChanged && name.equals(appliedNodeName)) {
      nodeUid = existing.getMetadata().getUid();
      return existing;
    }
    Node desired = NodeFactory.desiredNode(vn);
    if (existing != null) {
      NodeFactory.keepSystemTaints(existing, desired);
    }
    Node applied =
        client
            .nodes()
            .resource(desired)
            .fieldManager(FIELD_MANAGER)
            .forceConflicts()
            .serverSideApply();
    boolean firstTime = !name.equals(appliedNodeName);
    if (existing == null) {
      events.normal(
          vn,
          firstTime ? "NodeRegistered" : "NodeReRegistered",
          firstTime
              ? "Node " + name + " registered"
              : "Node " + name + " was deleted and is registered again");
    } else if (!firstTime && appliedGeneration != null) {
      events.normal(vn, "NodeUpdated", "labels, taints and capacity applied to Node " + name);
    }
    lastStatusReport = Instant.EPOCH;
    appliedNodeName = name;
    appliedGeneration = vn.getMetadata().getGeneration();
    nodeUid = applied.getMetadata().getUid();
    Registration before = registration;
    registration =
        new Registration(
            true,
            "Registered",
            "Node " + name + " is registered and its Lease renewed",
            appliedGeneration);
    if (!before.equals(registration)) {
      onStatusChange.run();
    }
    return applied;
  }

  private void registrationFailed(VirtualNode vn, String reason, String message) {
    Registration failed =
        new Registration(false, reason, message, registration.appliedGeneration());
    if (!failed.equals(registration)) {
      registration = failed;
      events.warning(vn, reason, message);
      onStatusChange.run();
    }
  }

  private static boolean ours(Node node, VirtualNode vn) {
    return node.getMetadata().getLabels() != null
        && vn.getMetadata()
            .getName()
            .equals(node.getMetadata().getLabels().get(NodeFactory.VIRTUAL_NODE_LABEL));
  }

  private void postStatusIfDue(VirtualNode vn, Node node) {
    Instant now = clock.instant();
    NodeStatus current = node.getStatus();
    NodeStatus desired =
        NodeFactory.desiredStatus(
            vn, config, health.current(), now, current == null ? null : current.getConditions());
    boolean changed =
        current == null
            || !NodeFactory.sameConditions(current.getConditions(), desired.getConditions())
            || !Objects.equals(current.getCapacity(), desired.getCapacity())
            || !Objects.equals(current.getAllocatable(), desired.getAllocatable())
            || !Objects.equals(current.getAddresses(), desired.getAddresses())
            || !Objects.equals(current.getDaemonEndpoints(), desired.getDaemonEndpoints());
    if (!changed && Duration.between(lastStatusReport, now).compareTo(STATUS_REPORT_INTERVAL) < 0) {
      return;
    }
    // A replace, not a merge: resources dropped from the spec (a GPU count back to 0) must go.
    // A conflict with the node lifecycle controller is retried by the next heartbeat.
    client.nodes().resource(new NodeBuilder(node).withStatus(desired).build()).updateStatus();
    lastStatusReport = now;
  }

  private void renewLease(String name) {
    LeaseBuilder lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(LEASE_NAMESPACE)
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(name)
            .withLeaseDurationSeconds(40)
            .withRenewTime(
                ZonedDateTime.ofInstant(
                    clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC))
            .endSpec();
    if (nodeUid != null) {
      // As the kubelet does: the Lease goes with its Node.
      lease
          .editMetadata()
          .addNewOwnerReference()
          .withApiVersion("v1")
          .withKind("Node")
          .withName(name)
          .withUid(nodeUid)
          .endOwnerReference()
          .endMetadata();
    }
    Lease built = lease.build();
    client.leases().resource(built).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  /** Probes the backend and counts pods and container groups; reports changes at once. */
  void probe() {
    // One probe at a time per agent: a probe brought forward must not race the periodic one.
    if (!probeLock.tryLock()) {
      return;
    }
    try {
      synchronized (this) {
        if (closed) {
          return;
        }
      }
      probeOnce();
    } catch (Throwable e) {
      LOG.error("probe of node {} failed unexpectedly", virtualNode.nodeName(), e);
    } finally {
      probeLock.unlock();
    }
  }

  private void probeOnce() {
    VirtualNode vn = virtualNode;
    BackendHealth.Snapshot before = health.current();
    BackendHealth.Snapshot after;
    int groups = counts.containerGroups();
    try {
      AciBackend aci = backend.get();
      groups = (int) aci.list().stream().filter(g -> taggedFor(g, vn.nodeName())).count();
      after = health.recordSuccess(clock.instant());
    } catch (AciException e) {
      after = health.recordFailure(e, clock.instant());
    }
    int pods = countPods(vn.nodeName(), counts.pods());
    Counts newCounts = new Counts(pods, groups);
    boolean healthChanged =
        before.reachable() != after.reachable()
            || before.ready() != after.ready()
            || !Objects.equals(before.reason(), after.reason());
    if (healthChanged) {
      reportHealthChange(vn, before, after);
      heartbeats.execute(this::heartbeat);
    }
    if (healthChanged || !newCounts.equals(counts)) {
      counts = newCounts;
      onStatusChange.run();
    }
  }

  private static boolean taggedFor(
      com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner group,
      String nodeName) {
    return group.tags() != null && nodeName.equals(group.tags().get(NODE_TAG));
  }

  private int countPods(String nodeName, int fallback) {
    try {
      return client
          .pods()
          .inAnyNamespace()
          .withField("spec.nodeName", nodeName)
          .list()
          .getItems()
          .size();
    } catch (KubernetesClientException e) {
      LOG.warn("cannot count pods of {}: {}", nodeName, e.getMessage());
      return fallback;
    }
  }

  private void reportHealthChange(
      VirtualNode vn, BackendHealth.Snapshot before, BackendHealth.Snapshot after) {
    if (after.ready() != before.ready()) {
      if (after.ready()) {
        events.normal(vn, "NodeReady", "Node " + vn.nodeName() + " is Ready");
      } else {
        events.warning(
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
      events.normal(vn, "BackendReachable", "Azure Resource Manager answers");
    } else if (after.reachable() == BackendHealth.Status.FALSE) {
      events.warning(vn, after.reason(), after.message());
    }
  }

  /**
   * Takes the node out of service for good: cordons it, deletes the container groups of its pods
   * and the pods, then the Node and its Lease; also any older Node of this VirtualNode (renamed
   * while the operator was down). When ACI is only throttled or flaky it stops before deleting
   * anything in Kubernetes and asks to be retried, so that no container group is orphaned; when ACI
   * is unusable for good (credentials, resource group) it says so in an event and goes on.
   */
  public Decommission decommission() {
    close();
    VirtualNode vn = virtualNode;
    Set<String> names = new LinkedHashSet<>();
    names.add(vn.nodeName());
    for (Node n :
        client
            .nodes()
            .withLabel(NodeFactory.VIRTUAL_NODE_LABEL, vn.getMetadata().getName())
            .list()
            .getItems()) {
      names.add(n.getMetadata().getName());
    }
    LOG.info("decommissioning nodes {} of VirtualNode {}", names, vn.getMetadata().getName());
    for (String name : names) {
      cordonIfOurs(vn, name);
    }
    Optional<Duration> retry = deleteContainerGroups(vn, names);
    if (retry.isPresent()) {
      return new Decommission(false, retry.get());
    }
    int podCount = 0;
    for (String name : names) {
      List<Pod> pods =
          client.pods().inAnyNamespace().withField("spec.nodeName", name).list().getItems();
      for (Pod pod : pods) {
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .withGracePeriod(0)
            .delete();
      }
      podCount += pods.size();
      deleteNodeAndLeaseIfOurs(vn, name);
    }
    LOG.info("nodes {} removed with their Leases and {} pods", names, podCount);
    return new Decommission(true, Duration.ZERO);
  }

  private Optional<Duration> deleteContainerGroups(VirtualNode vn, Set<String> names) {
    try {
      AciBackend aci = backend.get();
      for (var group : aci.list()) {
        if (group.tags() != null && names.contains(group.tags().get(NODE_TAG))) {
          aci.delete(group.name());
        }
      }
      return Optional.empty();
    } catch (AciException e) {
      if (!e.isActionable()) {
        events.warning(
            vn,
            "ContainerGroupCleanupDelayed",
            "deleting the container groups of " + names + " is retried: " + e.getMessage());
        return Optional.of(e.retryAfter().orElse(CLEANUP_RETRY));
      }
      // Unusable for good: the pods and Nodes go anyway, and the user learns what may remain.
      events.warning(
          vn,
          "ContainerGroupCleanupFailed",
          "container groups of " + names + " may remain in ACI: " + e.getMessage());
      return Optional.empty();
    }
  }

  private void cordonIfOurs(VirtualNode vn, String name) {
    try {
      Node node = client.nodes().withName(name).get();
      if (node != null && ours(node, vn)) {
        client
            .nodes()
            .withName(name)
            .edit(n -> new NodeBuilder(n).editSpec().withUnschedulable(true).endSpec().build());
      }
    } catch (KubernetesClientException e) {
      LOG.debug("cordon of {} skipped: {}", name, e.getMessage());
    }
  }

  private void deleteNodeAndLeaseIfOurs(VirtualNode vn, String name) {
    Node node = client.nodes().withName(name).get();
    if (node != null && !ours(node, vn)) {
      LOG.warn("Node {} belongs to someone else: left alone", name);
      return;
    }
    client.nodes().withName(name).delete();
    client.leases().inNamespace(LEASE_NAMESPACE).withName(name).delete();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (heartbeatTask != null) {
      heartbeatTask.cancel(false);
    }
    if (probeTask != null) {
      probeTask.cancel(false);
    }
  }
}
