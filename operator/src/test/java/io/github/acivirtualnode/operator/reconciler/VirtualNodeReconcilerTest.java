package io.github.acivirtualnode.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpClient;
import com.azure.core.util.ConfigurationBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeStatus;
import io.github.acivirtualnode.operator.OperatorMetrics;
import io.github.acivirtualnode.operator.TestVirtualNodes;
import io.github.acivirtualnode.operator.aci.AciBackendFactory;
import io.github.acivirtualnode.operator.aci.AzureCredentialFactory;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.operator.node.NodeFactory;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the reconciler itself decides: the status of a new agent, what an operator restart keeps
 * from the Node, when status is patched, how heartbeat threads grow. The agents' threads are held
 * (nothing they schedule runs), so only the reconciler's own work is seen; API server mocked.
 */
@EnableKubernetesMockClient(crud = true)
class VirtualNodeReconcilerTest {
  static KubernetesClient client;

  private static final String NAMESPACE = "aci-virtual-node";
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  private final CountDownLatch held = new CountDownLatch(1);
  private ScheduledExecutorService heartbeats;
  private ScheduledExecutorService probes;
  private VirtualNodeReconciler reconciler;

  @BeforeEach
  void setUp() {
    client.resources(VirtualNode.class).delete();
    client.nodes().delete();
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("creds")
                .withNamespace(NAMESPACE)
                .endMetadata()
                .addToStringData(
                    Map.of(
                        AzureCredentialFactory.TENANT_ID, "11111111-1111-1111-1111-111111111111",
                        AzureCredentialFactory.CLIENT_ID, "22222222-2222-2222-2222-222222222222",
                        AzureCredentialFactory.CLIENT_SECRET, "not-a-real-secret"))
                .build())
        .createOr(r -> r.update());
    heartbeats = heldThreads();
    probes = heldThreads();
    reconciler = reconciler(heartbeats);
  }

  @AfterEach
  void tearDown() {
    reconciler.stopAgents();
    held.countDown();
    heartbeats.shutdownNow();
    probes.shutdownNow();
  }

  @Test
  void aNewVirtualNodeIsNotReadyAndItsBackendNotYetProbed() {
    UpdateControl<VirtualNode> control = reconciler.reconcile(virtualNode("vn-new"), context());

    assertThat(control.isPatchStatus()).isTrue();
    VirtualNodeStatus status = control.getResource().orElseThrow().getStatus();
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(status, "NodeRegistered").getReason()).isEqualTo("Registering");
    assertThat(condition(status, "BackendReachable").getStatus()).isEqualTo("Unknown");
    assertThat(condition(status, "BackendReachable").getReason()).isEqualTo("AwaitingBackendProbe");
  }

  @Test
  void afterARestartANodeThatSaidReadyStaysReadyUntilAProbeSaysOtherwise() {
    VirtualNode vn = virtualNode("vn-ready");
    Node node = node(vn, "True", "KubeletReady", "ready");

    VirtualNodeStatus status =
        reconciler.reconcile(vn, context(node)).getResource().orElseThrow().getStatus();

    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(status, "NodeRegistered").getStatus()).isEqualTo("True");
  }

  @Test
  void afterARestartAnActionableNotReadyIsKeptWithItsReason() {
    VirtualNode vn = virtualNode("vn-refused");
    Node node = node(vn, "False", "InvalidAuthenticationToken", "the token was refused");

    VirtualNodeStatus status =
        reconciler.reconcile(vn, context(node)).getResource().orElseThrow().getStatus();

    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("InvalidAuthenticationToken");
  }

  @Test
  void aNodeOfTheSameNameThatIsNotOursIsNotAdopted() {
    VirtualNode vn = virtualNode("vn-foreign");
    Node foreign =
        new NodeBuilder().withNewMetadata().withName(vn.nodeName()).endMetadata().build();

    VirtualNodeStatus status =
        reconciler.reconcile(vn, context(foreign)).getResource().orElseThrow().getStatus();

    assertThat(condition(status, "NodeRegistered").getStatus()).isEqualTo("False");
  }

  @Test
  void anUnchangedStatusIsNotPatchedAgain() {
    VirtualNode vn = virtualNode("vn-same");
    VirtualNodeStatus first =
        reconciler.reconcile(vn, context()).getResource().orElseThrow().getStatus();
    vn.setStatus(first);

    UpdateControl<VirtualNode> again = reconciler.reconcile(vn, context());

    assertThat(again.isNoUpdate()).isTrue();
  }

  @Test
  void heartbeatThreadsGrowWithTheNumberOfNodes() {
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2);
    VirtualNodeReconciler sized = reconciler(pool);
    try {
      int nodes = 2 * VirtualNodeReconciler.NODES_PER_HEARTBEAT_THREAD + 1;
      for (int i = 0; i < nodes; i++) {
        sized.reconcile(virtualNode("vn-" + i), context());
      }
      assertThat(pool.getCorePoolSize()).isEqualTo(3);
    } finally {
      sized.stopAgents();
      pool.shutdownNow();
    }
  }

  private VirtualNodeReconciler reconciler(ScheduledExecutorService heartbeatThreads) {
    HttpClient http = HttpClient.createDefault();
    OperatorConfig config =
        OperatorConfig.fromEnvironment(Map.of("AVN_NAMESPACE", NAMESPACE))
            .withAllowedArmEndpoints(List.of("https://127.0.0.1:1/"));
    return new VirtualNodeReconciler(
        client,
        config,
        new AzureCredentialFactory(http, null, new ConfigurationBuilder().build()),
        new AciBackendFactory(http, new SimpleMeterRegistry(), null),
        heartbeatThreads,
        probes,
        Clock.fixed(NOW, ZoneOffset.UTC),
        "cluster-uid",
        OperatorMetrics.none());
  }

  /** One thread, blocked until the test ends: whatever the agents schedule waits behind it. */
  private ScheduledExecutorService heldThreads() {
    ScheduledExecutorService pool = Executors.newSingleThreadScheduledExecutor();
    pool.execute(
        () -> {
          try {
            held.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    return pool; // not a ScheduledThreadPoolExecutor, so never resized
  }

  private static VirtualNode virtualNode(String name) {
    VirtualNode vn =
        TestVirtualNodes.withSecretRef(
            name, "00000000-0000-0000-0000-000000000001", "rg", "https://127.0.0.1:1/", "creds");
    vn.getMetadata().setUid("uid-" + name);
    return vn;
  }

  private static Node node(VirtualNode vn, String ready, String reason, String message) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(vn.nodeName())
        .withUid("node-" + vn.getMetadata().getName())
        .addToLabels(NodeFactory.VIRTUAL_NODE_LABEL, vn.getMetadata().getName())
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready)
        .withReason(reason)
        .withMessage(message)
        .endCondition()
        .endStatus()
        .build();
  }

  private static Condition condition(VirtualNodeStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type + " in " + status));
  }

  private static Context<VirtualNode> context(Node... nodes) {
    return new NodesContext(Set.of(nodes));
  }

  /** A reconcile's context that knows only the Nodes it is given as secondary resources. */
  private record NodesContext(Set<Node> nodes) implements Context<VirtualNode> {
    @Override
    @SuppressWarnings("unchecked")
    public <R> Set<R> getSecondaryResources(Class<R> type) {
      if (type != Node.class) {
        throw new UnsupportedOperationException(type.getName());
      }
      return (Set<R>) nodes;
    }

    @Override
    public <R> Optional<R> getSecondaryResource(Class<R> type, String eventSourceName) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<RetryInfo> getRetryInfo() {
      return Optional.empty();
    }

    @Override
    public ControllerConfiguration<VirtualNode> getControllerConfiguration() {
      throw new UnsupportedOperationException();
    }

    @Override
    public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() {
      throw new UnsupportedOperationException();
    }

    @Override
    public EventSourceRetriever<VirtualNode> eventSourceRetriever() {
      throw new UnsupportedOperationException();
    }

    @Override
    public KubernetesClient getClient() {
      return client;
    }

    @Override
    public ExecutorService getWorkflowExecutorService() {
      throw new UnsupportedOperationException();
    }

    @Override
    public VirtualNode getPrimaryResource() {
      throw new UnsupportedOperationException();
    }

    @Override
    public IndexedResourceCache<VirtualNode> getPrimaryCache() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isNextReconciliationImminent() {
      return false;
    }

    @Override
    public boolean isPrimaryResourceDeleted() {
      return false;
    }

    @Override
    public boolean isPrimaryResourceFinalStateUnknown() {
      return false;
    }
  }
}
