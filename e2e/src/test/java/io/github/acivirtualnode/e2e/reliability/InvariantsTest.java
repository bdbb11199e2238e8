package io.github.acivirtualnode.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.github.acivirtualnode.aciemulator.ArmRequestCount;
import io.github.acivirtualnode.aciemulator.EmulatedGroup;
import io.github.acivirtualnode.operator.node.ContainerGroupTags;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InvariantsTest {
  private static Pod pod(String name, String phase, String reason) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withPhase(phase)
        .withReason(reason)
        .withMessage(reason == null ? null : "because")
        .endStatus()
        .build();
  }

  @Test
  void runningPodsAndExpectedFailuresPass() {
    assertThat(
            Invariants.podsRunningOrFailedAsExpected(
                List.of(pod("a", "Running", null), pod("b", "Failed", "ContainerGroupNotFound")),
                Map.of("b", "ContainerGroupNotFound")))
        .isEmpty();
  }

  @Test
  void aPendingPodAnUnexpectedFailureAndAnExpectedFailureThatDidNotHappenAreEachReported() {
    List<String> violations =
        Invariants.podsRunningOrFailedAsExpected(
            List.of(
                pod("pending", "Pending", null),
                pod("failed", "Failed", "ProviderFailed"),
                pod("survived", "Running", null),
                pod("otherReason", "Failed", "ProviderFailed")),
            Map.of("survived", "ContainerGroupNotFound", "otherReason", "ContainerGroupNotFound"));
    assertThat(violations).hasSize(4);
    assertThat(violations.get(0)).contains("pending", "Pending", "not Running");
    assertThat(violations.get(1)).contains("failed", "ProviderFailed: because");
    assertThat(violations.get(2)).contains("survived", "not Failed with ContainerGroupNotFound");
    assertThat(violations.get(3)).contains("otherReason", "not Failed with ContainerGroupNotFound");
  }

  @Test
  void orphansAreTheNodesGroupsWhosePodIsGone() {
    Map<String, String> live =
        Map.of(ContainerGroupTags.NODE, "vn", GroupNaming.POD_UID, "uid-live");
    Map<String, String> gone =
        Map.of(
            ContainerGroupTags.NODE,
            "vn",
            GroupNaming.POD_UID,
            "uid-gone",
            GroupNaming.POD_NAMESPACE,
            "ns",
            GroupNaming.POD_NAME,
            "p");
    Map<String, String> otherNode =
        Map.of(ContainerGroupTags.NODE, "other", GroupNaming.POD_UID, "uid-gone");
    Map<String, String> manual = Map.of(ContainerGroupTags.NODE, "vn");
    List<EmulatedGroup> groups =
        List.of(
            new EmulatedGroup("s", "rg", "live", live),
            new EmulatedGroup("s", "rg", "gone", gone),
            new EmulatedGroup("s", "rg", "other", otherNode),
            new EmulatedGroup("s", "rg", "manual", manual));
    assertThat(Invariants.orphans(groups, "vn", Set.of("uid-live")))
        .containsExactly("group gone of gone pod ns/p");
  }

  @Test
  void budgetsAreKeptWhenNothingWasRefused() {
    assertThat(Invariants.budgetsKept(0, 0)).isEmpty();
    assertThat(Invariants.budgetsKept(2, 1))
        .containsExactly(
            "2 creates refused by the subscription's create budget",
            "1 deletes refused by the subscription's delete budget");
  }

  @Test
  void createsAreCountedBetweenTwoSnapshotsAndAGroupCreatedTwiceIsReported() {
    List<ArmRequestCount> before =
        List.of(
            new ArmRequestCount(Invariants.CREATE, "s", "rg", "old", 201, 1),
            new ArmRequestCount(Invariants.CREATE, "s", "rg", "twice", 201, 1));
    List<ArmRequestCount> after =
        List.of(
            new ArmRequestCount(Invariants.CREATE, "s", "rg", "old", 201, 1),
            new ArmRequestCount(Invariants.CREATE, "s", "rg", "old", 200, 3),
            new ArmRequestCount(Invariants.CREATE, "s", "rg", "twice", 201, 3),
            new ArmRequestCount(Invariants.CREATE, "s", "rg", "new", 201, 1),
            new ArmRequestCount(Invariants.CREATE, "s", "rg", "refused", 429, 5),
            new ArmRequestCount("ContainerGroups_Get", "s", "rg", "new", 200, 9));
    assertThat(Invariants.creates(after, before)).isEqualTo(Map.of("twice", 2L, "new", 1L));
    assertThat(Invariants.eachGroupCreatedAtMostOnce(before, after))
        .containsExactly("group twice created 2 times");
  }
}
