package io.github.acivirtualnode.operator.reconciler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeStatus;
import io.github.acivirtualnode.operator.EventRecorder;
import io.github.acivirtualnode.operator.OperatorMetrics;
import io.github.acivirtualnode.operator.aci.AciBackendFactory;
import io.github.acivirtualnode.operator.aci.AzureCredentialFactory;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.operator.node.AgentContext;
import io.github.acivirtualnode.operator.node.BackendHealth;
import io.github.acivirtualnode.operator.node.KubeletPorts;
import io.github.acivirtualnode.operator.node.NodeAgent;
import io.github.acivirtualnode.operator.node.NodeFactory;
import io.github.acivirtualnode.operator.observe.GroupObservers;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link NodeAgent} per VirtualNode, publishes what the agents observe as status, and
 * takes the node out of service when the VirtualNode is deleted (JOSDK manages the finalizer). Node
 * events map back to their VirtualNode, so a Node deleted by hand is registered again.
 */
@ControllerConfiguration(
    name = "virtualnode",
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 60, timeUnit = TimeUnit.SECONDS))
public final class VirtualNodeReconciler implements Reconciler<VirtualNode>, Cleaner<VirtualNode> {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualNodeReconciler.class);

  /** Nodes per heartbeat thread: a heartbeat is two or three calls to the API server. */
  static final int NODES_PER_HEARTBEAT_THREAD = 20;

  static final int MAX_HEARTBEAT_THREADS = 32;

  private final KubernetesClient client;
  private final OperatorConfig config;
  private final BackendResolver resolver;
  private final AgentContext agentContext;
  private final Clock clock;
  private final AgentEventSource agentEvents = new AgentEventSource();
  private final Map<String, Managed> agents = new ConcurrentHashMap<>();
  private volatile IndexerResourceCache<VirtualNode> primaryCache;

  /** Whether this replica owns a VirtualNode (sharding); always without sharding. */
  private volatile Predicate<String> owns = name -> true;

  /**
   * Whether its agent's workers may act now: owned and renewed in time; always without sharding.
   */
  private volatile Predicate<String> mayAct = name -> true;

  /** The closing of agents given up, by VirtualNode name, until done. */
  private final Map<String, Future<?>> closing = new ConcurrentHashMap<>();

  /** Agents given up (another replica owns their VirtualNode) close here, never on the caller. */
  private final ExecutorService closer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "agent-closer");
            t.setDaemon(true);
            return t;
          });

  private record Managed(NodeAgent agent, BackendResolver.Resolution resolution) {}

  public VirtualNodeReconciler(
      KubernetesClient client,
      OperatorConfig config,
      AzureCredentialFactory credentials,
      AciBackendFactory backends,
      ScheduledExecutorService heartbeats,
      ScheduledExecutorService probes,
      Clock clock,
      String clusterId,
      OperatorMetrics metrics) {
    this(
        client,
        config,
        credentials,
        backends,
        heartbeats,
        probes,
        clock,
        clusterId,
        metrics,
        KubeletPorts.fixed(config.kubeletPort()));
  }

  /**
   * @param kubeletPorts the kubelet port each Node advertises
   */
  public VirtualNodeReconciler(
      KubernetesClient client,
      OperatorConfig config,
      AzureCredentialFactory credentials,
      AciBackendFactory backends,
      ScheduledExecutorService heartbeats,
      ScheduledExecutorService probes,
      Clock clock,
      String clusterId,
      OperatorMetrics metrics,
      KubeletPorts kubeletPorts) {
    this.client = client;
    this.config = config;
    this.resolver = new BackendResolver(client, config, credentials, backends);
    this.agentContext =
        new AgentContext(
            client,
            config,
            new EventRecorder(client),
            heartbeats,
            probes,
            clock,
            clusterId,
            new GroupObservers(probes, clock, config.pods(), clusterId),
            metrics,
            kubeletPorts,
            name -> this.mayAct.test(name));
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, VirtualNode>> prepareEventSources(
      EventSourceContext<VirtualNode> context) {
    primaryCache = context.getPrimaryCache();
    InformerEventSource<Node, VirtualNode> nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, VirtualNode.class)
                .withName("nodes")
                .withLabelSelector(NodeFactory.VIRTUAL_NODE_LABEL)
                .withSecondaryToPrimaryMapper(
                    node ->
                        Set.of(
                            new ResourceID(
                                node.getMetadata()
                                    .getLabels()
                                    .get(NodeFactory.VIRTUAL_NODE_LABEL))))
                .build(),
            context);
    return List.of(agentEvents, nodes);
  }

  /**
   * Shares the VirtualNodes with other replicas: only those this replica {@code owns} get an agent,
   * a status or a cleanup here, and their agents' workers act only while {@code mayAct} holds
   * (between a late renewal and the next they pause, without the agent being given up).
   */
  public void shareWith(Predicate<String> owns, Predicate<String> mayAct) {
    this.owns = owns;
    this.mayAct = mayAct;
  }

  /** The names of the VirtualNodes in the cache (empty before the operator has started). */
  public Set<String> virtualNodeNames() {
    var cache = primaryCache;
    if (cache == null) {
      return Set.of();
    }
    return cache.list().map(v -> v.getMetadata().getName()).collect(Collectors.toSet());
  }

  /** The VirtualNodes whose agents run here. */
  public Set<String> runningAgents() {
    return Set.copyOf(agents.keySet());
  }

  /** Reconcile the VirtualNode soon (it was just acquired). */
  public void requestReconcile(String name) {
    agentEvents.reconcile(name);
  }

  /**
   * Gives the VirtualNode's agent up as a graceful stop does (Node, Node Lease and container groups
   * stay for the next owner). Returns at once: the agent closes on a thread of its own, its workers
   * having stopped acting already (they check {@code mayAct}, false once not owned).
   */
  public void stopAgent(String name) {
    Managed managed = agents.remove(name);
    if (managed != null) {
      LOG.info("VirtualNode {}: agent stopped, another replica takes it over", name);
      closing.put(name, closer.submit(() -> managed.agent().close()));
    }
  }

  /** Whether an agent of the VirtualNode given up earlier is still closing. */
  private boolean stillClosing(String name) {
    Future<?> f = closing.get(name);
    if (f == null) {
      return false;
    }
    if (f.isDone()) {
      closing.remove(name, f);
      return false;
    }
    return true;
  }

  @Override
  public UpdateControl<VirtualNode> reconcile(VirtualNode vn, Context<VirtualNode> context) {
    String key = vn.getMetadata().getName();
    if (!owns.test(key)) {
      // Another replica's, or not yet ours: its owner reconciles it; ours comes with the Lease.
      stopAgent(key);
      return UpdateControl.noUpdate();
    }
    if (stillClosing(key)) {
      // Ours again before the agent given up has closed: one at a time over the Node and its
      // meters.
      return UpdateControl.<VirtualNode>noUpdate().rescheduleAfter(Duration.ofMillis(500));
    }
    Managed managed = agents.get(key);
    if (managed != null && managed.agent().isClosed()) {
      // The agent of a VirtualNode of this name that went without cleanup: its cleanup is still
      // running. A fresh agent starts once it is done, so the two never race over the Node.
      return UpdateControl.<VirtualNode>noUpdate().rescheduleAfter(Duration.ofSeconds(2));
    }
    BackendResolver.Resolution resolution =
        resolver.resolve(vn, managed == null ? null : managed.resolution());
    Optional<Node> node =
        context.getSecondaryResources(Node.class).stream()
            .filter(n -> vn.nodeName().equals(n.getMetadata().getName()))
            .filter(n -> NodeFactory.belongsTo(n, vn))
            .findFirst();
    NodeAgent agent;
    if (managed == null) {
      agent = newAgent(vn, resolution, initialHealth(node));
      // After an operator restart the Node is already there: no registration gap in status.
      node.ifPresent(agent::adopt);
      agent.start();
    } else {
      agent = managed.agent();
      agent.update(
          vn,
          resolution.backend(),
          !java.util.Objects.equals(resolution.key(), managed.resolution().key()));
      if (node.isEmpty() && agent.registration().registered()) {
        // The Node is gone (deleted by hand): the agent restores it now.
        agent.nodeDeleted();
      }
    }
    agents.put(key, new Managed(agent, resolution));
    if (!owns.test(key)) {
      // Lost while this reconcile ran: never leave an agent running without the Lease.
      stopAgent(key);
      return UpdateControl.noUpdate();
    }
    sizeHeartbeatThreads();
    NodeAgent.Registration registration = agent.registration();
    VirtualNodeStatus status =
        VirtualNodeStatusAggregator.aggregate(
            vn,
            new VirtualNodeStatusAggregator.Observation(
                agent.nodeName(),
                registration.registered(),
                registration.reason(),
                registration.message(),
                registration.appliedGeneration(),
                agent.health(),
                agent.counts().pods(),
                agent.counts().containerGroups()),
            clock.instant());
    if (status.equals(vn.getStatus())) {
      return UpdateControl.noUpdate();
    }
    VirtualNode patch = new VirtualNode();
    patch.setMetadata(new ObjectMetaBuilder().withName(vn.getMetadata().getName()).build());
    patch.setStatus(status);
    return UpdateControl.patchStatus(patch);
  }

  @Override
  public DeleteControl cleanup(VirtualNode vn, Context<VirtualNode> context) {
    String key = vn.getMetadata().getName();
    if (!owns.test(key)) {
      // Its owner takes the node out of service; the finalizer waits for it.
      stopAgent(key);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(5));
    }
    Managed managed = agents.get(key);
    // The agent, and with it the backend it resolved, stays until cleanup is done: a retry must
    // not depend on a credentials Secret that may be deleted together with the VirtualNode.
    if (managed == null) {
      BackendResolver.Resolution resolution = resolver.resolve(vn, null);
      managed =
          new Managed(
              newAgent(
                  vn,
                  resolution,
                  BackendHealth.awaitingFirstProbe(
                      config.actionableFailureThreshold(), clock.instant())),
              resolution);
      agents.put(key, managed);
    }
    if (!managed.resolution().usable()) {
      // No usable backend (a restarted operator whose credentials Secret went with the
      // VirtualNode): read again on every attempt, in case the Secret comes back.
      BackendResolver.Resolution again = resolver.resolve(vn, managed.resolution());
      if (again != managed.resolution()) {
        managed.agent().close();
        managed =
            new Managed(
                newAgent(
                    vn,
                    again,
                    BackendHealth.awaitingFirstProbe(
                        config.actionableFailureThreshold(), clock.instant())),
                again);
        agents.put(key, managed);
      }
    }
    NodeAgent.Decommission result = managed.agent().decommission();
    if (!result.done()) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(result.retryAfter());
    }
    agents.remove(key, managed);
    return DeleteControl.defaultDelete();
  }

  /**
   * The agent found its VirtualNode gone without cleanup (finalizer removed by hand). Called on a
   * heartbeat thread, so the cleanup, which waits on ARM, runs on the probe threads, retried while
   * ACI asks for it; the agent leaves the map only when it is done.
   */
  private void goneWithoutCleanup(String key) {
    Managed managed = agents.get(key);
    if (managed != null) {
      agentContext.probes().execute(() -> cleanUpGone(key, managed));
    }
  }

  private void cleanUpGone(String key, Managed managed) {
    if (agents.get(key) != managed) {
      return; // stopped meanwhile
    }
    if (stillExists(key)) {
      // Created again under the same name: its reconcile starts a fresh agent, which takes over.
      agents.remove(key, managed);
      agentEvents.reconcile(key);
      return;
    }
    NodeAgent.Decommission result;
    try {
      result = managed.agent().decommission();
    } catch (RuntimeException e) {
      LOG.warn("cleanup of VirtualNode {} failed, retrying: {}", key, e.toString());
      result = new NodeAgent.Decommission(false, Duration.ofSeconds(10));
    }
    if (result.done()) {
      agents.remove(key, managed);
      agentEvents.reconcile(key);
    } else {
      agentContext
          .probes()
          .schedule(
              () -> cleanUpGone(key, managed),
              result.retryAfter().toMillis(),
              TimeUnit.MILLISECONDS);
    }
  }

  /** Heartbeat threads grow with the number of nodes, so that Lease renewals never queue up. */
  private void sizeHeartbeatThreads() {
    if (agentContext.heartbeats() instanceof ScheduledThreadPoolExecutor pool) {
      int needed = (agents.size() + NODES_PER_HEARTBEAT_THREAD - 1) / NODES_PER_HEARTBEAT_THREAD;
      int wanted = Math.min(MAX_HEARTBEAT_THREADS, Math.max(2, needed));
      if (pool.getCorePoolSize() < wanted) {
        pool.setCorePoolSize(wanted);
      }
    }
  }

  private NodeAgent newAgent(
      VirtualNode vn, BackendResolver.Resolution resolution, BackendHealth health) {
    String key = vn.getMetadata().getName();
    return new NodeAgent(
        agentContext,
        vn,
        resolution.backend(),
        health,
        () -> agentEvents.reconcile(key),
        () -> stillExists(key),
        () -> goneWithoutCleanup(key));
  }

  /**
   * Whether the VirtualNode still exists. JOSDK's cache answers the common case for free; its
   * "gone" is confirmed by the API server, because a cache that is stopping or not yet synced also
   * says "gone", and acting on that would delete a live Node.
   */
  private boolean stillExists(String name) {
    var cache = primaryCache;
    if (cache != null && cache.get(new ResourceID(name)).isPresent()) {
      return true;
    }
    try {
      return client.resources(VirtualNode.class).withName(name).get() != null;
    } catch (RuntimeException e) {
      return true; // unsure: keep the node
    }
  }

  /**
   * The backend of a Node that one of this operator's agents has registered, for the kubelet API;
   * empty for any other Node (someone else's of the same name included).
   */
  public Optional<java.util.function.Supplier<io.github.acivirtualnode.operator.aci.AciBackend>>
      backendOfNode(String nodeName) {
    for (Managed m : agents.values()) {
      NodeAgent agent = m.agent();
      if (!agent.isClosed()
          && agent.nodeName().equals(nodeName)
          && agent.registration().registered()) {
        return Optional.of(m.resolution().backend());
      }
    }
    return Optional.empty();
  }

  /** When each running agent's heartbeat last started, by Node name: for liveness. */
  public Map<String, Instant> lastHeartbeats() {
    Map<String, Instant> out = new HashMap<>();
    for (Managed m : agents.values()) {
      NodeAgent agent = m.agent();
      Instant last = agent.lastHeartbeat();
      if (!agent.isClosed() && last != null) {
        out.put(agent.nodeName(), last);
      }
    }
    return out;
  }

  /** Stops every agent without touching Nodes: used when the operator shuts down. */
  public void stopAgents() {
    agents.values().forEach(m -> m.agent().close());
    agents.clear();
  }

  /** Stops the agents and the thread that closes given-up ones, waiting briefly for it. */
  public void close() {
    stopAgents();
    closer.shutdown();
    try {
      closer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A new agent is NotReady until its first probe succeeds, except after an operator restart: then
   * the Node keeps what it said (Ready, or NotReady for an actionable reason) until a probe says
   * otherwise, so that a restart flaps nothing.
   */
  private BackendHealth initialHealth(Optional<Node> node) {
    int threshold = config.actionableFailureThreshold();
    Optional<NodeCondition> ready =
        node.map(Node::getStatus)
            .map(NodeStatus::getConditions)
            .flatMap(cs -> cs.stream().filter(c -> "Ready".equals(c.getType())).findFirst());
    if (ready.isPresent() && "True".equals(ready.get().getStatus())) {
      return BackendHealth.resumeReady(threshold, clock.instant());
    }
    if (ready.isPresent()
        && "False".equals(ready.get().getStatus())
        && ready.get().getReason() != null
        && !BackendHealth.AWAITING_PROBE.equals(ready.get().getReason())) {
      return BackendHealth.resumeNotReady(
          threshold,
          ready.get().getReason(),
          NodeFactory.backendMessage(ready.get().getMessage()),
          clock.instant());
    }
    return BackendHealth.awaitingFirstProbe(threshold, clock.instant());
  }
}
