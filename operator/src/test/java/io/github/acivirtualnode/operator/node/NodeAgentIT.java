package io.github.acivirtualnode.operator.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.operator.EventRecorder;
import io.github.acivirtualnode.operator.OperatorMetrics;
import io.github.acivirtualnode.operator.TestVirtualNodes;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One node agent on the real control plane, with its backend on the ACI emulator through the real
 * SDK, recorded call by call: which thread made each ARM call.
 */
@ExtendWith(KubernetesClusterExtension.class)
class NodeAgentIT {
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000bb";
  private static final String TENANT = "11111111-1111-1111-1111-111111111111";
  private static final String CLIENT_ID = "22222222-2222-2222-2222-222222222222";
  private static final String SECRET = "node-agent-it-secret";
  private static final String RESOURCE_GROUP = "rg-agent";

  private static AciEmulator emulator;
  private static KubernetesClient client;
  private static ScheduledExecutorService heartbeats;
  private static ScheduledExecutorService probes;

  @BeforeAll
  static void start(KubernetesClient kubernetes) {
    client = kubernetes;
    emulator = AciEmulator.builder().requireAuthentication(true).build().start();
    emulator.addResourceGroup(SUBSCRIPTION, RESOURCE_GROUP, "westeurope");
    emulator.addServicePrincipal(TENANT, CLIENT_ID, SECRET);
    heartbeats = Executors.newScheduledThreadPool(2, named("test-heartbeat"));
    probes = Executors.newScheduledThreadPool(2, named("test-probe"));
  }

  @AfterAll
  static void stop() {
    heartbeats.shutdownNow();
    probes.shutdownNow();
    emulator.close();
  }

  @Test
  void aVirtualNodeGoneWithoutCleanupIsHandedOverWithoutAnArmCallOnAHeartbeatThread()
      throws Exception {
    VirtualNode vn = virtualNode();
    RecordingBackend aci = new RecordingBackend(backend());
    AtomicBoolean wanted = new AtomicBoolean(true);
    CountDownLatch gone = new CountDownLatch(1);
    AtomicReference<String> goneThread = new AtomicReference<>();
    AtomicInteger goneCalls = new AtomicInteger();
    NodeAgent agent =
        new NodeAgent(
            context(),
            vn,
            () -> aci,
            BackendHealth.awaitingFirstProbe(2, Clock.systemUTC().instant()),
            () -> {},
            wanted::get,
            () -> {
              goneThread.set(Thread.currentThread().getName());
              goneCalls.incrementAndGet();
              gone.countDown();
            });
    agent.start();
    try {
      client
          .nodes()
          .withName(vn.nodeName())
          .waitUntilCondition(n -> n != null && ready(n), 60, TimeUnit.SECONDS);

      wanted.set(false);
      assertThat(gone.await(60, TimeUnit.SECONDS)).as("the owner is told").isTrue();
      assertThat(goneThread.get()).startsWith("test-heartbeat");
      assertThat(agent.isClosed()).isTrue();
      // The owner decommissions on a thread of its choosing (the reconciler: a probe thread).
      NodeAgent.Decommission result = probes.submit(agent::decommission).get(60, TimeUnit.SECONDS);
      assertThat(result.done()).isTrue();
      assertThat(client.nodes().withName(vn.nodeName()).get()).isNull();
      assertThat(goneCalls).hasValue(1);
      assertThat(aci.threads).isNotEmpty().noneMatch(t -> t.startsWith("test-heartbeat"));
    } finally {
      agent.close();
      client.nodes().withName(vn.nodeName()).delete();
    }
  }

