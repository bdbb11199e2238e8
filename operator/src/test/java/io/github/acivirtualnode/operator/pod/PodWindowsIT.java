package io.github.acivirtualnode.operator.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.api.v1alpha1.OperatingSystem;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.controlplane.TestNamespace;
import io.github.acivirtualnode.operator.translation.PodStatusTranslator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Windows pods on a Windows virtual node end to end: one runs as a Windows container group, and
 * what ACI's Windows groups cannot hold (a second container, a volume, a Linux pod) fails the pod
 * with the field and the reason, before any PUT.
 */
@ExtendWith(KubernetesClusterExtension.class)
class PodWindowsIT {
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000d2";

  private static PodFixture fx;
  private static KubernetesClient client;
  private static VirtualNode windowsNode;

  @BeforeAll
  static void start(KubernetesClient kubernetes) {
    client = kubernetes;
    fx = PodFixture.start(kubernetes, SUBSCRIPTION, 100);
    VirtualNode vn = fx.virtualNode("windows", SUBSCRIPTION);
    vn.getSpec().setOs(OperatingSystem.Windows);
    windowsNode = client.resource(vn).create();
    fx.awaitReady(windowsNode);
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      if (windowsNode != null) {
        fx.deleteAndAwaitGone(windowsNode);
      }
      fx.close();
    }
  }

  private static PodBuilder windowsPod(String name, String namespace) {
    return new PodBuilder(fx.pod(name, namespace))
        .editSpec()
        .withNodeName(windowsNode.nodeName())
        .withNewOs("windows")
        .withAutomountServiceAccountToken(false)
        .editFirstContainer()
        .withImage("mcr.microsoft.com/windows/nanoserver:ltsc2022")
        .withCommand("cmd", "/c", "ping -t localhost")
        .endContainer()
        .endSpec();
  }

  @Test
  void aWindowsPodRunsAsAWindowsContainerGroup(TestNamespace ns) {
    Pod pod = client.resource(windowsPod("win", ns.name()).build()).create();
    Pod running = fx.awaitPod(pod, PodFixture::running);
    List<ContainerGroupInner> groups = fx.groupsOf(running.getMetadata().getUid());
    assertThat(groups).hasSize(1);
    ContainerGroupInner group = groups.get(0);
    assertThat(group.osType()).isEqualTo(OperatingSystemTypes.WINDOWS);
    assertThat(group.containers())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.image()).isEqualTo("mcr.microsoft.com/windows/nanoserver:ltsc2022");
              assertThat(c.command()).containsExactly("cmd", "/c", "ping -t localhost");
            });
    assertThat(running.getStatus().getContainerStatuses())
        .singleElement()
        .satisfies(s -> assertThat(s.getReady()).isTrue());
    fx.deleteAndAwaitGone(running);
  }

  @Test
  void whatAWindowsGroupCannotHoldFailsThePodNamingTheField(TestNamespace ns) {
    Pod twoContainers =
        windowsPod("win-two", ns.name())
            .editSpec()
            .addNewContainer()
            .withName("side")
            .withImage("mcr.microsoft.com/windows/nanoserver:ltsc2022")
            .endContainer()
            .endSpec()
            .build();
    Pod withVolume =
        windowsPod("win-volume", ns.name())
            .editSpec()
            .addNewVolume()
            .withName("scratch")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .endSpec()
            .build();
    Pod linux =
        windowsPod("linux-on-windows", ns.name()).editSpec().withNewOs("linux").endSpec().build();
    assertFails(twoContainers, "spec.containers", "one container per Windows container group");
    assertFails(withVolume, "spec.volumes[0]", "volumes only into Linux containers");
    assertFails(linux, "spec.os.name", "the pod asks for linux but the node runs Windows");
  }

  private static void assertFails(Pod pod, String field, String reason) {
    Pod created = client.resource(pod).create();
    Pod failed = fx.awaitPod(created, p -> "Failed".equals(p.getStatus().getPhase()));
    assertThat(failed.getStatus().getReason()).isEqualTo(PodStatusTranslator.PROVIDER_FAILED);
    assertThat(failed.getStatus().getMessage()).contains(field).contains(reason);
    assertThat(fx.groupsOf(failed.getMetadata().getUid())).isEmpty();
    fx.deleteAndAwaitGone(failed);
  }
}
