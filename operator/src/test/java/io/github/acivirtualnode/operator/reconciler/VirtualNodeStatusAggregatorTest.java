package io.github.acivirtualnode.operator.reconciler;

import static io.github.acivirtualnode.operator.reconciler.VirtualNodeStatusAggregator.BACKEND_REACHABLE;
import static io.github.acivirtualnode.operator.reconciler.VirtualNodeStatusAggregator.NODE_REGISTERED;
import static io.github.acivirtualnode.operator.reconciler.VirtualNodeStatusAggregator.READY;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeSpec;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeStatus;
import io.github.acivirtualnode.operator.node.BackendHealth.Snapshot;
import io.github.acivirtualnode.operator.node.BackendHealth.Status;
import io.github.acivirtualnode.operator.reconciler.VirtualNodeStatusAggregator.Observation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualNodeStatusAggregatorTest {
  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00.400Z");
  private static final String T0_SECONDS = "2025-03-01T12:00:00Z";
  private static final Instant T1 = Instant.parse("2025-03-01T12:05:00Z");
  private static final String T1_SECONDS = "2025-03-01T12:05:00Z";

  private static final Snapshot PROBING =
      new Snapshot(Status.UNKNOWN, true, "Probing", "first probe pending", T0);
  private static final Snapshot HEALTHY =
      new Snapshot(Status.TRUE, true, "ArmReachable", "Azure Resource Manager answers", T0);
  private static final Snapshot FLAKY =
      new Snapshot(Status.FALSE, true, "GatewayTimeout", "ARM timed out", T0);
  private static final Snapshot UNUSABLE =
      new Snapshot(Status.FALSE, false, "AuthorizationFailed", "no access to rg", T0);

  private static VirtualNode virtualNode(Long generation) {
    VirtualNode vn = new VirtualNode();
    vn.setMetadata(
        new ObjectMetaBuilder().withName("aci-westeurope").withGeneration(generation).build());
    vn.setSpec(new VirtualNodeSpec());
    return vn;
  }

  private static Observation seen(boolean registered, Snapshot health) {
    return new Observation("virtual-node-aci", registered, health, 7, 6);
  }

  private static Condition find(VirtualNodeStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void healthyRegisteredNode() {
    VirtualNodeStatus status =
        VirtualNodeStatusAggregator.aggregate(virtualNode(3L), seen(true, HEALTHY), T0);

    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    assertThat(status.getNodeName()).isEqualTo("virtual-node-aci");
    assertThat(status.getPods()).isEqualTo(7);
    assertThat(status.getContainerGroups()).isEqualTo(6);
    assertThat(status.getConditions())
        .extracting(Condition::getType)
        .containsExactly(READY, NODE_REGISTERED, BACKEND_REACHABLE);

    Condition ready = find(status, READY);
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getReason()).isEqualTo("NodeReady");
    assertThat(ready.getMessage()).isEqualTo("Node virtual-node-aci is Ready");

    Condition registered = find(status, NODE_REGISTERED);
    assertThat(registered.getStatus()).isEqualTo("True");
    assertThat(registered.getReason()).isEqualTo("Registered");
    assertThat(registered.getMessage())
        .isEqualTo("Node virtual-node-aci is registered and its Lease renewed");

    Condition backend = find(status, BACKEND_REACHABLE);
    assertThat(backend.getStatus()).isEqualTo("True");
    assertThat(backend.getReason()).isEqualTo("ArmReachable");
    assertThat(backend.getMessage()).isEqualTo("Azure Resource Manager answers");
  }

  @Test
  void everyConditionCarriesTheGenerationAndATransitionTimeInSeconds() {
    VirtualNodeStatus status =
        VirtualNodeStatusAggregator.aggregate(virtualNode(5L), seen(true, HEALTHY), T0);

    assertThat(status.getConditions())
        .allSatisfy(
            c -> {
              assertThat(c.getObservedGeneration()).isEqualTo(5L);
              assertThat(c.getLastTransitionTime()).isEqualTo(T0_SECONDS);
            });
  }

  @Test
  void missingGenerationIsZero() {
    VirtualNodeStatus status =
        VirtualNodeStatusAggregator.aggregate(virtualNode(null), seen(true, HEALTHY), T0);

    assertThat(status.getObservedGeneration()).isZero();
    assertThat(status.getConditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isZero());
  }

  @Test
  void notRegisteredYet() {
    VirtualNodeStatus status =
        VirtualNodeStatusAggregator.aggregate(virtualNode(1L), seen(false, HEALTHY), T0);

    Condition ready = find(status, READY);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("NodeNotRegistered");
    assertThat(ready.getMessage()).isEqualTo("registering Node virtual-node-aci");

    Condition registered = find(status, NODE_REGISTERED);
    assertThat(registered.getStatus()).isEqualTo("False");
    assertThat(registered.getReason()).isEqualTo("Registering");
    assertThat(registered.getMessage()).isEqualTo("registering Node virtual-node-aci");
  }

  @Test
  void notRegisteredWinsOverAnUnusableBackendInTheReadyReason() {
    VirtualNodeStatus status =
        VirtualNodeStatusAggregator.aggregate(virtualNode(1L), seen(false, UNUSABLE), T0);

    assertThat(find(status, READY).getReason()).isEqualTo("NodeNotRegistered");
    assertThat(find(status, BACKEND_REACHABLE).getReason()).isEqualTo("AuthorizationFailed");
  }

  @Test
  void unusableBackendMakesItNotReady() {
    VirtualNodeStatus status =
        VirtualNodeStatusAggregator.aggregate(virtualNode(1L), seen(true, UNUSABLE), T0);

    Condition ready = find(status, READY);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("AuthorizationFailed");
    assertThat(ready.getMessage()).isEqualTo("no access to rg");
    assertThat(find(status, NODE_REGISTERED).getStatus()).isEqualTo("True");

    Condition backend = find(status, BACKEND_REACHABLE);
    assertThat(backend.getStatus()).isEqualTo("False");
    assertThat(backend.getReason()).isEqualTo("AuthorizationFailed");
    assertThat(backend.getMessage()).isEqualTo("no access to rg");
  }

  @Test
  void unreachableButReadyWhileFailuresAreTransient() {
    VirtualNodeStatus status =
        VirtualNodeStatusAggregator.aggregate(virtualNode(1L), seen(true, FLAKY), T0);

    assertThat(find(status, READY).getStatus()).isEqualTo("True");
    Condition backend = find(status, BACKEND_REACHABLE);
    assertThat(backend.getStatus()).isEqualTo("False");
    assertThat(backend.getReason()).isEqualTo("GatewayTimeout");
  }

  @Test
  void backendUnknownBeforeTheFirstProbe() {
    VirtualNodeStatus status =
        VirtualNodeStatusAggregator.aggregate(virtualNode(1L), seen(true, PROBING), T0);

    Condition backend = find(status, BACKEND_REACHABLE);
    assertThat(backend.getStatus()).isEqualTo("Unknown");
    assertThat(backend.getReason()).isEqualTo("Probing");
    assertThat(backend.getMessage()).isEqualTo("first probe pending");
  }

  @Test
  void equalObservationsGiveAnEqualStatusSoThePatchCanBeSkipped() {
    VirtualNode vn = virtualNode(2L);
    VirtualNodeStatus first = VirtualNodeStatusAggregator.aggregate(vn, seen(true, HEALTHY), T0);
    vn.setStatus(first);

    VirtualNodeStatus second = VirtualNodeStatusAggregator.aggregate(vn, seen(true, HEALTHY), T1);

    assertThat(second).isEqualTo(first).hasSameHashCodeAs(first).isNotSameAs(first);
  }

  @Test
  void unchangedStatusKeepsTheTransitionTimeAcrossChangedMessages() {
    VirtualNode vn = virtualNode(2L);
    vn.setStatus(VirtualNodeStatusAggregator.aggregate(vn, seen(true, FLAKY), T0));
    Snapshot otherTransient =
        new Snapshot(Status.FALSE, true, "InternalServerError", "ARM failed", T1);

    VirtualNodeStatus status =
        VirtualNodeStatusAggregator.aggregate(vn, seen(true, otherTransient), T1);

    Condition backend = find(status, BACKEND_REACHABLE);
    assertThat(backend.getReason()).isEqualTo("InternalServerError");
    assertThat(backend.getLastTransitionTime()).isEqualTo(T0_SECONDS);
    assertThat(status).isNotEqualTo(vn.getStatus());
  }

  @Test
  void changedStatusMovesOnlyThatConditionsTransitionTime() {
    VirtualNode vn = virtualNode(2L);
    vn.setStatus(VirtualNodeStatusAggregator.aggregate(vn, seen(true, HEALTHY), T0));

    VirtualNodeStatus status = VirtualNodeStatusAggregator.aggregate(vn, seen(true, UNUSABLE), T1);

    assertThat(find(status, READY).getLastTransitionTime()).isEqualTo(T1_SECONDS);
    assertThat(find(status, BACKEND_REACHABLE).getLastTransitionTime()).isEqualTo(T1_SECONDS);
    assertThat(find(status, NODE_REGISTERED).getLastTransitionTime()).isEqualTo(T0_SECONDS);
  }

  @Test
  void newGenerationIsAChangeEvenWhenNothingElseIs() {
    VirtualNode vn = virtualNode(2L);
    VirtualNodeStatus first = VirtualNodeStatusAggregator.aggregate(vn, seen(true, HEALTHY), T0);
    vn.setStatus(first);
    vn.getMetadata().setGeneration(3L);

    VirtualNodeStatus second = VirtualNodeStatusAggregator.aggregate(vn, seen(true, HEALTHY), T1);

    assertThat(second).isNotEqualTo(first);
    assertThat(second.getObservedGeneration()).isEqualTo(3L);
    assertThat(second.getConditions())
        .allSatisfy(
            c -> {
              assertThat(c.getObservedGeneration()).isEqualTo(3L);
              assertThat(c.getLastTransitionTime()).isEqualTo(T0_SECONDS);
            });
  }

  @Test
  void changedCountsAreAChange() {
    VirtualNode vn = virtualNode(2L);
    VirtualNodeStatus first = VirtualNodeStatusAggregator.aggregate(vn, seen(true, HEALTHY), T0);
    vn.setStatus(first);

    VirtualNodeStatus morePods =
        VirtualNodeStatusAggregator.aggregate(
            vn, new Observation("virtual-node-aci", true, HEALTHY, 8, 6), T1);
    VirtualNodeStatus moreGroups =
        VirtualNodeStatusAggregator.aggregate(
            vn, new Observation("virtual-node-aci", true, HEALTHY, 7, 7), T1);

    assertThat(morePods).isNotEqualTo(first);
    assertThat(morePods.getPods()).isEqualTo(8);
    assertThat(moreGroups).isNotEqualTo(first);
    assertThat(moreGroups.getContainerGroups()).isEqualTo(7);
  }

  @Test
  void previousStatusIsNotModified() {
    VirtualNode vn = virtualNode(2L);
    VirtualNodeStatus first = VirtualNodeStatusAggregator.aggregate(vn, seen(true, HEALTHY), T0);
    vn.setStatus(first);
    String before = first.getConditions().toString();

    VirtualNodeStatusAggregator.aggregate(vn, seen(false, UNUSABLE), T1);

    assertThat(vn.getStatus().getConditions()).hasToString(before);
  }

  @Test
  void foreignConditionsInThePreviousStatusAreDropped() {
    VirtualNode vn = virtualNode(2L);
    VirtualNodeStatus previous = new VirtualNodeStatus();
    previous.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Degraded")
                .withStatus("True")
                .withLastTransitionTime("2020-01-01T00:00:00Z")
                .build()));
    vn.setStatus(previous);

    VirtualNodeStatus status = VirtualNodeStatusAggregator.aggregate(vn, seen(true, HEALTHY), T0);

    assertThat(status.getConditions())
        .extracting(Condition::getType)
        .containsExactly(READY, NODE_REGISTERED, BACKEND_REACHABLE);
    assertThat(status.getConditions())
        .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo(T0_SECONDS));
  }

  @Test
  void aRegistrationFailureIsTheReasonForNotReadyAndObservedGenerationIsTheAppliedOne() {
    VirtualNodeStatus status =
        VirtualNodeStatusAggregator.aggregate(
            virtualNode(3L),
            new Observation(
                "virtual-node-aci",
                false,
                "NodeNameConflict",
                "a Node named virtual-node-aci exists and does not belong to this VirtualNode",
                2L,
                HEALTHY,
                0,
                0),
            T0);

    Condition ready = find(status, "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("NodeNameConflict");
    assertThat(find(status, "NodeRegistered").getReason()).isEqualTo("NodeNameConflict");
    assertThat(status.getObservedGeneration()).isEqualTo(2L);
  }
}
