package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.NODE;
import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.errors;
import static io.github.acivirtualnode.operator.translation.Fixtures.podBuilder;
import static io.github.acivirtualnode.operator.translation.Fixtures.refs;
import static io.github.acivirtualnode.operator.translation.Fixtures.secret;
import static io.github.acivirtualnode.operator.translation.Fixtures.translated;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.models.EnvironmentVariable;
import com.azure.resourcemanager.containerinstance.models.InitContainerDefinition;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Init containers (to ACI's initContainers) and native sidecars (to the group's containers). */
class InitContainerTranslationTest {
  private static Pod withInit(Container... init) {
    return podBuilder(container("app").build())
        .editSpec()
        .withInitContainers(init)
        .addNewVolume()
        .withName("work")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .build();
  }

  private static InitContainerDefinition firstInit(Pod pod) {
    List<InitContainerDefinition> init = translated(pod).group().initContainers();
    assertThat(init).hasSize(1);
    return init.get(0);
  }

  private static ContainerBuilder init(String name) {
    return new ContainerBuilder().withName(name).withImage("busybox:1.36");
  }

  private static ContainerBuilder sidecar(String name) {
    return new ContainerBuilder()
        .withName(name)
        .withImage("envoyproxy/envoy:v1.31")
        .withRestartPolicy("Always");
  }

  private static List<String> paths(List<TranslationError> errors) {
    return errors.stream().map(TranslationError::fieldPath).toList();
  }

