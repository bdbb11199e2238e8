package io.github.acivirtualnode.operator.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.operator.EventRecorder;
import io.github.acivirtualnode.operator.OperatorMetrics;
import io.github.acivirtualnode.operator.TestVirtualNodes;
import io.github.acivirtualnode.operator.aci.AciException;
import io.github.acivirtualnode.operator.aci.CountingBackend;
import io.github.acivirtualnode.operator.aci.MutableClock;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The health probe shares the observer's lists: what it costs in ARM calls, and that one list
 * answer is recorded once. Backend faked (counted lists), API server mocked (events only).
 */
@EnableKubernetesMockClient(crud = true)
class BackendProbeTest {
  static KubernetesClient client;

  private static final String CLUSTER = "cluster-uid";
  private static final String NODE = "vn-probe";
  private static final Duration PROBE = Duration.ofSeconds(15);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
  private final AtomicInteger statusChanges = new AtomicInteger();
  private final AtomicInteger heartbeatsAsked = new AtomicInteger();
  private final AtomicInteger recoveries = new AtomicInteger();
  private final AtomicReference<OptionalInt> boundPods = new AtomicReference<>(OptionalInt.of(3));
  private final VirtualNode vn =
      TestVirtualNodes.withSecretRef(NODE, "sub", "rg", "https://127.0.0.1:1/", "creds");
  private ScheduledExecutorService threads;
  private AgentContext ctx;
  private BackendHealth health;
  private BackendProbe probe;

