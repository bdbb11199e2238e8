package io.github.acivirtualnode.operator.sharding;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sharding Leases in the operator's namespace, read and written as the decisions need: member
 * Leases (each written only by its own replica) and VirtualNode Leases (written only with the
 * resourceVersion that was read, so of two replicas acting on the same read one gets a conflict).
 * Thin I/O; what to write is decided by {@link OwnershipDecision}.
 */
public final class ShardLeases {
  static final String FIELD_MANAGER = "aci-virtual-node-sharding";

  private final KubernetesClient client;
  private final String namespace;

  public ShardLeases(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Every member Lease, live or not ({@link Members#live} says which are). */
  public List<LeaseRecord> members() {
    return client
        .leases()
        .inNamespace(namespace)
        .withLabel(ShardLeaseNames.MEMBER_LABEL)
        .list()
        .getItems()
        .stream()
        .map(ShardLeases::record)
        .toList();
  }

  /** Renews this replica's member Lease (creating it the first time). */
  public void renewMember(String identity, Instant now, Duration duration) {
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(ShardLeaseNames.member(identity))
            .withNamespace(namespace)
            .withLabels(Map.of(ShardLeaseNames.MEMBER_LABEL, "true"))
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(identity)
            .withLeaseDurationSeconds((int) duration.toSeconds())
            .withRenewTime(microTime(now))
            .endSpec()
            .build();
    client.leases().resource(lease).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  /** A graceful stop: the others see this replica leave at once instead of a duration later. */
  public void leave(String identity) {
    client.leases().inNamespace(namespace).withName(ShardLeaseNames.member(identity)).delete();
  }

  /** Every VirtualNode Lease, by VirtualNode name: one list a round, not one GET per node. */
  public Map<String, LeaseRecord> virtualNodes() {
    Map<String, LeaseRecord> leases = new HashMap<>();
    for (Lease lease :
        client
            .leases()
            .inNamespace(namespace)
            .withLabel(ShardLeaseNames.VIRTUAL_NODE_LEASE_LABEL)
            .list()
            .getItems()) {
      Map<String, String> annotations = lease.getMetadata().getAnnotations();
      String name =
          annotations == null ? null : annotations.get(ShardLeaseNames.VIRTUAL_NODE_ANNOTATION);
      if (name != null) {
        leases.put(name, record(lease));
      }
    }
    return leases;
  }

  /** Deletes the Lease of a VirtualNode that is gone, if it is still as {@code read}. */
  public void delete(String virtualNodeName, LeaseRecord read) {
    try {
      client
          .leases()
          .inNamespace(namespace)
          .withName(ShardLeaseNames.virtualNode(virtualNodeName))
          .lockResourceVersion(read.resourceVersion())
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  /** The VirtualNode's Lease; empty when it does not exist. */
  public Optional<LeaseRecord> virtualNode(String virtualNodeName) {
    Lease lease =
        client
            .leases()
            .inNamespace(namespace)
            .withName(ShardLeaseNames.virtualNode(virtualNodeName))
            .get();
    return Optional.ofNullable(lease).map(ShardLeases::record);
  }

  /**
   * Writes the VirtualNode's Lease over {@code read} (creates it when {@code read} is empty), with
   * {@code holder} (null releases it) renewed at {@code now}.
   *
   * @return false when someone else wrote it since {@code read} (a conflict): read again
   */
  public boolean write(
      String virtualNodeName,
      Optional<LeaseRecord> read,
      String holder,
      Instant now,
      Duration duration) {
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(ShardLeaseNames.virtualNode(virtualNodeName))
            .withNamespace(namespace)
            .withResourceVersion(read.map(LeaseRecord::resourceVersion).orElse(null))
            .withLabels(Map.of(ShardLeaseNames.VIRTUAL_NODE_LEASE_LABEL, "true"))
            .withAnnotations(Map.of(ShardLeaseNames.VIRTUAL_NODE_ANNOTATION, virtualNodeName))
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(holder)
            .withLeaseDurationSeconds((int) duration.toSeconds())
            .withRenewTime(microTime(now))
            .endSpec()
            .build();
    try {
      if (read.isEmpty()) {
        client.leases().resource(lease).create();
      } else {
        // A full update carrying the resourceVersion read: the API server refuses it with 409
        // when the Lease changed since.
        client.leases().resource(lease).update();
      }
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }

  /** The decisions' view of a Lease. */
  static LeaseRecord record(Lease lease) {
    var spec = lease.getSpec();
    Integer seconds = spec == null ? null : spec.getLeaseDurationSeconds();
    ZonedDateTime renewed = spec == null ? null : spec.getRenewTime();
    return new LeaseRecord(
        spec == null ? null : spec.getHolderIdentity(),
        renewed == null ? null : renewed.toInstant(),
        seconds == null ? null : Duration.ofSeconds(seconds),
        lease.getMetadata().getResourceVersion());
  }

  private static ZonedDateTime microTime(Instant now) {
    return ZonedDateTime.ofInstant(now.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }
}
