package io.github.acivirtualnode.operator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.acivirtualnode.operator.aci.AciException;
import io.github.acivirtualnode.operator.aci.AciException.Kind;
import io.github.acivirtualnode.operator.node.BackendHealth.Snapshot;
import io.github.acivirtualnode.operator.node.BackendHealth.Status;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackendHealthTest {
  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private static AciException transientFailure() {
    return new AciException(
        Kind.TRANSIENT, "InternalServerError", 500, "ARM had a bad moment", null, null);
  }

  private static AciException throttled() {
    return AciException.throttled("list", Duration.ofSeconds(20));
  }

  private static AciException authFailure() {
    return new AciException(
        Kind.AUTHENTICATION, "AuthorizationFailed", 403, "the client has no access", null, null);
  }

  private static AciException missingResourceGroup() {
    return new AciException(
        Kind.NOT_FOUND, "ResourceGroupNotFound", 404, "resource group rg not found", null, null);
  }

  @Test
  void aNeverProbedNodeIsNotReadyUntilAProbeSucceeds() {
    BackendHealth health = BackendHealth.awaitingFirstProbe(2, T0);
    assertThat(health.current().ready()).isFalse();
    assertThat(health.current().reachable()).isEqualTo(Status.UNKNOWN);
    assertThat(health.current().notReadyReason()).isEqualTo(BackendHealth.AWAITING_PROBE);

    // A transient failure proves nothing: still NotReady, for the same reason.
    Snapshot afterTransient = health.recordFailure(transientFailure(), at(15));
    assertThat(afterTransient.ready()).isFalse();
    assertThat(afterTransient.notReadyReason()).isEqualTo(BackendHealth.AWAITING_PROBE);
    assertThat(afterTransient.reason()).isEqualTo("InternalServerError");

    assertThat(health.recordSuccess(at(30)).ready()).isTrue();
  }

  @Test
  void aNeverProbedNodeWithBadCredentialsIsNeverReady() {
    BackendHealth health = BackendHealth.awaitingFirstProbe(2, T0);

    Snapshot first = health.recordFailure(authFailure(), at(1));

    assertThat(first.ready()).isFalse();
    assertThat(first.notReadyReason()).isEqualTo("AuthorizationFailed");
  }

  @Test
  void resumingAReadyNodeKeepsItReadyWhileTheFirstProbeIsPending() {
    BackendHealth health = BackendHealth.resumeReady(2, T0);

    assertThat(health.current())
        .isEqualTo(new Snapshot(Status.UNKNOWN, true, "Probing", "first probe pending", T0));
  }

  @Test
  void successMakesItReachableAndReady() {
    BackendHealth health = BackendHealth.resumeReady(2, T0);

    Snapshot s = health.recordSuccess(at(15));

    assertThat(s)
        .isEqualTo(
            new Snapshot(
                Status.TRUE, true, "ArmReachable", "Azure Resource Manager answers", at(15)));
    assertThat(health.current()).isSameAs(s);
  }

  @Test
  void transientFailuresNeverTurnReadyFalse() {
    BackendHealth health = BackendHealth.resumeReady(2, T0);
    health.recordSuccess(at(0));

    for (int i = 1; i <= 20; i++) {
      Snapshot s = health.recordFailure(i % 2 == 0 ? transientFailure() : throttled(), at(i));
      assertThat(s.ready()).as("probe %d", i).isTrue();
      assertThat(s.reachable()).isEqualTo(Status.FALSE);
      assertThat(s.observedAt()).isEqualTo(at(i));
    }
  }

  @Test
  void transientFailureBeforeAnySuccessKeepsTheNodeReady() {
    BackendHealth health = BackendHealth.resumeReady(1, T0);

    Snapshot s = health.recordFailure(transientFailure(), at(1));

    assertThat(s.ready()).isTrue();
    assertThat(s.reachable()).isEqualTo(Status.FALSE);
  }

  @Test
  void transientFailureReportsItsCodeAndMessage() {
    BackendHealth health = BackendHealth.resumeReady(2, T0);

    Snapshot s = health.recordFailure(transientFailure(), at(1));

    assertThat(s.reason()).isEqualTo("InternalServerError");
    assertThat(s.message()).isEqualTo("ARM had a bad moment");
  }

  @Test
  void actionableFailureTurnsReadyFalseOnlyAtTheThreshold() {
    BackendHealth health = BackendHealth.resumeReady(3, T0);
    health.recordSuccess(at(0));

    Snapshot first = health.recordFailure(authFailure(), at(1));
    assertThat(first.ready()).isTrue();
    assertThat(first.reachable()).isEqualTo(Status.FALSE);
    assertThat(first.reason()).isEqualTo("AuthorizationFailed");

    assertThat(health.recordFailure(authFailure(), at(2)).ready()).isTrue();

    Snapshot third = health.recordFailure(authFailure(), at(3));
    assertThat(third)
        .isEqualTo(
            new Snapshot(
                Status.FALSE, false, "AuthorizationFailed", "the client has no access", at(3)));

    assertThat(health.recordFailure(missingResourceGroup(), at(4)).ready()).isFalse();
  }

  @Test
  void differentActionableFailuresCountTogether() {
    BackendHealth health = BackendHealth.resumeReady(2, T0);

    assertThat(health.recordFailure(authFailure(), at(1)).ready()).isTrue();
    Snapshot s = health.recordFailure(missingResourceGroup(), at(2));

    assertThat(s.ready()).isFalse();
    assertThat(s.reason()).isEqualTo("ResourceGroupNotFound");
  }

  @Test
  void successBetweenActionableFailuresStartsTheCountAgain() {
    BackendHealth health = BackendHealth.resumeReady(2, T0);

    health.recordFailure(authFailure(), at(1));
    health.recordSuccess(at(2));
    assertThat(health.recordFailure(authFailure(), at(3)).ready()).isTrue();
    assertThat(health.recordFailure(authFailure(), at(4)).ready()).isFalse();
  }

  @Test
  void transientFailuresBetweenActionableOnesNeitherCountNorReset() {
    BackendHealth health = BackendHealth.resumeReady(3, T0);

    health.recordFailure(authFailure(), at(1));
    assertThat(health.recordFailure(transientFailure(), at(2)).ready()).isTrue();
    health.recordFailure(authFailure(), at(3));
    assertThat(health.recordFailure(throttled(), at(4)).ready()).isTrue();
    assertThat(health.recordFailure(authFailure(), at(5)).ready()).isFalse();
  }

  @Test
  void transientFailureDoesNotRestoreReadiness() {
    BackendHealth health = BackendHealth.resumeReady(1, T0);
    assertThat(health.recordFailure(authFailure(), at(1)).ready()).isFalse();

    Snapshot s = health.recordFailure(transientFailure(), at(2));

    assertThat(s.ready()).isFalse();
    assertThat(s.reachable()).isEqualTo(Status.FALSE);
  }

  @Test
  void transientFailureAfterNotReadyKeepsTheActionableCauseForReady() {
    BackendHealth health = BackendHealth.resumeReady(1, T0);
    health.recordFailure(authFailure(), at(1));

    Snapshot s = health.recordFailure(transientFailure(), at(2));

    // BackendReachable tells of the latest probe, Ready of what a human must fix.
    assertThat(s.reason()).isEqualTo("InternalServerError");
    assertThat(s.notReadyReason()).isEqualTo("AuthorizationFailed");
    assertThat(s.notReadyMessage()).isEqualTo("the client has no access");
  }

  @Test
  void successRestoresReadiness() {
    BackendHealth health = BackendHealth.resumeReady(1, T0);
    health.recordFailure(authFailure(), at(1));

    Snapshot s = health.recordSuccess(at(2));

    assertThat(s.ready()).isTrue();
    assertThat(s.reachable()).isEqualTo(Status.TRUE);
    assertThat(s.reason()).isEqualTo("ArmReachable");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 0, -5})
  void thresholdBelowOneMeansTheFirstActionableFailure(int threshold) {
    BackendHealth health = BackendHealth.resumeReady(threshold, T0);

    assertThat(health.recordFailure(authFailure(), at(1)).ready()).isFalse();
  }

  @Test
  void nonActionableNotFoundIsTransient() {
    BackendHealth health = BackendHealth.resumeReady(1, T0);
    AciException groupGone =
        new AciException(Kind.NOT_FOUND, "ResourceNotFound", 404, "no such group", null, null);

    Snapshot s = health.recordFailure(groupGone, at(1));

    assertThat(s.ready()).isTrue();
    assertThat(s.reason()).isEqualTo("ResourceNotFound");
  }

  @Test
  void withoutCodeTheKindIsTheReason() {
    BackendHealth health = BackendHealth.resumeReady(1, T0);
    AciException noCode = new AciException(Kind.QUOTA, "", 409, "quota exhausted", null, null);

    Snapshot s = health.recordFailure(noCode, at(1));

    assertThat(s.reason()).isEqualTo("QUOTA");
    assertThat(s.message()).isEqualTo("quota exhausted");
    assertThat(s.ready()).isFalse();
  }

  @Test
  void withoutMessageTheReasonIsTheMessage() {
    BackendHealth health = BackendHealth.resumeReady(2, T0);
    AciException noMessage =
        new AciException(Kind.TRANSIENT, "GatewayTimeout", 504, null, null, null);

    Snapshot s = health.recordFailure(noMessage, at(1));

    assertThat(s.message()).isEqualTo("GatewayTimeout");
  }

  @Test
  void resumesNotReadyAfterARestart() {
    BackendHealth health = BackendHealth.resumeNotReady(2, "AuthorizationFailed", "no access", T0);

    assertThat(health.current())
        .isEqualTo(new Snapshot(Status.FALSE, false, "AuthorizationFailed", "no access", T0));
    // the threshold is already reached: one more actionable failure keeps it NotReady
    assertThat(health.recordFailure(authFailure(), at(1)).ready()).isFalse();
  }

  @Test
  void resumedNotReadyStaysNotReadyOnTransientFailures() {
    BackendHealth health = BackendHealth.resumeNotReady(3, "QuotaExceeded", "quota", T0);

    assertThat(health.recordFailure(transientFailure(), at(1)).ready()).isFalse();
  }

  @Test
  void resumedNotReadyRecoversOnSuccessAndThenNeedsTheFullThresholdAgain() {
    BackendHealth health = BackendHealth.resumeNotReady(2, "AuthorizationFailed", "no access", T0);

    assertThat(health.recordSuccess(at(1)).ready()).isTrue();
    assertThat(health.recordFailure(authFailure(), at(2)).ready()).isTrue();
    assertThat(health.recordFailure(authFailure(), at(3)).ready()).isFalse();
  }
}
