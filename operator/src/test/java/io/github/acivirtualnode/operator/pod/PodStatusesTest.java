package io.github.acivirtualnode.operator.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodStatusesTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");

  private static ContainerStatus running(String name) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withReady(true)
        .withStarted(true)
        .withRestartCount(0)
        .withState(
            new ContainerStateBuilder()
                .withNewRunning()
                .withStartedAt("2026-01-01T00:00:00Z")
                .endRunning()
                .build())
        .build();
  }

  private static ContainerStatus exited(String name, int code) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withReady(false)
        .withRestartCount(0)
        .withState(
            new ContainerStateBuilder()
                .withNewTerminated()
                .withExitCode(code)
                .endTerminated()
                .build())
        .build();
  }

  private static Pod pod(String phase, ContainerStatus... statuses) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .withNamespace("ns")
        .endMetadata()
        .withNewStatus()
        .withPhase(phase)
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .addNewCondition()
        .withType("PodScheduled")
        .withStatus("True")
        .endCondition()
        .withContainerStatuses(statuses)
        .endStatus()
        .build();
  }

  @Test
  void aDeletedRunningPodEndsFailedWithItsContainersTerminatedAndNothingReady() {
    PodStatus status = PodStatuses.terminated(pod("Running", running("a"), exited("b", 0)), NOW);
    assertThat(status.getPhase()).isEqualTo("Failed");
    ContainerStatus a = status.getContainerStatuses().get(0);
    assertThat(a.getState().getTerminated().getExitCode()).isEqualTo(137);
    assertThat(a.getState().getTerminated().getReason()).isEqualTo(PodStatuses.GROUP_DELETED);
    assertThat(a.getState().getTerminated().getStartedAt()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(a.getState().getTerminated().getFinishedAt()).isEqualTo("2026-01-01T00:10:00Z");
    assertThat(a.getLastState().getRunning()).isNotNull();
    assertThat(a.getReady()).isFalse();
    assertThat(status.getContainerStatuses().get(1).getState().getTerminated().getExitCode())
        .isZero();
    assertThat(status.getConditions())
        .extracting(PodCondition::getType, PodCondition::getStatus)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Ready", "False"),
            org.assertj.core.groups.Tuple.tuple("PodScheduled", "True"));
  }

  @Test
  void aPodWhoseContainersAllExitedZeroEndsSucceededAndAFinalPhaseStays() {
    assertThat(PodStatuses.terminated(pod("Running", exited("a", 0)), NOW).getPhase())
        .isEqualTo("Succeeded");
    assertThat(PodStatuses.terminated(pod("Failed", running("a")), NOW).getPhase())
        .isEqualTo("Failed");
    assertThat(PodStatuses.terminated(pod("Pending"), NOW).getPhase())
        .as("never ran")
        .isEqualTo("Failed");
  }

  @Test
  void startedMeansThePodRanSomewhere() {
    assertThat(PodStatuses.started(pod("Pending"))).isFalse();
    assertThat(PodStatuses.started(pod("Running"))).isTrue();
    assertThat(PodStatuses.started(pod("Pending", exited("a", 1)))).isTrue();
    assertThat(PodStatuses.started(new PodBuilder().build())).isFalse();
    assertThat(PodStatuses.terminal(pod("Succeeded"))).isTrue();
    assertThat(PodStatuses.terminal(pod("Running"))).isFalse();
  }

  private static Pod withSpec(Pod pod, String... containers) {
    PodBuilder b = new PodBuilder(pod).withNewSpec().endSpec();
    for (String c : containers) {
      b.editSpec().addNewContainer().withName(c).withImage("nginx:1.28").endContainer().endSpec();
    }
    return b.build();
  }

  @Test
  void aReplacedGroupRestartsEveryContainerThatRanAndThePodRunsOn() {
    ContainerStatus a = new ContainerStatusBuilder(running("a")).withRestartCount(2).build();
    ContainerStatus waiting =
        new ContainerStatusBuilder()
            .withName("c")
            .withRestartCount(0)
            .withState(new ContainerStateBuilder().withNewWaiting().endWaiting().build())
            .build();
    Pod pod = withSpec(pod("Running", a, exited("b", 3), waiting), "a", "b", "c");
    PodStatus status = PodStatuses.replacing(pod, "g", NOW);
    assertThat(status.getPhase()).isEqualTo("Running");
    ContainerStatus ra = status.getContainerStatuses().get(0);
    assertThat(ra.getRestartCount()).isEqualTo(3);
    assertThat(ra.getImage()).isEqualTo("nginx:1.28");
    assertThat(ra.getReady()).isFalse();
    assertThat(ra.getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
    assertThat(ra.getLastState().getTerminated().getReason()).isEqualTo(PodStatuses.GROUP_REPLACED);
    assertThat(ra.getLastState().getTerminated().getExitCode()).isEqualTo(137);
    assertThat(ra.getLastState().getTerminated().getStartedAt()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(ra.getLastState().getTerminated().getFinishedAt()).isEqualTo("2026-01-01T00:10:00Z");
    ContainerStatus rb = status.getContainerStatuses().get(1);
    assertThat(rb.getRestartCount()).as("it had run: it runs again").isEqualTo(1);
    assertThat(rb.getLastState().getTerminated().getExitCode())
        .as("its own exit is its last state")
        .isEqualTo(3);
    ContainerStatus rc = status.getContainerStatuses().get(2);
    assertThat(rc.getRestartCount()).as("never ran: not restarted").isZero();
    assertThat(status.getConditions())
        .extracting(PodCondition::getType, PodCondition::getStatus)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Ready", "False"),
            org.assertj.core.groups.Tuple.tuple("PodScheduled", "True"));
  }

  @Test
  void theRestartCountsAGroupStartsFromAreTheOnesThePodShowsWhileReplaced() {
    ContainerStatus a = new ContainerStatusBuilder(running("a")).withRestartCount(4).build();
    Pod pod = withSpec(pod("Running", a), "a", "b");
    PodStatus status = PodStatuses.replacing(pod, "g", NOW);
    assertThat(
            io.github.acivirtualnode.operator.translation.ContainerRestarts.afterReplacement(pod))
        .containsExactly(5, 0)
        .containsExactlyElementsOf(
            status.getContainerStatuses().stream().map(ContainerStatus::getRestartCount).toList());
  }

  @Test
  void theDeadlineCountsFromTheStartTime() {
    Pod pod =
        new PodBuilder()
            .withNewSpec()
            .withActiveDeadlineSeconds(30L)
            .endSpec()
            .withNewStatus()
            .withStartTime("2026-01-01T00:00:00Z")
            .endStatus()
            .build();
    assertThat(PodStatuses.deadline(pod)).contains(Instant.parse("2026-01-01T00:00:30Z"));
    Pod notStarted = new PodBuilder(pod).withStatus(new PodStatus()).build();
    assertThat(PodStatuses.deadline(notStarted)).isEmpty();
    Pod noDeadline =
        new PodBuilder(pod).editSpec().withActiveDeadlineSeconds(null).endSpec().build();
    assertThat(PodStatuses.deadline(noDeadline)).isEmpty();
  }
}
