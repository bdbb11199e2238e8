package io.github.acivirtualnode.operator.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.acivirtualnode.operator.sharding.OwnershipDecision.Decision;
import io.github.acivirtualnode.operator.sharding.OwnershipDecision.Timing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decisions played by three replicas against a Lease store with the API server's optimistic
 * concurrency, on a simulated clock (one step a second, replica clocks skewed by up to 2 s): kills,
 * restarts and partitions from the store at random. Whatever happens, no VirtualNode ever has two
 * agents (a partitioned replica's agents count: they keep running until the replica stops them);
 * once all replicas are back and connected, every VirtualNode has exactly one agent, at its
 * rendezvous owner.
 */
class ShardingProtocolTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration D = Duration.ofSeconds(15);
  private static final Timing TIMING = new Timing(D, Duration.ofSeconds(5));
  private static final List<String> VIRTUAL_NODES =
      IntStream.range(0, 6).mapToObj(i -> "vn-" + i).toList();
  private static final List<String> REPLICAS = List.of("r0", "r1", "r2");

  /** The API server: Leases by name, a write only with the current resourceVersion. */
  static final class Store {
    final Map<String, LeaseRecord> leases = new HashMap<>();
    private long version;

    Optional<LeaseRecord> get(String name) {
      return Optional.ofNullable(leases.get(name));
    }

    /** Create when {@code expected} is null, else update: false on a conflict. */
    boolean write(String name, String expected, String holder, Instant renewTime) {
      LeaseRecord current = leases.get(name);
      if (expected == null
          ? current != null
          : current == null || !current.resourceVersion().equals(expected)) {
        return false;
      }
      leases.put(name, new LeaseRecord(holder, renewTime, D, Long.toString(++version)));
      return true;
    }
  }

  static final class Replica {
    final String id;
    final int skewSeconds;
    boolean alive = true;
    boolean connected = true;

    /** VirtualNode -> the start of the last successful write, while its agent runs. */
    final Map<String, Instant> agents = new HashMap<>();

    private Instant lastMemberRenew;

    Replica(String id, int skewSeconds) {
      this.id = id;
      this.skewSeconds = skewSeconds;
    }

    void kill() {
      alive = false;
      agents.clear(); // SIGKILL: the agents die with the process
      lastMemberRenew = null;
    }

    void step(Store store, Instant trueNow) {
      if (!alive) {
        return;
      }
      Instant now = trueNow.plusSeconds(skewSeconds);
      if (!connected) {
        for (String vn : new ArrayList<>(agents.keySet())) {
          Decision d = OwnershipDecision.unreachable(Optional.of(agents.get(vn)), now, TIMING);
          if (d.action() == OwnershipDecision.Action.STOP) {
            agents.remove(vn);
          }
        }
        return;
      }
      renewMember(store, now);
      List<LeaseRecord> members = new ArrayList<>();
      for (String r : REPLICAS) {
        store.get(ShardLeaseNames.member(r)).ifPresent(members::add);
      }
      var live = Members.live(members, now);
      for (String vn : VIRTUAL_NODES) {
        String name = ShardLeaseNames.virtualNode(vn);
        Optional<LeaseRecord> lease = store.get(name);
        String expected = lease.map(LeaseRecord::resourceVersion).orElse(null);
        Decision d =
            OwnershipDecision.decide(
                id,
                lease,
                Rendezvous.owner(vn, live),
                Optional.ofNullable(agents.get(vn)),
                now,
                TIMING);
        switch (d.action()) {
          case ACQUIRE, RENEW -> {
            if (store.write(name, expected, id, now)) {
              agents.put(vn, now);
            }
          }
          case HAND_OVER -> {
            agents.remove(vn);
            store.write(name, expected, null, now);
          }
          case STOP -> agents.remove(vn);
          case KEEP, WAIT -> {}
        }
      }
    }

    private void renewMember(Store store, Instant now) {
      if (lastMemberRenew != null && now.isBefore(lastMemberRenew.plus(TIMING.renewInterval()))) {
        return;
      }
      String name = ShardLeaseNames.member(id);
      String expected = store.get(name).map(LeaseRecord::resourceVersion).orElse(null);
      if (store.write(name, expected, id, now)) {
        lastMemberRenew = now;
      }
    }
  }

  static IntStream seeds() {
    return IntStream.range(0, 25);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void neverTwoAgentsAndEveryVirtualNodeOwnedOnceCalm(int seed) {
    Random random = new Random(seed);
    Store store = new Store();
    List<Replica> replicas = new ArrayList<>();
    for (String id : REPLICAS) {
      replicas.add(new Replica(id, random.nextInt(5) - 2));
    }
    Instant now = T0;
    for (int second = 0; second < 900; second++) {
      if (random.nextInt(20) == 0) {
        Replica r = replicas.get(random.nextInt(replicas.size()));
        switch (random.nextInt(4)) {
          case 0 -> r.kill();
          case 1 -> r.alive = true;
          case 2 -> r.connected = false;
          default -> r.connected = true;
        }
      }
      List<Replica> order = new ArrayList<>(replicas);
      Collections.shuffle(order, random);
      for (Replica r : order) {
        r.step(store, now);
      }
      assertAtMostOneAgentEach(replicas, second);
      now = now.plusSeconds(1);
    }

    for (Replica r : replicas) {
      r.alive = true;
      r.connected = true;
    }
    for (int second = 0; second < 3 * D.toSeconds(); second++) {
      for (Replica r : replicas) {
        r.step(store, now);
      }
      assertAtMostOneAgentEach(replicas, second);
      now = now.plusSeconds(1);
    }
    for (String vn : VIRTUAL_NODES) {
      List<String> running =
          replicas.stream().filter(r -> r.agents.containsKey(vn)).map(r -> r.id).toList();
      assertThat(running).as(vn).containsExactly(Rendezvous.owner(vn, REPLICAS).orElseThrow());
      assertThat(store.get(ShardLeaseNames.virtualNode(vn)).orElseThrow().holder())
          .isEqualTo(running.get(0));
    }
  }

  private static void assertAtMostOneAgentEach(List<Replica> replicas, int second) {
    for (String vn : VIRTUAL_NODES) {
      long agents = replicas.stream().filter(r -> r.agents.containsKey(vn)).count();
      assertThat(agents).as("%s at second %d", vn, second).isLessThanOrEqualTo(1);
    }
  }
}
