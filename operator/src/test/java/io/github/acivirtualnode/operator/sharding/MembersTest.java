package io.github.acivirtualnode.operator.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembersTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration D = Duration.ofSeconds(15);

  @Test
  void liveMembersAreTheHoldersOfUnexpiredLeases() {
    List<LeaseRecord> leases =
        List.of(
            new LeaseRecord("b", T0, D, "1"),
            new LeaseRecord("a", T0.minusSeconds(14), D, "2"),
            new LeaseRecord("expired", T0.minusSeconds(15), D, "3"),
            new LeaseRecord(null, T0, D, "4"),
            new LeaseRecord("", T0, D, "5"),
            new LeaseRecord("never-renewed", null, D, "6"));
    assertThat(Members.live(leases, T0)).containsExactly("a", "b");
  }

  @Test
  void noLeasesNoMembers() {
    assertThat(Members.live(List.of(), T0)).isEmpty();
  }
}
