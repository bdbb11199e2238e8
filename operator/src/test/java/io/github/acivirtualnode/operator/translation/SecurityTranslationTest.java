package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.errors;
import static io.github.acivirtualnode.operator.translation.Fixtures.first;
import static io.github.acivirtualnode.operator.translation.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class SecurityTranslationTest {
  @Test
  void supportedFieldsAreCarriedOver() {
    var sc =
        first(
                pod(
                    container("app")
                        .withNewSecurityContext()
                        .withPrivileged(false)
                        .withAllowPrivilegeEscalation(false)
                        .withNewCapabilities()
                        .withAdd("NET_ADMIN")
                        .withDrop("ALL")
                        .endCapabilities()
                        .withRunAsUser(1000L)
                        .withRunAsGroup(2000L)
                        .withRunAsNonRoot(true)
                        .withNewSeccompProfile()
                        .withType("RuntimeDefault")
                        .endSeccompProfile()
                        .endSecurityContext()
                        .build()))
            .securityContext();
    assertThat(sc.privileged()).isFalse();
    assertThat(sc.allowPrivilegeEscalation()).isFalse();
    assertThat(sc.capabilities().add()).containsExactly("NET_ADMIN");
    assertThat(sc.capabilities().drop()).containsExactly("ALL");
    assertThat(sc.runAsUser()).isEqualTo(1000);
    assertThat(sc.runAsGroup()).isEqualTo(2000);
  }

  @Test
  void podLevelUserAppliesToContainers() {
    var pod =
        new PodBuilder(pod())
            .editSpec()
            .withNewSecurityContext()
            .withRunAsUser(42L)
            .endSecurityContext()
            .endSpec()
            .build();
    assertThat(first(pod).securityContext().runAsUser()).isEqualTo(42);
  }

  @Test
  void noSecurityContextSendsNone() {
    assertThat(first(pod()).securityContext()).isNull();
  }

  @Test
  void whatAciCannotEnforceIsAnError() {
    var pod =
        new PodBuilder(
                pod(
                    container("app")
                        .withNewSecurityContext()
                        .withReadOnlyRootFilesystem(true)
                        .withRunAsNonRoot(true)
                        .withNewSeccompProfile()
                        .withType("Unconfined")
                        .endSeccompProfile()
                        .endSecurityContext()
                        .build()))
            .editSpec()
            .withNewSecurityContext()
            .withFsGroup(1L)
            .addNewSysctl("a", "b")
            .endSecurityContext()
            .endSpec()
            .build();
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath)
        .containsExactly(
            "spec.securityContext.fsGroup",
            "spec.securityContext.sysctls",
            "spec.containers[0].securityContext.readOnlyRootFilesystem",
            "spec.containers[0].securityContext.seccompProfile",
            "spec.containers[0].securityContext.runAsNonRoot");
  }

  private static java.util.List<TranslationError> containerErrors(
      io.fabric8.kubernetes.api.model.SecurityContext sc) {
    return errors(pod(container("app").withSecurityContext(sc).build()));
  }

  private static io.fabric8.kubernetes.api.model.SecurityContextBuilder sc() {
    return new io.fabric8.kubernetes.api.model.SecurityContextBuilder();
  }

  @Test
  void aPrivilegedContainerIsRefused() {
    assertThat(containerErrors(sc().withPrivileged(true).build()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(TranslationError.Kind.UNSUPPORTED);
              assertThat(e.fieldPath()).isEqualTo("spec.containers[0].securityContext.privileged");
              assertThat(e.reason()).contains("privileged containers");
            });
  }

  @Test
  void aPrivilegedInitContainerIsRefused() {
    var pod =
        new PodBuilder(pod())
            .editSpec()
            .addToInitContainers(
                container("setup").withSecurityContext(sc().withPrivileged(true).build()).build())
            .endSpec()
            .build();
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath)
        .containsExactly("spec.initContainers[0].securityContext.privileged");
  }

  @Test
  void allowPrivilegeEscalationAloneIsCarriedOver() {
    var aci =
        first(
                pod(
                    container("app")
                        .withSecurityContext(sc().withAllowPrivilegeEscalation(true).build())
                        .build()))
            .securityContext();
    assertThat(aci.allowPrivilegeEscalation()).isTrue();
    assertThat(aci.privileged()).isNull();
    assertThat(aci.capabilities()).isNull();
  }

  @Test
  void runtimeDefaultProfilesAreAcceptedWithoutANotice() {
    var t =
        Fixtures.translated(
            pod(
                container("app")
                    .withSecurityContext(
                        sc().withNewSeccompProfile()
                            .withType("RuntimeDefault")
                            .endSeccompProfile()
                            .withNewAppArmorProfile()
                            .withType("RuntimeDefault")
                            .endAppArmorProfile()
                            .withProcMount("Default")
                            .withReadOnlyRootFilesystem(false)
                            .build())
                    .build()));
    assertThat(t.notices()).isEmpty();
    // Nothing ACI needs to be told: its runtime's defaults are what was asked.
    assertThat(t.group().containers().get(0).securityContext()).isNull();
  }

  @Test
  void aLocalhostSeccompProfileIsRefusedAsANodeFile() {
    assertThat(
            containerErrors(
                sc().withNewSeccompProfile()
                    .withType("Localhost")
                    .withLocalhostProfile("profiles/audit.json")
                    .endSeccompProfile()
                    .build()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.fieldPath())
                  .isEqualTo("spec.containers[0].securityContext.seccompProfile");
              assertThat(e.reason()).isEqualTo(PodField.SECCOMP_LOCALHOST.reason());
            });
  }

  @Test
  void anUnconfinedSeccompProfileIsRefused() {
    assertThat(
            containerErrors(
                sc().withNewSeccompProfile().withType("Unconfined").endSeccompProfile().build()))
        .extracting(TranslationError::reason)
        .containsExactly(PodField.SECCOMP_UNCONFINED.reason());
  }

  @Test
  void aPodSeccompProfileIsCheckedAtThePodPath() {
    var pod =
        new PodBuilder(pod())
            .editSpec()
            .withNewSecurityContext()
            .withNewSeccompProfile()
            .withType("Localhost")
            .withLocalhostProfile("p.json")
            .endSeccompProfile()
            .endSecurityContext()
            .endSpec()
            .build();
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath)
        .containsExactly("spec.securityContext.seccompProfile");
  }

  @Test
  void appArmorOtherThanRuntimeDefaultIsRefused() {
    assertThat(
            containerErrors(
                sc().withNewAppArmorProfile().withType("Unconfined").endAppArmorProfile().build()))
        .extracting(TranslationError::fieldPath)
        .containsExactly("spec.containers[0].securityContext.appArmorProfile");
  }

  @Test
  void procMountSeLinuxAndWindowsOptionsAreRefused() {
    assertThat(
            containerErrors(
                sc().withProcMount("Unmasked")
                    .withNewSeLinuxOptions()
                    .withLevel("s0:c123")
                    .endSeLinuxOptions()
                    .withNewWindowsOptions()
                    .withRunAsUserName("ContainerUser")
                    .endWindowsOptions()
                    .build()))
        .extracting(TranslationError::fieldPath)
        .containsExactly(
            "spec.containers[0].securityContext.procMount",
            "spec.containers[0].securityContext.seLinuxOptions",
            "spec.containers[0].securityContext.windowsOptions");
  }

  @Test
  void runAsNonRootWithANonZeroUserIsSatisfied() {
    var t =
        Fixtures.translated(
            pod(
                container("app")
                    .withSecurityContext(sc().withRunAsNonRoot(true).withRunAsUser(65532L).build())
                    .build()));
    assertThat(t.group().containers().get(0).securityContext().runAsUser()).isEqualTo(65532);
    assertThat(t.notices()).isEmpty();
  }

  @Test
  void runAsNonRootWithUserZeroIsInvalid() {
    assertThat(containerErrors(sc().withRunAsNonRoot(true).withRunAsUser(0L).build()))
        .singleElement()
        .satisfies(e -> assertThat(e.kind()).isEqualTo(TranslationError.Kind.INVALID));
  }

  @Test
  void aPodRunAsNonRootWithoutAUserIsRefusedAtThePodPath() {
    var pod =
        new PodBuilder(pod())
            .editSpec()
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .endSecurityContext()
            .endSpec()
            .build();
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath)
        .containsExactly("spec.securityContext.runAsNonRoot");
  }

  @Test
  void theContainersUserWinsOverThePods() {
    var pod =
        new PodBuilder(
                pod(container("app").withSecurityContext(sc().withRunAsUser(7L).build()).build()))
            .editSpec()
            .withNewSecurityContext()
            .withRunAsUser(42L)
            .withRunAsGroup(43L)
            .endSecurityContext()
            .endSpec()
            .build();
    var aci = first(pod).securityContext();
    assertThat(aci.runAsUser()).isEqualTo(7);
    assertThat(aci.runAsGroup()).isEqualTo(43);
  }

  @Test
  void anIdAciCannotHoldIsInvalid() {
    assertThat(containerErrors(sc().withRunAsUser(1L << 32).build()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(TranslationError.Kind.INVALID);
              assertThat(e.fieldPath()).isEqualTo("spec.containers[0].securityContext.runAsUser");
            });
  }

  @Test
  void podGroupSettingsAciLacksAreRefused() {
    var pod =
        new PodBuilder(pod())
            .editSpec()
            .withNewSecurityContext()
            .withFsGroupChangePolicy("OnRootMismatch")
            .withSupplementalGroups(5L)
            .withSupplementalGroupsPolicy("Strict")
            .withSeLinuxChangePolicy("MountOption")
            .endSecurityContext()
            .endSpec()
            .build();
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath)
        .containsExactly(
            "spec.securityContext.fsGroupChangePolicy",
            "spec.securityContext.supplementalGroups",
            "spec.securityContext.supplementalGroupsPolicy",
            "spec.securityContext.seLinuxChangePolicy");
  }
}
