package io.github.acivirtualnode.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.azure.core.util.ConfigurationBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.aciemulator.ArmRequestCount;
import io.github.acivirtualnode.aciemulator.model.RequestBudgets;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeCrd;
import io.github.acivirtualnode.controlplane.KubernetesCluster;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.controlplane.LocalControlPlane;
import io.github.acivirtualnode.controlplane.TestNamespace;
import io.github.acivirtualnode.e2e.EmulatorVirtualNodes;
import io.github.acivirtualnode.operator.VirtualNodeOperator;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.operator.reconciler.VirtualNodeStatusAggregator;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import io.github.acivirtualnode.operator.translation.PodStatusTranslator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reliability suite: one control plane, one emulator, one operator (in this JVM) and one
 * VirtualNode shared by every scenario; each scenario injects one kind of fault while a small burst
 * of pods runs, then checks the {@link Invariants} as counts: no pod lost or failed by a transient
 * fault, never two groups for one pod UID (sampled throughout), no group created twice, the
 * subscription's budgets never exceeded, no orphan left once the garbage collector had its period.
 * Between scenarios every pod and group is gone and the faults are cleared; counts are taken per
 * scenario as differences (the emulator's {@code reset()} is not used: it also revokes the tokens
 * it issued, which is a scenario of its own, not a clean slate).
 *
 * <p>The operator killed with SIGKILL in the middle of a burst is {@code
 * InstallAndRunE2E#anOperatorKilledMidBurstAndRestartedSendsNoPodsGroupTwice}, which needs the
 * operator as a process; it is not repeated here.
 */
@ExtendWith(KubernetesClusterExtension.class)
class ReliabilityIT {
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000ab";
  private static final String RESOURCE_GROUP = "rg-reliability";
  private static final String TENANT = "11111111-1111-1111-1111-111111111111";
  private static final String CLIENT_ID = "33333333-3333-3333-3333-333333333333";
  private static final String SECRET = "aci-credentials";

  /** How long a container group whose pod is gone is left before the collector deletes it. */
  private static final int ORPHAN_GC_SECONDS = 5;

  /** Generous bounds for waits; nothing asserts how long anything took. */
  private static final long SETTLE_SECONDS = 300;

  private static final long ORPHAN_TIMEOUT_SECONDS = ORPHAN_GC_SECONDS + 60;

  private static KubernetesCluster cluster;
  private static KubernetesClient client;
  private static KubernetesClient operatorClient;
  private static AciEmulator emulator;
  private static VirtualNodeOperator operator;
  private static String operatorNamespace;
  private static String nodeName;
  private static String clientSecret = "reliability-secret-1";
  private static Instant suiteStart;

  /**
   * Transient ARM faults never make the Node NotReady; an API server restart or refused credentials
   * may (the Lease cannot be renewed; a human must fix the Secret).
   */
  private static final boolean NODE_STAYS_READY = true;

  private static final boolean NODE_MAY_FLAP = false;

  private GroupSampler sampler;
  private DisruptionRecorder nodeRecorder;
  private boolean nodeMustStayReady;
  private List<ArmRequestCount> countsBefore;
  private long createRefusalsBefore;
  private long deleteRefusalsBefore;
  private Instant scenarioStart;

  @BeforeAll
  static void start(KubernetesCluster kubernetes, KubernetesClient admin) {
    suiteStart = Instant.now();
    cluster = kubernetes;
    client = admin;
    VirtualNodeCrd.install(client);
    // ACI's own budgets (100 creates and 100 deletes per 5 minutes, 300 per hour).
    emulator = AciEmulator.builder().requireAuthentication(true).build().start();
    emulator.addResourceGroup(SUBSCRIPTION, RESOURCE_GROUP, "westeurope");
    emulator.addServicePrincipal(TENANT, CLIENT_ID, clientSecret);
    operatorNamespace = "avn-reliability-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(operatorNamespace)
                .endMetadata()
                .build())
        .create();
    writeSecret(clientSecret);
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.ofEntries(
                Map.entry("AVN_NAMESPACE", operatorNamespace),
                Map.entry("AZURE_AUTHORITY_HOST", emulator.authorityHost()),
                Map.entry("AVN_ALLOWED_ARM_ENDPOINTS", emulator.baseUrl()),
                Map.entry("AVN_METRICS_PORT", "0"),
                Map.entry("AVN_LEADER_ELECTION", "false"),
                Map.entry("AVN_LEASE_RENEW_SECONDS", "5"),
                Map.entry("AVN_HEALTH_PROBE_SECONDS", "2"),
                Map.entry("AVN_STATUS_LIST_SECONDS", "1"),
                Map.entry("AVN_STATUS_BRISK_WINDOW_SECONDS", "60"),
                Map.entry("AVN_STATUS_REFRESH_SECONDS", "10"),
                Map.entry("AVN_ORPHAN_GROUP_GC_SECONDS", Integer.toString(ORPHAN_GC_SECONDS))));
    // Its own client: the suite restarts the API server under it.
    operatorClient = cluster.newClient();
    operator =
        new VirtualNodeOperator(
                operatorClient,
                config,
                emulator.sslContext(),
                new ConfigurationBuilder().build(),
                new SimpleMeterRegistry())
            .start();
    VirtualNode vn = client.resource(virtualNode()).create();
    nodeName = vn.nodeName();
    awaitNodeReady();
  }

  @AfterAll
  static void stop() {
    try {
      if (nodeName != null) {
        client.resources(VirtualNode.class).withName(nodeName).delete();
        client
            .resources(VirtualNode.class)
            .withName(nodeName)
            .waitUntilCondition(v -> v == null, SETTLE_SECONDS, TimeUnit.SECONDS);
      }
    } finally {
      if (operator != null) {
        operator.close();
      }
      if (operatorClient != null) {
        operatorClient.close();
      }
      if (emulator != null) {
        emulator.close();
      }
      if (operatorNamespace != null) {
        client.namespaces().withName(operatorNamespace).delete();
      }
      System.out.println(
          "[reliability] suite took "
              + Duration.between(suiteStart, Instant.now()).toSeconds()
              + " s, setup included");
    }
  }

  // --- scenarios ---

  @Test
  void tenPercentServerErrorsOnEveryOperation(TestNamespace ns) {
    begin(ns, NODE_STAYS_READY);
    emulator.injectFaults("*", 0.10, 500, Duration.ZERO);
    List<Pod> pods = burst(ns, "flaky", 10);
    List<Pod> settled = awaitSettled(pods);
    // The faults stay on while the pods are deleted and orphans collected: DELETEs fail too.
    end(ns, settled, Map.of());
    assertThat(answered(500)).as("ARM answered 500s: the scenario had its faults").isPositive();
  }

  @Test
  void a429StormWithRetryAfter(TestNamespace ns) {
    begin(ns, NODE_STAYS_READY);
    // Half of every ARM call throttled, each 429 with Retry-After.
    emulator.injectFaults("*", 0.5, 429, Duration.ZERO);
    List<Pod> pods = burst(ns, "storm", 10);
    List<Pod> settled = awaitSettled(pods);
    end(ns, settled, Map.of());
    assertThat(answered(429)).as("ARM answered 429s: there was a storm").isPositive();
  }

  @Test
  void aSixtySecondArmOutageEvictsNothingAndLosesNothing(TestNamespace ns) {
    begin(ns, NODE_STAYS_READY);
    List<Pod> before = awaitSettled(burst(ns, "steady", 6));
    Pod victim = before.get(0);
    Pod leaving = before.get(1);
    Set<String> running =
        before.stream()
            .skip(2)
            .map(p -> p.getMetadata().getUid())
            .collect(Collectors.toCollection(HashSet::new));
    List<Pod> all = new ArrayList<>(before.subList(2, before.size()));
    try (DisruptionRecorder recorder =
        DisruptionRecorder.start(client, nodeName, ns.name(), running)) {
      Instant outageEnds = Instant.now().plusSeconds(60);
      emulator.outage(Duration.ofSeconds(60));
      all.addAll(burst(ns, "during", 5));
      // A pod removed without grace while ARM is down: its group can only go by the collector.
      client.resource(victim).withGracePeriod(0).delete();
      // One deleted as usual: it stays Terminating until ARM takes the DELETE, then goes.
      client.resource(leaving).delete();
      awaitTrue(
          "the operator saw the outage (BackendReachable=False)",
          120,
          () -> backendReachable().map(c -> "False".equals(c.getStatus())).orElse(false));
      awaitTrue("the outage is over", 120, () -> Instant.now().isAfter(outageEnds));
      List<Pod> settled = awaitSettled(all);
      awaitTrue(
          "the pod deleted during the outage is gone",
          SETTLE_SECONDS,
          () -> client.resource(leaving).get() == null);
      assertThat(recorder.nodeDisruptions())
          .as("the Node stayed Ready and untainted through the outage")
          .isEmpty();
      assertThat(recorder.podDisruptions())
          .as("the running pods stayed Running through the outage")
          .isEmpty();
      assertThat(answered(503)).as("ARM answered 503s: there was an outage").isPositive();
      end(ns, settled, Map.of());
    }
  }

  @Test
  void slowArmResponses(TestNamespace ns) {
    begin(ns, NODE_STAYS_READY);
    // Seconds per call on every operation, below the operator's 20 s response timeout.
    emulator.injectFaults("*", 0, 500, Duration.ofSeconds(2));
    List<Pod> settled = awaitSettled(burst(ns, "slow", 8));
    end(ns, settled, Map.of());
  }

  @Test
  void anApiServerRestartMidBurst(TestNamespace ns) {
    assumeTrue(
        cluster instanceof LocalControlPlane,
        "restarting the API server alone needs the local control plane, not k3s");
    // The Node may be marked Unknown: here the API server is away for about as long as the node
    // lifecycle controller's grace period (20 s), and no heartbeat can land meanwhile, a real
    // kubelet's neither. What must hold: the operator puts it back, nothing is evicted or lost.
    begin(ns, NODE_MAY_FLAP);
    List<Pod> before = awaitSettled(burst(ns, "running", 4));
    Set<String> running =
        before.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    try (DisruptionRecorder recorder =
        DisruptionRecorder.start(client, nodeName, ns.name(), running)) {
      List<Pod> all = new ArrayList<>(before);
      int groupsBefore = sampler.podsSeen().size();
      all.addAll(burst(ns, "restart", 6));
      awaitTrue(
          "the burst has begun (a group of it is created)",
          120,
          () -> sampler.podsSeen().size() > groupsBefore);
      ((LocalControlPlane) cluster).restartApiServer();
      // Pods made after the restart prove the operator's watch came back, not only its writes.
      all.addAll(burst(ns, "after", 2));
      List<Pod> settled = awaitSettled(all);
      awaitNodeReady();
      assertThat(recorder.podDisruptions())
          .as("the running pods stayed Running through the restart")
          .isEmpty();
      System.out.println(
          "[reliability] through the API server restart: " + recorder.nodeDisruptions());
      end(ns, settled, Map.of());
    }
  }

  @Test
  void aGroupDeletedOutOfBandFailsItsPodWhoseControllerReplacesIt(TestNamespace ns) {
    begin(ns, NODE_STAYS_READY);
    int replicas = 4;
    client.resource(deployment(ns, "oob", replicas)).create();
    awaitTrue(
        "the replicas run on the virtual node",
        SETTLE_SECONDS,
        () -> replicas(ns, "oob").stream().filter(ReliabilityIT::running).count() == replicas);
    List<Pod> first = replicas(ns, "oob");
    Map<String, String> expected = new HashMap<>();
    for (Pod gone : first.subList(0, 2)) {
      assertThat(emulator.vanish(SUBSCRIPTION, RESOURCE_GROUP, GroupNaming.groupName(gone)))
          .isTrue();
      expected.put(gone.getMetadata().getName(), PodStatusTranslator.GROUP_VANISHED);
    }
    awaitTrue(
        "the two pods failed and the ReplicaSet replaced them",
        SETTLE_SECONDS,
        () -> {
          List<Pod> now = replicas(ns, "oob");
          return now.stream().filter(ReliabilityIT::running).count() == replicas
              && now.stream().filter(ReliabilityIT::failed).count() == 2;
        });
    List<Pod> settled = replicas(ns, "oob");
    assertThat(settled).hasSize(replicas + 2);
    client.apps().deployments().inNamespace(ns.name()).withName("oob").delete();
    end(ns, settled, expected);
  }

  @Test
  void theCredentialsSecretRotatedAndBrieflyWrong(TestNamespace ns) {
    begin(ns, NODE_MAY_FLAP);
    List<Pod> before = awaitSettled(burst(ns, "rotate", 4));
    Set<String> running =
        before.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    List<Pod> all = new ArrayList<>(before);
    try (DisruptionRecorder recorder =
        DisruptionRecorder.start(client, nodeName, ns.name(), running)) {
      // Rotated in Entra first: the old secret is refused from now on (tokens issued stay valid).
      String rotated = clientSecret.replaceAll("\\d+$", "") + UUID.randomUUID();
      emulator.addServicePrincipal(TENANT, CLIENT_ID, rotated);
      // Then the Secret edited, with a typo first.
      writeSecret(rotated + "-typo");
      awaitTrue(
          "the operator tried the wrong secret (BackendReachable=False, AuthenticationFailed)",
          120,
          () ->
              backendReachable()
                  .map(
                      c ->
                          "False".equals(c.getStatus())
                              && "AuthenticationFailed".equals(c.getReason()))
                  .orElse(false));
      // Pods bound while the credentials are wrong wait for them, retried, never failed.
      List<Pod> typo = burst(ns, "typo", 4);
      all.addAll(typo);
      awaitTrue(
          "a pod waits for usable credentials (ProviderUnavailable)",
          120,
          () ->
              typo.stream()
                  .map(p -> client.resource(p).get())
                  .anyMatch(ReliabilityIT::unavailable));
      writeSecret(rotated);
      clientSecret = rotated;
      List<Pod> settled = awaitSettled(all);
      awaitNodeReady();
      // The Node may turn NotReady meanwhile (refused credentials are for a human to fix), but
      // nothing running is touched.
      assertThat(recorder.podDisruptions())
          .as("the running pods stayed Running with wrong credentials")
          .isEmpty();
      System.out.println("[reliability] with wrong credentials: " + recorder.nodeDisruptions());
      end(ns, settled, Map.of());
    }
  }

  // --- the scenario frame ---

  private void begin(TestNamespace ns, boolean nodeStaysReady) {
    scenarioStart = Instant.now();
    awaitNodeReady();
    nodeMustStayReady = nodeStaysReady;
    nodeRecorder = DisruptionRecorder.start(client, nodeName, ns.name(), Set.of());
    assertThat(Invariants.orphans(emulator.groups(), nodeName, Set.of()))
        .as("no group is left from before")
        .isEmpty();
    countsBefore = emulator.armRequests();
    createRefusalsBefore = emulator.budgetRefusals(RequestBudgets.Kind.CREATE);
    deleteRefusalsBefore = emulator.budgetRefusals(RequestBudgets.Kind.DELETE);
    sampler = GroupSampler.start(emulator, nodeName);
  }

  /**
   * Checks the pods as they settled, then deletes every pod of the namespace (faults still on) and
   * waits for the collector's period, then checks what is left.
   */
  private void end(TestNamespace ns, List<Pod> settled, Map<String, String> expectedFailures) {
    assertThat(Invariants.podsRunningOrFailedAsExpected(settled, expectedFailures))
        .as("no pod lost, none failed by a transient fault")
        .isEmpty();
    client.pods().inNamespace(ns.name()).delete();
    awaitTrue(
        "every pod of the scenario is gone",
        SETTLE_SECONDS,
        () -> client.pods().inNamespace(ns.name()).list().getItems().isEmpty());
    awaitTrue(
        "no orphaned group is left after the collector's period",
        ORPHAN_TIMEOUT_SECONDS,
        () -> Invariants.orphans(emulator.groups(), nodeName, Set.of()).isEmpty());
    sampler.close();
    nodeRecorder.close();
    if (nodeMustStayReady) {
      assertThat(nodeRecorder.nodeDisruptions())
          .as("the Node stayed Ready and untainted throughout")
          .isEmpty();
    }
    assertThat(Invariants.atMostOneGroupPerPod(sampler))
        .as("never two groups for one pod UID (%d samples)", sampler.samples())
        .isEmpty();
    assertThat(sampler.podsSeen()).as("the sampler saw the pods' groups").isNotEmpty();
    List<ArmRequestCount> countsAfter = emulator.armRequests();
    assertThat(Invariants.eachGroupCreatedAtMostOnce(countsBefore, countsAfter))
        .as("no group created twice")
        .isEmpty();
    assertThat(
            Invariants.budgetsKept(
                emulator.budgetRefusals(RequestBudgets.Kind.CREATE) - createRefusalsBefore,
                emulator.budgetRefusals(RequestBudgets.Kind.DELETE) - deleteRefusalsBefore))
        .as("the subscription's budgets were never exceeded")
        .isEmpty();
    System.out.println(
        "[reliability] "
            + ns.name()
            + ": "
            + settled.size()
            + " pods, "
            + Invariants.creates(countsAfter, countsBefore).size()
            + " groups created, "
            + sampler.samples()
            + " samples, "
            + Duration.between(scenarioStart, Instant.now()).toSeconds()
            + " s");
  }

  @AfterEach
  void clearFaults() {
    emulator.injectFaults("*", 0, 500, Duration.ZERO);
    emulator.outage(Duration.ZERO);
    if (sampler != null) {
      sampler.close();
    }
    if (nodeRecorder != null) {
      nodeRecorder.close();
    }
  }

  // --- helpers ---

  /** ARM answers with that status since the scenario began. */
  private long answered(int status) {
    Map<String, Long> before = new HashMap<>();
    for (ArmRequestCount c : countsBefore) {
      if (c.status() == status) {
        before.merge(c.operation() + "/" + c.name(), c.count(), Long::sum);
      }
    }
    long n = 0;
    for (ArmRequestCount c : emulator.armRequests()) {
      if (c.status() == status) {
        n += c.count() - before.getOrDefault(c.operation() + "/" + c.name(), 0L);
      }
    }
    return n;
  }

  private static List<Pod> burst(TestNamespace ns, String prefix, int n) {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pods.add(
          client
              .resource(
                  new PodBuilder()
                      .withMetadata(
                          new ObjectMetaBuilder()
                              .withName(prefix + "-" + i)
                              .withNamespace(ns.name())
                              .build())
                      .withSpec(podSpec(Map.of()))
                      .build())
              .create());
    }
    return pods;
  }

  /** Bound to the node directly (as the scheduler would), or selecting it when the map says so. */
  private static PodSpec podSpec(Map<String, String> nodeSelector) {
    PodSpecBuilder spec =
        new PodSpecBuilder()
            .withAutomountServiceAccountToken(false)
            .addNewToleration()
            .withKey("virtual-kubelet.io/provider")
            .withOperator("Exists")
            .endToleration()
            .addNewContainer()
            .withName("main")
            .withImage("busybox:1.36")
            .withCommand("sleep", "3600")
            .endContainer();
    if (nodeSelector.isEmpty()) {
      spec.withNodeName(nodeName);
    } else {
      spec.withNodeSelector(nodeSelector);
    }
    return spec.build();
  }

  private static Deployment deployment(TestNamespace ns, String name, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns.name())
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withSpec(podSpec(Map.of("kubernetes.io/hostname", nodeName)))
        .endTemplate()
        .endSpec()
        .build();
  }

  private static List<Pod> replicas(TestNamespace ns, String app) {
    return client.pods().inNamespace(ns.name()).withLabel("app", app).list().getItems();
  }

  /** Each pod once it is Running or Failed (Pending while ARM is faulty is what is expected). */
  private static List<Pod> awaitSettled(List<Pod> pods) {
    List<Pod> out = new ArrayList<>();
    for (Pod pod : pods) {
      Pod[] last = new Pod[1];
      awaitTrue(
          "pod " + pod.getMetadata().getName() + " is Running or Failed",
          SETTLE_SECONDS,
          () -> {
            last[0] = client.resource(pod).get();
            return last[0] == null || running(last[0]) || failed(last[0]);
          });
      assertThat(last[0]).as("pod %s still exists", pod.getMetadata().getName()).isNotNull();
      out.add(last[0]);
    }
    return out;
  }

  private static boolean running(Pod p) {
    return p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())
        && p.getStatus().getContainerStatuses() != null
        && !p.getStatus().getContainerStatuses().isEmpty()
        && p.getStatus().getContainerStatuses().get(0).getState().getRunning() != null;
  }

  /** Pending, its container waiting because ARM could not be used (GroupCreator's reason). */
  private static boolean unavailable(Pod p) {
    return p != null
        && p.getStatus() != null
        && p.getStatus().getContainerStatuses() != null
        && p.getStatus().getContainerStatuses().stream()
            .anyMatch(
                cs ->
                    cs.getState().getWaiting() != null
                        && "ProviderUnavailable".equals(cs.getState().getWaiting().getReason()));
  }

  private static boolean failed(Pod p) {
    return p.getStatus() != null && "Failed".equals(p.getStatus().getPhase());
  }

  private static Optional<Condition> backendReachable() {
    VirtualNode vn = client.resources(VirtualNode.class).withName(nodeName).get();
    if (vn == null || vn.getStatus() == null || vn.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return vn.getStatus().getConditions().stream()
        .filter(c -> VirtualNodeStatusAggregator.BACKEND_REACHABLE.equals(c.getType()))
        .findFirst();
  }

  /**
   * Ready, and without the taints of a Node considered down: the node lifecycle controller lifts
   * those a little after Ready returns, and a scenario must not start with what the last one left.
   */
  private static void awaitNodeReady() {
    awaitTrue(
        "the Node is Ready and untainted",
        SETTLE_SECONDS,
        () -> {
          var node = client.nodes().withName(nodeName).get();
          return node != null
              && node.getStatus() != null
              && node.getStatus().getConditions() != null
              && node.getStatus().getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
              && (node.getSpec().getTaints() == null
                  || node.getSpec().getTaints().stream()
                      .noneMatch(t -> DisruptionRecorder.EVICTING_TAINTS.contains(t.getKey())));
        });
  }

  private static void writeSecret(String secret) {
    client
        .secrets()
        .inNamespace(operatorNamespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(SECRET)
                .endMetadata()
                .addToStringData(
                    Map.of("tenantId", TENANT, "clientId", CLIENT_ID, "clientSecret", secret))
                .build())
        .serverSideApply();
  }

  private static VirtualNode virtualNode() {
    return EmulatorVirtualNodes.withSecretRef(
        "reliability-" + UUID.randomUUID().toString().substring(0, 6),
        SUBSCRIPTION,
        RESOURCE_GROUP,
        emulator.baseUrl(),
        SECRET);
  }

  /**
   * Bounded polling, for what no watch shows (ARM state) and across an API server restart (a read
   * that fails while it is down counts as not yet).
   */
  private static void awaitTrue(String what, long timeoutSeconds, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    KubernetesClientException lastFailure = null;
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (KubernetesClientException e) {
        lastFailure = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what, lastFailure);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
