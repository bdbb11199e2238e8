package io.github.acivirtualnode.operator.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.controlplane.TestNamespace;
import io.github.acivirtualnode.operator.aci.MutableClock;
import io.github.acivirtualnode.operator.sharding.OwnershipDecision.Timing;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two coordinators on the real API server, their rounds driven by the test on a clock it moves
 * (nothing waits): the VirtualNodes spread, a joining replica gets its share by hand-over, a dead
 * replica's share moves once its Leases expire, a stolen Lease stops its agent, and a graceful
 * leave hands everything over at once.
 */
@ExtendWith(KubernetesClusterExtension.class)
class ShardCoordinatorIT {
  private static final Duration D = Duration.ofSeconds(15);
  private static final Timing TIMING = new Timing(D, Duration.ofSeconds(5));
  private static final List<String> VIRTUAL_NODES =
      IntStream.range(0, 6).mapToObj(i -> "vn-" + i).toList();
  private static KubernetesClient client;

  @BeforeAll
  static void start(KubernetesClient kubernetes) {
    client = kubernetes;
  }

  /** Records what the coordinator asks of the reconciler. */
  static final class RecordingAgents implements ShardCoordinator.Agents {
    final List<String> stopped = new CopyOnWriteArrayList<>();
    final List<String> acquired = new CopyOnWriteArrayList<>();

    @Override
    public void stop(String virtualNodeName) {
      stopped.add(virtualNodeName);
    }

    @Override
    public void acquired(String virtualNodeName) {
      acquired.add(virtualNodeName);
    }
  }

  private static ShardCoordinator coordinator(
      TestNamespace ns, String identity, MutableClock clock, RecordingAgents agents) {
    return new ShardCoordinator(
        new ShardLeases(client, ns.name()),
        identity,
        TIMING,
        D,
        clock,
        () -> VIRTUAL_NODES,
        agents);
  }

  private static void assertEachOwnedOnce(ShardCoordinator... coordinators) {
    for (String vn : VIRTUAL_NODES) {
      long owners = 0;
      for (ShardCoordinator c : coordinators) {
        owners += c.owns(vn) ? 1 : 0;
      }
      assertThat(owners).as(vn).isEqualTo(1);
    }
  }

  @Test
  void aHolderMayActOnlyUntilItsDeadlineEvenWhenItsRoundsAreLate(TestNamespace ns) {
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    RecordingAgents agents = new RecordingAgents();
    ShardCoordinator a = coordinator(ns, "operator-a", clock, agents);
    a.round();
    assertThat(a.mayAct("vn-0")).isTrue();
    // No round for almost a duration less a renew interval: still within the deadline.
    clock.advance(D.minus(TIMING.renewInterval()).minusSeconds(1));
    assertThat(a.owns("vn-0")).isTrue();
    assertThat(a.mayAct("vn-0")).isTrue();
    // At the deadline the workers stop acting at once, before any round says so.
    clock.advance(Duration.ofSeconds(1));
    assertThat(a.owns("vn-0")).isTrue();
    assertThat(a.mayAct("vn-0")).isFalse();
    // The late round stops the agent, and the next one takes the Lease up again.
    a.round();
    assertThat(a.owns("vn-0")).isFalse();
    assertThat(agents.stopped).containsExactlyInAnyOrderElementsOf(VIRTUAL_NODES);
    a.round();
    assertThat(a.mayAct("vn-0")).isTrue();
    assertThat(agents.acquired).filteredOn("vn-0"::equals).hasSize(2);
  }

