package io.github.acivirtualnode.operator.pod;

import static io.github.acivirtualnode.operator.pod.PodDecision.Action.CONFIRM_ABSENCE;
import static io.github.acivirtualnode.operator.pod.PodDecision.Action.CREATE;
import static io.github.acivirtualnode.operator.pod.PodDecision.Action.DELETE_GROUP;
import static io.github.acivirtualnode.operator.pod.PodDecision.Action.NOTHING;
import static io.github.acivirtualnode.operator.pod.PodDecision.Action.OBSERVE;
import static io.github.acivirtualnode.operator.pod.PodDecision.Action.REMOVE_POD;
import static io.github.acivirtualnode.operator.pod.PodDecision.Action.VANISHED;
import static io.github.acivirtualnode.operator.pod.PodDecision.Action.WAIT_FOR_LIST;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.acivirtualnode.operator.pod.PodDecision.Facts;
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
}
