package io.github.acivirtualnode.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.acivirtualnode.controlplane.ControlPlaneBinaries;
import io.github.acivirtualnode.controlplane.KubernetesCluster;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The generated CRD, installed in a real API server, rejects bad manifests by field. */
@ExtendWith(KubernetesClusterExtension.class)
class VirtualNodeCrdIT {

  @BeforeAll
  static void installCrd(KubernetesClient client) {
    VirtualNodeCrd.install(client);
  }

  static Stream<Path> invalidManifests() throws IOException, URISyntaxException {
    Path dir = Path.of(VirtualNodeCrdIT.class.getResource("/manifests/invalid").toURI());
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(12);
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidManifests")
  void rejectsInvalidManifestNamingTheField(Path manifest, KubernetesClient client)
      throws IOException {
    String yaml = Files.readString(manifest, StandardCharsets.UTF_8);
    String expected = yaml.lines().findFirst().orElseThrow().replaceFirst("^# expect: ", "");

    assertThatThrownBy(() -> client.resource(yaml).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(expected);
  }

  @Test
  void acceptsAMinimalManifestAndFillsDefaults(KubernetesClient client, KubernetesCluster cluster)
      throws Exception {
    String yaml = resource("/manifests/valid-minimal.yaml");
    client.resource(yaml).delete();
    client.resource(yaml).create();
    try {
      VirtualNode stored = client.resources(VirtualNode.class).withName("aci-minimal").require();
      VirtualNodeSpec spec = stored.getSpec();
      assertThat(spec.getOs()).isEqualTo(OperatingSystem.Linux);
      assertThat(spec.getTaints())
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.getKey()).isEqualTo("virtual-kubelet.io/provider");
                assertThat(t.getValue()).isEqualTo("azure");
                assertThat(t.getEffect()).isEqualTo(NodeTaint.TaintEffect.NoSchedule);
              });
      assertThat(spec.getCapacity().getCpu()).isEqualTo("100");
      assertThat(spec.getCapacity().getPods()).isEqualTo("500");
      assertThat(stored.nodeName()).isEqualTo("aci-minimal");

      // kubectl shows the printer columns.
      Process kubectl =
          new ProcessBuilder(
                  ControlPlaneBinaries.binary("kubectl").toString(),
                  "--kubeconfig=" + cluster.kubeconfigFile(),
                  "get",
                  "vnode",
                  "aci-minimal")
              .redirectErrorStream(true)
              .start();
      String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(kubectl.waitFor()).as(out).isZero();
      // fabric8's generator orders the columns by JSON path; all of them must be there.
      assertThat(out.lines().findFirst().orElseThrow().split("\\s+"))
          .containsExactlyInAnyOrder("NAME", "NODE", "REGION", "OS", "READY", "PODS", "AGE");
      assertThat(out).contains("westeurope").contains("Linux");
    } finally {
      client.resource(yaml).delete();
    }
  }

  /**
   * Every VirtualNode in samples/ (Linux, Windows, VNet, Spot, Confidential, workload identity) is
   * accepted by the API server as it stands: a server-side dry run, schema and CEL rules applied,
   * nothing stored.
   */
  @Test
  void everySampleVirtualNodeIsAcceptedAsItStands(KubernetesClient client) throws IOException {
    List<Path> samples;
    try (Stream<Path> listing = Files.list(Path.of("../samples"))) {
      samples =
          listing
              .filter(p -> p.getFileName().toString().matches("virtualnode.*\\.yaml"))
              .sorted()
              .toList();
    }
    assertThat(samples)
        .extracting(p -> p.getFileName().toString())
        .contains(
            "virtualnode.yaml",
            "virtualnode-windows.yaml",
            "virtualnode-vnet.yaml",
            "virtualnode-spot.yaml",
            "virtualnode-confidential.yaml");
    for (Path sample : samples) {
      VirtualNode vn =
          client
              .resources(VirtualNode.class)
              .resource(
                  client
                      .getKubernetesSerialization()
                      .unmarshal(
                          Files.readString(sample, StandardCharsets.UTF_8), VirtualNode.class))
              .dryRun()
              .create();
      assertThat(vn.getMetadata().getUid()).as(sample.toString()).isNotBlank();
      switch (sample.getFileName().toString()) {
        case "virtualnode-spot.yaml" -> {
          assertThat(vn.getSpec().getAzure().getPriority()).isEqualTo(ContainerGroupPriority.Spot);
          assertThat(vn.getSpec().getAzure().getSku()).isNull();
        }
        case "virtualnode-confidential.yaml" -> {
          assertThat(vn.getSpec().getAzure().getSku()).isEqualTo(ContainerGroupSku.Confidential);
          assertThat(vn.getSpec().getOs()).isEqualTo(OperatingSystem.Linux);
        }
        case "virtualnode-windows.yaml" ->
            assertThat(vn.getSpec().getOs()).isEqualTo(OperatingSystem.Windows);
        case "virtualnode-vnet.yaml" ->
            assertThat(vn.getSpec().getAzure().getSubnetIds()).hasSize(1);
        default -> {}
      }
      assertThat(client.resources(VirtualNode.class).withName(vn.getMetadata().getName()).get())
          .as("a dry run stores nothing")
          .isNull();
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = VirtualNodeCrdIT.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
