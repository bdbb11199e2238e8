package io.github.acivirtualnode.operator.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupIpAddressType;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupSubnetId;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.controlplane.TestNamespace;
import io.github.acivirtualnode.operator.translation.PodStatusTranslator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pod's network end to end: a VirtualNode in a VNet puts its groups into the subnets with private
 * addresses, one outside gives public ones (with a DNS name label if asked, or none at all), and
 * what the node cannot give fails the pod naming the annotation.
 */
@ExtendWith(KubernetesClusterExtension.class)
class PodNetworkingIT {
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000d1";
  private static final String SUBNET =
      "/subscriptions/"
          + SUBSCRIPTION
          + "/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-1/"
          + "subnets/aci";

  private static PodFixture fx;
  private static KubernetesClient client;
  private static VirtualNode vnetNode;

  @BeforeAll
  static void start(KubernetesClient kubernetes) {
    client = kubernetes;
    fx = PodFixture.start(kubernetes, SUBSCRIPTION, 100);
    VirtualNode vn = fx.virtualNode("vnet", SUBSCRIPTION);
    vn.getSpec().getAzure().setSubnetIds(List.of(SUBNET));
    vnetNode = client.resource(vn).create();
    fx.awaitReady(vnetNode);
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      if (vnetNode != null) {
        fx.deleteAndAwaitGone(vnetNode);
      }
      fx.close();
    }
  }

  private static Pod web(String name, String namespace, String nodeName, Map<String, String> ann) {
    return new PodBuilder(fx.pod(name, namespace))
        .editMetadata()
        .addToAnnotations(ann)
        .endMetadata()
        .editSpec()
        .withNodeName(nodeName)
        .editFirstContainer()
        .withPorts(new ContainerPortBuilder().withContainerPort(8080).build())
        .endContainer()
        .endSpec()
        .build();
  }

  private static ContainerGroupInner groupOf(Pod pod) {
    List<ContainerGroupInner> groups = fx.groupsOf(pod.getMetadata().getUid());
    assertThat(groups).hasSize(1);
    return groups.get(0);
  }

  @Test
  void aVnetNodesPodRunsInItsSubnetWithAPrivateAddress(TestNamespace ns) {
    Pod pod = client.resource(web("in-vnet", ns.name(), vnetNode.nodeName(), Map.of())).create();
    Pod running = fx.awaitPod(pod, p -> PodFixture.running(p) && p.getStatus().getPodIP() != null);
    ContainerGroupInner group = groupOf(running);
    assertThat(group.subnetIds()).extracting(ContainerGroupSubnetId::id).containsExactly(SUBNET);
    assertThat(group.ipAddress().type()).isEqualTo(ContainerGroupIpAddressType.PRIVATE);
    assertThat(group.ipAddress().ports()).extracting(p -> p.port()).containsExactly(8080);
    // The pod's IP is the group's private address in the VNet.
    assertThat(running.getStatus().getPodIP()).isEqualTo(group.ipAddress().ip()).startsWith("10.");
    fx.deleteAndAwaitGone(running);
  }

  @Test
  void aPublicAddressGetsTheDnsNameLabelAsked(TestNamespace ns) {
    Pod pod =
        client
            .resource(
                web(
                    "labelled",
                    ns.name(),
                    fx.node().nodeName(),
                    Map.of("acivirtualnode.github.io/dns-name-label", "shop-web-it")))
            .create();
    Pod running = fx.awaitPod(pod, p -> PodFixture.running(p) && p.getStatus().getPodIP() != null);
    ContainerGroupInner group = groupOf(running);
    assertThat(group.subnetIds()).isNullOrEmpty();
    assertThat(group.ipAddress().type()).isEqualTo(ContainerGroupIpAddressType.PUBLIC);
    assertThat(group.ipAddress().dnsNameLabel()).isEqualTo("shop-web-it");
    assertThat(group.ipAddress().fqdn()).startsWith("shop-web-it.").endsWith(".azurecontainer.io");
    assertThat(running.getStatus().getPodIP()).isEqualTo(group.ipAddress().ip());
    fx.deleteAndAwaitGone(running);
  }

  @Test
  void ipAddressTypeNoneRunsThePodWithoutAnAddress(TestNamespace ns) {
    Pod pod =
        client
            .resource(
                web(
                    "unexposed",
                    ns.name(),
                    fx.node().nodeName(),
                    Map.of("acivirtualnode.github.io/ip-address-type", "None")))
            .create();
    Pod running = fx.awaitPod(pod, PodFixture::running);
    ContainerGroupInner group = groupOf(running);
    assertThat(group.ipAddress()).isNull();
    assertThat(group.containers().get(0).ports()).extracting(p -> p.port()).containsExactly(8080);
    fx.deleteAndAwaitGone(running);
  }

  @Test
  void anAddressTheNodeCannotGiveFailsThePodNamingTheAnnotation(TestNamespace ns) {
    Pod pod =
        client
            .resource(
                web(
                    "public-in-vnet",
                    ns.name(),
                    vnetNode.nodeName(),
                    Map.of("acivirtualnode.github.io/ip-address-type", "Public")))
            .create();
    Pod failed = fx.awaitPod(pod, p -> "Failed".equals(p.getStatus().getPhase()));
    assertThat(failed.getStatus().getReason()).isEqualTo(PodStatusTranslator.PROVIDER_FAILED);
    assertThat(failed.getStatus().getMessage())
        .contains("metadata.annotations[acivirtualnode.github.io/ip-address-type]")
        .contains("private IP address only");
    assertThat(fx.groupsOf(failed.getMetadata().getUid())).isEmpty();
    fx.deleteAndAwaitGone(failed);
  }
}
