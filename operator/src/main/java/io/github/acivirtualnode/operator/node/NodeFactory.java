package io.github.acivirtualnode.operator.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.github.acivirtualnode.api.v1alpha1.Capacity;
import io.github.acivirtualnode.api.v1alpha1.NodeTaint;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeSpec;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Node a VirtualNode stands for: pure, so that every label and field is unit tested. */
public final class NodeFactory {
  /** Label on the Node naming its VirtualNode, so that Node events map back to it. */
  public static final String VIRTUAL_NODE_LABEL = "acivirtualnode.github.io/virtual-node";

  public static final String KUBELET_VERSION = "v1.35.4-aci-virtual-node-" + version();

  private NodeFactory() {}

  /** Whether the Node is this VirtualNode's: only then may the operator change or delete it. */
  public static boolean belongsTo(Node node, VirtualNode vn) {
    return node.getMetadata().getLabels() != null
        && vn.getMetadata()
            .getName()
            .equals(node.getMetadata().getLabels().get(VIRTUAL_NODE_LABEL));
  }

  /** Metadata and spec: what the operator owns through server-side apply. */
  public static Node desiredNode(VirtualNode vn) {
    VirtualNodeSpec spec = vn.getSpec();
    String name = vn.nodeName();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("type", "virtual-kubelet");
    labels.put("kubernetes.io/role", "agent");
    labels.put("kubernetes.io/os", spec.getOs().kubernetesLabel());
    labels.put("beta.kubernetes.io/os", spec.getOs().kubernetesLabel());
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("kubernetes.io/hostname", name);
    labels.put("topology.kubernetes.io/region", spec.getAzure().getRegion());
    labels.put("node.kubernetes.io/exclude-from-external-load-balancers", "true");
    labels.putAll(spec.getLabels());
    // After the spec's labels: the reconciler maps Node events back to the VirtualNode by this one.
    labels.put(VIRTUAL_NODE_LABEL, vn.getMetadata().getName());
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withTaints(taints(spec.getTaints()))
        .endSpec()
        .build();
  }

  /** The status a kubelet would post, on the configured kubelet port. */
  public static NodeStatus desiredStatus(
      VirtualNode vn,
      OperatorConfig config,
      BackendHealth.Snapshot health,
      Instant heartbeat,
      List<NodeCondition> previous) {
    return desiredStatus(vn, config, config.kubeletPort(), health, heartbeat, previous);
  }

  /**
   * The status a kubelet would post, with the given health and heartbeat time.
   *
   * @param kubeletPort the Node's own kubelet port ({@link KubeletPorts})
   */
  public static NodeStatus desiredStatus(
      VirtualNode vn,
      OperatorConfig config,
      int kubeletPort,
      BackendHealth.Snapshot health,
      Instant heartbeat,
      List<NodeCondition> previous) {
    Map<String, Quantity> resources = resources(vn.getSpec().getCapacity());
    // No ARM text in a Ready node's message: it changes from call to call and would re-post
    // status every heartbeat. The VirtualNode's BackendReachable condition carries it.
    String readyMessage =
        health.ready()
            ? "virtual node is ready"
            : UNUSABLE_PREFIX + health.notReadyReason() + "): " + health.notReadyMessage();
    List<NodeCondition> conditions =
        List.of(
            condition(
                "Ready",
                health.ready() ? "True" : "False",
                health.ready() ? "KubeletReady" : health.notReadyReason(),
                readyMessage,
                heartbeat,
                previous),
            condition(
                "MemoryPressure",
                "False",
                "KubeletHasSufficientMemory",
                "ACI allocates memory per container group",
                heartbeat,
                previous),
            condition(
                "DiskPressure",
                "False",
                "KubeletHasNoDiskPressure",
                "ACI allocates disk per container group",
                heartbeat,
                previous),
            condition(
                "PIDPressure",
                "False",
                "KubeletHasSufficientPID",
                "ACI allocates PIDs per container group",
                heartbeat,
                previous),
            condition(
                "NetworkUnavailable",
                "False",
                "RouteCreated",
                "container groups get their network from ACI",
                heartbeat,
                previous));
    String os = vn.getSpec().getOs().kubernetesLabel();
    return new NodeStatusBuilder()
        .withCapacity(resources)
        .withAllocatable(resources)
        .withConditions(conditions)
        .addNewAddress()
        .withType("InternalIP")
        .withAddress(config.nodeAddress())
        .endAddress()
        .addNewAddress()
        .withType("Hostname")
        .withAddress(vn.nodeName())
        .endAddress()
        .withNewDaemonEndpoints()
        .withNewKubeletEndpoint()
        .withPort(kubeletPort)
        .endKubeletEndpoint()
        .endDaemonEndpoints()
        .withNewNodeInfo()
        .withKubeletVersion(KUBELET_VERSION)
        .withKubeProxyVersion("")
        .withOperatingSystem(os)
        .withArchitecture("amd64")
        .withOsImage("Azure Container Instances (" + vn.getSpec().getOs().name() + ")")
        .withKernelVersion("")
        .withContainerRuntimeVersion("aci://2023-05-01")
        .withMachineID("")
        .withSystemUUID("")
        .withBootID("")
        .endNodeInfo()
        .build();
  }

