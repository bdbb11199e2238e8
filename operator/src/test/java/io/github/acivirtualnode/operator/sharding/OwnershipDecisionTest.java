package io.github.acivirtualnode.operator.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.acivirtualnode.operator.sharding.OwnershipDecision.Action;
import io.github.acivirtualnode.operator.sharding.OwnershipDecision.Decision;
import io.github.acivirtualnode.operator.sharding.OwnershipDecision.Timing;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OwnershipDecisionTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration D = Duration.ofSeconds(15);
  private static final Timing TIMING = new Timing(D, Duration.ofSeconds(5));
  private static final String ME = "me";
  private static final String OTHER = "other";

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private static Optional<LeaseRecord> lease(String holder, int renewedAt) {
    return Optional.of(new LeaseRecord(holder, at(renewedAt), D, "7"));
  }

  private static Decision notRunning(Optional<LeaseRecord> lease, String desired, int now) {
    return OwnershipDecision.decide(
        ME, lease, Optional.ofNullable(desired), Optional.empty(), at(now), TIMING);
  }

  private static Decision running(
      Optional<LeaseRecord> lease, String desired, int lastRenew, int now) {
    return OwnershipDecision.decide(
        ME, lease, Optional.ofNullable(desired), Optional.of(at(lastRenew)), at(now), TIMING);
  }

  // Not running an agent.

  @Test
  void theDesiredOwnerCreatesAMissingLease() {
    assertThat(notRunning(Optional.empty(), ME, 0).action()).isEqualTo(Action.ACQUIRE);
  }

  @Test
  void theDesiredOwnerTakesAReleasedLease() {
    assertThat(notRunning(lease(null, 0), ME, 1).action()).isEqualTo(Action.ACQUIRE);
    assertThat(notRunning(lease("", 0), ME, 1).action()).isEqualTo(Action.ACQUIRE);
  }

  @Test
  void theDesiredOwnerTakesAnExpiredLeaseOnlyOnceExpired() {
    assertThat(notRunning(lease(OTHER, 0), ME, 14).action()).isEqualTo(Action.WAIT);
    assertThat(notRunning(lease(OTHER, 0), ME, 15).action()).isEqualTo(Action.ACQUIRE);
  }

  @Test
  void theDesiredOwnerWaitsForAnUnexpiredHolderToHandOver() {
    Decision d = notRunning(lease(OTHER, 0), ME, 3);
    assertThat(d.action()).isEqualTo(Action.WAIT);
    assertThat(d.reason()).contains(OTHER);
  }

  @Test
  void aLeaseStillOursWithoutAnAgentIsTakenBackByTheDesiredOwner() {
    assertThat(notRunning(lease(ME, 0), ME, 3).action()).isEqualTo(Action.ACQUIRE);
  }

  @Test
  void anotherDesiredOwnerIsLeftToItEvenWhenTheLeaseIsFree() {
    assertThat(notRunning(Optional.empty(), OTHER, 0).action()).isEqualTo(Action.WAIT);
    assertThat(notRunning(lease(null, 0), OTHER, 0).action()).isEqualTo(Action.WAIT);
    assertThat(notRunning(lease(OTHER, 0), OTHER, 30).action()).isEqualTo(Action.WAIT);
    Decision ours = notRunning(lease(ME, 0), OTHER, 3);
    assertThat(ours.action()).isEqualTo(Action.WAIT);
    assertThat(ours.reason()).contains(OTHER);
  }

  @Test
  void withNoLiveMemberNobodyAcquires() {
    Decision d = notRunning(Optional.empty(), null, 0);
    assertThat(d.action()).isEqualTo(Action.WAIT);
    assertThat(d.reason()).contains("no live member");
  }

  // Running the agent.

  @Test
  void theHolderKeepsUntilRenewalIsDueThenRenews() {
    assertThat(running(lease(ME, 0), ME, 0, 4).action()).isEqualTo(Action.KEEP);
    assertThat(running(lease(ME, 0), ME, 0, 5).action()).isEqualTo(Action.RENEW);
    assertThat(running(lease(ME, 0), ME, 0, 9).action()).isEqualTo(Action.RENEW);
  }

  @Test
  void theHolderStopsOneRenewIntervalBeforeOthersMayTakeOver() {
    // Renewals at 5 s failed; at 10 s (15 - 5) the agent must stop, before anyone acquires at 15.
    assertThat(running(lease(ME, 0), ME, 0, 9).action()).isEqualTo(Action.RENEW);
    Decision d = running(lease(ME, 0), ME, 0, 10);
    assertThat(d.action()).isEqualTo(Action.STOP);
    assertThat(d.reason()).contains("not renewed in time");
  }

  @Test
  void theDeadlineCountsFromTheLocalStartOfTheLastWriteNotTheLeasesRenewTime() {
    // The Lease read says renewed at 8 (a clock ahead, or someone else's write): still stop at 10.
    assertThat(running(lease(ME, 8), ME, 0, 10).action()).isEqualTo(Action.STOP);
  }

  @Test
  void theDeadlineComesBeforeAHandOver() {
    assertThat(running(lease(ME, 0), OTHER, 0, 10).action()).isEqualTo(Action.STOP);
  }

  @Test
  void theHolderHandsOverToAnotherDesiredOwner() {
    Decision d = running(lease(ME, 0), OTHER, 0, 1);
    assertThat(d.action()).isEqualTo(Action.HAND_OVER);
    assertThat(d.reason()).contains(OTHER);
  }

  @Test
  void aHolderMissingFromTheLiveMembersHandsOver() {
    assertThat(running(lease(ME, 0), null, 0, 1).action()).isEqualTo(Action.HAND_OVER);
  }

  @Test
  void aStolenLeaseStopsTheAgentAtOnce() {
    Decision d = running(lease(OTHER, 1), ME, 0, 2);
    assertThat(d.action()).isEqualTo(Action.STOP);
    assertThat(d.reason()).contains("taken by " + OTHER);
  }

  @Test
  void aLeaseReleasedOrDeletedBySomeoneElseStopsTheAgent() {
    assertThat(running(lease(null, 1), ME, 0, 2).action()).isEqualTo(Action.STOP);
    assertThat(running(lease("", 1), ME, 0, 2).reason()).contains("released");
    assertThat(running(Optional.empty(), ME, 0, 2).reason()).contains("deleted");
  }

  @Test
  void aLeaseExpiredByThisClockStopsTheAgent() {
    // Renewed at 0 locally, but the Lease's renewTime is from a clock far behind.
    Decision d = running(lease(ME, -20), ME, 0, 2);
    assertThat(d.action()).isEqualTo(Action.STOP);
    assertThat(d.reason()).contains("expired");
  }

  // The API server unreachable.

  @Test
  void anUnreachableApiServerStopsTheAgentAtTheDeadline() {
    Optional<Instant> renewed = Optional.of(at(0));
    assertThat(OwnershipDecision.unreachable(renewed, at(9), TIMING).action())
        .isEqualTo(Action.KEEP);
    assertThat(OwnershipDecision.unreachable(renewed, at(10), TIMING).action())
        .isEqualTo(Action.STOP);
    assertThat(OwnershipDecision.unreachable(Optional.empty(), at(10), TIMING).action())
        .isEqualTo(Action.WAIT);
  }

  // Timing.

  @Test
  void theRenewIntervalMustLeaveRoomForARetry() {
    assertThat(new Timing(D, Duration.ofSeconds(7)).stopBy(T0)).isEqualTo(at(8));
    assertThatThrownBy(() -> new Timing(D, Duration.ofMillis(7500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("less than half");
    assertThatThrownBy(() -> new Timing(D, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Timing(D, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