  @Test
  void anInitContainerBecomesAnAciInitContainerFieldByField() {
    Pod pod =
        withInit(
            init("setup")
                .withCommand("sh", "-c")
                .withArgs("echo $(GREETING) > /work/hello")
                .addNewEnv()
                .withName("GREETING")
                .withValue("hi")
                .endEnv()
                .addNewVolumeMount()
                .withName("work")
                .withMountPath("/work")
                .endVolumeMount()
                .withNewSecurityContext()
                .withRunAsUser(1000L)
                .endSecurityContext()
                .build());
    var t = translated(pod);
    assertThat(t.group().containers())
        .as("the init container is not one of the group's containers")
        .extracting(c -> c.name())
        .containsExactly("app");
    InitContainerDefinition aci = firstInit(pod);
    assertThat(aci.name()).isEqualTo("setup");
    assertThat(aci.image()).isEqualTo("busybox:1.36");
    assertThat(aci.command()).containsExactly("sh", "-c", "echo hi > /work/hello");
    assertThat(aci.environmentVariables())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.name()).isEqualTo("GREETING");
              assertThat(e.value()).isEqualTo("hi");
              assertThat(e.secureValue()).isNull();
            });
    assertThat(aci.volumeMounts())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.name()).isEqualTo("work");
              assertThat(m.mountPath()).isEqualTo("/work");
            });
    assertThat(aci.securityContext().runAsUser()).isEqualTo(1000);
    assertThat(t.notices()).isEmpty();
  }

  @Test
  void initContainersKeepTheirOrder() {
    var t = translated(withInit(init("first").build(), init("second").build()));
    assertThat(t.group().initContainers())
        .extracting(InitContainerDefinition::name)
        .containsExactly("first", "second");
  }

  @Test
  void aPodWithoutInitContainersSendsNone() {
    assertThat(translated(Fixtures.pod()).group().initContainers()).isNull();
  }

  @Test
  void anInitContainerSecretIsASecureValue() {
    Pod pod =
        withInit(
            init("setup")
                .addNewEnv()
                .withName("TOKEN")
                .withNewValueFrom()
                .withNewSecretKeyRef("token", "api", null)
                .endValueFrom()
                .endEnv()
                .build());
    assertThat(PodReferences.referencedBy(pod).secrets())
        .as("init containers' references are read too")
        .containsExactly("api");
    var t = translated(pod, refs(secret("api", Map.of("token", "s3cret"))));
    EnvironmentVariable env = t.group().initContainers().get(0).environmentVariables().get(0);
    assertThat(env.secureValue()).isEqualTo("s3cret");
    assertThat(env.value()).isNull();
  }

  @Test
  void aMissingSecretOfAnInitContainerIsWaitedFor() {
    Pod pod =
        withInit(init("setup").addNewEnvFrom().withNewSecretRef("api", null).endEnvFrom().build());
    var result = (TranslationResult.Rejected) PodTranslator.translate(pod, refs(), NODE);
    assertThat(paths(result.errors()))
        .containsExactly("spec.initContainers[0].envFrom[0].secretRef");
    assertThat(result.retriable()).isTrue();
  }

  @Test
  void anInitContainerCommandExpandingASecretIsAnError() {
    Pod pod =
        withInit(
            init("setup")
                .withCommand("sh", "-c", "login $(TOKEN)")
                .addNewEnv()
                .withName("TOKEN")
                .withNewValueFrom()
                .withNewSecretKeyRef("token", "api", null)
                .endValueFrom()
                .endEnv()
                .build());
    assertThat(paths(errors(pod, refs(secret("api", Map.of("token", "s"))))))
        .containsExactly("spec.initContainers[0].command[2]");
  }

  @Test
  void anInitContainerWithArgsAloneIsAnError() {
    assertThat(paths(errors(withInit(init("setup").withArgs("--migrate").build()))))
        .containsExactly("spec.initContainers[0].args");
  }

  @Test
  void anInitContainerWithoutImageIsInvalid() {
    var errors = errors(withInit(new ContainerBuilder().withName("setup").build()));
    assertThat(paths(errors)).containsExactly("spec.initContainers[0].image");
    assertThat(errors.get(0).kind()).isEqualTo(TranslationError.Kind.INVALID);
  }

  @Test
  void anInitContainerMountingAnUnknownVolumeIsAnError() {
    Pod pod =
        withInit(
            init("setup")
                .addNewVolumeMount()
                .withName("nope")
                .withMountPath("/x")
                .endVolumeMount()
                .build());
    assertThat(paths(errors(pod))).containsExactly("spec.initContainers[0].volumeMounts[0].name");
  }

  @Test
  void resourcesTheGroupCoversAreANotice() {
    // The app container gets the node's defaults, 1 core and 1.5 GB: the group's total.
    Pod pod =
        withInit(
            init("setup")
                .withNewResources()
                .addToRequests("cpu", new Quantity("500m"))
                .addToRequests("memory", new Quantity("1G"))
                .addToLimits("memory", new Quantity("1G"))
                .endResources()
                .build());
    var t = translated(pod);
    assertThat(t.notices())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.fieldPath()).isEqualTo("spec.initContainers[0].resources");
              assertThat(n.message()).contains("1 cores and 1.5 GB");
            });
  }

  @Test
  void aCpuRequestAboveTheGroupsTotalIsAnError() {
    Pod pod =
        withInit(
            init("setup")
                .withNewResources()
                .addToRequests("cpu", new Quantity("2"))
                .endResources()
                .build());
    var errors = errors(pod);
    assertThat(paths(errors)).containsExactly("spec.initContainers[0].resources.requests[cpu]");
    assertThat(errors.get(0).reason()).contains("(1 cores)").contains("the 2 asked for");
  }

  @Test
  void aMemoryRequestAboveTheGroupsTotalIsAnError() {
    Pod pod =
        withInit(
            init("setup")
                .withNewResources()
                .addToRequests("memory", new Quantity("2Gi"))
                .endResources()
                .build());
    assertThat(paths(errors(pod)))
        .containsExactly("spec.initContainers[0].resources.requests[memory]");
  }

  @Test
  void aLimitAloneCountsAsTheRequest() {
    Pod pod =
        withInit(
            init("setup")
                .withNewResources()
                .addToLimits("cpu", new Quantity("3"))
                .endResources()
                .build());
    assertThat(paths(errors(pod))).containsExactly("spec.initContainers[0].resources.limits[cpu]");
  }

  @Test
  void theGroupsTotalCountsEveryAppContainerAndSidecar() {
    Pod pod =
        podBuilder(
                container("a")
                    .withNewResources()
                    .addToRequests("cpu", new Quantity("1"))
                    .endResources()
                    .build(),
                container("b")
                    .withNewResources()
                    .addToRequests("cpu", new Quantity("500m"))
                    .endResources()
                    .build())
            .editSpec()
            .withInitContainers(
                sidecar("proxy")
                    .withNewResources()
                    .addToRequests("cpu", new Quantity("250m"))
                    .endResources()
                    .build(),
                init("setup")
                    .withNewResources()
                    .addToRequests("cpu", new Quantity("1750m"))
                    .endResources()
                    .build())
            .endSpec()
            .build();
    assertThat(translated(pod).notices())
        .extracting(TranslationNotice::fieldPath)
        .containsExactly("spec.initContainers[1].resources");
  }

  @Test
  void otherResourcesOnAnInitContainerAreErrors() {
    Pod pod =
        withInit(
            init("setup")
                .withNewResources()
                .addToRequests("nvidia.com/gpu", new Quantity("1"))
                .endResources()
                .build());
    assertThat(paths(errors(pod)))
        .containsExactly("spec.initContainers[0].resources.requests[nvidia.com/gpu]");
  }

  @Test
  void anInitContainerSeesTheGroupsResourcesInResourceFieldRefs() {
    Pod pod =
        withInit(
            init("setup")
                .addNewEnv()
                .withName("CPU")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withResource("limits.cpu")
                .withDivisor(new Quantity("1m"))
                .endResourceFieldRef()
                .endValueFrom()
                .endEnv()
                .build());
    assertThat(firstInit(pod).environmentVariables().get(0).value()).isEqualTo("1000");
  }

  @Test
  void initContainerPortsAreANotice() {
    Pod pod = withInit(init("setup").addNewPort().withContainerPort(8080).endPort().build());
    var t = translated(pod);
    assertThat(t.notices())
        .extracting(TranslationNotice::fieldPath)
        .containsExactly("spec.initContainers[0].ports");
    assertThat(t.group().ipAddress()).as("no address for an init container's port").isNull();
  }

  @Test
  void anInitContainerLivenessProbeIsAnError() {
    Pod pod =
        withInit(
            init("setup")
                .withNewLivenessProbe()
                .withNewExec()
                .withCommand("true")
                .endExec()
                .endLivenessProbe()
                .build());
    assertThat(paths(errors(pod))).containsExactly("spec.initContainers[0].livenessProbe");
  }

  @Test
  void anInitContainerReadinessProbeIsAnError() {
    Pod pod =
        withInit(
            init("setup")
                .withNewReadinessProbe()
                .withNewExec()
                .withCommand("true")
                .endExec()
                .endReadinessProbe()
                .build());
    assertThat(paths(errors(pod))).containsExactly("spec.initContainers[0].readinessProbe");
  }

  @Test
  void anInitContainerStartupProbeIsAnError() {
    Pod pod =
        withInit(
            init("setup")
                .withNewStartupProbe()
                .withNewExec()
                .withCommand("true")
                .endExec()
                .endStartupProbe()
                .build());
    assertThat(paths(errors(pod))).containsExactly("spec.initContainers[0].startupProbe");
  }

  @Test
  void anInitContainerLifecycleHookIsAnError() {
    Pod pod =
        withInit(
            init("setup")
                .withNewLifecycle()
                .withNewPostStart()
                .withNewExec()
                .withCommand("true")
                .endExec()
                .endPostStart()
                .endLifecycle()
                .build());
    assertThat(paths(errors(pod))).containsExactly("spec.initContainers[0].lifecycle");
  }

  @Test
  void anInitContainerWorkingDirIsAnError() {
    assertThat(paths(errors(withInit(init("setup").withWorkingDir("/w").build()))))
        .containsExactly("spec.initContainers[0].workingDir");
  }

  @Test
  void anInitContainerRestartPolicyOtherThanAlwaysIsAnError() {
    assertThat(paths(errors(withInit(init("setup").withRestartPolicy("OnFailure").build()))))
        .containsExactly("spec.initContainers[0].restartPolicy");
  }

  @Test
  void aSidecarBecomesAGroupContainerAfterTheAppContainers() {
    Pod pod =
        withInit(
            init("setup").build(),
            sidecar("proxy")
                .addNewPort()
                .withContainerPort(9901)
                .endPort()
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/ready")
                .withNewPort(9901)
                .endHttpGet()
                .endReadinessProbe()
                .withNewResources()
                .addToRequests("cpu", new Quantity("250m"))
                .addToRequests("memory", new Quantity("256M"))
                .endResources()
                .build());
    var t = translated(pod);
    assertThat(t.group().containers()).extracting(c -> c.name()).containsExactly("app", "proxy");
    assertThat(t.group().initContainers())
        .extracting(InitContainerDefinition::name)
        .containsExactly("setup");
    var proxy = t.group().containers().get(1);
    assertThat(proxy.image()).isEqualTo("envoyproxy/envoy:v1.31");
    assertThat(proxy.ports()).extracting(p -> p.port()).containsExactly(9901);
    assertThat(proxy.readinessProbe().httpGet().path()).isEqualTo("/ready");
    assertThat(proxy.resources().requests().cpu()).isEqualTo(0.25);
    assertThat(proxy.resources().requests().memoryInGB()).isEqualTo(0.3);
    assertThat(t.group().ipAddress().ports()).extracting(p -> p.port()).containsExactly(9901);
    assertThat(t.notices()).isEmpty();
  }

  @Test
  void aSidecarUnderRestartPolicyNeverIsANotice() {
    Pod pod = withInit(sidecar("proxy").build());
    pod.getSpec().setRestartPolicy("Never");
    assertThat(translated(pod).notices())
        .extracting(TranslationNotice::fieldPath)
        .containsExactly("spec.initContainers[0].restartPolicy");
  }

  @Test
  void aSidecarStartupProbeIsAnError() {
    Pod pod =
        withInit(
            sidecar("proxy")
                .withNewStartupProbe()
                .withNewExec()
                .withCommand("true")
                .endExec()
                .endStartupProbe()
                .build());
    assertThat(paths(errors(pod))).containsExactly("spec.initContainers[0].startupProbe");
  }

  @Test
  void aSidecarIsASecondContainerOfAWindowsGroup() {
    var node =
        NodeContext.of(OperatingSystemTypes.WINDOWS, "westeurope", "cluster-uid", "vn-1", null);
    Pod pod =
        podBuilder(container("app").build())
            .editSpec()
            .withInitContainers(sidecar("proxy").build())
            .endSpec()
            .build();
    var result = (TranslationResult.Rejected) PodTranslator.translate(pod, refs(), node);
    assertThat(paths(result.errors())).containsExactly("spec.containers");
  }

  @Test
  void initContainerImagesGetRegistryCredentials() {
    var pull =
        new io.fabric8.kubernetes.api.model.SecretBuilder()
            .withNewMetadata()
            .withName("reg")
            .withNamespace("shop")
            .endMetadata()
            .withType("kubernetes.io/dockerconfigjson")
            .addToData(
                ".dockerconfigjson",
                Fixtures.b64(
                    "{\"auths\":{\"myreg.azurecr.io\":{\"username\":\"u\",\"password\":\"p\"}}}"))
            .build();
    Pod pod =
        podBuilder(container("app").build())
            .editSpec()
            .withInitContainers(init("setup").withImage("myreg.azurecr.io/setup:1").build())
            .addNewImagePullSecret("reg")
            .endSpec()
            .build();
    assertThat(translated(pod, refs(pull)).group().imageRegistryCredentials())
        .extracting(c -> c.server())
        .containsExactly("myreg.azurecr.io");
  }
}
