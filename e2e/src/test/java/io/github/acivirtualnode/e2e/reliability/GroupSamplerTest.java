package io.github.acivirtualnode.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.acivirtualnode.aciemulator.EmulatedGroup;
import io.github.acivirtualnode.operator.node.ContainerGroupTags;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupSamplerTest {
  private final List<EmulatedGroup> now = new ArrayList<>();
  private final GroupSampler sampler = new GroupSampler(() -> List.copyOf(now), "vn");

  private static EmulatedGroup group(String name, String node, String uid) {
    return new EmulatedGroup(
        "sub",
        "rg",
        name,
        uid == null
            ? Map.of(ContainerGroupTags.NODE, node)
            : Map.of(ContainerGroupTags.NODE, node, GroupNaming.POD_UID, uid));
  }

  @Test
  void remembersTwoGroupsOfOnePodSeenInOneSampleEvenAfterOneWent() {
    now.add(group("a-1", "vn", "uid-a"));
    sampler.sampleOnce();
    now.add(group("a-2", "vn", "uid-a"));
    sampler.sampleOnce();
    now.remove(0);
    sampler.sampleOnce();

    assertThat(sampler.samples()).isEqualTo(3);
    assertThat(sampler.podsWithMoreThanOneGroup()).containsOnlyKeys("uid-a");
    assertThat(sampler.podsWithMoreThanOneGroup().get("uid-a")).contains("a-1", "a-2");
    assertThat(Invariants.atMostOneGroupPerPod(sampler)).hasSize(1);
  }

  @Test
  void aReplacedGroupSeenOneAtATimeIsNoViolation() {
    now.add(group("a-1", "vn", "uid-a"));
    sampler.sampleOnce();
    now.clear();
    now.add(group("a-2", "vn", "uid-a"));
    sampler.sampleOnce();

    assertThat(sampler.podsWithMoreThanOneGroup()).isEmpty();
    assertThat(sampler.podsSeen()).containsExactly("uid-a");
    assertThat(Invariants.atMostOneGroupPerPod(sampler)).isEmpty();
  }

  @Test
  void groupsOfOtherNodesAndGroupsWithoutAPodAreNotCounted() {
    now.add(group("x-1", "other", "uid-x"));
    now.add(group("x-2", "other", "uid-x"));
    now.add(group("manual-1", "vn", null));
    now.add(group("manual-2", "vn", null));
    sampler.sampleOnce();

    assertThat(sampler.podsSeen()).isEmpty();
    assertThat(sampler.podsWithMoreThanOneGroup()).isEmpty();
  }

  @Test
  void noSampleIsAViolation() {
    assertThat(Invariants.atMostOneGroupPerPod(sampler))
        .containsExactly("no sample of the container groups was taken");
  }
}
