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
}
