package io.github.acivirtualnode.operator.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.controlplane.TestNamespace;
import io.github.acivirtualnode.operator.sharding.OwnershipDecision.Action;
import io.github.acivirtualnode.operator.sharding.OwnershipDecision.Timing;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sharding Leases on the real API server: its optimistic concurrency is what keeps two replicas
 * from both acquiring a VirtualNode. Times are passed in, never waited for.
 */
@ExtendWith(KubernetesClusterExtension.class)
class ShardLeasesIT {
  private static final Duration D = Duration.ofSeconds(15);
  private static final Timing TIMING = new Timing(D, Duration.ofSeconds(5));
  private static KubernetesClient client;

  @BeforeAll
  static void start(KubernetesClient kubernetes) {
    client = kubernetes;
  }

  @Test
  void ofTwoReplicasActingOnTheSameReadOnlyOneAcquires(TestNamespace ns) {
    ShardLeases a = new ShardLeases(client, ns.name());
    ShardLeases b = new ShardLeases(client, ns.name());
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    // Both see no Lease: only one create wins.
    Optional<LeaseRecord> none = a.virtualNode("vn-race");
    assertThat(none).isEmpty();
    assertThat(a.write("vn-race", none, "a", now, D)).isTrue();
    assertThat(b.write("vn-race", none, "b", now, D)).isFalse();

    // Both read the expired Lease: only one update wins.
    Instant later = now.plus(D);
    Optional<LeaseRecord> expired = b.virtualNode("vn-race");
    assertThat(expired.orElseThrow().freeAt(later)).isTrue();
    assertThat(b.write("vn-race", expired, "b", later, D)).isTrue();
    assertThat(a.write("vn-race", expired, "a", later, D)).isFalse();

    LeaseRecord held = a.virtualNode("vn-race").orElseThrow();
    assertThat(held.holder()).isEqualTo("b");
    assertThat(held.renewTime()).isEqualTo(later);
    assertThat(held.duration()).isEqualTo(D);
    Lease lease =
        client
            .leases()
            .inNamespace(ns.name())
            .withName(ShardLeaseNames.virtualNode("vn-race"))
            .get();
    assertThat(lease.getMetadata().getLabels())
        .containsEntry(ShardLeaseNames.VIRTUAL_NODE_LEASE_LABEL, "true");
    assertThat(lease.getMetadata().getAnnotations())
        .containsEntry(ShardLeaseNames.VIRTUAL_NODE_ANNOTATION, "vn-race");
  }

  @Test
  void aReleasedLeaseIsAcquiredAtOnceByTheDesiredOwner(TestNamespace ns) {
    ShardLeases leases = new ShardLeases(client, ns.name());
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    assertThat(leases.write("vn-hand-over", Optional.empty(), "a", now, D)).isTrue();

    // a hands over: it releases what it read; b, the desired owner, acquires without waiting.
    Optional<LeaseRecord> heldByA = leases.virtualNode("vn-hand-over");
    assertThat(
            OwnershipDecision.decide(
                    "a", heldByA, Optional.of("b"), Optional.of(now), now.plusSeconds(1), TIMING)
                .action())
        .isEqualTo(Action.HAND_OVER);
    assertThat(leases.write("vn-hand-over", heldByA, null, now.plusSeconds(1), D)).isTrue();

    Optional<LeaseRecord> released = leases.virtualNode("vn-hand-over");
    assertThat(released.orElseThrow().holder()).isNull();
    assertThat(
            OwnershipDecision.decide(
                    "b", released, Optional.of("b"), Optional.empty(), now.plusSeconds(2), TIMING)
                .action())
        .isEqualTo(Action.ACQUIRE);
    assertThat(leases.write("vn-hand-over", released, "b", now.plusSeconds(2), D)).isTrue();
    assertThat(leases.virtualNode("vn-hand-over").orElseThrow().holder()).isEqualTo("b");
  }

  @Test
  void membersAreListedByLabelAndLiveWhileUnexpired(TestNamespace ns) {
    ShardLeases leases = new ShardLeases(client, ns.name());
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    leases.renewMember("operator-0", now, D);
    leases.renewMember("operator-1", now.minus(D), D);
    leases.renewMember("Odd_Host.Name", now, D);
    // Renewing again replaces the renew time, it does not conflict.
    leases.renewMember("operator-0", now.plusSeconds(1), D);
    // A VirtualNode Lease is no member.
    leases.write("vn-x", Optional.empty(), "operator-0", now, D);

    assertThat(leases.members()).hasSize(3);
    assertThat(Members.live(leases.members(), now.plusSeconds(1)))
        .containsExactly("Odd_Host.Name", "operator-0");

    leases.leave("operator-0");
    assertThat(Members.live(leases.members(), now.plusSeconds(1))).containsExactly("Odd_Host.Name");
  }
}
