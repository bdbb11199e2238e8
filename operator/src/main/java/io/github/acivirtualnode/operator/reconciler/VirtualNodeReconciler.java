package io.github.acivirtualnode.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeStatus;
import io.github.acivirtualnode.operator.EventRecorder;
import io.github.acivirtualnode.operator.aci.AciBackendFactory;
import io.github.acivirtualnode.operator.aci.AzureCredentialFactory;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.operator.node.BackendHealth;
import io.github.acivirtualnode.operator.node.NodeAgent;
import io.github.acivirtualnode.operator.node.NodeFactory;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
  private final KubernetesClient client;
  private final OperatorConfig config;
  private final BackendResolver resolver;
  private final EventRecorder events;
  private final ScheduledExecutorService heartbeats;
  private final ScheduledExecutorService probes;
  private final Clock clock;
  private final AgentEventSource agentEvents = new AgentEventSource();
  private final Map<String, Managed> agents = new ConcurrentHashMap<>();
  private volatile IndexerResourceCache<VirtualNode> primaryCache;

  private record Managed(NodeAgent agent, BackendResolver.Resolution resolution) {}

  public VirtualNodeReconciler(
      KubernetesClient client,
      OperatorConfig config,
      AzureCredentialFactory credentials,
      AciBackendFactory backends,
      ScheduledExecutorService heartbeats,
      ScheduledExecutorService probes,
      Clock clock) {
    this.client = client;
    this.config = config;
    this.resolver = new BackendResolver(client, config.namespace(), credentials, backends);
    this.events = new EventRecorder(client);
    this.heartbeats = heartbeats;
    this.probes = probes;
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

  @Override
  public UpdateControl<VirtualNode> reconcile(VirtualNode vn, Context<VirtualNode> context) {
    String key = vn.getMetadata().getName();
    Managed managed = agents.get(key);
    BackendResolver.Resolution resolution =
        resolver.resolve(vn, managed == null ? null : managed.resolution());
    Optional<Node> node =
        context.getSecondaryResources(Node.class).stream()
            .filter(n -> vn.nodeName().equals(n.getMetadata().getName()))
            .findFirst();
    NodeAgent agent;
    if (managed == null) {
      agent = newAgent(vn, resolution, () -> agentEvents.reconcile(key));
      // After an operator restart the Node is already there: no registration gap in status.
      node.ifPresent(agent::adopt);
      agent.start();
    } else {
      agent = managed.agent();
      agent.update(vn, resolution.backend());
      if (node.isEmpty() && agent.registration().registered()) {
        // The Node is gone (deleted by hand): the agent restores it now.
        agent.nodeDeleted();
      }
    }
    agents.put(key, new Managed(agent, resolution));
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
    Managed managed = agents.get(key);
    // The agent, and with it the backend it resolved, stays until cleanup is done: a retry must
    // not depend on a credentials Secret that may be deleted together with the VirtualNode.
    if (managed == null) {
      BackendResolver.Resolution resolution = resolver.resolve(vn, null);
      managed = new Managed(newAgent(vn, resolution, () -> {}), resolution);
      agents.put(key, managed);
    }
    NodeAgent.Decommission result = managed.agent().decommission();
    if (!result.done()) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(result.retryAfter());
    }
    agents.remove(key);
    return DeleteControl.defaultDelete();
  }

  private NodeAgent newAgent(
      VirtualNode vn, BackendResolver.Resolution resolution, Runnable onStatusChange) {
    return new NodeAgent(
        client,
        config,
        events,
        heartbeats,
        probes,
        onStatusChange,
        () -> stillExists(vn.getMetadata().getName()),
        clock,
        vn,
        resolution.backend(),
        initialHealth(vn));
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

  /** Stops every agent without touching Nodes: used when the operator shuts down. */
  public void stopAgents() {
    agents.values().forEach(m -> m.agent().close());
    agents.clear();
  }

  /**
   * An operator restart must not flap the node: a NotReady reported before the restart stands until
   * a probe says otherwise.
   */
  private BackendHealth initialHealth(VirtualNode vn) {
    if (vn.getStatus() != null) {
      for (Condition c : vn.getStatus().getConditions()) {
        if (VirtualNodeStatusAggregator.READY.equals(c.getType())
            && "False".equals(c.getStatus())
            && !Set.of("NodeNotRegistered", "NodeApplyFailed", "NodeNameConflict")
                .contains(c.getReason())) {
          return BackendHealth.resumeNotReady(
              config.actionableFailureThreshold(), c.getReason(), c.getMessage(), clock.instant());
        }
      }
    }
    return new BackendHealth(config.actionableFailureThreshold(), clock.instant());
  }
}
