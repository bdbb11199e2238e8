package io.github.acivirtualnode.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Proves the local control plane is real: controllers, scheduler and node lifecycle act. */
@ExtendWith(KubernetesClusterExtension.class)
class ControlPlaneIT {
  private static final long TIMEOUT_SECONDS = 90;

  @Test
  void apiServerReportsThePinnedVersion(KubernetesClient client) {
    assertThat(client.getKubernetesVersion().getGitVersion()).matches("v1\\.\\d+\\.\\d+");
  }

  @Test
  void anApiServerRestartKeepsEveryObjectAndTheSameClientWorksAfterIt(
      KubernetesCluster cluster, KubernetesClient client, TestNamespace ns) {
    assumeTrue(
        cluster instanceof LocalControlPlane, "only the local control plane restarts one process");
    ConfigMap before =
        client
            .configMaps()
            .inNamespace(ns.name())
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("kept")
                    .endMetadata()
                    .addToData("k", "v")
                    .build())
            .create();

    ((LocalControlPlane) cluster).restartApiServer();

    // etcd kept the data: the same object (same UID), read by the client made before the restart.
    ConfigMap after = client.configMaps().inNamespace(ns.name()).withName("kept").get();
    assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    assertThat(after.getData()).containsEntry("k", "v");
    // And the restarted API server takes writes.
    client.configMaps().inNamespace(ns.name()).withName("kept").delete();
    client
        .configMaps()
        .inNamespace(ns.name())
        .withName("kept")
        .waitUntilCondition(c -> c == null, TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void controllerManagerCreatesReplicaSetAndPodsOfADeployment(
      KubernetesClient client, TestNamespace ns) {
    client
        .apps()
        .deployments()
        .inNamespace(ns.name())
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .withNewSelector()
                .addToMatchLabels("app", "web")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "web")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("nginx")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();

    client
        .pods()
        .inNamespace(ns.name())
        .withLabel("app", "web")
        .informOnCondition(pods -> pods.size() == 3)
        .orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .join();
    assertThat(client.apps().replicaSets().inNamespace(ns.name()).list().getItems())
        .singleElement()
        .satisfies(
            rs -> {
              assertThat(rs.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("web");
              assertThat(rs.getSpec().getReplicas()).isEqualTo(3);
            });
    assertThat(client.pods().inNamespace(ns.name()).withLabel("app", "web").list().getItems())
        .allSatisfy(
            pod ->
                assertThat(pod.getMetadata().getOwnerReferences().get(0).getKind())
                    .isEqualTo("ReplicaSet"));
  }

  @Test
  void schedulerHonoursTaintsAndNodeSelectors(KubernetesClient client, TestNamespace ns)
      throws Exception {
    String nodeName = "tainted-" + UUID.randomUUID().toString().substring(0, 8);
    NodeHeartbeat heartbeat = NodeHeartbeat.register(client, nodeName, "pool", ns.name());
    try {
      Pod tolerating =
          client.pods().inNamespace(ns.name()).resource(pod("tolerating", true, ns)).create();
      Pod bound =
          client
              .pods()
              .resource(tolerating)
              .waitUntilCondition(
                  p -> p.getSpec().getNodeName() != null, TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(bound.getSpec().getNodeName()).isEqualTo(nodeName);
      // Only now, with the node in the scheduler's cache (a pod was bound to it): created before,
      // its first attempt could find no node at all ("no nodes available"), not the taint.
      Pod intolerant =
          client.pods().inNamespace(ns.name()).resource(pod("intolerant", false, ns)).create();

      // The scheduler reports why it cannot place the pod without the toleration.
      Pod unschedulable =
          client
              .pods()
              .resource(intolerant)
              .waitUntilCondition(PodConditions::unschedulable, TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(unschedulable.getSpec().getNodeName()).isNull();
      assertThat(
              unschedulable.getStatus().getConditions().stream()
                  .filter(c -> "PodScheduled".equals(c.getType()))
                  .findFirst()
                  .orElseThrow()
                  .getMessage())
          .contains("untolerated taint");
    } finally {
      heartbeat.close();
    }
  }

  @Test
  void nodeBecomesNotReadyWhenItsLeaseIsNoLongerRenewed(KubernetesClient client, TestNamespace ns)
      throws Exception {
    String nodeName = "leased-" + UUID.randomUUID().toString().substring(0, 8);
    try (NodeHeartbeat heartbeat = NodeHeartbeat.register(client, nodeName, "lease", ns.name())) {
      // Longer than the controller-manager's grace period (20 s): renewals keep it Ready.
      Thread.sleep(Duration.ofSeconds(25).toMillis());
      assertThat(readyCondition(client.nodes().withName(nodeName).get()).getStatus())
          .isEqualTo("True");

      heartbeat.stop();
      // The controller marks the condition first and taints the node right after.
      Node notReady =
          client
              .nodes()
              .withName(nodeName)
              .waitUntilCondition(
                  n ->
                      "Unknown".equals(readyCondition(n).getStatus())
                          && n.getSpec().getTaints().stream()
                              .anyMatch(t -> "node.kubernetes.io/unreachable".equals(t.getKey())),
                  TIMEOUT_SECONDS,
                  TimeUnit.SECONDS);
      assertThat(readyCondition(notReady).getReason()).isEqualTo("NodeStatusUnknown");
    }
  }

  private static NodeCondition readyCondition(Node node) {
    return node.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private static Pod pod(String name, boolean tolerate, TestNamespace ns) {
    PodBuilder builder =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns.name())
            .endMetadata()
            .withNewSpec()
            .addToNodeSelector("pool", ns.name())
            .addNewContainer()
            .withName("main")
            .withImage("busybox")
            .endContainer()
            .endSpec();
    if (tolerate) {
      builder
          .editSpec()
          .addNewToleration()
          .withKey("example.com/dedicated")
          .withOperator("Equal")
          .withValue("yes")
          .withEffect("NoSchedule")
          .endToleration()
          .endSpec();
    }
    return builder.build();
  }

  /**
   * A stand-in kubelet: registers a Ready, tainted Node and renews its Lease every 2 s until
   * stopped; closing it deletes both.
   */
  private static final class NodeHeartbeat implements AutoCloseable {
    private final KubernetesClient client;
    private final String nodeName;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    private NodeHeartbeat(KubernetesClient client, String nodeName) {
      this.client = client;
      this.nodeName = nodeName;
    }

    static NodeHeartbeat register(
        KubernetesClient client, String nodeName, String labelKey, String labelValue) {
      String now = ZonedDateTime.now().format(DateTimeFormatter.ISO_INSTANT);
      Node node =
          new NodeBuilder()
              .withNewMetadata()
              .withName(nodeName)
              .withLabels(Map.of(labelKey, labelValue, "kubernetes.io/hostname", nodeName))
              .endMetadata()
              .withNewSpec()
              .addNewTaint()
              .withKey("example.com/dedicated")
              .withValue("yes")
              .withEffect("NoSchedule")
              .endTaint()
              .endSpec()
              .withNewStatus()
              .withCapacity(
                  Map.of(
                      "cpu", new Quantity("4"),
                      "memory", new Quantity("8Gi"),
                      "pods", new Quantity("10")))
              .withAllocatable(
                  Map.of(
                      "cpu", new Quantity("4"),
                      "memory", new Quantity("8Gi"),
                      "pods", new Quantity("10")))
              .addNewCondition()
              .withType("Ready")
              .withStatus("True")
              .withReason("KubeletReady")
              .withLastHeartbeatTime(now)
              .withLastTransitionTime(now)
              .endCondition()
              .endStatus()
              .build();
      client.nodes().resource(node).create();
      NodeHeartbeat heartbeat = new NodeHeartbeat(client, nodeName);
      heartbeat.timer.scheduleAtFixedRate(heartbeat::renew, 0, 2, TimeUnit.SECONDS);
      return heartbeat;
    }

    private void renew() {
      Lease lease =
          new LeaseBuilder()
              .withNewMetadata()
              .withName(nodeName)
              .withNamespace("kube-node-lease")
              .endMetadata()
              .withNewSpec()
              .withHolderIdentity(nodeName)
              .withLeaseDurationSeconds(40)
              .withRenewTime(ZonedDateTime.now())
              .endSpec()
              .build();
      client.leases().resource(lease).forceConflicts().serverSideApply();
    }

    void stop() {
      timer.shutdownNow();
      try {
        timer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      stop();
      client.nodes().withName(nodeName).delete();
      client.leases().inNamespace("kube-node-lease").withName(nodeName).delete();
    }
  }
}
