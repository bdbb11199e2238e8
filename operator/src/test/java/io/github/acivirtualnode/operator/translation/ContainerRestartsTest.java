package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerRestartsTest {
  private static Pod twoContainers() {
    return new PodBuilder(pod(container("a").build(), container("b").build()))
        .withNewStatus()
        .addNewContainerStatus()
        .withName("b")
        .withRestartCount(2)
        .withState(new ContainerStateBuilder().withNewRunning().endRunning().build())
        .endContainerStatus()
        .addNewContainerStatus()
        .withName("a")
        .withRestartCount(0)
        .withState(new ContainerStateBuilder().withNewWaiting().endWaiting().build())
        .endContainerStatus()
        .endStatus()
        .build();
  }

  @Test
  void aReplacementStartsFromTheCountsSoFarPlusOneForEachContainerThatRan() {
    assertThat(ContainerRestarts.afterReplacement(twoContainers()))
        .as("in spec order: a never ran, b ran after 2 restarts")
        .containsExactly(0, 3);
    assertThat(ContainerRestarts.afterReplacement(pod())).as("no status").containsExactly(0);
  }

  @Test
  void aContainerRanIfItRunsOrTerminatedNowOrBefore() {
    assertThat(ContainerRestarts.ran(null)).isFalse();
    assertThat(ContainerRestarts.ran(new ContainerStatusBuilder().build())).isFalse();
    assertThat(
            ContainerRestarts.ran(
                new ContainerStatusBuilder()
                    .withState(
                        new ContainerStateBuilder().withNewTerminated().endTerminated().build())
                    .build()))
        .isTrue();
    assertThat(
            ContainerRestarts.ran(
                new ContainerStatusBuilder()
                    .withState(new ContainerStateBuilder().withNewWaiting().endWaiting().build())
                    .withLastState(
                        new ContainerStateBuilder().withNewTerminated().endTerminated().build())
                    .build()))
        .as("crash-looping")
        .isTrue();
  }

  @Test
  void theCountsGoWithTheGroupAsATagAndComeBack() {
    ContainerGroupInner g =
        ContainerRestarts.withBase(
            new ContainerGroupInner().withTags(Map.of("k8s-pod-name", "web")), List.of(0, 3));
    assertThat(g.tags()).containsEntry(ContainerRestarts.TAG, "0,3").containsKey("k8s-pod-name");
    assertThat(ContainerRestarts.base(g, 0)).isZero();
    assertThat(ContainerRestarts.base(g, 1)).isEqualTo(3);
    assertThat(ContainerRestarts.base(g, 2)).as("beyond the tag").isZero();
    assertThat(ContainerRestarts.base(new ContainerGroupInner(), 0)).as("no tags").isZero();
  }

  @Test
  void noTagWhenThereIsNothingToCarryOrItWouldNotFit() {
    assertThat(ContainerRestarts.withBase(new ContainerGroupInner(), List.of(0, 0)).tags())
        .doesNotContainKey(ContainerRestarts.TAG);
    List<Integer> many = Collections.nCopies(60, 1_000_000);
    assertThat(ContainerRestarts.withBase(new ContainerGroupInner(), many).tags())
        .as("longer than ARM's 256 characters")
        .doesNotContainKey(ContainerRestarts.TAG);
    assertThat(ContainerRestarts.encode(Collections.nCopies(60, 999)).length())
        .as("60 containers with 999 restarts fit")
        .isLessThanOrEqualTo(ContainerRestarts.MAX_TAG_VALUE);
  }

  @Test
  void anUnreadableTagCountsAsNone() {
    assertThat(ContainerRestarts.decode(null)).isEmpty();
    assertThat(ContainerRestarts.decode(" ")).isEmpty();
    assertThat(ContainerRestarts.decode("1,x")).isEmpty();
    assertThat(ContainerRestarts.decode("1,-4")).containsExactly(1, 0);
    assertThat(ContainerRestarts.decode("2, 5")).containsExactly(2, 5);
  }

  @Test
  void sidecarsCountAfterTheAppContainersWithTheirInitContainerStatus() {
    Pod pod =
        new PodBuilder(twoContainers())
            .editSpec()
            .addNewInitContainer()
            .withName("setup")
            .withImage("busybox:1.36")
            .endInitContainer()
            .addNewInitContainer()
            .withName("proxy")
            .withImage("envoy:1")
            .withRestartPolicy("Always")
            .endInitContainer()
            .endSpec()
            .editStatus()
            .addNewInitContainerStatus()
            .withName("setup")
            .withRestartCount(0)
            .withState(
                new ContainerStateBuilder()
                    .withNewTerminated()
                    .withExitCode(0)
                    .endTerminated()
                    .build())
            .endInitContainerStatus()
            .addNewInitContainerStatus()
            .withName("proxy")
            .withRestartCount(4)
            .withState(new ContainerStateBuilder().withNewRunning().endRunning().build())
            .endInitContainerStatus()
            .endStatus()
            .build();
    assertThat(ContainerRestarts.afterReplacement(pod))
        .as("a, b, then the sidecar; the init container that ran to completion is not restarted")
        .containsExactly(0, 3, 5);
  }
}