  @Test
  void virtualNodesSpreadMoveOnDeathAndOnAStolenLease(TestNamespace ns) {
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    RecordingAgents agentsA = new RecordingAgents();
    RecordingAgents agentsB = new RecordingAgents();
    ShardCoordinator a = coordinator(ns, "operator-a", clock, agentsA);
    ShardCoordinator b = coordinator(ns, "operator-b", clock, agentsB);

    // Alone, a takes everything.
    a.round();
    assertThat(a.owned()).containsExactlyInAnyOrderElementsOf(VIRTUAL_NODES);
    assertThat(agentsA.acquired).containsExactlyInAnyOrderElementsOf(VIRTUAL_NODES);

    // b joins: it waits for a's hand-over, then acquires its share at once.
    Set<String> shareOfB = new HashSet<>();
    for (String vn : VIRTUAL_NODES) {
      if (Rendezvous.owner(vn, List.of("operator-a", "operator-b"))
          .orElseThrow()
          .equals("operator-b")) {
        shareOfB.add(vn);
      }
    }
    assertThat(shareOfB).isNotEmpty().hasSizeLessThan(VIRTUAL_NODES.size());
    clock.advance(Duration.ofSeconds(1));
    b.round();
    assertThat(b.owned()).isEmpty();
    a.round();
    assertThat(agentsA.stopped).containsExactlyInAnyOrderElementsOf(shareOfB);
    b.round();
    assertThat(b.owned()).containsExactlyInAnyOrderElementsOf(shareOfB);
    assertEachOwnedOnce(a, b);

    // Renewals keep it so.
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofSeconds(5));
      a.round();
      b.round();
      assertEachOwnedOnce(a, b);
    }
    assertThat(agentsA.stopped).hasSize(shareOfB.size());
    assertThat(agentsB.stopped).isEmpty();

    // b dies (no more rounds): a, running its rounds as scheduled (more often than it renews),
    // takes b's share once b's Leases have expired, not before.
    for (int i = 0; i < 2; i++) {
      clock.advance(Duration.ofSeconds(5));
      a.round();
      assertThat(a.owned()).doesNotContainAnyElementsOf(shareOfB);
    }
    clock.advance(Duration.ofSeconds(5));
    a.round();
    assertThat(a.owned()).containsExactlyInAnyOrderElementsOf(VIRTUAL_NODES);
    for (String vn : VIRTUAL_NODES) {
      assertThat(new ShardLeases(client, ns.name()).virtualNode(vn).orElseThrow().holder())
          .isEqualTo("operator-a");
    }

    // Someone writes a's Lease over it: a stops that agent in its next round and leaves it be.
    ShardLeases intruder = new ShardLeases(client, ns.name());
    String stolen = VIRTUAL_NODES.get(0);
    Optional<LeaseRecord> read = intruder.virtualNode(stolen);
    assertThat(intruder.write(stolen, read, "intruder", clock.instant(), D)).isTrue();
    List<String> stoppedBefore = new ArrayList<>(agentsA.stopped);
    clock.advance(Duration.ofSeconds(1));
    a.round();
    assertThat(a.owns(stolen)).isFalse();
    assertThat(agentsA.stopped).hasSize(stoppedBefore.size() + 1).endsWith(stolen);
    assertThat(intruder.virtualNode(stolen).orElseThrow().holder()).isEqualTo("intruder");
  }

  @Test
  void aGracefulLeaveHandsEverythingOverAtOnce(TestNamespace ns) {
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    RecordingAgents agentsA = new RecordingAgents();
    RecordingAgents agentsB = new RecordingAgents();
    ShardCoordinator a = coordinator(ns, "operator-a", clock, agentsA);
    ShardCoordinator b = coordinator(ns, "operator-b", clock, agentsB);
    a.round();
    b.round();
    a.round();
    b.round();
    assertEachOwnedOnce(a, b);
    Set<String> ofA = a.owned();

    a.leave();
    assertThat(a.owned()).isEmpty();
    assertThat(agentsA.stopped).containsAll(ofA);
    // No waiting for expiry: the member Lease is gone and the VirtualNode Leases released.
    clock.advance(Duration.ofSeconds(1));
    b.round();
    assertThat(b.owned()).containsExactlyInAnyOrderElementsOf(VIRTUAL_NODES);
  }

  @Test
  void theLeaseOfAGoneVirtualNodeIsDeletedByItsHolderAfterStoppingItsAgent(TestNamespace ns) {
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    RecordingAgents agents = new RecordingAgents();
    List<String> existing = new CopyOnWriteArrayList<>(List.of("vn-kept", "vn-gone"));
    ShardLeases leases = new ShardLeases(client, ns.name());
    ShardCoordinator a =
        new ShardCoordinator(leases, "operator-a", TIMING, D, clock, () -> existing, agents);
    a.round();
    assertThat(a.owned()).containsExactlyInAnyOrder("vn-kept", "vn-gone");

    existing.remove("vn-gone");
    clock.advance(Duration.ofSeconds(1));
    a.round();
    assertThat(a.owned()).containsExactly("vn-kept");
    assertThat(agents.stopped).containsExactly("vn-gone");
    assertThat(leases.virtualNode("vn-gone")).isEmpty();
    assertThat(leases.virtualNodes()).containsOnlyKeys("vn-kept");
  }
}
