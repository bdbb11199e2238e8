package io.github.acivirtualnode.operator.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RendezvousTest {
  private static final List<String> KEYS =
      IntStream.range(0, 60).mapToObj(i -> "virtual-node-" + i).toList();

  private static Map<String, String> owners(List<String> members) {
    Map<String, String> owners = new HashMap<>();
    for (String key : KEYS) {
      owners.put(key, Rendezvous.owner(key, members).orElseThrow());
    }
    return owners;
  }

  @Test
  void noMembersMeansNoOwner() {
    assertThat(Rendezvous.owner("vn", List.of())).isEmpty();
  }

  @Test
  void aSingleMemberOwnsEverything() {
    assertThat(owners(List.of("a")).values()).containsOnly("a");
  }

  @Test
  void theChoiceDoesNotDependOnTheOrderOfMembers() {
    assertThat(owners(List.of("a", "b", "c"))).isEqualTo(owners(List.of("c", "a", "b")));
  }

  @Test
  void theChoiceIsTheSameInEveryJvm() {
    // Fixed by SHA-256 of member, NUL, key: a replica on another JVM computes the same weights.
    assertThat(Rendezvous.weight("operator-0", "vn"))
        .isEqualTo(Rendezvous.weight("operator-0", "vn"));
    assertThat(Rendezvous.weight("a", "bc")).isNotEqualTo(Rendezvous.weight("ab", "c"));
    assertThat(Rendezvous.owner("vn", List.of("x", "y")))
        .contains(
            Long.compareUnsigned(Rendezvous.weight("x", "vn"), Rendezvous.weight("y", "vn")) > 0
                ? "x"
                : "y");
  }

  @Test
  void everyMemberOfThreeOwnsAShare() {
    Map<String, String> owners = owners(List.of("operator-0", "operator-1", "operator-2"));
    for (String member : List.of("operator-0", "operator-1", "operator-2")) {
      assertThat(owners.values().stream().filter(member::equals).count())
          .as(member)
          .isBetween(10L, 30L);
    }
  }

  @Test
  void aLeavingMemberMovesOnlyItsOwnKeys() {
    Map<String, String> before = owners(List.of("a", "b", "c"));
    Map<String, String> after = owners(List.of("a", "c"));
    for (String key : KEYS) {
      if (!before.get(key).equals("b")) {
        assertThat(after.get(key)).as(key).isEqualTo(before.get(key));
      } else {
        assertThat(after.get(key)).as(key).isIn("a", "c");
      }
    }
  }

  @Test
  void aJoiningMemberTakesKeysOnlyForItself() {
    Map<String, String> before = owners(List.of("a", "b"));
    Map<String, String> after = owners(List.of("a", "b", "c"));
    long moved = 0;
    for (String key : KEYS) {
      if (!after.get(key).equals(before.get(key))) {
        assertThat(after.get(key)).as(key).isEqualTo("c");
        moved++;
      }
    }
    assertThat(moved).isPositive();
  }
}