  @Test
  void theNodeAdvertisesItsOwnKubeletPortAndGivesItBackWhenTheAgentStops() throws Exception {
    VirtualNode vn = virtualNode();
    RecordingPorts ports = new RecordingPorts(OptionalInt.of(10257));
    NodeAgent agent = agent(vn, ports);
    agent.start();
    try {
      Node node =
          client
              .nodes()
              .withName(vn.nodeName())
              .waitUntilCondition(NodeAgentIT::statusPosted, 60, TimeUnit.SECONDS);

      assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort())
          .isEqualTo(10257);
      assertThat(ports.asked)
          .isNotEmpty()
          .containsOnly(vn.getMetadata().getName() + "/" + vn.nodeName());
    } finally {
      agent.close();
      client.nodes().withName(vn.nodeName()).delete();
    }
    assertThat(ports.released).containsExactly(vn.getMetadata().getName());
  }

  @Test
  void withoutAFreePortTheNodeAdvertisesTheMainPortAndOneWarningSaysWhatIsLost() throws Exception {
    VirtualNode vn = virtualNode();
    NodeAgent agent = agent(vn, new RecordingPorts(OptionalInt.empty()));
    agent.start();
    try {
      Node node =
          client
              .nodes()
              .withName(vn.nodeName())
              .waitUntilCondition(NodeAgentIT::statusPosted, 60, TimeUnit.SECONDS);
      assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort())
          .isEqualTo(context().config().kubeletPort());
      // Several heartbeats later (each asks for the port again), still one Warning, counted once.
      for (int i = 0; i < 3; i++) {
        Instant last = agent.lastHeartbeat();
        while (!agent.lastHeartbeat().isAfter(last)) {
          Thread.sleep(100);
        }
      }
      List<io.fabric8.kubernetes.api.model.Event> events =
          client.v1().events().inAnyNamespace().list().getItems().stream()
              .filter(e -> vn.getMetadata().getName().equals(e.getInvolvedObject().getName()))
              .filter(e -> "KubeletPortsExhausted".equals(e.getReason()))
              .toList();
      assertThat(events).hasSize(1);
      assertThat(events.get(0).getType()).isEqualTo("Warning");
      assertThat(events.get(0).getCount()).isEqualTo(1);
      assertThat(events.get(0).getMessage())
          .contains("AVN_KUBELET_NODE_PORTS")
          .contains(vn.nodeName())
          .contains("kubectl top");
    } finally {
      agent.close();
      client.nodes().withName(vn.nodeName()).delete();
    }
  }

  private NodeAgent agent(VirtualNode vn, KubeletPorts ports) {
    AgentContext plain = context();
    AgentContext ctx =
        new AgentContext(
            plain.client(),
            plain.config(),
            plain.events(),
            plain.heartbeats(),
            plain.probes(),
            plain.clock(),
            plain.clusterId(),
            plain.metrics(),
            ports);
    AciBackend aci = backend();
    return new NodeAgent(
        ctx,
        vn,
        () -> aci,
        BackendHealth.awaitingFirstProbe(2, Clock.systemUTC().instant()),
        () -> {},
        () -> true,
        () -> {});
  }

  /** Answers one port (or none) and records what it was asked. */
  private static final class RecordingPorts implements KubeletPorts {
    private final OptionalInt answer;
    final List<String> asked = new CopyOnWriteArrayList<>();
    final List<String> released = new CopyOnWriteArrayList<>();

    RecordingPorts(OptionalInt answer) {
      this.answer = answer;
    }

    @Override
    public OptionalInt portOf(String virtualNode, String nodeName, Integer advertised) {
      asked.add(virtualNode + "/" + nodeName);
      return answer;
    }

    @Override
    public void release(String virtualNode) {
      released.add(virtualNode);
    }
  }

  /** The agent's status is there (the API server's defaults alone have no conditions). */
  private static boolean statusPosted(Node node) {
    return node != null
        && node.getStatus() != null
        && node.getStatus().getConditions() != null
        && !node.getStatus().getConditions().isEmpty();
  }

  private static boolean ready(Node node) {
    return node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static AgentContext context() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of("AVN_LEASE_RENEW_SECONDS", "1", "AVN_HEALTH_PROBE_SECONDS", "1"));
    return new AgentContext(
        client,
        config,
        new EventRecorder(client),
        heartbeats,
        probes,
        Clock.systemUTC(),
        client.namespaces().withName("kube-system").get().getMetadata().getUid(),
        OperatorMetrics.none());
  }

  private static VirtualNode virtualNode() {
    return TestVirtualNodes.withSecretRef(
        "it-agent-" + UUID.randomUUID().toString().substring(0, 6),
        SUBSCRIPTION,
        RESOURCE_GROUP,
        emulator.baseUrl(),
        "unused");
  }

  private static AciBackend backend() {
    return TestVirtualNodes.emulatorBackend(
        emulator, virtualNode().getSpec().getAzure(), TENANT, CLIENT_ID, SECRET);
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The real backend, noting the thread of every call. */
  private static final class RecordingBackend implements AciBackend {
    private final AciBackend real;
    final List<String> threads = new CopyOnWriteArrayList<>();

    RecordingBackend(AciBackend real) {
      this.real = real;
    }

    private void note() {
      threads.add(Thread.currentThread().getName());
    }

    @Override
    public void create(String name, ContainerGroupInner group) {
      note();
      real.create(name, group);
    }

    @Override
    public Optional<ContainerGroupInner> get(String name) {
      note();
      return real.get(name);
    }

    @Override
    public List<ContainerGroupInner> list() {
      note();
      return real.list();
    }

    @Override
    public java.util.Set<String> regions() {
      note();
      return real.regions();
    }

    @Override
    public void delete(String name) {
      note();
      real.delete(name);
    }

    @Override
    public String logs(String group, String container, Integer tail, boolean timestamps) {
      note();
      return real.logs(group, container, tail, timestamps);
    }

    @Override
    public ExecSession exec(String group, String container, String command, int rows, int cols) {
      note();
      return real.exec(group, container, command, rows, cols);
    }

    @Override
    public List<ContainerUsage> usage(String group) {
      note();
      return real.usage(group);
    }
  }
}
