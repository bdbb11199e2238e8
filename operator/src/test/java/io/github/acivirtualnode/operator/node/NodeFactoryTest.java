package io.github.acivirtualnode.operator.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.github.acivirtualnode.api.v1alpha1.AzureSettings;
import io.github.acivirtualnode.api.v1alpha1.Capacity;
import io.github.acivirtualnode.api.v1alpha1.NodeTaint;
import io.github.acivirtualnode.api.v1alpha1.NodeTaint.TaintEffect;
import io.github.acivirtualnode.api.v1alpha1.OperatingSystem;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeSpec;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.operator.node.BackendHealth.Snapshot;
import io.github.acivirtualnode.operator.node.BackendHealth.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeFactoryTest {
  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00.750Z");
  private static final String T0_SECONDS = "2025-03-01T12:00:00Z";
  private static final List<String> CONDITION_TYPES =
      List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable");

  private static final OperatorConfig CONFIG =
      OperatorConfig.fromEnvironment(Map.of("AVN_NODE_ADDRESS", "10.244.1.7")).withNamespace("ops");

  private static final Snapshot HEALTHY =
      new Snapshot(Status.TRUE, true, "ArmReachable", "Azure Resource Manager answers", T0);
  private static final Snapshot UNUSABLE =
      new Snapshot(Status.FALSE, false, "AuthorizationFailed", "no access to rg", T0);

  private static VirtualNode virtualNode(String name) {
    AzureSettings azure = new AzureSettings();
    azure.setSubscriptionId("0000-1111");
    azure.setResourceGroup("rg");
    azure.setRegion("westeurope");
    VirtualNodeSpec spec = new VirtualNodeSpec();
    spec.setAzure(azure);
    VirtualNode vn = new VirtualNode();
    vn.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(1L).build());
    vn.setSpec(spec);
    return vn;
  }

  private static NodeCondition find(List<NodeCondition> conditions, String type) {
    return conditions.stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  // --- metadata and spec

  @Test
  void nameDefaultsToTheVirtualNodesName() {
    Node node = NodeFactory.desiredNode(virtualNode("aci-westeurope"));

    assertThat(node.getMetadata().getName()).isEqualTo("aci-westeurope");
    assertThat(node.getMetadata().getLabels())
        .containsEntry("kubernetes.io/hostname", "aci-westeurope");
  }

  @Test
  void nameFromTheSpec() {
    VirtualNode vn = virtualNode("aci-westeurope");
    vn.getSpec().setNodeName("virtual-node-aci-linux");

    Node node = NodeFactory.desiredNode(vn);

    assertThat(node.getMetadata().getName()).isEqualTo("virtual-node-aci-linux");
    assertThat(node.getMetadata().getLabels())
        .containsEntry("kubernetes.io/hostname", "virtual-node-aci-linux")
        .containsEntry(NodeFactory.VIRTUAL_NODE_LABEL, "aci-westeurope");
  }

  @Test
  void labelsOfALinuxVirtualKubelet() {
    Node node = NodeFactory.desiredNode(virtualNode("aci-westeurope"));

    assertThat(node.getMetadata().getLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "type", "virtual-kubelet",
                "kubernetes.io/role", "agent",
                "kubernetes.io/os", "linux",
                "beta.kubernetes.io/os", "linux",
                "kubernetes.io/arch", "amd64",
                "kubernetes.io/hostname", "aci-westeurope",
                "topology.kubernetes.io/region", "westeurope",
                "node.kubernetes.io/exclude-from-external-load-balancers", "true",
                "acivirtualnode.github.io/virtual-node", "aci-westeurope"));
    assertThat(node.getMetadata().getNamespace()).isNull();
  }

  @Test
  void windowsOsLabels() {
    VirtualNode vn = virtualNode("aci-win");
    vn.getSpec().setOs(OperatingSystem.Windows);

    Node node = NodeFactory.desiredNode(vn);

    assertThat(node.getMetadata().getLabels())
        .containsEntry("kubernetes.io/os", "windows")
        .containsEntry("beta.kubernetes.io/os", "windows");
  }

  @Test
  void specLabelsAreMergedOverTheOperatorsLabels() {
    VirtualNode vn = virtualNode("aci-westeurope");
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("team", "batch");
    labels.put("kubernetes.io/role", "burst");
    labels.put("topology.kubernetes.io/zone", "westeurope-1");
    vn.getSpec().setLabels(labels);

    Node node = NodeFactory.desiredNode(vn);

    assertThat(node.getMetadata().getLabels())
        .containsEntry("team", "batch")
        .containsEntry("kubernetes.io/role", "burst")
        .containsEntry("topology.kubernetes.io/zone", "westeurope-1")
        .containsEntry("type", "virtual-kubelet")
        .hasSize(11);
  }

  @Test
  void specLabelsCannotReplaceTheLabelThatMapsTheNodeBack() {
    VirtualNode vn = virtualNode("aci-westeurope");
    vn.getSpec().setLabels(Map.of(NodeFactory.VIRTUAL_NODE_LABEL, "someone-else"));

    Node node = NodeFactory.desiredNode(vn);

    assertThat(node.getMetadata().getLabels())
        .containsEntry(NodeFactory.VIRTUAL_NODE_LABEL, "aci-westeurope");
  }

  @Test
  void defaultTaintWhenTheSpecHasNone() {
    VirtualNode vn = virtualNode("aci-westeurope");
    vn.getSpec().setTaints(null);

    List<Taint> taints = NodeFactory.desiredNode(vn).getSpec().getTaints();

    assertThat(taints).hasSize(1);
    assertThat(taints.get(0).getKey()).isEqualTo("virtual-kubelet.io/provider");
    assertThat(taints.get(0).getValue()).isEqualTo("azure");
    assertThat(taints.get(0).getEffect()).isEqualTo("NoSchedule");
    assertThat(taints.get(0).getTimeAdded()).isNull();
  }

  @Test
  void taintsFromTheSpecReplaceTheDefault() {
    VirtualNode vn = virtualNode("aci-westeurope");
    vn.getSpec()
        .setTaints(
            List.of(
                new NodeTaint("virtual-kubelet.io/provider", "azure", TaintEffect.NoExecute),
                new NodeTaint("dedicated", null, TaintEffect.PreferNoSchedule)));

    List<Taint> taints = NodeFactory.desiredNode(vn).getSpec().getTaints();

    assertThat(taints)
        .extracting(Taint::getKey, Taint::getValue, Taint::getEffect, Taint::getTimeAdded)
        .containsExactly(
            tuple("virtual-kubelet.io/provider", "azure", "NoExecute", null),
            tuple("dedicated", null, "PreferNoSchedule", null));
  }

  @Test
  void anEmptyTaintListMeansAnUntaintedNode() {
    VirtualNode vn = virtualNode("aci-westeurope");
    vn.getSpec().setTaints(List.of());

    assertThat(NodeFactory.desiredNode(vn).getSpec().getTaints()).isEmpty();
  }

  @Test
  void desiredNodeCarriesNoStatus() {
    assertThat(NodeFactory.desiredNode(virtualNode("n")).getStatus()).isNull();
  }

  // --- status

  @Test
  void capacityAndAllocatableFromTheSpecWithoutGpuByDefault() {
    NodeStatus status = NodeFactory.desiredStatus(virtualNode("n"), CONFIG, HEALTHY, T0, List.of());

    Map<String, Quantity> expected =
        Map.of(
            "cpu", new Quantity("100"),
            "memory", new Quantity("400Gi"),
            "pods", new Quantity("500"),
            "ephemeral-storage", new Quantity("100Gi"));
    assertThat(status.getCapacity()).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(status.getAllocatable()).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void customCapacityWithGpus() {
    VirtualNode vn = virtualNode("n");
    Capacity capacity = new Capacity();
    capacity.setCpu("2500m");
    capacity.setMemory("16Gi");
    capacity.setPods("20");
    capacity.setGpu("4");
    vn.getSpec().setCapacity(capacity);

    NodeStatus status = NodeFactory.desiredStatus(vn, CONFIG, HEALTHY, T0, List.of());

    assertThat(status.getCapacity())
        .containsEntry("cpu", new Quantity("2500m"))
        .containsEntry("memory", new Quantity("16Gi"))
        .containsEntry("pods", new Quantity("20"))
        .containsEntry("nvidia.com/gpu", new Quantity("4"))
        .hasSize(5);
    assertThat(status.getAllocatable()).isEqualTo(status.getCapacity());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "00"})
  void zeroGpusHideTheResource(String zero) {
    Capacity capacity = new Capacity();
    capacity.setGpu(zero);

    assertThat(NodeFactory.resources(capacity)).doesNotContainKey("nvidia.com/gpu");
  }

  @Test
  void readyWhenTheBackendIsUsable() {
    NodeStatus status = NodeFactory.desiredStatus(virtualNode("n"), CONFIG, HEALTHY, T0, List.of());

    NodeCondition ready = find(status.getConditions(), "Ready");
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo("KubeletReady");
    assertThat(ready.getMessage()).isEqualTo("virtual node is ready");
  }

  @Test
  void readyWhileMerelyUnreachable() {
    Snapshot flaky = new Snapshot(Status.FALSE, true, "GatewayTimeout", "ARM timed out", T0);

    NodeCondition ready =
        find(
            NodeFactory.desiredStatus(virtualNode("n"), CONFIG, flaky, T0, null).getConditions(),
            "Ready");

    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo("KubeletReady");
    // ARM's words vary from call to call: they stay out of the Node (BackendReachable has them).
    assertThat(ready.getMessage()).isEqualTo("virtual node is ready");
  }

  @Test
  void notReadyWithTheBackendsReason() {
    NodeStatus status =
        NodeFactory.desiredStatus(virtualNode("n"), CONFIG, UNUSABLE, T0, List.of());

    NodeCondition ready = find(status.getConditions(), "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("AuthorizationFailed");
    assertThat(ready.getMessage())
        .isEqualTo("ACI backend unusable (AuthorizationFailed): no access to rg");
  }

  @Test
  void allKubeletConditionsInOrderWithoutPressure() {
    List<NodeCondition> conditions =
        NodeFactory.desiredStatus(virtualNode("n"), CONFIG, UNUSABLE, T0, List.of())
            .getConditions();

    assertThat(conditions)
        .extracting(NodeCondition::getType)
        .containsExactlyElementsOf(CONDITION_TYPES);
    assertThat(conditions.subList(1, 5))
        .extracting(NodeCondition::getType, NodeCondition::getStatus, NodeCondition::getReason)
        .containsExactly(
            tuple("MemoryPressure", "False", "KubeletHasSufficientMemory"),
            tuple("DiskPressure", "False", "KubeletHasNoDiskPressure"),
            tuple("PIDPressure", "False", "KubeletHasSufficientPID"),
            tuple("NetworkUnavailable", "False", "RouteCreated"));
    assertThat(conditions).allSatisfy(c -> assertThat(c.getMessage()).isNotBlank());
  }

  @Test
  void firstStatusStampsHeartbeatAndTransitionInWholeSeconds() {
    List<NodeCondition> conditions =
        NodeFactory.desiredStatus(virtualNode("n"), CONFIG, HEALTHY, T0, null).getConditions();

    assertThat(conditions)
        .allSatisfy(
            c -> {
              assertThat(c.getLastHeartbeatTime()).isEqualTo(T0_SECONDS);
              assertThat(c.getLastTransitionTime()).isEqualTo(T0_SECONDS);
            });
  }

  @Test
  void transitionTimeIsKeptWhileTheStatusHolds() {
    VirtualNode vn = virtualNode("n");
    List<NodeCondition> first =
        NodeFactory.desiredStatus(vn, CONFIG, HEALTHY, T0, null).getConditions();
    Instant later = T0.plusSeconds(40);

    List<NodeCondition> second =
        NodeFactory.desiredStatus(vn, CONFIG, HEALTHY, later, first).getConditions();

    assertThat(second)
        .allSatisfy(
            c -> {
              assertThat(c.getLastHeartbeatTime()).isEqualTo("2025-03-01T12:00:40Z");
              assertThat(c.getLastTransitionTime()).isEqualTo(T0_SECONDS);
            });
  }

  @Test
  void transitionTimeMovesWhenTheStatusChanges() {
    VirtualNode vn = virtualNode("n");
    List<NodeCondition> first =
        NodeFactory.desiredStatus(vn, CONFIG, HEALTHY, T0, null).getConditions();
    Instant later = T0.plusSeconds(40);

    List<NodeCondition> second =
        NodeFactory.desiredStatus(vn, CONFIG, UNUSABLE, later, first).getConditions();

    assertThat(find(second, "Ready").getLastTransitionTime()).isEqualTo("2025-03-01T12:00:40Z");
    assertThat(find(second, "MemoryPressure").getLastTransitionTime()).isEqualTo(T0_SECONDS);

    // and back to True: another transition
    Instant evenLater = later.plusSeconds(40);
    List<NodeCondition> third =
        NodeFactory.desiredStatus(vn, CONFIG, HEALTHY, evenLater, second).getConditions();
    assertThat(find(third, "Ready").getLastTransitionTime()).isEqualTo("2025-03-01T12:01:20Z");
  }

  @Test
  void previousConditionWithoutTransitionTimeGetsTheHeartbeat() {
    NodeCondition old =
        new NodeConditionBuilder()
            .withType("Ready")
            .withStatus("True")
            .withReason("KubeletReady")
            .build();

    NodeCondition ready =
        find(
            NodeFactory.desiredStatus(virtualNode("n"), CONFIG, HEALTHY, T0, List.of(old))
                .getConditions(),
            "Ready");

    assertThat(ready.getLastTransitionTime()).isEqualTo(T0_SECONDS);
  }

  @Test
  void addressesPointAtTheOperator() {
    VirtualNode vn = virtualNode("aci-westeurope");
    vn.getSpec().setNodeName("virtual-node-aci-linux");

    NodeStatus status = NodeFactory.desiredStatus(vn, CONFIG, HEALTHY, T0, List.of());

    assertThat(status.getAddresses())
        .extracting(NodeAddress::getType, NodeAddress::getAddress)
        .containsExactly(
            tuple("InternalIP", "10.244.1.7"), tuple("Hostname", "virtual-node-aci-linux"));
  }

  @Test
  void daemonEndpointIsTheKubeletPort() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("AVN_KUBELET_PORT", "10443"));

    NodeStatus status = NodeFactory.desiredStatus(virtualNode("n"), config, HEALTHY, T0, List.of());

    assertThat(status.getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10443);
    assertThat(
            NodeFactory.desiredStatus(virtualNode("n"), CONFIG, HEALTHY, T0, List.of())
                .getDaemonEndpoints()
                .getKubeletEndpoint()
                .getPort())
        .isEqualTo(10250);
  }

  @Test
  void nodeInfoOfLinux() {
    var info =
        NodeFactory.desiredStatus(virtualNode("n"), CONFIG, HEALTHY, T0, List.of()).getNodeInfo();

    assertThat(info.getKubeletVersion())
        .isEqualTo(NodeFactory.KUBELET_VERSION)
        .startsWith("v1.35.4-aci-virtual-node-");
    assertThat(info.getOperatingSystem()).isEqualTo("linux");
    assertThat(info.getArchitecture()).isEqualTo("amd64");
    assertThat(info.getOsImage()).isEqualTo("Azure Container Instances (Linux)");
    assertThat(info.getContainerRuntimeVersion()).isEqualTo("aci://2023-05-01");
    assertThat(info.getKubeProxyVersion()).isEmpty();
    assertThat(info.getKernelVersion()).isEmpty();
    assertThat(info.getMachineID()).isEmpty();
    assertThat(info.getSystemUUID()).isEmpty();
    assertThat(info.getBootID()).isEmpty();
  }

  @Test
  void nodeInfoOfWindows() {
    VirtualNode vn = virtualNode("n");
    vn.getSpec().setOs(OperatingSystem.Windows);

    var info = NodeFactory.desiredStatus(vn, CONFIG, HEALTHY, T0, List.of()).getNodeInfo();

    assertThat(info.getOperatingSystem()).isEqualTo("windows");
    assertThat(info.getOsImage()).isEqualTo("Azure Container Instances (Windows)");
  }

  // --- sameConditions

  @Test
  void sameConditionsIgnoresHeartbeatAndTransitionTimes() {
    VirtualNode vn = virtualNode("n");
    List<NodeCondition> a =
        NodeFactory.desiredStatus(vn, CONFIG, HEALTHY, T0, null).getConditions();
    List<NodeCondition> b =
        NodeFactory.desiredStatus(vn, CONFIG, HEALTHY, T0.plusSeconds(3600), null).getConditions();

    assertThat(a).isNotEqualTo(b);
    assertThat(NodeFactory.sameConditions(a, b)).isTrue();
    assertThat(NodeFactory.sameConditions(b, a)).isTrue();
  }

  @Test
  void sameConditionsIgnoresOrder() {
    List<NodeCondition> a =
        NodeFactory.desiredStatus(virtualNode("n"), CONFIG, HEALTHY, T0, null).getConditions();
    List<NodeCondition> reversed = new ArrayList<>(a);
    Collections.reverse(reversed);

    assertThat(NodeFactory.sameConditions(a, reversed)).isTrue();
  }

  @Test
  void differentStatusOrReasonIsNotTheSameButAnotherMessageIs() {
    VirtualNode vn = virtualNode("n");
    List<NodeCondition> healthy =
        NodeFactory.desiredStatus(vn, CONFIG, HEALTHY, T0, null).getConditions();

    assertThat(
            NodeFactory.sameConditions(
                healthy, NodeFactory.desiredStatus(vn, CONFIG, UNUSABLE, T0, null).getConditions()))
        .isFalse();

    Snapshot otherMessage = new Snapshot(Status.FALSE, true, "GatewayTimeout", "ARM timed out", T0);
    assertThat(
            NodeFactory.sameConditions(
                healthy,
                NodeFactory.desiredStatus(vn, CONFIG, otherMessage, T0, null).getConditions()))
        .isTrue();

    List<NodeCondition> reworded = new ArrayList<>(healthy);
    reworded.set(0, new NodeConditionBuilder(healthy.get(0)).withMessage("said otherwise").build());
    assertThat(NodeFactory.sameConditions(healthy, reworded)).isTrue();

    List<NodeCondition> otherReason = new ArrayList<>(healthy);
    otherReason.set(
        1, new NodeConditionBuilder(healthy.get(1)).withReason("SomethingElse").build());
    assertThat(NodeFactory.sameConditions(healthy, otherReason)).isFalse();

    List<NodeCondition> otherStatus = new ArrayList<>(healthy);
    otherStatus.set(4, new NodeConditionBuilder(healthy.get(4)).withStatus("True").build());
    assertThat(NodeFactory.sameConditions(healthy, otherStatus)).isFalse();
  }

  @Test
  void missingOrExtraConditionsAreNotTheSame() {
    List<NodeCondition> a =
        NodeFactory.desiredStatus(virtualNode("n"), CONFIG, HEALTHY, T0, null).getConditions();

    assertThat(NodeFactory.sameConditions(a, a.subList(0, 4))).isFalse();
    assertThat(NodeFactory.sameConditions(a.subList(0, 4), a)).isFalse();
    List<NodeCondition> renamed = new ArrayList<>(a);
    renamed.set(0, new NodeConditionBuilder(a.get(0)).withType("SomethingElse").build());
    assertThat(NodeFactory.sameConditions(a, renamed)).isFalse();
    assertThat(NodeFactory.sameConditions(a, List.of())).isFalse();
  }

  @Test
  void nullListsAreNeverTheSame() {
    List<NodeCondition> a =
        NodeFactory.desiredStatus(virtualNode("n"), CONFIG, HEALTHY, T0, null).getConditions();

    assertThat(NodeFactory.sameConditions(a, null)).isFalse();
    assertThat(NodeFactory.sameConditions(null, a)).isFalse();
    assertThat(NodeFactory.sameConditions(null, null)).isFalse();
  }

  @Test
  void emptyListsAreTheSame() {
    assertThat(NodeFactory.sameConditions(List.of(), List.of())).isTrue();
  }

  @Test
  void systemTaintsOfTheExistingNodeSurviveAnApplyButOldSpecTaintsDoNot() {
    io.fabric8.kubernetes.api.model.Node existing =
        new io.fabric8.kubernetes.api.model.NodeBuilder()
            .withNewMetadata()
            .withName("n")
            .endMetadata()
            .withNewSpec()
            .addNewTaint()
            .withKey("node.kubernetes.io/unreachable")
            .withEffect("NoExecute")
            .endTaint()
            .addNewTaint()
            .withKey("old-spec-taint")
            .withEffect("NoSchedule")
            .endTaint()
            .addNewTaint()
            .withKey("virtual-kubelet.io/provider")
            .withValue("azure")
            .withEffect("NoSchedule")
            .endTaint()
            .endSpec()
            .build();
    io.fabric8.kubernetes.api.model.Node desired = NodeFactory.desiredNode(virtualNode("n"));

    NodeFactory.keepSystemTaints(existing, desired);

    assertThat(desired.getSpec().getTaints())
        .extracting(io.fabric8.kubernetes.api.model.Taint::getKey)
        .containsExactlyInAnyOrder("virtual-kubelet.io/provider", "node.kubernetes.io/unreachable");
  }
}
