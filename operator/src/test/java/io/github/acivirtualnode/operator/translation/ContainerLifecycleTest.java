package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.errors;
import static io.github.acivirtualnode.operator.translation.Fixtures.pod;
import static io.github.acivirtualnode.operator.translation.Fixtures.translated;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerResizePolicyBuilder;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import org.junit.jupiter.api.Test;

/** Lifecycle hooks, stop signals and resize policies: what ACI has none of. */
class ContainerLifecycleTest {
  private static LifecycleHandlerBuilder sleep(long seconds) {
    return new LifecycleHandlerBuilder().withNewSleep(seconds);
  }

  @Test
  void aPreStopSleepRunsThePodWithAWarning() {
    var t =
        translated(
            pod(
                container("app")
                    .withNewLifecycle()
                    .withPreStop(sleep(15).build())
                    .endLifecycle()
                    .build()));
    assertThat(t.group().containers()).hasSize(1);
    assertThat(t.notices())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.fieldPath()).isEqualTo("spec.containers[0].lifecycle.preStop");
              assertThat(n.message()).isEqualTo(PodField.PRE_STOP.reason());
              assertThat(n.warning()).isTrue();
            });
  }

  @Test
  void aPreStopExecHookIsAWarningToo() {
    var t =
        translated(
            pod(
                container("app")
                    .withNewLifecycle()
                    .withNewPreStop()
                    .withNewExec()
                    .withCommand("nginx", "-s", "quit")
                    .endExec()
                    .endPreStop()
                    .endLifecycle()
                    .build()));
    assertThat(t.notices())
        .extracting(TranslationNotice::fieldPath)
        .containsExactly("spec.containers[0].lifecycle.preStop");
  }

  @Test
  void aStopSignalIsAWarning() {
    var t =
        translated(
            pod(
                container("app")
                    .withNewLifecycle()
                    .withStopSignal("SIGUSR1")
                    .endLifecycle()
                    .build()));
    assertThat(t.notices())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.fieldPath()).isEqualTo("spec.containers[0].lifecycle.stopSignal");
              assertThat(n.warning()).isTrue();
            });
  }

  @Test
  void aPostStartHookIsRefused() {
    var pod =
        pod(
            container("app")
                .withNewLifecycle()
                .withNewPostStart()
                .withNewExec()
                .withCommand("/bin/setup")
                .endExec()
                .endPostStart()
                .withPreStop(sleep(5).build())
                .endLifecycle()
                .build());
    assertThat(errors(pod))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(TranslationError.Kind.UNSUPPORTED);
              assertThat(e.fieldPath()).isEqualTo("spec.containers[0].lifecycle.postStart");
              assertThat(e.reason()).contains("no hooks").contains("command");
            });
  }

  @Test
  void aSidecarPreStopIsAWarningAsOnAnAppContainer() {
    var pod =
        new io.fabric8.kubernetes.api.model.PodBuilder(pod())
            .editSpec()
            .addToInitContainers(
                container("proxy")
                    .withRestartPolicy("Always")
                    .withNewLifecycle()
                    .withPreStop(sleep(5).build())
                    .endLifecycle()
                    .build())
            .endSpec()
            .build();
    assertThat(translated(pod).notices())
        .extracting(TranslationNotice::fieldPath)
        .containsExactly("spec.initContainers[0].lifecycle.preStop");
  }

  @Test
  void aResizePolicyIsIgnoredWithANotice() {
    var t =
        translated(
            pod(
                container("app")
                    .withResizePolicy(
                        new ContainerResizePolicyBuilder()
                            .withResourceName("cpu")
                            .withRestartPolicy("NotRequired")
                            .build())
                    .build()));
    assertThat(t.notices())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.fieldPath()).isEqualTo("spec.containers[0].resizePolicy");
              assertThat(n.warning()).isFalse();
            });
  }
}