  private static final String UNUSABLE_PREFIX = "ACI backend unusable (";

  /** The backend's own words in a NotReady Node's Ready message (what follows the reason). */
  public static String backendMessage(String readyMessage) {
    if (readyMessage == null) {
      return "";
    }
    int end = readyMessage.indexOf("): ");
    return readyMessage.startsWith(UNUSABLE_PREFIX) && end > 0
        ? readyMessage.substring(end + 3)
        : readyMessage;
  }

  /**
   * Whether two condition lists say the same: type, status and reason, as a kubelet compares them.
   * Messages and heartbeat times change without news; they go out with the periodic report.
   */
  public static boolean sameConditions(List<NodeCondition> a, List<NodeCondition> b) {
    if (a == null || b == null || a.size() != b.size()) {
      return false;
    }
    for (NodeCondition x : a) {
      NodeCondition y = find(b, x.getType());
      if (y == null
          || !x.getStatus().equals(y.getStatus())
          || !java.util.Objects.equals(x.getReason(), y.getReason())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Taints are one atomic list on a Node: applying the spec's would drop those that Kubernetes
   * itself set (node.kubernetes.io/not-ready, unreachable, unschedulable...), so they are kept.
   */
  public static void keepSystemTaints(Node existing, Node desired) {
    if (existing.getSpec() == null || existing.getSpec().getTaints() == null) {
      return;
    }
    for (var taint : existing.getSpec().getTaints()) {
      boolean system = taint.getKey() != null && taint.getKey().startsWith("node.kubernetes.io/");
      boolean present =
          desired.getSpec().getTaints().stream()
              .anyMatch(
                  t ->
                      t.getKey().equals(taint.getKey()) && t.getEffect().equals(taint.getEffect()));
      if (system && !present) {
        desired.getSpec().getTaints().add(taint);
      }
    }
  }

  static Map<String, Quantity> resources(Capacity capacity) {
    Map<String, Quantity> resources = new LinkedHashMap<>();
    resources.put("cpu", new Quantity(capacity.getCpu()));
    resources.put("memory", new Quantity(capacity.getMemory()));
    resources.put("pods", new Quantity(capacity.getPods()));
    resources.put("ephemeral-storage", new Quantity("100Gi"));
    if (new Quantity(capacity.getGpu()).getNumericalAmount().signum() != 0) {
      resources.put("nvidia.com/gpu", new Quantity(capacity.getGpu()));
    }
    return resources;
  }

  private static List<Taint> taints(List<NodeTaint> taints) {
    List<Taint> result = new ArrayList<>();
    if (taints == null) {
      result.add(new Taint("NoSchedule", "virtual-kubelet.io/provider", null, "azure"));
      return result;
    }
    for (NodeTaint t : taints) {
      result.add(new Taint(t.getEffect().name(), t.getKey(), null, t.getValue()));
    }
    return result;
  }

  private static NodeCondition condition(
      String type,
      String status,
      String reason,
      String message,
      Instant heartbeat,
      List<NodeCondition> previous) {
    NodeCondition before = previous == null ? null : find(previous, type);
    String transition =
        before != null
                && status.equals(before.getStatus())
                && before.getLastTransitionTime() != null
            ? before.getLastTransitionTime()
            : heartbeat.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    return new NodeConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastHeartbeatTime(
            heartbeat.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
        .withLastTransitionTime(transition)
        .build();
  }

  private static NodeCondition find(List<NodeCondition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private static String version() {
    String v = NodeFactory.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
