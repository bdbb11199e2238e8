package io.github.acivirtualnode.operator.node;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/** Renews a Node's Lease in kube-node-lease, as the kubelet does. */
final class LeaseRenewer {
  static final String FIELD_MANAGER = NodeAgent.FIELD_MANAGER;

  private final AgentContext ctx;

  LeaseRenewer(AgentContext ctx) {
    this.ctx = ctx;
  }

  /** The kubelet renews every quarter of the duration (10 s of 40 s): the same ratio here. */
  static int leaseDurationSeconds(Duration renewInterval) {
    return (int) Math.max(4, renewInterval.toSeconds() * 4);
  }

  /**
   * @param nodeUid the Node's UID, for the owner reference that makes the Lease go with the Node;
   *     null when unknown
   */
  void renew(String nodeName, String nodeUid) {
    LeaseBuilder lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(nodeName)
            .withNamespace(NodeAgent.LEASE_NAMESPACE)
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(nodeName)
            .withLeaseDurationSeconds(leaseDurationSeconds(ctx.config().leaseRenewInterval()))
            .withRenewTime(
                ZonedDateTime.ofInstant(
                    ctx.clock().instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC))
            .endSpec();
    if (nodeUid != null) {
      lease
          .editMetadata()
          .addNewOwnerReference()
          .withApiVersion("v1")
          .withKind("Node")
          .withName(nodeName)
          .withUid(nodeUid)
          .endOwnerReference()
          .endMetadata();
    }
    ctx.client()
        .leases()
        .resource(lease.build())
        .fieldManager(FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
  }
}
