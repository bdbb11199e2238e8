package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.errors;
import static io.github.acivirtualnode.operator.translation.Fixtures.first;
import static io.github.acivirtualnode.operator.translation.Fixtures.pod;
import static io.github.acivirtualnode.operator.translation.Fixtures.podBuilder;
import static io.github.acivirtualnode.operator.translation.Fixtures.translated;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.models.ContainerGroupIpAddressType;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupRestartPolicy;
import com.azure.resourcemanager.containerinstance.models.ContainerNetworkProtocol;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerTranslationTest {
  @Test
  void groupHasNameLocationOsTagsAndContainer() {
    var t = translated(pod());
    assertThat(t.groupName()).isEqualTo(GroupNaming.groupName(pod()));
    assertThat(t.group().location()).isEqualTo("westeurope");
    assertThat(t.group().osType()).isEqualTo(OperatingSystemTypes.LINUX);
    assertThat(t.group().tags()).containsEntry(GroupNaming.POD_UID, Fixtures.UID);
    assertThat(t.group().containers()).hasSize(1);
    assertThat(t.group().containers().get(0).name()).isEqualTo("app");
    assertThat(t.group().containers().get(0).image()).isEqualTo("nginx:1.27");
    assertThat(t.notices()).isEmpty();
  }

  @Test
  void windowsNodeGivesWindowsGroups() {
    var node =
        NodeContext.of(OperatingSystemTypes.WINDOWS, "westeurope", "cluster-uid", "vn-1", null);
    var result =
        (TranslationResult.Translated) PodTranslator.translate(pod(), PodReferences.none(), node);
    assertThat(result.group().osType()).isEqualTo(OperatingSystemTypes.WINDOWS);
  }

  @Test
  void windowsGroupsHoldOneContainer() {
    var node =
        NodeContext.of(OperatingSystemTypes.WINDOWS, "westeurope", "cluster-uid", "vn-1", null);
    var result =
        PodTranslator.translate(
            pod(container("a").build(), container("b").build()), PodReferences.none(), node);
    assertThat(((TranslationResult.Rejected) result).errors())
        .extracting(TranslationError::fieldPath)
        .containsExactly("spec.containers");
  }

  @Test
  void podAskingForAnotherOsIsRejected() {
    Pod pod = new PodBuilder(pod()).editSpec().withNewOs("windows").endSpec().build();
    assertThat(errors(pod)).extracting(TranslationError::fieldPath).containsExactly("spec.os.name");
    Pod linux = new PodBuilder(pod()).editSpec().withNewOs("linux").endSpec().build();
    translated(linux);
  }

  @Test
  void missingImageIsAnError() {
    var errors = errors(pod(container("app").withImage("").build()));
    assertThat(errors).extracting(TranslationError::fieldPath).contains("spec.containers[0].image");
  }

  @Test
  void aMalformedImageReferenceIsAnErrorBeforeAnyArmCall() {
    var errors = errors(pod(container("app").withImage("busybox;rm -rf /").build()));
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.fieldPath()).isEqualTo("spec.containers[0].image");
              assertThat(e.reason()).contains("'busybox;rm -rf /' is not a valid image reference");
            });
  }

  @Test
  void aPodWithoutContainersOrUidIsInvalid() {
    Pod noContainers = new PodBuilder(pod()).editSpec().withContainers(List.of()).endSpec().build();
    assertThat(errors(noContainers))
        .extracting(TranslationError::kind)
        .containsExactly(TranslationError.Kind.INVALID);
    Pod noUid = new PodBuilder(pod()).editMetadata().withUid(null).endMetadata().build();
    assertThat(errors(noUid))
        .extracting(TranslationError::fieldPath)
        .containsExactly("metadata.uid");
  }

  @Test
  void commandAndArgsBecomeOneCommandWithArgumentsPreservedExactly() {
    var c =
        first(
            pod(
                container("app")
                    .withCommand("/bin/sh", "-c")
                    .withArgs("echo 'a  b' \"c\"; exit 3", "", " spaced ")
                    .build()));
    assertThat(c.command())
        .containsExactly("/bin/sh", "-c", "echo 'a  b' \"c\"; exit 3", "", " spaced ");
  }

  @Test
  void commandAloneIsSent() {
    assertThat(
            first(pod(container("app").withCommand("nginx", "-g", "daemon off;").build()))
                .command())
        .containsExactly("nginx", "-g", "daemon off;");
  }

  @Test
  void neitherCommandNorArgsKeepsTheImageDefault() {
    assertThat(first(pod()).command()).isNull();
  }

  @Test
  void argsWithoutCommandNameTheField() {
    var errors = errors(pod(container("app").withArgs("--port", "80").build()));
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.fieldPath()).isEqualTo("spec.containers[0].args");
              assertThat(e.kind()).isEqualTo(TranslationError.Kind.UNSUPPORTED);
              assertThat(e.reason()).contains("entrypoint").contains("nginx:1.27");
            });
  }

  @Test
  void commandAndArgsExpandEnvironmentVariables() {
    var c =
        first(
            pod(
                container("app")
                    .addNewEnv()
                    .withName("PORT")
                    .withValue("8080")
                    .endEnv()
                    .withCommand("serve", "--port=$(PORT)")
                    .withArgs("$(MISSING)", "$$(PORT)")
                    .build()));
    assertThat(c.command()).containsExactly("serve", "--port=8080", "$(MISSING)", "$(PORT)");
  }

  @Test
  void commandExpandingASecretIsRefused() {
    var refs = Fixtures.refs(Fixtures.secret("db", java.util.Map.of("password", "s3cret")));
    var pod =
        pod(
            container("app")
                .addNewEnv()
                .withName("PW")
                .withNewValueFrom()
                .withNewSecretKeyRef("password", "db", null)
                .endValueFrom()
                .endEnv()
                .withCommand("login")
                .withArgs("--password=$(PW)")
                .build());
    var errors = errors(pod, refs);
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.fieldPath()).isEqualTo("spec.containers[0].args[0]");
              assertThat(e.reason()).contains("Secret").doesNotContain("s3cret");
            });
  }

  @Test
  void workingDirIsAnError() {
    assertThat(errors(pod(container("app").withWorkingDir("/srv").build())))
        .extracting(TranslationError::fieldPath)
        .containsExactly("spec.containers[0].workingDir");
  }

  @Test
  void portsKeepTheirProtocolAndGiveTheGroupAnAddress() {
    var pod =
        pod(
            container("app")
                .withPorts(
                    new ContainerPortBuilder().withContainerPort(80).build(),
                    new ContainerPortBuilder().withContainerPort(53).withProtocol("UDP").build())
                .build(),
            container("side")
                .withPorts(
                    new ContainerPortBuilder().withContainerPort(80).withProtocol("TCP").build())
                .build());
    var group = translated(pod).group();
    var ports = group.containers().get(0).ports();
    assertThat(ports).extracting(p -> p.port()).containsExactly(80, 53);
    assertThat(ports)
        .extracting(p -> p.protocol())
        .containsExactly(ContainerNetworkProtocol.TCP, ContainerNetworkProtocol.UDP);
    assertThat(group.ipAddress().type()).isEqualTo(ContainerGroupIpAddressType.PUBLIC);
    assertThat(group.ipAddress().ports())
        .extracting(p -> p.port() + "/" + p.protocol())
        .containsExactly("80/TCP", "53/UDP");
  }

  @Test
  void aGroupWithoutPortsHasNoAddress() {
    assertThat(translated(pod()).group().ipAddress()).isNull();
  }

  @Test
  void privateNodesGivePrivateAddresses() {
    var node =
        new NodeContext(
            OperatingSystemTypes.LINUX,
            "westeurope",
            "c",
            "vn-1",
            null,
            java.util.List.of(Fixtures.SUBNET_ID),
            NodeContext.ResourceDefaults.ACI,
            NodeContext.GroupDefaults.ACI);
    var pod =
        pod(
            container("app")
                .withPorts(new ContainerPortBuilder().withContainerPort(80).build())
                .build());
    var t = (TranslationResult.Translated) PodTranslator.translate(pod, PodReferences.none(), node);
    assertThat(t.group().ipAddress().type()).isEqualTo(ContainerGroupIpAddressType.PRIVATE);
  }

  @Test
  void sctpPortsAndForeignHostPortsAreErrors() {
    var pod =
        pod(
            container("app")
                .withPorts(
                    new ContainerPortBuilder().withContainerPort(9).withProtocol("SCTP").build(),
                    new ContainerPortBuilder().withContainerPort(80).withHostPort(8080).build(),
                    new ContainerPortBuilder().withContainerPort(81).withHostPort(81).build(),
                    new ContainerPortBuilder().withContainerPort(82).withHostIP("1.2.3.4").build())
                .build());
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath)
        .containsExactly(
            "spec.containers[0].ports[0].protocol",
            "spec.containers[0].ports[1].hostPort",
            "spec.containers[0].ports[3].hostIP");
  }

  @ParameterizedTest
  @CsvSource({"Always,Always", "OnFailure,OnFailure", "Never,Never", ",Always"})
  void restartPolicyMaps(String pod, String aci) {
    Pod p = new PodBuilder(pod()).editSpec().withRestartPolicy(pod).endSpec().build();
    assertThat(translated(p).group().restartPolicy())
        .isEqualTo(ContainerGroupRestartPolicy.fromString(aci));
  }

  @Test
  void containerFieldsAciLacksAreErrors() {
    var pod =
        pod(
            container("app")
                .withWorkingDir("/srv")
                .withStdin(true)
                .withTty(true)
                .addNewVolumeDevice()
                .withName("d")
                .withDevicePath("/dev/x")
                .endVolumeDevice()
                .build());
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath)
        .containsExactly(
            "spec.containers[0].workingDir",
            "spec.containers[0].stdin",
            "spec.containers[0].tty",
            "spec.containers[0].volumeDevices");
  }

  @Test
  void defaultedFieldsAreAccepted() {
    translated(
        pod(
            container("app")
                .withImagePullPolicy("Always")
                .withTerminationMessagePath("/dev/termination-log")
                .withTerminationMessagePolicy("File")
                .build()));
  }

  @Test
  void podFieldsAciLacksAreErrors() {
    Pod pod =
        podBuilder(container("app").build())
            .editSpec()
            .withHostNetwork(true)
            .withHostPID(true)
            .withHostIPC(true)
            .withShareProcessNamespace(true)
            .addNewHostAlias()
            .withIp("1.2.3.4")
            .withHostnames("x")
            .endHostAlias()
            .withRuntimeClassName("kata")
            .endSpec()
            .build();
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath)
        .containsExactly(
            "spec.hostNetwork",
            "spec.hostPID",
            "spec.hostIPC",
            "spec.shareProcessNamespace",
            "spec.hostAliases",
            "spec.runtimeClassName");
  }

  @Test
  void hostnameIsANotice() {
    Pod pod =
        new PodBuilder(pod())
            .editSpec()
            .withHostname("web-0")
            .withSubdomain("web")
            .endSpec()
            .build();
    assertThat(translated(pod).notices())
        .extracting(TranslationNotice::fieldPath)
        .containsExactly("spec.hostname");
  }

  @Test
  void dnsSearchesWithoutNameserversAreIgnoredWithANotice() {
    Pod pod =
        podBuilder(container("app").build())
            .editSpec()
            .withNewDnsConfig()
            .withSearches("svc.cluster.local")
            .endDnsConfig()
            .endSpec()
            .build();
    var t = translated(pod);
    assertThat(t.group().dnsConfig()).isNull();
    assertThat(t.notices())
        .extracting(TranslationNotice::fieldPath, TranslationNotice::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "spec.dnsConfig", PodField.DNS_CONFIG_WITHOUT_NAMESERVERS.reason()));
  }

  @Test
  void dnsConfigIsCarriedOver() {
    Pod pod =
        new PodBuilder(pod())
            .editSpec()
            .withDnsPolicy("None")
            .withNewDnsConfig()
            .withNameservers("1.1.1.1")
            .withSearches("a.example", "b.example")
            .addNewOption()
            .withName("ndots")
            .withValue("2")
            .endOption()
            .addNewOption()
            .withName("edns0")
            .endOption()
            .endDnsConfig()
            .endSpec()
            .build();
    var dns = translated(pod).group().dnsConfig();
    assertThat(dns.nameServers()).containsExactly("1.1.1.1");
    assertThat(dns.searchDomains()).isEqualTo("a.example b.example");
    assertThat(dns.options()).isEqualTo("ndots:2 edns0");
  }

  @ParameterizedTest
  @CsvSource({"ClusterFirst", "ClusterFirstWithHostNet", "Default"})
  void dnsPoliciesOtherThanNoneLeaveAcisResolverWithoutANotice(String policy) {
    Pod pod = new PodBuilder(pod()).editSpec().withDnsPolicy(policy).endSpec().build();
    var t = translated(pod);
    assertThat(t.group().dnsConfig()).isNull();
    assertThat(t.notices()).isEmpty();
  }

  @Test
  void clusterFirstWithNameserversStillCarriesTheDnsConfig() {
    Pod pod =
        new PodBuilder(pod())
            .editSpec()
            .withDnsPolicy("ClusterFirst")
            .withNewDnsConfig()
            .withNameservers("10.0.0.10")
            .endDnsConfig()
            .endSpec()
            .build();
    assertThat(translated(pod).group().dnsConfig().nameServers()).containsExactly("10.0.0.10");
  }

  @Test
  void everyErrorIsReportedAtOnce() {
    var pod =
        pod(container("a").withWorkingDir("/x").build(), container("b").withArgs("x").build());
    var result =
        (TranslationResult.Rejected)
            PodTranslator.translate(pod, PodReferences.none(), Fixtures.NODE);
    assertThat(result.errors()).hasSize(2);
    assertThat(result.retriable()).isFalse();
    assertThat(result.message())
        .startsWith("spec.containers[0].workingDir: ")
        .contains("; spec.containers[1].args: ");
  }
}
