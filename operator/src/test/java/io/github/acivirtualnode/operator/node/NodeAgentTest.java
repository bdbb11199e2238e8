package io.github.acivirtualnode.operator.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.operator.EventRecorder;
import io.github.acivirtualnode.operator.OperatorMetrics;
import io.github.acivirtualnode.operator.TestVirtualNodes;
import io.github.acivirtualnode.operator.aci.CountingBackend;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's own sequencing, heartbeat and decommission called directly (its scheduled threads are
 * held): the order of a heartbeat's calls, the hand-over of a VirtualNode gone without cleanup, and
 * what a decommission touches. API server mocked, backend faked.
 */
@EnableKubernetesMockClient(crud = true)
class NodeAgentTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  private static final String CLUSTER = "cluster-uid";

  private final CountDownLatch held = new CountDownLatch(1);
  private final CountingBackend aci = new CountingBackend();
  private final AtomicBoolean wanted = new AtomicBoolean(true);
  private final AtomicInteger handedOver = new AtomicInteger();
  private ScheduledExecutorService threads;
  private VirtualNode vn;
  private NodeAgent agent;

  @BeforeEach
  void setUp() {
    client.nodes().delete();
    client.pods().inAnyNamespace().delete();
    threads = Executors.newSingleThreadScheduledExecutor();
    threads.execute(
        () -> {
          try {
            held.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    vn = TestVirtualNodes.withSecretRef("vn-agent", "sub", "rg", "https://127.0.0.1:1/", "creds");
    vn.getMetadata().setUid("vn-uid");
    AgentContext ctx =
        new AgentContext(
            client,
            OperatorConfig.fromEnvironment(Map.of()),
            new EventRecorder(client),
            threads,
            threads,
            Clock.systemUTC(),
            CLUSTER,
            OperatorMetrics.none());
    agent =
        new NodeAgent(
            ctx,
            vn,
            () -> aci,
            BackendHealth.awaitingFirstProbe(2, Clock.systemUTC().instant()),
            () -> {},
            wanted::get,
            handedOver::incrementAndGet);
  }

  @AfterEach
  void tearDown() {
    agent.close();
    held.countDown();
    threads.shutdownNow();
  }

  @Test
  void aHeartbeatRenewsTheLeaseBeforeAnythingElse() throws Exception {
    agent.adopt(ownNode()); // registered before (an operator restart)
    drainRequests();

    agent.heartbeat();

    List<String> paths = drainRequests();
    assertThat(paths).isNotEmpty();
    assertThat(paths.get(0)).contains("/leases/" + vn.nodeName());
  }

  @Test
  void aVirtualNodeGoneWithoutCleanupIsHandedOverOnceAndNoArmCallIsMade() {
    agent.heartbeat();
    wanted.set(false);

    agent.heartbeat();
    agent.heartbeat();

    assertThat(handedOver).hasValue(1);
    assertThat(agent.isClosed()).isTrue();
    assertThat(aci.lists).hasValue(0);
    assertThat(aci.deleted).isEmpty();
  }

  @Test
  void aHeartbeatQueuedBeforeCloseRegistersNothing() {
    agent.close();

    agent.heartbeat();

    assertThat(client.nodes().withName(vn.nodeName()).get()).isNull();
  }

  @Test
  void aForeignNodeOfTheSameNameAndItsPodsSurviveADecommission() {
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName(vn.nodeName()).endMetadata().build())
        .create();
    client.pods().inNamespace("default").resource(podOn("real-pod", vn.nodeName())).create();
    aci.answering(List.of(group(vn.nodeName())));
    agent.heartbeat(); // refused: NodeNameConflict
    assertThat(agent.registration().reason()).isEqualTo("NodeNameConflict");

    NodeAgent.Decommission result = agent.decommission();

    assertThat(result.done()).isTrue();
    assertThat(client.nodes().withName(vn.nodeName()).get()).isNotNull();
    assertThat(client.nodes().withName(vn.nodeName()).get().getSpec()).as("not cordoned").isNull();
    assertThat(client.pods().inNamespace("default").withName("real-pod").get()).isNotNull();
    assertThat(aci.deleted).isEmpty();
  }

  @Test
  void aDecommissionOfItsOwnNodeDeletesItsGroupsTheNodeAndItsLease() {
    // Its pods go too: VirtualNodeIT proves that (the mock server has no spec.nodeName selector).
    agent.adopt(ownNode());
    aci.answering(List.of(group(vn.nodeName()), group("someone-else")));

    NodeAgent.Decommission result = agent.decommission();

    assertThat(result.done()).isTrue();
    assertThat(aci.deleted).containsExactly("group-of-" + vn.nodeName());
    assertThat(client.nodes().withName(vn.nodeName()).get()).isNull();
    assertThat(client.leases().inNamespace(NodeAgent.LEASE_NAMESPACE).withName(vn.nodeName()).get())
        .isNull();
  }

  /** This VirtualNode's Node as a registration left it. */
  private io.fabric8.kubernetes.api.model.Node ownNode() {
    return client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(vn.nodeName())
                .addToLabels(NodeFactory.VIRTUAL_NODE_LABEL, vn.getMetadata().getName())
                .endMetadata()
                .build())
        .create();
  }

  private List<String> drainRequests() throws InterruptedException {
    List<String> paths = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
      paths.add(r.getMethod() + " " + r.getPath());
    }
    return paths;
  }

  private static Pod podOn(String name, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .build();
  }

  /** A group tagged for this cluster and that node. */
  private static ContainerGroupInner group(String node) {
    return TestGroups.named("group-of-" + node, CLUSTER, node);
  }
}
