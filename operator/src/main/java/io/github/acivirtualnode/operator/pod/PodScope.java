package io.github.acivirtualnode.operator.pod;

import com.azure.resourcemanager.containerinstance.models.ContainerGroupPriority;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupSku;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.github.acivirtualnode.api.v1alpha1.AzureSettings;
import io.github.acivirtualnode.api.v1alpha1.OperatingSystem;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.node.AgentContext;
import io.github.acivirtualnode.operator.observe.GroupObservers;
import io.github.acivirtualnode.operator.translation.NodeContext;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the parts of one node's {@link PodController} share: the agent's context, the node, its
 * backend, the observer subscription (there once the controller has started), and the one way pod
 * status is written.
 */
final class PodScope {
  private final AgentContext ctx;
  private final String nodeName;
  private final Supplier<VirtualNode> virtualNode;
  private final Supplier<AciBackend> backend;
  private volatile GroupObservers.Subscription subscription;

  PodScope(
      AgentContext ctx,
      String nodeName,
      Supplier<VirtualNode> virtualNode,
      Supplier<AciBackend> backend) {
    this.ctx = ctx;
    this.nodeName = nodeName;
    this.virtualNode = virtualNode;
    this.backend = backend;
  }

  AgentContext ctx() {
    return ctx;
  }

  String nodeName() {
    return nodeName;
  }

  /** The node's backend now; throws an AciException saying why there is none. */
  AciBackend backend() {
    return backend.get();
  }

  Supplier<AciBackend> backendSupplier() {
    return backend;
  }

  GroupObservers.Subscription subscription() {
    return subscription;
  }

  void subscription(GroupObservers.Subscription subscription) {
    this.subscription = subscription;
  }

  Instant now() {
    return ctx.clock().instant();
  }

  /**
   * The node as the translation sees it, from the latest VirtualNode (region, OS, VNet subnets, the
   * default priority and SKU of its groups).
   */
  NodeContext nodeContext() {
    VirtualNode vn = virtualNode.get();
    OperatingSystemTypes os =
        vn.getSpec().getOs() == OperatingSystem.Windows
            ? OperatingSystemTypes.WINDOWS
            : OperatingSystemTypes.LINUX;
    var azure = vn.getSpec().getAzure();
    return NodeContext.of(
            os, azure.getRegion(), ctx.clusterId(), nodeName, ctx.config().nodeAddress())
        .withGroupDefaults(groupDefaults(azure))
        .withSubnetIds(azure.getSubnetIds() == null ? List.of() : azure.getSubnetIds());
  }

  /** A VirtualNode's priority and SKU for its groups, as ACI's values (null: ACI's default). */
  static NodeContext.GroupDefaults groupDefaults(AzureSettings azure) {
    return new NodeContext.GroupDefaults(
        azure.getPriority() == null
            ? null
            : ContainerGroupPriority.fromString(azure.getPriority().name()),
        azure.getSku() == null ? null : ContainerGroupSku.fromString(azure.getSku().name()));
  }

  /** Writes the status through the status subresource, only when it changed. */
  void writeStatus(Pod pod, PodStatus status) {
    var json = ctx.client().getKubernetesSerialization();
    if (pod.getStatus() != null && json.asJson(pod.getStatus()).equals(json.asJson(status))) {
      return;
    }
    ctx.client()
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .resource(new PodBuilder(pod).withStatus(status).build())
        .updateStatus();
  }
}
