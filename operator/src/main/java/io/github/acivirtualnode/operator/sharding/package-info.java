/**
 * Sharding: several replicas share the VirtualNodes, each owned by exactly one replica at a time
 * through Kubernetes Leases in the operator's namespace (issue 14).
 *
 * <p>Pure parts: {@link io.github.acivirtualnode.operator.sharding.Members} (live replicas: holders
 * of unexpired member Leases), {@link io.github.acivirtualnode.operator.sharding.Rendezvous} (the
 * desired owner of a VirtualNode among them, moving only a leaving or joining replica's share),
 * {@link io.github.acivirtualnode.operator.sharding.OwnershipDecision} (acquire, renew, hand over,
 * stop or wait, from the VirtualNode's Lease and the clock) and {@link
 * io.github.acivirtualnode.operator.sharding.ShardLeaseNames}. {@code ShardingProtocolTest} plays
 * them against a store with optimistic concurrency through kills, restarts and partitions.
 *
 * <p>{@link io.github.acivirtualnode.operator.sharding.ShardCoordinator} does the Lease I/O through
 * {@link io.github.acivirtualnode.operator.sharding.ShardLeases}; {@code VirtualNodeOperator} runs
 * its rounds and the reconciler acts only for what it owns (the operator README's "Sharding").
 */
package io.github.acivirtualnode.operator.sharding;
