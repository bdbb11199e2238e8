package io.github.acivirtualnode.operator.node;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import java.util.Map;
import java.util.Set;

/** The tags that make a container group this cluster's and name the Node it runs for. */
public final class ContainerGroupTags {
  /** The Node whose pod the group runs. */
  public static final String NODE = "k8s-virtual-node";

  /** The cluster's identity: without it (or with another) a group is never touched. */
  public static final String CLUSTER = "k8s-cluster";

  private ContainerGroupTags() {}

  public static Map<String, String> of(String clusterId, String nodeName) {
    return Map.of(CLUSTER, clusterId, NODE, nodeName);
  }

  /** Whether the group is this cluster's and runs for one of the given Nodes. */
  public static boolean ours(ContainerGroupInner group, String clusterId, Set<String> nodeNames) {
    Map<String, String> tags = group.tags();
    return tags != null
        && clusterId.equals(tags.get(CLUSTER))
        && tags.get(NODE) != null
        && nodeNames.contains(tags.get(NODE));
  }
}
