package io.github.acivirtualnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.aciemulator.ArmRequestCount;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.controlplane.ControlPlaneBinaries;
import io.github.acivirtualnode.controlplane.KubernetesCluster;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.controlplane.TestNamespace;
import io.github.acivirtualnode.e2e.reliability.DisruptionRecorder;
import io.github.acivirtualnode.operator.sharding.Rendezvous;
import io.github.acivirtualnode.operator.sharding.ShardLeaseNames;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three operator processes share the VirtualNodes (the default, AVN_SHARDING), each under the
 * deployed ServiceAccount's permissions: each VirtualNode owned by exactly one replica through its
 * Lease; a replica killed with SIGKILL has its VirtualNodes taken over by the others once their
 * Leases expire, with no Node leaving Ready, no pod leaving Running and no container group made
 * again; a replica stopped with SIGTERM hands its VirtualNodes over at once.
 *
 * <p>Timings are the E2E's own: node Leases renewed every 4 s and shard Leases of 9 s, so that a
 * take-over (at most a shard Lease after the last renewal, plus a round) comes well within the
 * local control plane's 20 s node-monitor grace period. A real cluster's defaults (10 s and 15 s)
 * fit its 40 s or more the same way.
 */
@ExtendWith(KubernetesClusterExtension.class)
class ShardingE2E {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final String NAMESPACE = "aci-virtual-node";
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000e1";
  private static final String TENANT = "44444444-4444-4444-4444-4444444444e1";
  private static final String CLIENT_ID = "55555555-5555-5555-5555-5555555555e1";
  private static final String SECRET = "sharding-e2e-secret";
  private static final String CREDENTIALS = "aci-credentials-sharding";
  private static final String RESOURCE_GROUP = "rg-sharding";
  private static final String CREATE = "ContainerGroups_CreateOrUpdate";
  private static final List<String> REPLICAS = List.of("replica-a", "replica-b", "replica-c");
  private static final long TIMEOUT_SECONDS = 180;

  private static AciEmulator emulator;
  private static KubernetesClient client;
  private static Path work;
  private static final Map<String, Process> processes = new LinkedHashMap<>();
  private static final List<VirtualNode> virtualNodes = new ArrayList<>();

