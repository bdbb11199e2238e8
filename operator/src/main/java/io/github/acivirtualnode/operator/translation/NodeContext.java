package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.models.ContainerGroupIpAddressType;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupPriority;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupSku;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What the translation needs to know about the virtual node a pod is bound to.
 *
 * @param osType the node's OS: every group of the node gets it
 * @param region the Azure region the node's groups are created in (the group's location)
 * @param clusterId the cluster's identity (the kube-system namespace UID), tagged on every group
 * @param nodeName the Node's name, tagged on every group
 * @param hostIp the Node's InternalIP: a pod's {@code status.hostIP} and the value of a {@code
 *     status.hostIP} field reference; may be null when the node has none
 * @param subnetIds the VNet subnets the node's groups join (a VirtualNode's spec.azure.subnetIds):
 *     a group in a VNet gets a private IP, one outside a public IP
 * @param defaults the resources a container without requests or limits gets
 * @param groupDefaults the priority and SKU of the node's groups unless a pod's annotation says
 */
public record NodeContext(
    OperatingSystemTypes osType,
    String region,
    String clusterId,
    String nodeName,
    String hostIp,
    List<String> subnetIds,
    ResourceDefaults defaults,
    GroupDefaults groupDefaults) {

  public NodeContext {
    Objects.requireNonNull(osType, "osType");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(nodeName, "nodeName");
    subnetIds = List.copyOf(subnetIds);
    Objects.requireNonNull(defaults, "defaults");
    Objects.requireNonNull(groupDefaults, "groupDefaults");
  }

  /** This node with other group defaults (a VirtualNode's spec.azure.priority and sku). */
  public NodeContext withGroupDefaults(GroupDefaults groupDefaults) {
    return new NodeContext(
        osType, region, clusterId, nodeName, hostIp, subnetIds, defaults, groupDefaults);
  }

  /** This node in the VNet of these subnets (none: outside any VNet). */
  public NodeContext withSubnetIds(List<String> subnetIds) {
    return new NodeContext(
        osType, region, clusterId, nodeName, hostIp, subnetIds, defaults, groupDefaults);
  }

  /** Whether the node's groups join a VNet. */
  public boolean inVnet() {
    return !subnetIds.isEmpty();
  }

  /** The kind of IP a group that exposes ports gets by default: Private in a VNet, else Public. */
  public ContainerGroupIpAddressType ipAddressType() {
    return inVnet() ? ContainerGroupIpAddressType.PRIVATE : ContainerGroupIpAddressType.PUBLIC;
  }

  /** A node outside any VNet, with ACI's default resources and group settings. */
  public static NodeContext of(
      OperatingSystemTypes osType,
      String region,
      String clusterId,
      String nodeName,
      String hostIp) {
    return new NodeContext(
        osType,
        region,
        clusterId,
        nodeName,
        hostIp,
        List.of(),
        ResourceDefaults.ACI,
        GroupDefaults.ACI);
  }

  /**
   * The priority and SKU of a node's groups, each null for ACI's own default (Regular, Standard).
   */
  public record GroupDefaults(ContainerGroupPriority priority, ContainerGroupSku sku) {
    /** ACI's defaults: neither is sent. */
    public static final GroupDefaults ACI = new GroupDefaults(null, null);
  }

  /**
   * Resources for a container that asks for none: ACI needs a request for every container.
   *
   * @param cpu CPU cores (ACI's own default is 1)
   * @param memoryInGb memory in GB (ACI's own default is 1.5)
   */
  public record ResourceDefaults(BigDecimal cpu, BigDecimal memoryInGb) {
    /** ACI's own defaults (those of {@code az container create}): 1 core, 1.5 GB. */
    public static final ResourceDefaults ACI =
        new ResourceDefaults(BigDecimal.ONE, new BigDecimal("1.5"));

    public ResourceDefaults {
      Objects.requireNonNull(cpu, "cpu");
      Objects.requireNonNull(memoryInGb, "memoryInGb");
      if (cpu.signum() <= 0 || memoryInGb.signum() <= 0) {
        throw new IllegalArgumentException("default resources must be positive");
      }
    }
  }
}