  @BeforeEach
  void setUp() {
    threads = Executors.newSingleThreadScheduledExecutor();
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "AVN_HEALTH_PROBE_SECONDS", "" + PROBE.toSeconds(),
                "AVN_STATUS_LIST_SECONDS", "5",
                "AVN_ACTIONABLE_FAILURE_THRESHOLD", "2"));
    ctx =
        new AgentContext(
            client,
            config,
            new EventRecorder(client),
            threads,
            threads,
            clock,
            CLUSTER,
            OperatorMetrics.none());
    NodeRegistrar registrar = new NodeRegistrar(ctx, () -> {});
    registrar.adopt(
        new NodeBuilder()
            .withNewMetadata()
            .withName(NODE)
            .withUid("node-uid")
            .endMetadata()
            .build());
    health = BackendHealth.resumeReady(2, clock.instant());
    probe =
        new BackendProbe(
            ctx,
            health,
            registrar,
            statusChanges::incrementAndGet,
            heartbeatsAsked::incrementAndGet,
            recoveries::incrementAndGet,
            boundPods::get);
  }

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
  }

  @Test
  void aProbeAfterTheObserversListCostsNoArmCallAndCountsWhatTheListSaid() {
    CountingBackend aci =
        new CountingBackend()
            .answering(List.of(tagged(NODE), tagged(NODE), tagged("another-node"), untagged()));
    ctx.observers().lists().list(aci, Duration.ofSeconds(5)); // the observer's tick
    clock.advance(Duration.ofSeconds(4));

    probe.probe(vn, () -> aci);

    assertThat(aci.lists).as("the probe listed nothing itself").hasValue(1);
    assertThat(health.current().reachable()).isEqualTo(BackendHealth.Status.TRUE);
    assertThat(probe.counts()).isEqualTo(new NodeAgent.Counts(3, 2));
  }

  @Test
  void withoutARecentListTheProbeListsItself() {
    CountingBackend aci = new CountingBackend();
    probe.probe(vn, () -> aci);
    clock.advance(PROBE.plusSeconds(1));
    probe.probe(vn, () -> aci);

    assertThat(aci.lists).hasValue(2);
  }

  @Test
  void aProbeBroughtForwardIsNotASecondFailureOfTheSameListAnswer() {
    CountingBackend aci =
        new CountingBackend()
            .failing(
                new AciException(
                    AciException.Kind.AUTHENTICATION,
                    "InvalidAuthenticationToken",
                    401,
                    "no",
                    null,
                    null));
    probe.probe(vn, () -> aci);
    probe.probe(vn, () -> aci); // at once: the same answer, already recorded

    assertThat(aci.lists).hasValue(1);
    assertThat(health.current().ready()).as("one actionable failure of two needed").isTrue();

    clock.advance(PROBE.plusSeconds(1));
    probe.probe(vn, () -> aci);

    assertThat(aci.lists).hasValue(2);
    assertThat(health.current().ready()).isFalse();
    assertThat(health.current().notReadyReason()).isEqualTo("InvalidAuthenticationToken");
  }

  @Test
  void podsAreCountedFromTheWatchAndKeptWhileItHasNotSynced() {
    CountingBackend aci = new CountingBackend();
    probe.probe(vn, () -> aci);
    assertThat(probe.counts().pods()).isEqualTo(3);

    boundPods.set(OptionalInt.empty());
    clock.advance(PROBE.plusSeconds(1));
    probe.probe(vn, () -> aci);
    assertThat(probe.counts().pods()).isEqualTo(3);

    boundPods.set(OptionalInt.of(5));
    clock.advance(PROBE.plusSeconds(1));
    probe.probe(vn, () -> aci);
    assertThat(probe.counts().pods()).isEqualTo(5);
    assertThat(statusChanges).as("each change reported, nothing else").hasValue(2);
  }

  @Test
  void armAnsweringAgainAfterAnOutageIsAnnouncedOnce() {
    CountingBackend down =
        new CountingBackend()
            .failing(
                new AciException(
                    AciException.Kind.TRANSIENT, "ServiceUnavailable", 503, "down", null, null));
    probe.probe(vn, () -> down);
    assertThat(health.current().reachable()).isEqualTo(BackendHealth.Status.FALSE);
    assertThat(recoveries).hasValue(0);

    CountingBackend up = new CountingBackend();
    clock.advance(PROBE.plusSeconds(1));
    probe.probe(vn, () -> up);
    assertThat(recoveries).hasValue(1);

    clock.advance(PROBE.plusSeconds(1));
    probe.probe(vn, () -> up);
    assertThat(recoveries).as("still up: nothing new").hasValue(1);
  }

  @Test
  void recoveredMeansReachableAgainOrReadyAgain() {
    Instant t = clock.instant();
    var up = new BackendHealth.Snapshot(BackendHealth.Status.TRUE, true, "ArmReachable", "", t);
    var down = new BackendHealth.Snapshot(BackendHealth.Status.FALSE, true, "Timeout", "", t);
    var unknown =
        new BackendHealth.Snapshot(
            BackendHealth.Status.UNKNOWN, false, BackendHealth.AWAITING_PROBE, "", t);
    var refused =
        new BackendHealth.Snapshot(BackendHealth.Status.FALSE, false, "AuthorizationFailed", "", t);
    var reachableNotReady =
        new BackendHealth.Snapshot(BackendHealth.Status.TRUE, false, "RegionNotAvailable", "", t);

    assertThat(BackendProbe.recovered(down, up)).isTrue();
    assertThat(BackendProbe.recovered(unknown, up)).isTrue();
    assertThat(BackendProbe.recovered(refused, up)).isTrue();
    assertThat(BackendProbe.recovered(reachableNotReady, up)).as("usable again").isTrue();
    assertThat(BackendProbe.recovered(up, up)).isFalse();
    assertThat(BackendProbe.recovered(up, down)).isFalse();
    assertThat(BackendProbe.recovered(down, refused)).isFalse();
    assertThat(BackendProbe.recovered(refused, reachableNotReady))
        .as("reachable again, though not usable: a pod's retry will say why")
        .isTrue();
  }

  private static ContainerGroupInner tagged(String node) {
    return new ContainerGroupInner().withTags(ContainerGroupTags.of(CLUSTER, node));
  }

  private static ContainerGroupInner untagged() {
    return new ContainerGroupInner();
  }
}
