package io.github.acivirtualnode.operator.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.operator.LogContext;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciException;
import io.github.acivirtualnode.operator.pod.PodController;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet emulation of one VirtualNode. It wires what a kubelet does for its Node: the
 * registration ({@link NodeRegistrar}), the Lease ({@link LeaseRenewer}), node status ({@link
 * NodeStatusReporter}), backend probes ({@link BackendProbe}), decommissioning ({@link
 * NodeDecommissioner}) and the node's pods ({@link PodController}).
 *
 * <p>Heartbeats talk only to the Kubernetes API and run on their own threads, so that a slow or
 * unreachable ARM (probes and cleanup wait on it) can never delay a Lease renewal and get pods
 * evicted. Every scheduled body catches everything it throws: a scheduled task that throws is never
 * run again.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  static final String FIELD_MANAGER = "aci-virtual-node";
  public static final String LEASE_NAMESPACE = "kube-node-lease";

  private final AgentContext ctx;
  private final BooleanSupplier stillWanted;
  private final Runnable onGone;
  private final BackendHealth health;
  private final NodeRegistrar registrar;
  private final LeaseRenewer lease;
  private final NodeStatusReporter status;
  private final BackendProbe prober;
  private final NodeDecommissioner decommissioner;
  private volatile PodController pods;
  private final ReentrantLock probeLock = new ReentrantLock();

  private volatile VirtualNode virtualNode;
  private volatile Supplier<AciBackend> backend;

  /** Set once by close(); a heartbeat queued before it must not register the Node again. */
  private boolean closed;

  private ScheduledFuture<?> heartbeatTask;

  /** When the last heartbeat started: a liveness signal (a stuck pool stops moving it). */
  private volatile Instant lastHeartbeat;

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
   * @param stillWanted whether the VirtualNode still exists (asked on heartbeat threads)
   * @param onGone called once, on a heartbeat thread, when the VirtualNode went without cleanup;
   *     the agent is closed by then, and the caller decommissions it elsewhere
   */
  public NodeAgent(
      AgentContext ctx,
      VirtualNode virtualNode,
      Supplier<AciBackend> backend,
      BackendHealth health,
      Runnable onStatusChange,
      BooleanSupplier stillWanted,
      Runnable onGone) {
    this.ctx = ctx;
    this.virtualNode = virtualNode;
    this.backend = backend;
    this.health = health;
    this.stillWanted = stillWanted;
    this.onGone = onGone;
    this.registrar = new NodeRegistrar(ctx, onStatusChange);
    this.lease = new LeaseRenewer(ctx);
    this.status = new NodeStatusReporter(ctx);
    this.prober =
        new BackendProbe(
            ctx,
            health,
            registrar,
            onStatusChange,
            () -> ctx.heartbeats().execute(this::heartbeat),
            () -> this.pods.backendRecovered(),
            () -> this.pods.boundPods());
    this.decommissioner = new NodeDecommissioner(ctx);
    this.pods = newPods(virtualNode);
  }

  private PodController newPods(VirtualNode vn) {
    String name = vn.getMetadata().getName();
    // Pod workers act only while this replica may act for the VirtualNode (sharding).
    return new PodController(
        ctx,
        vn,
        () -> this.virtualNode,
        () -> this.backend.get(),
        () -> ctx.mayAct().test(name) ? registrar.ownedNames() : Set.of());
  }

  /**
   * An existing Node of this VirtualNode, seen in the cache when the agent starts (after an
   * operator restart): it counts as registered at once, so status does not flap.
   */
  public void adopt(Node existing) {
    registrar.adopt(existing);
  }

  public synchronized void start() {
    lastHeartbeat = ctx.clock().instant();
    heartbeatTask =
        ctx.heartbeats()
            .scheduleWithFixedDelay(
                this::heartbeat,
                0,
                ctx.config().leaseRenewInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    probeTask =
        ctx.probes()
            .scheduleWithFixedDelay(
                this::probe,
                0,
                ctx.config().healthProbeInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    pods.start();
  }

  /**
   * Hands over the latest VirtualNode and backend. A new spec is applied at once; a new backend is
   * probed at once only when what it was resolved from changed (credentials, endpoint), so that
   * reconciles do not bypass the probe interval and its failure threshold.
   */
  public void update(VirtualNode updated, Supplier<AciBackend> updatedBackend, boolean probeNow) {
    VirtualNode previous = this.virtualNode;
    boolean specChanged =
        !Objects.equals(
            previous.getMetadata().getGeneration(), updated.getMetadata().getGeneration());
    this.virtualNode = updated;
    this.backend = updatedBackend;
    if (specChanged) {
      ctx.heartbeats().execute(this::heartbeat);
    }
    if (probeNow) {
      ctx.probes().execute(this::probe);
    }
    restartPodsIfMoved(updated);
  }

  /** A renamed Node, or another resource group: the pods are handled afresh under the new ones. */
  private synchronized void restartPodsIfMoved(VirtualNode updated) {
    if (!closed && pods.outdatedBy(updated)) {
      pods.close();
      pods = newPods(updated);
      pods.start();
    }
  }

  /** The Node was seen deleted: register it again now rather than at the next heartbeat. */
  public void nodeDeleted() {
    ctx.heartbeats().execute(this::heartbeat);
  }

  public BackendHealth.Snapshot health() {
    return health.current();
  }

  public Counts counts() {
    return prober.counts();
  }

  public Registration registration() {
    return registrar.registration(virtualNode);
  }

  public String nodeName() {
    return virtualNode.nodeName();
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  /** When the last heartbeat started (the agent's start before the first). */
  public Instant lastHeartbeat() {
    return lastHeartbeat;
  }

  /** Renews the Lease, then registers or re-registers the Node and posts status when due. */
  synchronized void heartbeat() {
    LogContext.inNode(nodeName(), this::renewAndReport);
  }

  private void renewAndReport() {
    if (closed || !ctx.mayAct().test(virtualNode.getMetadata().getName())) {
      // Closed, or about to be: another replica owns the VirtualNode now (sharding).
      return;
    }
    Instant now = ctx.clock().instant();
    // A scheduled renewal comes an interval after the previous one started; later is lag. An
    // extra, early heartbeat (a spec change, a deleted Node) is not a renewal on schedule.
    Instant previous = lastHeartbeat;
    Duration interval = ctx.config().leaseRenewInterval();
    Duration late = previous == null ? null : Duration.between(previous, now).minus(interval);
    if (late != null && !late.isNegative()) {
      ctx.metrics().leaseRenewalLag(late);
    }
    lastHeartbeat = now;
    VirtualNode vn = virtualNode;
    if (!stillWanted.getAsBoolean()) {
      // The VirtualNode went without cleanup (its finalizer removed by hand). Cleanup waits on
      // ARM, so it is not done here: the owner does it on another thread.
      LOG.warn("VirtualNode {} is gone without cleanup", vn.getMetadata().getName());
      close();
      onGone.run();
      return;
    }
    // First, so that nothing slower (a Node GET, an apply, a status PUT) delays it. The Lease of
    // a Node that is ours is renewed even when applying a spec change fails: a bad edit must not
    // get the node's pods evicted.
    String renewed = registrar.leaseHolder();
    renewLease(renewed);
    Node node = null;
    try {
      node = registrar.ensure(vn);
    } catch (KubernetesClientException e) {
      registrar.failed(vn, "NodeApplyFailed", "the API server refused the Node: " + e.getMessage());
    } catch (Throwable e) {
      LOG.error("registration of node {} failed", vn.nodeName(), e);
    }
    String holder = registrar.leaseHolder();
    if (holder != null && !holder.equals(renewed)) {
      status.reportNext();
      renewLease(holder); // registered (or renamed) just now
    }
    if (node != null) {
      try {
        status.postIfDue(vn, node, health.current());
      } catch (Throwable e) {
        LOG.warn("status of node {} not posted: {}", vn.nodeName(), e.toString());
      }
    }
  }

  private void renewLease(String name) {
    if (name == null) {
      return;
    }
    try {
      lease.renew(name, registrar.nodeUid());
    } catch (Throwable e) {
      LOG.warn("Lease of node {} not renewed: {}", name, e.toString());
    }
  }

  /** Probes the backend and counts pods and container groups; reports changes at once. */
  void probe() {
    LogContext.inNode(nodeName(), this::probeNow);
  }

  private void probeNow() {
    // One probe at a time per agent: a probe brought forward must not race the periodic one.
    if (!probeLock.tryLock()) {
      return;
    }
    try {
      if (isClosed()) {
        return;
      }
      prober.probe(virtualNode, backend);
    } catch (Throwable e) {
      LOG.error("probe of node {} failed unexpectedly", virtualNode.nodeName(), e);
    } finally {
      probeLock.unlock();
    }
  }

  /**
   * Stops the agent and takes its Nodes out of service for good (see {@link NodeDecommissioner}).
   * Waits on ARM: call it from the reconciler or the probe threads, never from a heartbeat.
   */
  public Decommission decommission() {
    close();
    return decommissioner.decommission(virtualNode, backend, registrar.retiredNames());
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
    pods.close();
    ctx.kubeletPorts().release(virtualNode.getMetadata().getName());
  }
}
