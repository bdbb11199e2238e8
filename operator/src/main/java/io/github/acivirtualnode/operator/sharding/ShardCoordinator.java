package io.github.acivirtualnode.operator.sharding;

import io.github.acivirtualnode.operator.sharding.OwnershipDecision.Decision;
import io.github.acivirtualnode.operator.sharding.OwnershipDecision.Timing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's side of sharding: each {@link #round} renews its member Lease, reads the members
 * and VirtualNode Leases (two lists) and acts on each VirtualNode's {@link OwnershipDecision}. The
 * caller runs rounds on a schedule shorter than the renew interval and starts an agent only while
 * {@link #owns} says so; this class stops agents (through {@link Agents#stop}) before it gives a
 * Lease up, and asks for a reconcile when it acquires one.
 */
public final class ShardCoordinator {
  private static final Logger LOG = LoggerFactory.getLogger(ShardCoordinator.class);

  /** What the coordinator needs from the reconciler. */
  public interface Agents {
    /** Stops the VirtualNode's agent as a graceful stop does (Node and groups stay); blocking. */
    void stop(String virtualNodeName);

    /** This replica now owns the VirtualNode: reconcile it (which starts the agent). */
    void acquired(String virtualNodeName);
  }

  private final ShardLeases leases;
  private final String identity;
  private final Timing timing;
  private final Duration memberDuration;
  private final Clock clock;
  private final Supplier<Collection<String>> virtualNodes;
  private final Agents agents;

  /** VirtualNode -> start of the last successful write of its Lease, while this replica owns it. */
  private final Map<String, Instant> owned = new ConcurrentHashMap<>();

  /** When this replica's member Lease was last renewed; null before the first round. */
  private Instant memberRenewed;

  /**
   * @param virtualNodes the names of the VirtualNodes that exist (the reconciler's cache, once
   *     synced: a replica deletes its own Leases of VirtualNodes missing from it)
   * @param memberDuration the member Lease's duration; renewed every round
   */
  public ShardCoordinator(
      ShardLeases leases,
      String identity,
      Timing timing,
      Duration memberDuration,
      Clock clock,
      Supplier<Collection<String>> virtualNodes,
      Agents agents) {
    this.leases = leases;
    this.identity = identity;
    this.timing = timing;
    this.memberDuration = memberDuration;
    this.clock = clock;
    this.virtualNodes = virtualNodes;
    this.agents = agents;
  }

  /** Whether this replica may run the VirtualNode's agent, write its status, clean it up. */
  public boolean owns(String virtualNodeName) {
    return owned.containsKey(virtualNodeName);
  }

  /**
   * Whether this replica may act for the VirtualNode now: it owns it and its last renewal is recent
   * enough. Checked by the agent's workers between rounds, so that a replica whose rounds are late
   * (a slow API server) stops acting at its deadline, not at the next round.
   */
  public boolean mayAct(String virtualNodeName) {
    Instant lastRenew = owned.get(virtualNodeName);
    return lastRenew != null && clock.instant().isBefore(timing.stopBy(lastRenew));
  }

  public Set<String> owned() {
    return Set.copyOf(owned.keySet());
  }

  /** One pass; never throws for an unreachable API server (it stops agents in time instead). */
  public void round() {
    Instant now = clock.instant();
    SortedSet<String> live;
    Map<String, LeaseRecord> current;
    try {
      // As often as a VirtualNode's Lease, not every round: rounds come several times as often.
      if (memberRenewed == null || !now.isBefore(memberRenewed.plus(timing.renewInterval()))) {
        leases.renewMember(identity, now, memberDuration);
        memberRenewed = now;
      }
      live = Members.live(leases.members(), now);
      current = leases.virtualNodes();
    } catch (RuntimeException e) {
      LOG.warn("sharding Leases unreadable: {}", e.toString());
      for (String vn : List.copyOf(owned.keySet())) {
        act(
            vn,
            OwnershipDecision.unreachable(Optional.of(owned.get(vn)), now, timing),
            Optional.empty(),
            now);
      }
      return;
    }
    Collection<String> existing = virtualNodes.get();
    for (String vn : existing) {
      Optional<LeaseRecord> lease = Optional.ofNullable(current.get(vn));
      Decision d =
          OwnershipDecision.decide(
              identity,
              lease,
              Rendezvous.owner(vn, live),
              Optional.ofNullable(owned.get(vn)),
              now,
              timing);
      try {
        act(vn, d, lease, now);
      } catch (RuntimeException e) {
        // The next round decides again; the deadline stops the agent if writes keep failing.
        LOG.warn("VirtualNode {}: {} failed: {}", vn, d.action(), e.toString());
      }
    }
    // Leases of VirtualNodes that are gone (their owner's cleanup is done): this replica's go.
    for (Map.Entry<String, LeaseRecord> e : current.entrySet()) {
      if (!existing.contains(e.getKey()) && identity.equals(e.getValue().holder())) {
        // Normally its agent is gone with it; if not (a cache not yet synced), never leave an
        // agent running without its Lease.
        if (owned.remove(e.getKey()) != null) {
          agents.stop(e.getKey());
        }
        leases.delete(e.getKey(), e.getValue());
      }
    }
  }

  /** A graceful stop: release what this replica holds, so the others take it over at once. */
  public void leave() {
    for (String vn : List.copyOf(owned.keySet())) {
      owned.remove(vn);
      agents.stop(vn);
      try {
        Optional<LeaseRecord> lease = leases.virtualNode(vn);
        if (lease.isPresent() && identity.equals(lease.get().holder())) {
          leases.write(vn, lease, null, clock.instant(), timing.duration());
        }
      } catch (RuntimeException e) {
        LOG.warn("VirtualNode {}: release failed, it moves when its Lease expires: {}", vn, e);
      }
    }
    try {
      leases.leave(identity);
    } catch (RuntimeException e) {
      LOG.warn("member Lease not deleted, it expires: {}", e.toString());
    }
  }

  private void act(String vn, Decision d, Optional<LeaseRecord> lease, Instant now) {
    switch (d.action()) {
      case ACQUIRE -> {
        if (leases.write(vn, lease, identity, now, timing.duration())) {
          LOG.info("VirtualNode {}: acquired ({})", vn, d.reason());
          owned.put(vn, now);
          agents.acquired(vn);
        }
      }
      case RENEW -> {
        if (leases.write(vn, lease, identity, now, timing.duration())) {
          owned.put(vn, now);
        }
      }
      case HAND_OVER -> {
        LOG.info("VirtualNode {}: handing over ({})", vn, d.reason());
        owned.remove(vn);
        agents.stop(vn);
        leases.write(vn, lease, null, now, timing.duration());
      }
      case STOP -> {
        LOG.warn("VirtualNode {}: agent stopped ({})", vn, d.reason());
        owned.remove(vn);
        agents.stop(vn);
      }
      case KEEP, WAIT -> {}
    }
  }
}
