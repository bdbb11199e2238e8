package io.github.acivirtualnode.operator.pod;

import static io.github.acivirtualnode.operator.pod.PodDecision.Action.CONFIRM_ABSENCE;
import static io.github.acivirtualnode.operator.pod.PodDecision.Action.CREATE;
import static io.github.acivirtualnode.operator.pod.PodDecision.Action.DELETE_GROUP;
import static io.github.acivirtualnode.operator.pod.PodDecision.Action.NOTHING;
import static io.github.acivirtualnode.operator.pod.PodDecision.Action.OBSERVE;
import static io.github.acivirtualnode.operator.pod.PodDecision.Action.REMOVE_POD;
import static io.github.acivirtualnode.operator.pod.PodDecision.Action.REPLACE;
import static io.github.acivirtualnode.operator.pod.PodDecision.Action.VANISHED;
import static io.github.acivirtualnode.operator.pod.PodDecision.Action.WAIT_FOR_LIST;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.github.acivirtualnode.operator.pod.PodDecision.Facts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodDecisionTest {
  /** A live pod after the first list, with no group and nothing done yet. */
  private static final Facts NEW = new Facts(false, false, true, false, false, false, false, false);

  private static Facts with(
      boolean deleting,
      boolean terminal,
      boolean listed,
      boolean exists,
      boolean created,
      boolean gone,
      boolean started,
      boolean deleteRequested) {
    return new Facts(deleting, terminal, listed, exists, created, gone, started, deleteRequested);
  }

  private static Facts pastDeadline(
      boolean deleting, boolean terminal, boolean listed, boolean exists) {
    return new Facts(deleting, terminal, listed, exists, false, false, true, false, false, true);
  }

  @Test
  void aPodPastItsDeadlineIsStoppedUnlessItIsFinalOrBeingDeleted() {
    assertThat(PodDecision.decide(pastDeadline(false, false, true, true)))
        .isEqualTo(PodDecision.Action.DEADLINE_EXCEEDED);
    assertThat(PodDecision.decide(pastDeadline(false, false, true, false)))
        .as("never created: no group to make now")
        .isEqualTo(PodDecision.Action.DEADLINE_EXCEEDED);
    assertThat(PodDecision.decide(pastDeadline(false, false, false, false)))
        .as("before the first list: deleting by name needs no list")
        .isEqualTo(PodDecision.Action.DEADLINE_EXCEEDED);
    assertThat(PodDecision.decide(pastDeadline(false, true, true, true)))
        .as("already final")
        .isEqualTo(PodDecision.Action.NOTHING);
    assertThat(PodDecision.decide(pastDeadline(true, false, true, true)))
        .as("being deleted: the delete path goes on")
        .isEqualTo(PodDecision.Action.DELETE_GROUP);
  }

  @Test
  void aLivePodComesBackWhenItsDeadlineIsDueAndAFinalOneNever() {
    java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");
    var due = java.util.Optional.of(now.plusSeconds(30));
    var live = new Facts(false, false, true, true, false, false, true, false);
    assertThat(PodDecision.deadlineRecheck(live, due, now))
        .contains(java.time.Duration.ofSeconds(30));
    assertThat(PodDecision.deadlineRecheck(live, java.util.Optional.empty(), now)).isEmpty();
    // A pod that failed at its deadline (or ended before it) is final: not queued again, which
    // a delay of zero or less would do at once and for ever.
    var terminal = new Facts(false, true, true, true, false, false, true, false);
    assertThat(PodDecision.deadlineRecheck(terminal, due, now)).isEmpty();
    assertThat(
            PodDecision.deadlineRecheck(terminal, java.util.Optional.of(now.minusSeconds(5)), now))
        .isEmpty();
    var deleting = new Facts(true, false, true, true, false, false, true, false);
    assertThat(PodDecision.deadlineRecheck(deleting, due, now)).isEmpty();
    // Due now: this sync acted on it (DEADLINE_EXCEEDED).
    assertThat(PodDecision.deadlineRecheck(live, java.util.Optional.of(now), now)).isEmpty();
  }

  @Test
  void aNewPodIsCreatedOnlyOnceTheResourceGroupHasBeenListed() {
    assertThat(PodDecision.decide(NEW)).isEqualTo(CREATE);
    assertThat(PodDecision.decide(with(false, false, false, false, false, false, false, false)))
        .isEqualTo(WAIT_FOR_LIST);
  }

  @Test
  void anExistingGroupIsAdoptedNotCreatedAgain() {
    assertThat(PodDecision.decide(with(false, false, true, true, false, false, true, false)))
        .as("after a restart")
        .isEqualTo(OBSERVE);
    assertThat(PodDecision.decide(with(false, false, true, true, false, false, false, false)))
        .as("created before a restart, never reported")
        .isEqualTo(OBSERVE);
    assertThat(PodDecision.decide(with(false, false, true, false, true, false, false, false)))
        .as("just created, not listed yet")
        .isEqualTo(OBSERVE);
  }

  @Test
  void aPodThatRanWithoutAListedGroupIsConfirmedGoneBeforeItFails() {
    assertThat(PodDecision.decide(with(false, false, true, false, false, false, true, false)))
        .isEqualTo(CONFIRM_ABSENCE);
    assertThat(PodDecision.decide(with(false, false, true, false, false, true, true, false)))
        .isEqualTo(VANISHED);
    assertThat(PodDecision.decide(with(false, false, true, false, true, true, false, false)))
        .as("created by us, then gone")
        .isEqualTo(VANISHED);
    assertThat(PodDecision.decide(with(false, false, true, false, false, true, false, false)))
        .as("never ran, never created: nothing vanished")
        .isEqualTo(CREATE);
  }

  @Test
  void aTerminalPodIsLeftAlone() {
    assertThat(PodDecision.decide(with(false, true, true, true, false, false, true, false)))
        .isEqualTo(NOTHING);
    assertThat(PodDecision.decide(with(false, true, true, false, false, true, true, false)))
        .isEqualTo(NOTHING);
  }

  @Test
  void aDeletedPodLosesItsGroupFirstThenGoes() {
    assertThat(PodDecision.decide(with(true, false, true, true, false, false, true, false)))
        .isEqualTo(DELETE_GROUP);
    assertThat(PodDecision.decide(with(true, false, true, false, true, false, false, false)))
        .isEqualTo(DELETE_GROUP);
    assertThat(PodDecision.decide(with(true, true, true, true, false, false, true, false)))
        .as("a terminal pod's group goes too")
        .isEqualTo(DELETE_GROUP);
    assertThat(PodDecision.decide(with(true, false, true, true, false, false, true, true)))
        .as("the DELETE was accepted: never sent twice")
        .isEqualTo(REMOVE_POD);
    assertThat(PodDecision.decide(with(true, false, true, false, false, false, false, false)))
        .as("no group was ever made")
        .isEqualTo(REMOVE_POD);
    assertThat(PodDecision.decide(with(true, false, false, false, false, false, false, false)))
        .as("unknown until listed")
        .isEqualTo(WAIT_FOR_LIST);
  }

  /** A running pod whose group is listed, and whose images changed. */
  private static Facts imageChanged(
      boolean deleting, boolean terminal, boolean exists, boolean gone) {
    return new Facts(deleting, terminal, true, exists, false, gone, true, false, true, false);
  }

  @Test
  void aChangedImageReplacesAGroupThatExistsAndNothingElse() {
    assertThat(PodDecision.decide(imageChanged(false, false, true, false))).isEqualTo(REPLACE);
    assertThat(
            PodDecision.decide(
                new Facts(false, false, true, false, true, false, false, false, true, false)))
        .as("just created by us, not listed yet")
        .isEqualTo(REPLACE);
    assertThat(PodDecision.decide(imageChanged(true, false, true, false)))
        .as("a pod being deleted loses its group instead")
        .isEqualTo(DELETE_GROUP);
    assertThat(PodDecision.decide(imageChanged(false, true, true, false)))
        .as("a terminal pod is left alone, as a kubelet leaves it")
        .isEqualTo(NOTHING);
    assertThat(PodDecision.decide(imageChanged(false, false, false, true)))
        .as("a vanished group is not made again")
        .isEqualTo(VANISHED);
    assertThat(PodDecision.decide(imageChanged(false, false, false, false)))
        .as("no group listed: its absence is confirmed first")
        .isEqualTo(CONFIRM_ABSENCE);
    assertThat(
            PodDecision.decide(
                new Facts(false, false, false, true, false, false, true, false, true, false)))
        .isEqualTo(WAIT_FOR_LIST);
  }

  private static Pod pod(String... images) {
    PodBuilder b = new PodBuilder().withNewSpec().endSpec();
    for (int i = 0; i < images.length; i++) {
      b.editSpec()
          .addNewContainer()
          .withName("c" + i)
          .withImage(images[i])
          .endContainer()
          .endSpec();
    }
    return b.build();
  }

  private static ContainerGroupInner group(String... images) {
    ContainerGroupInner g = new ContainerGroupInner();
    List<Container> containers = new java.util.ArrayList<>();
    for (int i = 0; i < images.length; i++) {
      containers.add(new Container().withName("c" + i).withImage(images[i]));
    }
    return g.withContainers(containers);
  }

  @Test
  void imagesAreComparedByContainerName() {
    Pod pod = pod("nginx:1.27", "busybox:1.36");
    assertThat(PodDecision.images(pod))
        .containsExactly(Map.entry("c0", "nginx:1.27"), Map.entry("c1", "busybox:1.36"));
    assertThat(PodDecision.images(group("a", "b")))
        .containsExactly(Map.entry("c0", "a"), Map.entry("c1", "b"));
    assertThat(PodDecision.images((ContainerGroupInner) null)).isEmpty();
    assertThat(PodDecision.images(new ContainerGroupInner())).isEmpty();
    assertThat(
            PodDecision.imageChanged(
                pod, List.of(PodDecision.images(group("nginx:1.27", "busybox:1.36")))))
        .isFalse();
    assertThat(
            PodDecision.imageChanged(
                pod, List.of(PodDecision.images(group("nginx:1.27", "busybox:1.35")))))
        .as("one container's image")
        .isTrue();
  }

  @Test
  void anyAccountThatShowsThePodsImagesWins() {
    Pod pod = pod("nginx:1.28");
    Map<String, String> old = Map.of("c0", "nginx:1.27");
    Map<String, String> now = Map.of("c0", "nginx:1.28");
    assertThat(PodDecision.imageChanged(pod, List.of(old, old))).isTrue();
    assertThat(PodDecision.imageChanged(pod, List.of(old, now)))
        .as("a list sent before the replacement, and the replacement's spec")
        .isFalse();
    assertThat(PodDecision.imageChanged(pod, List.of(now, old))).isFalse();
  }

  @Test
  void withoutAnAccountOfTheGroupOrOfTheContainerNothingChanged() {
    Pod pod = pod("nginx:1.28");
    assertThat(PodDecision.imageChanged(pod, List.of())).isFalse();
    assertThat(PodDecision.imageChanged(pod, List.of(Map.of())))
        .as("a group without containers")
        .isFalse();
    assertThat(PodDecision.imageChanged(pod, List.of(Map.of("other", "x"))))
        .as("a container the pod does not have is no change of the pod's")
        .isFalse();
  }

  @Test
  void otherSpecChangesAndInitContainerImagesReplaceNothing() {
    Pod pod =
        new PodBuilder(pod("nginx:1.27"))
            .editSpec()
            .withActiveDeadlineSeconds(30L)
            .withTerminationGracePeriodSeconds(5L)
            .addNewToleration()
            .withKey("k")
            .withOperator("Exists")
            .endToleration()
            .addNewInitContainer()
            .withName("init")
            .withImage("busybox:9")
            .endInitContainer()
            .endSpec()
            .build();
    assertThat(PodDecision.imageChanged(pod, List.of(PodDecision.images(group("nginx:1.27")))))
        .isFalse();
  }

  @Test
  void aSidecarImageChangeReplacesTheGroup() {
    Pod pod =
        new PodBuilder(pod("nginx:1.27"))
            .editSpec()
            .addNewInitContainer()
            .withName("proxy")
            .withImage("envoy:2")
            .withRestartPolicy("Always")
            .endInitContainer()
            .endSpec()
            .build();
    assertThat(PodDecision.images(pod))
        .as("a sidecar runs among the group's containers, after the app containers")
        .containsExactly(Map.entry("c0", "nginx:1.27"), Map.entry("proxy", "envoy:2"));
    ContainerGroupInner running = group("nginx:1.27");
    running.containers().add(new Container().withName("proxy").withImage("envoy:1"));
    assertThat(PodDecision.imageChanged(pod, List.of(PodDecision.images(running)))).isTrue();
    running.containers().get(1).withImage("envoy:2");
    assertThat(PodDecision.imageChanged(pod, List.of(PodDecision.images(running)))).isFalse();
  }
}
