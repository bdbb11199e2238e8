package io.github.acivirtualnode.operator.node;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.operator.EventRecorder;
import io.github.acivirtualnode.operator.OperatorMetrics;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.operator.observe.GroupObservers;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

/**
 * What every node agent of one operator shares.
 *
 * @param heartbeats threads that talk only to the Kubernetes API (Lease, Node, status)
 * @param probes threads that may wait on ARM (probes, container-group cleanup)
 * @param clusterId this cluster's identity (the kube-system namespace's UID), tagged on every
 *     container group so that clusters sharing a resource group never touch each other's groups
 * @param observers the container-group observers the node agents share, one per resource group
 * @param metrics the operator's meters
 * @param kubeletPorts the kubelet port each Node advertises
 * @param mayAct whether this replica may act for a VirtualNode, by name, at this moment (sharding:
 *     it holds the VirtualNode's Lease and renewed it in time); checked by the agents' workers
 */
public record AgentContext(
    KubernetesClient client,
    OperatorConfig config,
    EventRecorder events,
    ScheduledExecutorService heartbeats,
    ScheduledExecutorService probes,
    Clock clock,
    String clusterId,
    GroupObservers observers,
    OperatorMetrics metrics,
    KubeletPorts kubeletPorts,
    Predicate<String> mayAct) {

  /** A context of a replica that owns every VirtualNode (no sharding). */
  public AgentContext(
      KubernetesClient client,
      OperatorConfig config,
      EventRecorder events,
      ScheduledExecutorService heartbeats,
      ScheduledExecutorService probes,
      Clock clock,
      String clusterId,
      GroupObservers observers,
      OperatorMetrics metrics,
      KubeletPorts kubeletPorts) {
    this(
        client,
        config,
        events,
        heartbeats,
        probes,
        clock,
        clusterId,
        observers,
        metrics,
        kubeletPorts,
        name -> true);
  }

  /** A context whose observers run on the probe threads, every Node on the configured port. */
  public AgentContext(
      KubernetesClient client,
      OperatorConfig config,
      EventRecorder events,
      ScheduledExecutorService heartbeats,
      ScheduledExecutorService probes,
      Clock clock,
      String clusterId,
      OperatorMetrics metrics) {
    this(
        client,
        config,
        events,
        heartbeats,
        probes,
        clock,
        clusterId,
        metrics,
        KubeletPorts.fixed(config.kubeletPort()));
  }

  /** A context whose observers run on the probe threads. */
  public AgentContext(
      KubernetesClient client,
      OperatorConfig config,
      EventRecorder events,
      ScheduledExecutorService heartbeats,
      ScheduledExecutorService probes,
      Clock clock,
      String clusterId,
      OperatorMetrics metrics,
      KubeletPorts kubeletPorts) {
    this(
        client,
        config,
        events,
        heartbeats,
        probes,
        clock,
        clusterId,
        new GroupObservers(probes, clock, config.pods(), clusterId),
        metrics,
        kubeletPorts);
  }
}
