package io.github.acivirtualnode.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RefreshScheduleTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration BRISK_WINDOW = Duration.ofMinutes(5);
  private static final Duration REFRESH = Duration.ofMinutes(2);

  private final RefreshSchedule schedule = new RefreshSchedule(BRISK_WINDOW, REFRESH);

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private static Map<String, RefreshSchedule.Listed> list(String... nameAndState) {
    var map = new java.util.HashMap<String, RefreshSchedule.Listed>();
    for (int i = 0; i < nameAndState.length; i += 2) {
      map.put(nameAndState[i], new RefreshSchedule.Listed("node", nameAndState[i + 1]));
    }
    return map;
  }

  @Test
  void aNewGroupIsReadBrisklyUntilItSettlesThenOncePerRefresh() {
    schedule.listed(list("g", "Pending"), at(0));
    assertThat(schedule.due(at(0))).containsExactly("g");
    schedule.observed("g", false, at(0));
    assertThat(schedule.due(at(5))).as("still transitioning").containsExactly("g");
    schedule.observed("g", true, at(5));
    schedule.listed(list("g", "Pending"), at(10));
    assertThat(schedule.due(at(10))).as("settled, unchanged in the list").isEmpty();
    assertThat(schedule.due(at(5 + 119))).isEmpty();
    assertThat(schedule.due(at(5 + 120))).as("the slow refresh").containsExactly("g");
  }

  @Test
  void aChangingGroupIsReadBetweenListsUntilItSettlesAndASettledOneIsNot() {
    schedule.expect("g", "node", at(0));
    assertThat(schedule.dueBetweenLists(at(0))).as("just created").containsExactly("g");
    schedule.observed("g", false, at(0));
    assertThat(schedule.dueBetweenLists(at(2))).as("still changing").containsExactly("g");
    schedule.observed("g", true, at(2));
    assertThat(schedule.dueBetweenLists(at(4))).as("settled").isEmpty();
    assertThat(schedule.dueBetweenLists(at(2 + 120)))
        .as("the settled refresh waits for a list")
        .isEmpty();
    assertThat(schedule.due(at(2 + 120))).containsExactly("g");
  }

  @Test
  void anAbsenceIsConfirmedAtAListAndARecheckBetweenLists() {
    schedule.listed(list("gone", "Succeeded", "ready", "Succeeded"), at(0));
    schedule.observed("gone", true, at(0));
    schedule.observed("ready", true, at(0));
    schedule.recheck("ready", at(3));
    schedule.listed(list("ready", "Succeeded"), at(10));

    assertThat(schedule.dueBetweenLists(at(2))).isEmpty();
    assertThat(schedule.dueBetweenLists(at(12))).containsExactly("ready");
    assertThat(schedule.due(at(12))).containsExactly("gone", "ready");
  }

  @Test
  void newGroupsComeFirstThenTheLeastRecentlyReadNotTheFirstNames() {
    schedule.listed(list("a", "Pending", "b", "Pending", "c", "Pending"), at(0));
    schedule.observed("c", false, at(1));
    schedule.observed("a", false, at(3));
    schedule.observed("b", false, at(2));
    schedule.expect("z-new", "node", at(4));

    // A round that the read budget cuts short reads the first of these: the new group, then by
    // staleness, so "a" (read last) cannot starve "b" and "c" by its name.
    assertThat(schedule.due(at(5))).containsExactly("z-new", "c", "b", "a");
    assertThat(schedule.dueBetweenLists(at(5))).containsExactly("z-new", "c", "b", "a");
  }

  @Test
  void aChangedProvisioningStateInTheListIsReadAtOnce() {
    schedule.listed(list("g", "Pending"), at(0));
    schedule.observed("g", true, at(0));
    schedule.listed(list("g", "Succeeded"), at(10));
    assertThat(schedule.due(at(10))).containsExactly("g");
    schedule.observed("g", true, at(10));
    assertThat(schedule.due(at(15))).isEmpty();
  }

  @Test
  void aGroupThatNeverSettlesFallsBackToTheRefreshAfterTheBriskWindow() {
    schedule.listed(list("g", "Succeeded"), at(0));
    schedule.observed("g", false, at(0));
    assertThat(schedule.due(at(299))).containsExactly("g");
    schedule.observed("g", false, at(299));
    assertThat(schedule.due(at(301))).isEmpty();
    assertThat(schedule.due(at(299 + 120))).containsExactly("g");
  }

  @Test
  void anExpectedGroupIsReadAndItsAbsenceFromAnOlderListIsNotTakenForGone() {
    schedule.expect("new", "node", at(10));
    assertThat(schedule.due(at(10))).containsExactly("new");
    schedule.observed("new", false, at(10));
    schedule.listed(list(), at(5)); // sent before the create
    schedule.observed("new", true, at(11));
    assertThat(schedule.due(at(12)))
        .as("no confirmation for a list older than the create")
        .isEmpty();
    schedule.listed(list(), at(20));
    assertThat(schedule.due(at(20)))
        .as("absent from a later list: one GET confirms")
        .containsExactly("new");
    assertThat(schedule.gone("new")).isEqualTo("node");
    assertThat(schedule.due(at(25))).isEmpty();
    assertThat(schedule.size()).isZero();
  }

  @Test
  void aRecheckIsHonouredOnce() {
    schedule.listed(list("g", "Succeeded"), at(0));
    schedule.observed("g", true, at(0));
    schedule.recheck("g", at(30));
    assertThat(schedule.due(at(29))).isEmpty();
    assertThat(schedule.due(at(30))).containsExactly("g");
    schedule.observed("g", true, at(30));
    assertThat(schedule.due(at(35))).isEmpty();
  }

  @Test
  void forgottenGroupsAndNodesCostNothing() {
    schedule.listed(
        Map.of(
            "a", new RefreshSchedule.Listed("n1", "Succeeded"),
            "b", new RefreshSchedule.Listed("n2", "Succeeded")),
        at(0));
    schedule.forget("a");
    schedule.forgetNode("n2");
    assertThat(schedule.due(at(0))).isEmpty();
    assertThat(schedule.nodeOf("b")).isNull();
  }

  @Test
  void aGroupItsNodeDeletedIsNotReadWhileListsStillShowItGoing() {
    schedule.listed(list("g", "Succeeded"), at(0));
    schedule.observed("g", true, at(0));
    schedule.forget("g");
    schedule.listed(list("g", "Deleting"), at(5));
    assertThat(schedule.due(at(5))).isEmpty();
    schedule.listed(list(), at(10));
    assertThat(schedule.due(at(10))).as("no confirmation either").isEmpty();
    schedule.listed(list("g", "Pending"), at(15)); // a new group of the same name
    assertThat(schedule.due(at(15))).containsExactly("g");
  }
}
