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
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet emulation of one VirtualNode: registers its Node, renews its Lease, posts node status
 * as a kubelet does, and probes the ACI backend to decide readiness. Runs on a scheduler shared by
 * all agents; every periodic task catches its own failures so it keeps running.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  static final String FIELD_MANAGER = "aci-virtual-node";
  public static final String LEASE_NAMESPACE = "kube-node-lease";

  /** Tag on container groups naming the Node whose pod they run. */
  public static final String NODE_TAG = "k8s-virtual-node";

  /** A kubelet re-posts unchanged status at this interval so heartbeat times stay fresh. */
  private static final Duration STATUS_REPORT_INTERVAL = Duration.ofMinutes(1);

  private final KubernetesClient client;
  private final OperatorConfig config;
  private final EventRecorder events;
  private final ScheduledExecutorService scheduler;
  private final Runnable onStatusChange;
  private final Clock clock;
  private final BackendHealth health;

  private volatile VirtualNode virtualNode;
  private volatile Supplier<AciBackend> backend;
  private volatile Counts counts = new Counts(0, 0);
  private Long appliedGeneration;
  private volatile String appliedNodeName;
  private Instant lastStatusReport = Instant.EPOCH;

  /** Set once by close(); a heartbeat queued before it must not register the Node again. */
  private boolean closed;

  private ScheduledFuture<?> heartbeatTask;
  private ScheduledFuture<?> probeTask;

  /** Pods bound to the node and container groups tagged for it, as last counted. */
  public record Counts(int pods, int containerGroups) {}

  /**
   * @param backend gives the backend, or throws an {@link AciException} saying why there is none
   *     (for instance a missing credentials Secret)
   */
  public NodeAgent(
      KubernetesClient client,
      OperatorConfig config,
      EventRecorder events,
      ScheduledExecutorService scheduler,
      Runnable onStatusChange,
      Clock clock,
      VirtualNode virtualNode,
      Supplier<AciBackend> backend,
      BackendHealth health) {
    this.client = client;
    this.config = config;
    this.events = events;
    this.scheduler = scheduler;
    this.onStatusChange = onStatusChange;
    this.clock = clock;
    this.virtualNode = virtualNode;
    this.backend = backend;
    this.health = health;
  }

  public synchronized void start() {
    heartbeatTask =
        scheduler.scheduleWithFixedDelay(
            this::heartbeat, 0, config.leaseRenewInterval().toMillis(), TimeUnit.MILLISECONDS);
    probeTask =
        scheduler.scheduleWithFixedDelay(
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
      scheduler.execute(this::heartbeat);
    }
    if (backendChanged) {
      scheduler.execute(this::probe);
    }
  }

  /** The Node was seen deleted: register it again now rather than at the next heartbeat. */
  public void nodeDeleted() {
    scheduler.execute(this::heartbeat);
  }

  public BackendHealth.Snapshot health() {
    return health.current();
  }

  public Counts counts() {
    return counts;
  }

  /** Whether the Node has been registered under the current name. */
  public boolean registered() {
    return appliedNodeName != null && appliedNodeName.equals(virtualNode.nodeName());
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
    try {
      Node node = ensureNode(vn);
      postStatusIfDue(vn, node);
      renewLease(vn.nodeName(), node);
    } catch (KubernetesClientException e) {
      LOG.warn("heartbeat of node {} failed: {}", vn.nodeName(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("heartbeat of node {} failed", vn.nodeName(), e);
    }
  }

  private Node ensureNode(VirtualNode vn) {
    String name = vn.nodeName();
    if (appliedNodeName != null && !appliedNodeName.equals(name)) {
      // Renamed: the old Node goes, so that the scheduler does not keep using it.
      deleteNodeAndLease(appliedNodeName);
      events.normal(vn, "NodeRenamed", "Node " + appliedNodeName + " replaced by " + name);
      appliedNodeName = null;
    }
    Node existing = client.nodes().withName(name).get();
    boolean specChanged = !Objects.equals(appliedGeneration, vn.getMetadata().getGeneration());
    if (existing != null && !specChanged && name.equals(appliedNodeName)) {
      return existing;
    }
    Node applied =
        client
            .nodes()
            .resource(NodeFactory.desiredNode(vn))
            .fieldManager(FIELD_MANAGER)
            .forceConflicts()
            .serverSideApply();
    if (existing == null) {
      boolean again = name.equals(appliedNodeName);
      events.normal(
          vn,
          again ? "NodeReRegistered" : "NodeRegistered",
          (again
              ? "Node " + name + " was deleted and is registered again"
              : "Node " + name + " registered"));
      lastStatusReport = Instant.EPOCH;
    } else if (specChanged && name.equals(appliedNodeName)) {
      events.normal(vn, "NodeUpdated", "labels, taints and capacity applied to Node " + name);
      lastStatusReport = Instant.EPOCH;
    }
    appliedNodeName = name;
    appliedGeneration = vn.getMetadata().getGeneration();
    return applied;
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
            || !Objects.equals(current.getAddresses(), desired.getAddresses())
            || !Objects.equals(current.getDaemonEndpoints(), desired.getDaemonEndpoints());
    if (!changed && Duration.between(lastStatusReport, now).compareTo(STATUS_REPORT_INTERVAL) < 0) {
      return;
    }
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(vn.nodeName())
                .endMetadata()
                .withStatus(desired)
                .build())
        .patchStatus();
    lastStatusReport = now;
  }

  private void renewLease(String name, Node node) {
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(LEASE_NAMESPACE)
            .addNewOwnerReference()
            .withApiVersion("v1")
            .withKind("Node")
            .withName(name)
            .withUid(node.getMetadata().getUid())
            .endOwnerReference()
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(name)
            .withLeaseDurationSeconds(40)
            .withRenewTime(
                ZonedDateTime.ofInstant(
                    clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC))
            .endSpec()
            .build();
    client.leases().resource(lease).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  /** Probes the backend and counts pods and container groups; reports changes at once. */
  void probe() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    VirtualNode vn = virtualNode;
    BackendHealth.Snapshot before = health.current();
    BackendHealth.Snapshot after;
    int groups = counts.containerGroups();
    try {
      AciBackend aci = backend.get();
      groups =
          (int)
              aci.list().stream()
                  .filter(g -> g.tags() != null && vn.nodeName().equals(g.tags().get(NODE_TAG)))
                  .count();
      after = health.recordSuccess(clock.instant());
    } catch (AciException e) {
      after = health.recordFailure(e, clock.instant());
    } catch (RuntimeException e) {
      LOG.error("probe of the ACI backend of {} failed unexpectedly", vn.nodeName(), e);
      after =
          health.recordFailure(
              new AciException(
                  AciException.Kind.TRANSIENT, "ProbeFailed", 0, e.toString(), null, e),
              clock.instant());
    }
    int pods = countPods(vn.nodeName(), counts.pods());
    Counts newCounts = new Counts(pods, groups);
    boolean healthChanged =
        before.reachable() != after.reachable()
            || before.ready() != after.ready()
            || !before.reason().equals(after.reason());
    if (healthChanged) {
      reportHealthChange(vn, before, after);
      scheduler.execute(this::heartbeat);
    }
    if (healthChanged || !newCounts.equals(counts)) {
      counts = newCounts;
      onStatusChange.run();
    }
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
   * and the pods, then the Node and its Lease.
   */
  public void decommission() {
    close();
    VirtualNode vn = virtualNode;
    String name = vn.nodeName();
    LOG.info("decommissioning node {} of VirtualNode {}", name, vn.getMetadata().getName());
    try {
      client
          .nodes()
          .withName(name)
          .edit(n -> new NodeBuilder(n).editSpec().withUnschedulable(true).endSpec().build());
    } catch (KubernetesClientException e) {
      LOG.debug("cordon of {} skipped: {}", name, e.getMessage());
    }
    try {
      AciBackend aci = backend.get();
      aci.list().stream()
          .filter(g -> g.tags() != null && name.equals(g.tags().get(NODE_TAG)))
          .forEach(g -> aci.delete(g.name()));
    } catch (AciException e) {
      // The pods go anyway; their groups are left behind only when ACI is unusable, say so.
      events.warning(
          vn,
          "ContainerGroupCleanupFailed",
          "container groups of " + name + " may remain: " + e.getMessage());
    }
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
    deleteNodeAndLease(name);
    LOG.info("node {} removed with its Lease and {} pods", name, pods.size());
  }

  private void deleteNodeAndLease(String name) {
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