  @BeforeAll
  static void install(KubernetesCluster cluster, KubernetesClient admin) throws Exception {
    client = admin;
    work = Files.createTempDirectory("avn-sharding");
    emulator = AciEmulator.builder().requireAuthentication(true).build().start();
    emulator.addResourceGroup(SUBSCRIPTION, RESOURCE_GROUP, "westeurope");
    emulator.addServicePrincipal(TENANT, CLIENT_ID, SECRET);
    Kubectl kubectl = new Kubectl(ControlPlaneBinaries.binary("kubectl"), cluster.kubeconfigFile());
    Kubectl.Result applied = kubectl.run("apply", "-k", REPO.resolve("deploy").toString());
    assertThat(applied.exit()).as(applied.output()).isZero();
    kubectl.run("wait", "--for=condition=Established", "crd/virtualnodes.acivirtualnode.github.io");
    admin
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(CREDENTIALS)
                .endMetadata()
                .addToStringData("tenantId", TENANT)
                .addToStringData("clientId", CLIENT_ID)
                .addToStringData("clientSecret", SECRET)
                .build())
        .serverSideApply();
    Path kubeconfig =
        OperatorProcesses.serviceAccountKubeconfig(
            cluster, admin, NAMESPACE, "aci-virtual-node", work.resolve("operator.kubeconfig"));
    for (int i = 0; i < REPLICAS.size(); i++) {
      String identity = REPLICAS.get(i);
      ProcessBuilder command =
          new ProcessBuilder(OperatorProcesses.javaCommand()).redirectErrorStream(true);
      command.redirectOutput(work.resolve(identity + ".log").toFile());
      Map<String, String> env = command.environment();
      env.put("KUBECONFIG", kubeconfig.toString());
      env.put("POD_NAMESPACE", NAMESPACE);
      env.put("HOSTNAME", identity);
      env.put("AZURE_AUTHORITY_HOST", emulator.authorityHost());
      env.put("AVN_ARM_CA_FILE", emulator.caCertificateFile().toString());
      env.put("AVN_ALLOWED_ARM_ENDPOINTS", emulator.baseUrl());
      env.put("AVN_HEALTH_PROBE_SECONDS", "2");
      env.put("AVN_LEASE_RENEW_SECONDS", "4");
      env.put("AVN_SHARD_LEASE_SECONDS", "9");
      env.put("AVN_METRICS_PORT", Integer.toString(OperatorProcesses.freePort()));
      env.put("AVN_KUBELET_PORT", "0");
      // Three processes on one host: each its own range of per-Node kubelet ports.
      int from = 21000 + 100 * i;
      env.put("AVN_KUBELET_NODE_PORTS", from + "-" + (from + 99));
      processes.put(identity, command.start());
    }
    System.err.println("[sharding-e2e] operator logs in " + work);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      // Deleted while a replica still runs: its cleanup removes the Nodes and finalizers.
      for (VirtualNode vn : virtualNodes) {
        client.resource(vn).delete();
      }
      for (VirtualNode vn : virtualNodes) {
        client
            .resources(VirtualNode.class)
            .withName(vn.getMetadata().getName())
            .waitUntilCondition(v -> v == null, TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } finally {
      for (Process p : processes.values()) {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      if (emulator != null) {
        emulator.close();
      }
    }
  }

  @Test
  void replicasShareTheVirtualNodesAndAKilledOnesMoveWithoutAFlapOrANewGroup(TestNamespace ns)
      throws Exception {
    // Two VirtualNodes for each replica: names chosen by the rendezvous the operator uses.
    Map<String, String> desired = new TreeMap<>();
    Map<String, Integer> perReplica = new TreeMap<>();
    for (int i = 0; desired.size() < 2 * REPLICAS.size(); i++) {
      String name = "shard-e2e-" + i;
      String owner = Rendezvous.owner(name, REPLICAS).orElseThrow();
      if (perReplica.getOrDefault(owner, 0) < 2) {
        desired.put(name, owner);
        perReplica.merge(owner, 1, Integer::sum);
      }
    }
    for (String name : desired.keySet()) {
      virtualNodes.add(client.resource(virtualNode(name)).create());
    }
    for (VirtualNode vn : virtualNodes) {
      awaitTrue("Node " + vn.nodeName() + " Ready", () -> ready(vn.nodeName()));
    }
    awaitTrue("each VirtualNode held by its rendezvous owner", () -> holders().equals(desired));

    List<Pod> pods = new ArrayList<>();
    for (VirtualNode vn : virtualNodes) {
      pods.add(client.resource(pod(ns.name(), vn.getMetadata().getName(), vn.nodeName())).create());
    }
    List<Pod> running = new ArrayList<>();
    for (Pod pod : pods) {
      running.add(
          client
              .resource(pod)
              .waitUntilCondition(ShardingE2E::running, TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }
    Map<String, Long> createsBefore = creates();
    assertThat(createsBefore.values()).as("one PUT per pod").containsOnly(1L);
    assertThat(createsBefore).hasSize(pods.size());
    Set<String> uids =
        running.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    List<DisruptionRecorder> recorders = new ArrayList<>();
    for (VirtualNode vn : virtualNodes) {
      recorders.add(DisruptionRecorder.start(client, vn.nodeName(), ns.name(), uids));
    }
    try {
      // SIGKILL: no hand-over, its Leases must expire first.
      String victim = "replica-b";
      Instant killed = Instant.now();
      processes.get(victim).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      Set<String> moved =
          desired.entrySet().stream()
              .filter(e -> e.getValue().equals(victim))
              .map(Map.Entry::getKey)
              .collect(Collectors.toSet());
      awaitTrue(
          "the killed replica's VirtualNodes held by the others",
          () -> {
            Map<String, String> now = holders();
            return moved.stream()
                .allMatch(vn -> now.get(vn) != null && !now.get(vn).equals(victim));
          });
      // Their new owners keep the Nodes alive: Node Leases renewed after the kill.
      for (VirtualNode vn : virtualNodes) {
        if (moved.contains(vn.getMetadata().getName())) {
          awaitTrue(
              "Node Lease of " + vn.nodeName() + " renewed by its new owner",
              () -> nodeLeaseRenewedAfter(vn.nodeName(), killed));
        }
      }
      // The others kept theirs; a pod bound to a moved VirtualNode now runs through its new owner.
      Map<String, String> after = holders();
      desired.forEach(
          (vn, owner) -> {
            if (!owner.equals(victim)) {
              assertThat(after.get(vn)).as("holder of %s", vn).isEqualTo(owner);
            }
          });
      VirtualNode movedNode =
          virtualNodes.stream()
              .filter(v -> moved.contains(v.getMetadata().getName()))
              .findFirst()
              .orElseThrow();
      Pod late = client.resource(pod(ns.name(), "late", movedNode.nodeName())).create();
      client
          .resource(late)
          .waitUntilCondition(ShardingE2E::running, TIMEOUT_SECONDS, TimeUnit.SECONDS);

      // SIGTERM: a graceful stop releases the Leases, and the last replica takes everything.
      String stopped = "replica-c";
      Process graceful = processes.get(stopped);
      graceful.destroy();
      assertThat(graceful.waitFor(60, TimeUnit.SECONDS)).as("replica-c stopped").isTrue();
      awaitTrue(
          "every VirtualNode held by replica-a",
          () ->
              holders().values().stream().allMatch("replica-a"::equals)
                  && holders().size() == desired.size());
      Instant handedOver = Instant.now();
      for (VirtualNode vn : virtualNodes) {
        awaitTrue(
            "Node Lease of " + vn.nodeName() + " renewed after the graceful stop",
            () -> nodeLeaseRenewedAfter(vn.nodeName(), handedOver));
      }

      Map<String, Long> createsAfter = creates();
      createsBefore.forEach(
          (group, count) ->
              assertThat(createsAfter.get(group)).as("PUTs of %s", group).isEqualTo(count));
      assertThat(createsAfter).hasSize(createsBefore.size() + 1);
      for (DisruptionRecorder r : recorders) {
        assertThat(r.nodeDisruptions()).as("Node disruptions").isEmpty();
        assertThat(r.podDisruptions()).as("pod disruptions").isEmpty();
      }
      for (Pod pod : running) {
        Pod now = client.resource(pod).get();
        assertThat(now.getMetadata().getUid()).isEqualTo(pod.getMetadata().getUid());
        assertThat(GroupNaming.groupName(now)).isEqualTo(GroupNaming.groupName(pod));
      }
      assertThat(processes.get("replica-a").isAlive()).as("replica-a").isTrue();
      for (String identity : REPLICAS) {
        String log = Files.readString(work.resolve(identity + ".log"));
        assertThat(log).doesNotContain(SECRET);
        // Under the deployed RBAC every Event is recorded (a repeat's count too).
        assertThat(log).as("%s's log", identity).doesNotContain("cannot record event");
        // An agent taken up again never overlaps the one given up.
        assertThat(log).doesNotContain("has been already registered");
      }
    } finally {
      recorders.forEach(DisruptionRecorder::close);
    }
  }

  /** Who holds each VirtualNode's shard Lease, by VirtualNode name (held and unexpired only). */
  private static Map<String, String> holders() {
    Map<String, String> out = new TreeMap<>();
    ZonedDateTime now = ZonedDateTime.now();
    for (Lease lease :
        client
            .leases()
            .inNamespace(NAMESPACE)
            .withLabel(ShardLeaseNames.VIRTUAL_NODE_LEASE_LABEL)
            .list()
            .getItems()) {
      var spec = lease.getSpec();
      String vn = lease.getMetadata().getAnnotations().get(ShardLeaseNames.VIRTUAL_NODE_ANNOTATION);
      if (vn == null
          || spec.getHolderIdentity() == null
          || spec.getHolderIdentity().isEmpty()
          || spec.getRenewTime() == null
          || spec.getRenewTime().plusSeconds(spec.getLeaseDurationSeconds()).isBefore(now)) {
        continue;
      }
      if (virtualNodes.stream().anyMatch(v -> v.getMetadata().getName().equals(vn))) {
        out.put(vn, spec.getHolderIdentity());
      }
    }
    return out;
  }

  private static boolean nodeLeaseRenewedAfter(String nodeName, Instant instant) {
    Lease lease = client.leases().inNamespace("kube-node-lease").withName(nodeName).get();
    return lease != null
        && lease.getSpec().getRenewTime() != null
        && lease.getSpec().getRenewTime().toInstant().isAfter(instant);
  }

  private static boolean ready(String nodeName) {
    Node node = client.nodes().withName(nodeName).get();
    return node != null
        && node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean running(Pod p) {
    return p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase());
  }

  /** Successful creates (201) by group, of this test's subscription. */
  private static Map<String, Long> creates() {
    return emulator.armRequests().stream()
        .filter(r -> r.operation().equals(CREATE) && r.status() == 201)
        .collect(
            Collectors.groupingBy(
                ArmRequestCount::name,
                TreeMap::new,
                Collectors.summingLong(ArmRequestCount::count)));
  }

  private static Pod pod(String namespace, String name, String nodeName) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withNodeName(nodeName)
        .withAutomountServiceAccountToken(false)
        .addNewToleration()
        .withKey("virtual-kubelet.io/provider")
        .withOperator("Exists")
        .endToleration()
        .addNewContainer()
        .withName("main")
        .withImage("busybox:1.36")
        .withCommand("sleep", "3600")
        .endContainer()
        .endSpec()
        .build();
  }

  private static VirtualNode virtualNode(String name) {
    return EmulatorVirtualNodes.withSecretRef(
        name, SUBSCRIPTION, RESOURCE_GROUP, emulator.baseUrl(), CREDENTIALS);
  }

  private static void awaitTrue(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out waiting until " + what + "; operator logs in " + work + ": " + holders());
      }
      Thread.sleep(250);
    }
  }
}
