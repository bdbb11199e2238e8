package io.github.acivirtualnode.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.ConfigurationBuilder;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import com.azure.resourcemanager.containerinstance.models.ResourceRequests;
import com.azure.resourcemanager.containerinstance.models.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.api.v1alpha1.AzureCredentials;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeCrd;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeSpec;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.controlplane.PodConditions;
import io.github.acivirtualnode.controlplane.TestNamespace;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AzureCredentialFactory;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.operator.node.ContainerGroupTags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator in this JVM against the real local control plane and the ACI emulator: a VirtualNode
 * becomes a healthy Node that the scheduler uses, kept alive and removed cleanly.
 */
@ExtendWith(KubernetesClusterExtension.class)
class VirtualNodeIT {
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000aa";
  private static final String TENANT = "11111111-1111-1111-1111-111111111111";
  private static final String CLIENT_ID = "22222222-2222-2222-2222-222222222222";
  private static final String SECRET_VALUE = "s3cr3t-value-never-logged";
  private static final String RESOURCE_GROUP = "rg-virtual-nodes";
  private static final long TIMEOUT = 120;

  private static AciEmulator emulator;
  private static KubernetesClient client;
  private static String operatorNamespace;
  private static final String WORKLOAD_CLIENT_ID = "33333333-3333-3333-3333-333333333333";
  private static VirtualNodeOperator operator;
  private static SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private static com.azure.core.util.Configuration azureEnvironment;

  /** Everything logged in this JVM from here on (slf4j-simple writes to the current stderr). */
  private static final java.io.ByteArrayOutputStream LOGGED = new java.io.ByteArrayOutputStream();

  private static java.io.PrintStream originalErr;

  @BeforeAll
  static void startOperator(KubernetesClient kubernetes) {
    originalErr = System.err;
    System.setErr(
        new java.io.PrintStream(
            new java.io.OutputStream() {
              @Override
              public void write(int b) {
                originalErr.write(b);
                synchronized (LOGGED) {
                  LOGGED.write(b);
                }
              }

              @Override
              public void write(byte[] b, int off, int len) {
                originalErr.write(b, off, len);
                synchronized (LOGGED) {
                  LOGGED.write(b, off, len);
                }
              }
            },
            true,
            java.nio.charset.StandardCharsets.UTF_8));
    client = kubernetes;
    VirtualNodeCrd.install(client);
    emulator = AciEmulator.builder().requireAuthentication(true).build().start();
    emulator.addResourceGroup(SUBSCRIPTION, RESOURCE_GROUP, "westeurope");
    emulator.addServicePrincipal(TENANT, CLIENT_ID, SECRET_VALUE);
    operatorNamespace = "avn-system-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(operatorNamespace)
                .endMetadata()
                .build())
        .create();
    createSecret(
        "aci-credentials",
        Map.of(
            AzureCredentialFactory.TENANT_ID, TENANT,
            AzureCredentialFactory.CLIENT_ID, CLIENT_ID,
            AzureCredentialFactory.CLIENT_SECRET, SECRET_VALUE));
    emulator.addFederatedIdentity(TENANT, WORKLOAD_CLIENT_ID);
    azureEnvironment =
        new ConfigurationBuilder()
            .putProperty("AZURE_FEDERATED_TOKEN_FILE", federatedTokenFile().toString())
            .putProperty("AZURE_TENANT_ID", TENANT)
            .build();
    operator = newOperator().start();
  }

  /**
   * What the workload identity webhook mounts: a token the cluster issued to the operator's
   * ServiceAccount for the Entra token exchange audience.
   */
  private static java.nio.file.Path federatedTokenFile() {
    client
        .serviceAccounts()
        .inNamespace(operatorNamespace)
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata()
                .withName("aci-virtual-node")
                .endMetadata()
                .build())
        .create();
    String token =
        client
            .serviceAccounts()
            .inNamespace(operatorNamespace)
            .withName("aci-virtual-node")
            .tokenRequest(
                new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder()
                    .withNewSpec()
                    .withAudiences("api://AzureADTokenExchange")
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    try {
      java.nio.file.Path file = java.nio.file.Files.createTempFile("azure-identity-token", "");
      java.nio.file.Files.writeString(file, token);
      file.toFile().deleteOnExit();
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (emulator != null) {
      emulator.close();
    }
    System.setErr(originalErr);
    // The operator logs at every level in this test (see the failsafe configuration): the planted
    // secret must appear in none of it, nor in any Event or VirtualNode.
    String logged;
    synchronized (LOGGED) {
      logged = LOGGED.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(logged).contains("io.github.acivirtualnode.operator").doesNotContain(SECRET_VALUE);
    assertThat(client.v1().events().inAnyNamespace().list().getItems())
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.toString()).doesNotContain(SECRET_VALUE));
  }

  private static OperatorConfig config() {
    return new OperatorConfig(
        operatorNamespace,
        "127.0.0.1",
        10250,
        emulator.authorityHost(),
        null,
        Duration.ofSeconds(5),
        Duration.ofSeconds(2),
        2,
        0,
        List.of(emulator.baseUrl()),
        false);
  }

  private static VirtualNodeOperator newOperator() {
    return new VirtualNodeOperator(
        client, config(), emulator.sslContext(), azureEnvironment, metrics);
  }

  @Test
  void virtualNodeBecomesAReadyNodeThatTheSchedulerUses(TestNamespace ns) {
    VirtualNode vn = create(virtualNode("ready", spec -> spec.setLabels(Map.of("team", "burst"))));
    String nodeName = vn.nodeName();
    try {
      Node node = awaitNode(nodeName, n -> "True".equals(ready(n).getStatus()));
      Map<String, String> labels = node.getMetadata().getLabels();
      assertThat(labels)
          .containsEntry("type", "virtual-kubelet")
          .containsEntry("kubernetes.io/role", "agent")
          .containsEntry("kubernetes.io/os", "linux")
          .containsEntry("beta.kubernetes.io/os", "linux")
          .containsEntry("kubernetes.io/hostname", nodeName)
          .containsEntry("topology.kubernetes.io/region", "westeurope")
          .containsEntry("node.kubernetes.io/exclude-from-external-load-balancers", "true")
          .containsEntry("team", "burst");
      assertThat(node.getSpec().getTaints())
          .anySatisfy(
              t -> {
                assertThat(t.getKey()).isEqualTo("virtual-kubelet.io/provider");
                assertThat(t.getValue()).isEqualTo("azure");
                assertThat(t.getEffect()).isEqualTo("NoSchedule");
              });
      assertThat(node.getStatus().getCapacity()).containsEntry("pods", new Quantity("500"));
      assertThat(node.getStatus().getAllocatable()).containsEntry("cpu", new Quantity("100"));
      assertThat(node.getStatus().getConditions())
          .extracting(NodeCondition::getType)
          .contains("Ready", "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable");
      assertThat(node.getStatus().getAddresses())
          .extracting(a -> a.getType() + "=" + a.getAddress())
          .containsExactly("InternalIP=127.0.0.1", "Hostname=" + nodeName);
      assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort())
          .isEqualTo(10250);
      assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).contains("aci-virtual-node");
      assertThat(node.getStatus().getNodeInfo().getOperatingSystem()).isEqualTo("linux");

      VirtualNode observed =
          awaitVirtualNode(
              vn.getMetadata().getName(),
              v ->
                  "True".equals(condition(v, "Ready"))
                      && "True".equals(condition(v, "BackendReachable")));
      assertThat(condition(observed, "NodeRegistered")).isEqualTo("True");
      assertThat(observed.getStatus().getObservedGeneration())
          .isEqualTo(observed.getMetadata().getGeneration());
      assertThat(observed.getStatus().getNodeName()).isEqualTo(nodeName);

      // The Lease is renewed (every 5 s in this test's configuration).
      Lease first = client.leases().inNamespace("kube-node-lease").withName(nodeName).get();
      assertThat(first.getSpec().getHolderIdentity()).isEqualTo(nodeName);
      client
          .leases()
          .inNamespace("kube-node-lease")
          .withName(nodeName)
          .waitUntilCondition(
              l -> l.getSpec().getRenewTime().isAfter(first.getSpec().getRenewTime()),
              TIMEOUT,
              TimeUnit.SECONDS);

      // The scheduler binds a tolerating pod and refuses one without the toleration.
      Pod tolerating =
          client.pods().inNamespace(ns.name()).resource(pod("tolerating", nodeName, true)).create();
      Pod intolerant =
          client
              .pods()
              .inNamespace(ns.name())
              .resource(pod("intolerant", nodeName, false))
              .create();
      assertThat(
              client
                  .pods()
                  .resource(tolerating)
                  .waitUntilCondition(
                      p -> p.getSpec().getNodeName() != null, TIMEOUT, TimeUnit.SECONDS)
                  .getSpec()
                  .getNodeName())
          .isEqualTo(nodeName);
      Pod refused =
          client
              .pods()
              .resource(intolerant)
              .waitUntilCondition(PodConditions::unschedulable, TIMEOUT, TimeUnit.SECONDS);
      assertThat(refused.getSpec().getNodeName()).isNull();
      awaitVirtualNode(
          vn.getMetadata().getName(), v -> Integer.valueOf(1).equals(v.getStatus().getPods()));
    } finally {
      deleteAndAwaitGone(vn);
    }
  }

  @Test
  void nodesOfOtherRegionsOsesAndCredentialKindsRunSideBySide() {
    emulator.addResourceGroup(SUBSCRIPTION, "rg-windows", "northeurope");
    VirtualNode linux = create(virtualNode("linux", spec -> {}));
    VirtualNode windows =
        create(
            virtualNode(
                "windows",
                spec -> {
                  spec.setOs(io.github.acivirtualnode.api.v1alpha1.OperatingSystem.Windows);
                  spec.getAzure().setRegion("northeurope");
                  spec.getAzure().setResourceGroup("rg-windows");
                  AzureCredentials.WorkloadIdentity identity =
                      new AzureCredentials.WorkloadIdentity();
                  identity.setClientId(WORKLOAD_CLIENT_ID);
                  AzureCredentials credentials = new AzureCredentials();
                  credentials.setWorkloadIdentity(identity);
                  spec.getAzure().setCredentials(credentials);
                }));
    try {
      Node linuxNode = awaitNode(linux.nodeName(), n -> "True".equals(ready(n).getStatus()));
      // Ready needs a successful probe, i.e. a token from the federated ServiceAccount token.
      awaitVirtualNode(
          windows.getMetadata().getName(), v -> "True".equals(condition(v, "BackendReachable")));
      Node windowsNode = awaitNode(windows.nodeName(), n -> "True".equals(ready(n).getStatus()));
      assertThat(windowsNode.getMetadata().getLabels())
          .containsEntry("kubernetes.io/os", "windows")
          .containsEntry("topology.kubernetes.io/region", "northeurope");
      assertThat(windowsNode.getStatus().getNodeInfo().getOperatingSystem()).isEqualTo("windows");
      assertThat(linuxNode.getMetadata().getLabels()).containsEntry("kubernetes.io/os", "linux");

      // ARM calls are counted by operation and status.
      assertThat(
              metrics
                  .find("aci.arm.calls")
                  .tag("operation", "get:containerGroups")
                  .tag("status", "200")
                  .counters())
          .isNotEmpty()
          .allSatisfy(c -> assertThat(c.count()).isPositive());
      // Registration is reported as an Event on the VirtualNode.
      assertThat(
              client.v1().events().inNamespace("default").list().getItems().stream()
                  .filter(
                      e -> windows.getMetadata().getName().equals(e.getInvolvedObject().getName()))
                  .map(io.fabric8.kubernetes.api.model.Event::getReason))
          .contains("NodeRegistered");
    } finally {
      deleteAndAwaitGone(linux);
      deleteAndAwaitGone(windows);
    }
  }

  @Test
  void specEditsArePatchedOntoTheSameNodeAndARenameMovesIt() {
    VirtualNode vn = create(virtualNode("edits", spec -> {}));
    String nodeName = vn.nodeName();
    try {
      Node before = awaitNode(nodeName, n -> "True".equals(ready(n).getStatus()));
      // A merge patch, as kubectl patch sends it: no resourceVersion to conflict with status
      // writes.
      VirtualNode edited =
          mergePatch(
              vn,
              "{\"spec\":{\"labels\":{\"tier\":\"gold\"},"
                  + "\"taints\":[{\"key\":\"dedicated\",\"value\":\"aci\",\"effect\":\"NoExecute\"}],"
                  + "\"capacity\":{\"cpu\":\"8\"}}}");
      Node after =
          awaitNode(
              nodeName,
              n ->
                  "gold".equals(n.getMetadata().getLabels().get("tier"))
                      && n.getSpec().getTaints().stream()
                          .anyMatch(t -> "dedicated".equals(t.getKey()))
                      && new Quantity("8").equals(n.getStatus().getCapacity().get("cpu")));
      assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
      assertThat(after.getSpec().getTaints())
          .noneMatch(t -> "virtual-kubelet.io/provider".equals(t.getKey()));
      awaitVirtualNode(
          vn.getMetadata().getName(),
          v -> edited.getMetadata().getGeneration().equals(v.getStatus().getObservedGeneration()));

      AciBackend aci = backend();
      String oldGroup = "cg-old-" + UUID.randomUUID().toString().substring(0, 8);
      aci.create(oldGroup, taggedGroup(nodeName));
      String renamed = nodeName + "-renamed";
      mergePatch(vn, "{\"spec\":{\"nodeName\":\"" + renamed + "\"}}");
      awaitNode(renamed, n -> "True".equals(ready(n).getStatus()));
      client
          .nodes()
          .withName(nodeName)
          .waitUntilCondition(n -> n == null, TIMEOUT, TimeUnit.SECONDS);
      assertThat(client.leases().inNamespace("kube-node-lease").withName(nodeName).get()).isNull();
      // The old name's container groups go with the old Node (deleted by the next probes).
      awaitTrue(
          "the old name's group is deleted",
          () -> aci.list().stream().noneMatch(g -> oldGroup.equals(g.name())));
    } finally {
      deleteAndAwaitGone(vn);
    }
  }

  @Test
  void aRenameOntoAForeignNodeKeepsTheOldNodeRegistered() {
    String foreign = "foreign-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .nodes()
        .resource(
            new io.fabric8.kubernetes.api.model.NodeBuilder()
                .withNewMetadata()
                .withName(foreign)
                .endMetadata()
                .build())
        .create();
    VirtualNode vn = create(virtualNode("renameconflict", spec -> {}));
    String nodeName = vn.nodeName();
    try {
      Node before = awaitNode(nodeName, n -> "True".equals(ready(n).getStatus()));
      Lease leaseBefore = client.leases().inNamespace("kube-node-lease").withName(nodeName).get();
      mergePatch(vn, "{\"spec\":{\"nodeName\":\"" + foreign + "\"}}");
      VirtualNode refused =
          awaitVirtualNode(
              vn.getMetadata().getName(),
              v -> "NodeNameConflict".equals(reason(v, "NodeRegistered")));
      assertThat(conditionOf(refused, "NodeRegistered").getMessage())
          .contains(foreign)
          .contains(nodeName + " stays registered");
      // The old Node stands, the same object, and its Lease is still renewed: no eviction.
      awaitLeaseRenewedAfter(nodeName, leaseBefore, 2);
      Node still = client.nodes().withName(nodeName).get();
      assertThat(still.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
      assertThat(client.nodes().withName(foreign).get().getMetadata().getLabels())
          .doesNotContainKey("acivirtualnode.github.io/virtual-node");
    } finally {
      deleteAndAwaitGone(vn);
    }
    client.nodes().withName(nodeName).waitUntilCondition(n -> n == null, TIMEOUT, TimeUnit.SECONDS);
    assertThat(client.nodes().withName(foreign).get()).isNotNull();
    client.nodes().withName(foreign).delete();
  }

  @Test
  void aSpecTheApiServerRefusesOnTheNodeIsReportedAndTheLeaseKeptAlive() {
    VirtualNode vn = create(virtualNode("applyfails", spec -> {}));
    try {
      awaitNode(vn.nodeName(), n -> "True".equals(ready(n).getStatus()));
      Lease leaseBefore =
          client.leases().inNamespace("kube-node-lease").withName(vn.nodeName()).get();
      // Two taints with the same key and effect: the CRD takes them, a Node may not have them.
      mergePatch(
          vn,
          "{\"spec\":{\"taints\":[{\"key\":\"dup\",\"value\":\"a\",\"effect\":\"NoSchedule\"},"
              + "{\"key\":\"dup\",\"value\":\"b\",\"effect\":\"NoSchedule\"}]}}");
      VirtualNode refused =
          awaitVirtualNode(
              vn.getMetadata().getName(),
              v -> "NodeApplyFailed".equals(reason(v, "NodeRegistered")));
      assertThat(conditionOf(refused, "NodeRegistered").getMessage()).contains("dup");
      awaitLeaseRenewedAfter(vn.nodeName(), leaseBefore, 2);
    } finally {
      deleteAndAwaitGone(vn);
    }
  }

  @Test
  void aNodeDeletedByHandIsRegisteredAgain() {
    VirtualNode vn = create(virtualNode("rereg", spec -> {}));
    try {
      Node original = awaitNode(vn.nodeName(), n -> "True".equals(ready(n).getStatus()));
      client.nodes().withName(vn.nodeName()).delete();
      Node again =
          awaitNode(
              vn.nodeName(),
              n -> !n.getMetadata().getUid().equals(original.getMetadata().getUid()));
      assertThat(again.getMetadata().getLabels()).containsEntry("type", "virtual-kubelet");
    } finally {
      deleteAndAwaitGone(vn);
    }
  }

  @Test
  void credentialProblemsGiveAClearConditionAndANotReadyNode() {
    VirtualNode missing =
        create(
            virtualNode(
                "nosecret",
                spec -> spec.getAzure().getCredentials().getSecretRef().setName("absent")));
    VirtualNode elsewhere =
        create(
            virtualNode(
                "elsewhere",
                spec -> spec.getAzure().getCredentials().getSecretRef().setNamespace("default")));
    try {
      VirtualNode a =
          awaitVirtualNode(
              missing.getMetadata().getName(),
              v -> "CredentialsSecretNotFound".equals(reason(v, "Ready")));
      assertThat(condition(a, "Ready")).isEqualTo("False");
      assertThat(conditionOf(a, "BackendReachable").getMessage())
          .contains("absent")
          .contains("does not exist");
      awaitNode(missing.nodeName(), n -> "False".equals(ready(n).getStatus()));

      VirtualNode b =
          awaitVirtualNode(
              elsewhere.getMetadata().getName(),
              v -> "CredentialsNamespaceRefused".equals(reason(v, "Ready")));
      assertThat(condition(b, "Ready")).isEqualTo("False");
      assertThat(conditionOf(b, "Ready").getMessage()).contains(operatorNamespace);
    } finally {
      deleteAndAwaitGone(missing);
      deleteAndAwaitGone(elsewhere);
    }
  }

  @Test
  void aWrongClientSecretMakesTheNodeNotReadyAndDeletionStillCompletes() {
    createSecret(
        "wrong-credentials",
        Map.of(
            AzureCredentialFactory.TENANT_ID, TENANT,
            AzureCredentialFactory.CLIENT_ID, CLIENT_ID,
            AzureCredentialFactory.CLIENT_SECRET, "not-the-secret"));
    VirtualNode vn =
        virtualNode(
            "wrongsecret",
            spec -> spec.getAzure().getCredentials().getSecretRef().setName("wrong-credentials"));
    // Every Ready status the Node ever has, from its creation: it must never be schedulable.
    List<String> readiness = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.fabric8.kubernetes.client.Watch watch =
        client
            .nodes()
            .withName(vn.nodeName())
            .watch(
                new io.fabric8.kubernetes.client.Watcher<Node>() {
                  @Override
                  public void eventReceived(Action action, Node node) {
                    if (node.getStatus() != null && node.getStatus().getConditions() != null) {
                      node.getStatus().getConditions().stream()
                          .filter(c -> "Ready".equals(c.getType()))
                          .forEach(c -> readiness.add(c.getStatus()));
                    }
                  }

                  @Override
                  public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                });
    try {
      create(vn);
      VirtualNode observed =
          awaitVirtualNode(
              vn.getMetadata().getName(), v -> "AuthenticationFailed".equals(reason(v, "Ready")));
      assertThat(conditionOf(observed, "Ready").getMessage()).contains("AADSTS7000215");
      awaitNode(vn.nodeName(), n -> "False".equals(ready(n).getStatus()));
      assertThat(readiness).isNotEmpty().doesNotContain("True");
    } finally {
      watch.close();
    }
    // Deleting a misconfigured VirtualNode must not hang on its unusable backend.
    deleteAndAwaitGone(vn);
    assertThat(client.nodes().withName(vn.nodeName()).get()).isNull();
  }

  /**
   * Misconfigured VirtualNodes that the API server accepts must not make the operator loop: once
   * each shows its reason, a quiet period brings no status rewrite and only a bounded number of
   * reconciliations (a hot loop would be hundreds).
   */
  @Test
  void misconfiguredVirtualNodesSettleWithoutLoopingHot() throws InterruptedException {
    createSecret(
        "quiet-wrong-secret",
        Map.of(
            AzureCredentialFactory.TENANT_ID, TENANT,
            AzureCredentialFactory.CLIENT_ID, CLIENT_ID,
            AzureCredentialFactory.CLIENT_SECRET, "not-the-secret"));
    createSecret("quiet-keys-missing", Map.of(AzureCredentialFactory.TENANT_ID, TENANT));
    Map<String, VirtualNode> expected = new java.util.LinkedHashMap<>();
    expected.put(
        "CredentialsSecretNotFound",
        virtualNode("q-absent", s -> s.getAzure().getCredentials().getSecretRef().setName("nope")));
    expected.put(
        "CredentialsNamespaceRefused",
        virtualNode(
            "q-elsewhere",
            s -> s.getAzure().getCredentials().getSecretRef().setNamespace("default")));
    expected.put(
        "AuthenticationFailed",
        virtualNode(
            "q-wrong",
            s -> s.getAzure().getCredentials().getSecretRef().setName("quiet-wrong-secret")));
    expected.put(
        "InvalidCredentials",
        virtualNode(
            "q-keys",
            s -> s.getAzure().getCredentials().getSecretRef().setName("quiet-keys-missing")));
    expected.put("RegionNotAvailable", virtualNode("q-mars", s -> s.getAzure().setRegion("mars1")));
    expected.put(
        "ResourceGroupNotFound",
        virtualNode("q-norg", s -> s.getAzure().setResourceGroup("rg-that-does-not-exist")));
    double atStart = reconciliationsStarted();
    expected.values().forEach(VirtualNodeIT::create);
    try {
      Map<String, String> versions = new java.util.HashMap<>();
      expected.forEach(
          (reason, vn) -> {
            VirtualNode settled =
                awaitVirtualNode(
                    vn.getMetadata().getName(), v -> reason.equals(reason(v, "Ready")));
            assertThat(condition(settled, "Ready")).isEqualTo("False");
          });
      // Settled: the last of them may still have a status write in flight.
      Thread.sleep(3_000);
      expected
          .values()
          .forEach(vn -> versions.put(vn.getMetadata().getName(), resourceVersion(vn)));
      double before = reconciliationsStarted();
      assertThat(before - atStart)
          .as("the counter sees the reconciliations that set the conditions")
          .isGreaterThanOrEqualTo(expected.size());
      // Several probe intervals (2 s here) and heartbeats (5 s).
      Thread.sleep(20_000);
      double during = reconciliationsStarted() - before;
      expected
          .values()
          .forEach(
              vn ->
                  assertThat(resourceVersion(vn))
                      .as("%s rewritten while nothing changed", vn.getMetadata().getName())
                      .isEqualTo(versions.get(vn.getMetadata().getName())));
      // A kubelet-like resync could justify one each; a hot loop would be hundreds.
      assertThat(during)
          .as("reconciliations in 20 quiet seconds")
          .isLessThanOrEqualTo(expected.size());
    } finally {
      expected.values().forEach(VirtualNodeIT::deleteAndAwaitGone);
      client.secrets().inNamespace(operatorNamespace).withName("quiet-wrong-secret").delete();
      client.secrets().inNamespace(operatorNamespace).withName("quiet-keys-missing").delete();
    }
  }

  private static String resourceVersion(VirtualNode vn) {
    return client
        .resources(VirtualNode.class)
        .withName(vn.getMetadata().getName())
        .get()
        .getMetadata()
        .getResourceVersion();
  }

  /** A Secret in the operator's namespace. */
  private static void createSecret(String name, Map<String, String> data) {
    client
        .secrets()
        .inNamespace(operatorNamespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToStringData(data)
                .build())
        .create();
  }

  /** JOSDK's count of reconciliations started, over every controller. */
  private static double reconciliationsStarted() {
    return metrics.find("operator.sdk.reconciliations.started").counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count)
        .sum();
  }

  @Test
  void aNodeNameTakenByAForeignNodeIsRefusedAndThatNodeLeftAlone(TestNamespace ns) {
    String foreign = "foreign-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .nodes()
        .resource(
            new io.fabric8.kubernetes.api.model.NodeBuilder()
                .withNewMetadata()
                .withName(foreign)
                .addToLabels("owner", "kubelet")
                .endMetadata()
                .build())
        .create();
    // The real kubelet's workload: a pod bound to its Node and a container group that names it.
    Pod theirs = pod("theirs", foreign, true);
    theirs.getSpec().setNodeName(foreign);
    theirs = client.pods().inNamespace(ns.name()).resource(theirs).create();
    AciBackend aci = backend();
    String group = "cg-foreign-" + UUID.randomUUID().toString().substring(0, 8);
    aci.create(group, taggedGroup(foreign));

    VirtualNode vn = create(virtualNode("conflict", spec -> spec.setNodeName(foreign)));
    try {
      VirtualNode observed =
          awaitVirtualNode(
              vn.getMetadata().getName(),
              v -> "NodeNameConflict".equals(reason(v, "NodeRegistered")));
      assertThat(condition(observed, "Ready")).isEqualTo("False");
      assertThat(conditionOf(observed, "NodeRegistered").getMessage()).contains(foreign);
      // Probes have run: still nothing of the foreign Node is counted as ours.
      awaitVirtualNode(
          vn.getMetadata().getName(), v -> "True".equals(condition(v, "BackendReachable")));
      observed = client.resources(VirtualNode.class).withName(vn.getMetadata().getName()).get();
      assertThat(observed.getStatus().getPods()).isIn(null, 0);
      assertThat(observed.getStatus().getContainerGroups()).isIn(null, 0);
    } finally {
      deleteAndAwaitGone(vn);
    }
    Node untouched = client.nodes().withName(foreign).get();
    assertThat(untouched).isNotNull();
    assertThat(untouched.getMetadata().getLabels())
        .containsEntry("owner", "kubelet")
        .doesNotContainKey("type");
    assertThat(untouched.getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
    Pod survivor = client.pods().resource(theirs).get();
    assertThat(survivor).as("the foreign Node's pod").isNotNull();
    assertThat(survivor.getMetadata().getDeletionTimestamp()).isNull();
    assertThat(aci.list()).extracting(ContainerGroupInner::name).contains(group);
    aci.delete(group);
    client.pods().resource(theirs).withGracePeriod(0).delete();
    client.nodes().withName(foreign).delete();
  }

  @Test
  void aNodeWhoseVirtualNodeIsGoneAndWhoseLeaseIsDeadIsCollected() {
    String name = "orphan-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .nodes()
        .resource(
            new io.fabric8.kubernetes.api.model.NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("acivirtualnode.github.io/virtual-node", "it-gone-" + name)
                .endMetadata()
                .build())
        .create();
    client
        .leases()
        .resource(
            new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("kube-node-lease")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(name)
                .withRenewTime(java.time.ZonedDateTime.now().minusMinutes(10))
                .endSpec()
                .build())
        .create();

    client.nodes().withName(name).waitUntilCondition(n -> n == null, TIMEOUT, TimeUnit.SECONDS);
    client
        .leases()
        .inNamespace("kube-node-lease")
        .withName(name)
        .waitUntilCondition(l -> l == null, TIMEOUT, TimeUnit.SECONDS);
  }

  @Test
  void anArmOutageIsReportedWithoutMakingTheNodeNotReady() {
    VirtualNode vn = create(virtualNode("outage", spec -> {}));
    try {
      // Both Ready before recording: the VirtualNode's status may still say NodeNotRegistered
      // for a moment after its backend is reachable and its Node Ready.
      awaitVirtualNode(
          vn.getMetadata().getName(),
          v ->
              "True".equals(condition(v, "BackendReachable"))
                  && "True".equals(condition(v, "Ready")));
      awaitNode(vn.nodeName(), n -> "True".equals(ready(n).getStatus()));
      try (ReadinessRecorder seen = new ReadinessRecorder(vn)) {
        emulator.outage(Duration.ofSeconds(20));
        awaitVirtualNode(
            vn.getMetadata().getName(), v -> "False".equals(condition(v, "BackendReachable")));
        awaitVirtualNode(
            vn.getMetadata().getName(), v -> "True".equals(condition(v, "BackendReachable")));
        // Throughout the outage, every status either object had: Ready.
        assertThat(seen.node).isNotEmpty().containsOnly("True");
        assertThat(seen.virtualNode).isNotEmpty().containsOnly("True");
      }
    } finally {
      deleteAndAwaitGone(vn);
    }
  }

  @Test
  void aRegionWhereAciDoesNotExistMakesTheNodeNotReadyWithThatReason() {
    VirtualNode vn = create(virtualNode("mars", spec -> spec.getAzure().setRegion("mars1")));
    try {
      Node node = awaitNode(vn.nodeName(), n -> "RegionNotAvailable".equals(ready(n).getReason()));
      assertThat(ready(node).getStatus()).isEqualTo("False");
      VirtualNode observed =
          awaitVirtualNode(
              vn.getMetadata().getName(), v -> "RegionNotAvailable".equals(reason(v, "Ready")));
      assertThat(conditionOf(observed, "Ready").getMessage())
          .contains("mars1")
          .contains("westeurope");
    } finally {
      deleteAndAwaitGone(vn);
    }
  }

  @Test
  void aMissingResourceGroupMakesTheNodeNotReadyWithThatReason() {
    VirtualNode vn =
        create(
            virtualNode(
                "norg", spec -> spec.getAzure().setResourceGroup("rg-that-does-not-exist")));
    try {
      // NotReady from the start (never probed), then for the reason the probe found.
      Node node =
          awaitNode(vn.nodeName(), n -> "ResourceGroupNotFound".equals(ready(n).getReason()));
      assertThat(ready(node).getStatus()).isEqualTo("False");
      VirtualNode observed =
          awaitVirtualNode(
              vn.getMetadata().getName(), v -> "ResourceGroupNotFound".equals(reason(v, "Ready")));
      assertThat(condition(observed, "Ready")).isEqualTo("False");
      assertThat(conditionOf(observed, "BackendReachable").getStatus()).isEqualTo("False");
    } finally {
      deleteAndAwaitGone(vn);
    }
  }

  @Test
  void deletionRemovesContainerGroupsPodsNodeAndLease(TestNamespace ns) {
    VirtualNode vn = create(virtualNode("delete", spec -> {}));
    String nodeName = vn.nodeName();
    awaitNode(nodeName, n -> "True".equals(ready(n).getStatus()));
    Pod bound =
        client.pods().inNamespace(ns.name()).resource(pod("bound", nodeName, true)).create();
    client
        .pods()
        .resource(bound)
        .waitUntilCondition(p -> p.getSpec().getNodeName() != null, TIMEOUT, TimeUnit.SECONDS);
    AciBackend aci = backend();
    aci.create("cg-" + UUID.randomUUID().toString().substring(0, 8), taggedGroup(nodeName));
    // The bound pod's own group and the one made by hand.
    awaitVirtualNode(
        vn.getMetadata().getName(),
        v -> Integer.valueOf(2).equals(v.getStatus().getContainerGroups()));

    deleteAndAwaitGone(vn);

    assertThat(client.nodes().withName(nodeName).get()).isNull();
    assertThat(client.leases().inNamespace("kube-node-lease").withName(nodeName).get()).isNull();
    client.pods().resource(bound).waitUntilCondition(p -> p == null, TIMEOUT, TimeUnit.SECONDS);
    assertThat(aci.list()).noneMatch(g -> nodeName.equals(g.tags().get(ContainerGroupTags.NODE)));
  }

  @Test
  void aCleanupAfterARestartWaitsForACredentialsSecretDeletedWithTheVirtualNode() throws Exception {
    String secretName = "creds-" + UUID.randomUUID().toString().substring(0, 6);
    io.fabric8.kubernetes.api.model.Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(secretName)
            .withNamespace(operatorNamespace)
            .endMetadata()
            .addToStringData(
                Map.of(
                    AzureCredentialFactory.TENANT_ID, TENANT,
                    AzureCredentialFactory.CLIENT_ID, CLIENT_ID,
                    AzureCredentialFactory.CLIENT_SECRET, SECRET_VALUE))
            .build();
    client.secrets().resource(secret).create();
    VirtualNode vn =
        create(
            virtualNode(
                "secretgone",
                spec -> spec.getAzure().getCredentials().getSecretRef().setName(secretName)));
    awaitVirtualNode(vn.getMetadata().getName(), v -> "True".equals(condition(v, "Ready")));
    AciBackend aci = backend();
    String group = "cg-secretgone-" + UUID.randomUUID().toString().substring(0, 6);
    aci.create(group, taggedGroup(vn.nodeName()));

    // While the operator is down, `kubectl delete -f` takes the Secret and the VirtualNode.
    operator.close();
    client.secrets().resource(secret).delete();
    client.resources(VirtualNode.class).withName(vn.getMetadata().getName()).delete();
    operator = newOperator().start();

    // The restarted operator has no backend: it waits for the Secret instead of orphaning.
    client
        .v1()
        .events()
        .inNamespace("default")
        .withField("involvedObject.name", vn.getMetadata().getName())
        .informOnCondition(
            events ->
                events.stream().anyMatch(e -> "ContainerGroupCleanupDelayed".equals(e.getReason())))
        .get(TIMEOUT, TimeUnit.SECONDS);
    assertThat(client.resources(VirtualNode.class).withName(vn.getMetadata().getName()).get())
        .as("held by its finalizer meanwhile")
        .isNotNull();
    assertThat(aci.list()).extracting(ContainerGroupInner::name).contains(group);

    client.secrets().resource(secret).create();
    client
        .resources(VirtualNode.class)
        .withName(vn.getMetadata().getName())
        .waitUntilCondition(v -> v == null, TIMEOUT, TimeUnit.SECONDS);
    assertThat(aci.list()).extracting(ContainerGroupInner::name).doesNotContain(group);
    assertThat(client.nodes().withName(vn.nodeName()).get()).isNull();
    client.secrets().resource(secret).delete();
  }

  @Test
  void aVirtualNodeGoneWithoutCleanupIsCleanedUpAndItsNameCanBeUsedAgain() {
    VirtualNode vn = create(virtualNode("gone", spec -> {}));
    String name = vn.getMetadata().getName();
    awaitNode(vn.nodeName(), n -> "True".equals(ready(n).getStatus()));
    AciBackend aci = backend();
    String group = "cg-gone-" + UUID.randomUUID().toString().substring(0, 6);
    aci.create(group, taggedGroup(vn.nodeName()));

    // As a user could: remove the finalizer and delete. The operator puts its finalizer back on
    // the update, so the delete is made conditional on the version without it, and repeated.
    awaitTrue(
        "the VirtualNode is deleted without its finalizer", () -> deleteWithoutFinalizer(name));

    // The agent notices, and the cleanup the finalizer would have run happens anyway.
    client
        .nodes()
        .withName(vn.nodeName())
        .waitUntilCondition(n -> n == null, TIMEOUT, TimeUnit.SECONDS);
    awaitTrue(
        "the node's container group is deleted",
        () -> aci.list().stream().noneMatch(g -> group.equals(g.name())));

    // The same name again gets a fresh agent: a Node, a Lease, Ready.
    VirtualNode again = virtualNode("gone", spec -> {});
    again.getMetadata().setName(name);
    create(again);
    try {
      awaitNode(vn.nodeName(), n -> "True".equals(ready(n).getStatus()));
      Lease lease = client.leases().inNamespace("kube-node-lease").withName(vn.nodeName()).get();
      awaitLeaseRenewedAfter(vn.nodeName(), lease, 1);
      awaitVirtualNode(name, v -> "True".equals(condition(v, "Ready")));
    } finally {
      deleteAndAwaitGone(again);
    }
  }

  /** One attempt: drop the finalizers, then delete only that version. */
  private static boolean deleteWithoutFinalizer(String name) {
    VirtualNode current = client.resources(VirtualNode.class).withName(name).get();
    if (current == null) {
      return true;
    }
    try {
      VirtualNode patched = mergePatch(current, "{\"metadata\":{\"finalizers\":null}}");
      client
          .resources(VirtualNode.class)
          .withName(name)
          .lockResourceVersion(patched.getMetadata().getResourceVersion())
          .delete();
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() != 409 && e.getCode() != 404) {
        throw e;
      }
    }
    return client.resources(VirtualNode.class).withName(name).get() == null;
  }

  @Test
  void aThrottledCleanupHoldsTheVirtualNodeAndIsRetriedUntilTheGroupsAreGone() throws Exception {
    VirtualNode vn = create(virtualNode("throttled", spec -> {}));
    awaitVirtualNode(vn.getMetadata().getName(), v -> "True".equals(condition(v, "Ready")));
    AciBackend aci = backend();
    String group = "cg-throttled-" + UUID.randomUUID().toString().substring(0, 6);
    aci.create(group, taggedGroup(vn.nodeName()));
    emulator.injectFaults("ContainerGroups_Delete", 1.0, 429, Duration.ZERO);
    try {
      client.resources(VirtualNode.class).withName(vn.getMetadata().getName()).delete();
      // Retried, one Event counting the retries, the VirtualNode and its Node kept meanwhile.
      client
          .v1()
          .events()
          .inNamespace("default")
          .withField("involvedObject.name", vn.getMetadata().getName())
          .informOnCondition(
              events ->
                  events.stream()
                      .anyMatch(
                          e ->
                              "ContainerGroupCleanupDelayed".equals(e.getReason())
                                  && e.getCount() != null
                                  && e.getCount() >= 2))
          .get(TIMEOUT, TimeUnit.SECONDS);
      assertThat(
              client
                  .v1()
                  .events()
                  .inNamespace("default")
                  .withField("involvedObject.name", vn.getMetadata().getName())
                  .list()
                  .getItems())
          .filteredOn(e -> "ContainerGroupCleanupDelayed".equals(e.getReason()))
          .hasSize(1);
      assertThat(client.resources(VirtualNode.class).withName(vn.getMetadata().getName()).get())
          .isNotNull();
      assertThat(client.nodes().withName(vn.nodeName()).get()).isNotNull();
    } finally {
      emulator.injectFaults("ContainerGroups_Delete", 0.0, 429, Duration.ZERO);
    }
    client
        .resources(VirtualNode.class)
        .withName(vn.getMetadata().getName())
        .waitUntilCondition(v -> v == null, TIMEOUT, TimeUnit.SECONDS);
    assertThat(aci.list()).extracting(ContainerGroupInner::name).doesNotContain(group);
    assertThat(client.nodes().withName(vn.nodeName()).get()).isNull();
  }

  @Test
  void restartingTheOperatorBringsTheSameNodeBackToReady() {
    VirtualNode vn = create(virtualNode("restart", spec -> {}));
    try {
      Node before = awaitNode(vn.nodeName(), n -> "True".equals(ready(n).getStatus()));
      awaitVirtualNode(vn.getMetadata().getName(), v -> "True".equals(condition(v, "Ready")));

      // A quick restart (a rollout): neither the Node nor the VirtualNode may flap to NotReady.
      // Every status either object has, from the restart until the new operator has probed and
      // renewed the Lease twice, is recorded by watches.
      try (ReadinessRecorder seen = new ReadinessRecorder(vn)) {
        Lease leaseBefore =
            client.leases().inNamespace("kube-node-lease").withName(vn.nodeName()).get();
        operator.close();
        operator = newOperator().start();
        awaitLeaseRenewedAfter(vn.nodeName(), leaseBefore, 2);
        awaitVirtualNode(
            vn.getMetadata().getName(), v -> "True".equals(condition(v, "BackendReachable")));
        assertThat(seen.node).isNotEmpty().containsOnly("True");
        assertThat(seen.virtualNode).doesNotContain("False", "Unknown");
      }

      operator.close();
      // Without Lease renewals the node lifecycle controller (grace 20 s) marks it unknown.
      awaitNode(vn.nodeName(), n -> "Unknown".equals(ready(n).getStatus()));
      operator = newOperator().start();
      Node after = awaitNode(vn.nodeName(), n -> "True".equals(ready(n).getStatus()));
      assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
      assertThat(
              client
                  .nodes()
                  .withLabel("acivirtualnode.github.io/virtual-node", vn.getMetadata().getName())
                  .list()
                  .getItems())
          .hasSize(1);
    } finally {
      deleteAndAwaitGone(vn);
    }
  }

  // --- helpers ---

  /** Records, through watches, every Ready status a VirtualNode and its Node have. */
  private static final class ReadinessRecorder implements AutoCloseable {
    final List<String> node = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> virtualNode = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final io.fabric8.kubernetes.client.Watch nodeWatch;
    private final io.fabric8.kubernetes.client.Watch virtualNodeWatch;

    /**
     * Starts from what a GET says now and watches from that version on: a watch without a version
     * may begin with a stale state from the API server's watch cache.
     */
    ReadinessRecorder(VirtualNode vn) {
      Node current = client.nodes().withName(vn.nodeName()).get();
      record(node, readyOf(current));
      nodeWatch =
          client
              .nodes()
              .withName(vn.nodeName())
              .withResourceVersion(current.getMetadata().getResourceVersion())
              .watch(recorder(n -> record(node, readyOf(n))));
      VirtualNode currentVn =
          client.resources(VirtualNode.class).withName(vn.getMetadata().getName()).get();
      record(virtualNode, readyOfVirtualNode(currentVn));
      virtualNodeWatch =
          client
              .resources(VirtualNode.class)
              .withName(vn.getMetadata().getName())
              .withResourceVersion(currentVn.getMetadata().getResourceVersion())
              .watch(recorder(v -> record(virtualNode, readyOfVirtualNode(v))));
    }

    private static String readyOfVirtualNode(VirtualNode v) {
      return v.getStatus() == null ? null : condition(v, "Ready");
    }

    private static String readyOf(Node n) {
      return n.getStatus() == null || n.getStatus().getConditions() == null
          ? null
          : n.getStatus().getConditions().stream()
              .filter(c -> "Ready".equals(c.getType()))
              .map(NodeCondition::getStatus)
              .findFirst()
              .orElse(null);
    }

    private static void record(List<String> into, String status) {
      if (status != null) {
        into.add(status);
      }
    }

    private static <T> io.fabric8.kubernetes.client.Watcher<T> recorder(
        java.util.function.Consumer<T> onEvent) {
      return new io.fabric8.kubernetes.client.Watcher<>() {
        @Override
        public void eventReceived(Action action, T resource) {
          onEvent.accept(resource);
        }

        @Override
        public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
      };
    }

    @Override
    public void close() {
      nodeWatch.close();
      virtualNodeWatch.close();
    }
  }

  /** Polls what no watch can tell (ACI's state) until it holds; fails after TIMEOUT seconds. */
  private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Waits until the Lease has been renewed {@code times} times after {@code before}. */
  private static void awaitLeaseRenewedAfter(String name, Lease before, int times) {
    java.time.ZonedDateTime mark = before.getSpec().getRenewTime();
    for (int i = 0; i < times; i++) {
      java.time.ZonedDateTime since = mark;
      mark =
          client
              .leases()
              .inNamespace("kube-node-lease")
              .withName(name)
              .waitUntilCondition(
                  l -> l != null && l.getSpec().getRenewTime().isAfter(since),
                  TIMEOUT,
                  TimeUnit.SECONDS)
              .getSpec()
              .getRenewTime();
    }
  }

  private static VirtualNode virtualNode(
      String prefix, java.util.function.Consumer<VirtualNodeSpec> customize) {
    VirtualNode vn =
        TestVirtualNodes.withSecretRef(
            "it-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 6),
            SUBSCRIPTION,
            RESOURCE_GROUP,
            emulator.baseUrl(),
            "aci-credentials");
    vn.getMetadata().setGeneration(null);
    customize.accept(vn.getSpec());
    return vn;
  }

  private static VirtualNode create(VirtualNode vn) {
    return client.resource(vn).create();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static VirtualNode mergePatch(VirtualNode vn, String patch) {
    return client
        .resources(VirtualNode.class)
        .withName(vn.getMetadata().getName())
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            patch);
  }

  private static void deleteAndAwaitGone(VirtualNode vn) {
    client.resources(VirtualNode.class).withName(vn.getMetadata().getName()).delete();
    client
        .resources(VirtualNode.class)
        .withName(vn.getMetadata().getName())
        .waitUntilCondition(v -> v == null, TIMEOUT, TimeUnit.SECONDS);
  }

  private static Node awaitNode(String name, Predicate<Node> condition) {
    return client
        .nodes()
        .withName(name)
        .waitUntilCondition(
            n ->
                n != null
                    && n.getStatus() != null
                    && n.getStatus().getConditions() != null
                    && !n.getStatus().getConditions().isEmpty()
                    && condition.test(n),
            TIMEOUT,
            TimeUnit.SECONDS);
  }

  private static VirtualNode awaitVirtualNode(String name, Predicate<VirtualNode> condition) {
    return client
        .resources(VirtualNode.class)
        .withName(name)
        .waitUntilCondition(
            v -> v != null && v.getStatus() != null && condition.test(v),
            TIMEOUT,
            TimeUnit.SECONDS);
  }

  private static NodeCondition ready(Node node) {
    return node.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private static Condition conditionOf(VirtualNode vn, String type) {
    return vn.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static String reason(VirtualNode vn, String type) {
    Condition c = conditionOf(vn, type);
    return c == null ? null : c.getReason();
  }

  private static String condition(VirtualNode vn, String type) {
    Condition c = conditionOf(vn, type);
    return c == null ? null : c.getStatus();
  }

  private static Pod pod(String name, String nodeName, boolean tolerate) {
    PodBuilder builder =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .addToNodeSelector("kubernetes.io/hostname", nodeName)
            .addNewContainer()
            .withName("main")
            .withImage("busybox")
            .endContainer()
            .endSpec();
    if (tolerate) {
      builder
          .editSpec()
          .addNewToleration()
          .withKey("virtual-kubelet.io/provider")
          .withOperator("Exists")
          .endToleration()
          .endSpec();
    }
    return builder.build();
  }

  /** What the operator tags its container groups with: the kube-system namespace's UID. */
  private static String clusterId() {
    return client.namespaces().withName("kube-system").get().getMetadata().getUid();
  }

  private static AciBackend backend() {
    return TestVirtualNodes.emulatorBackend(
        emulator,
        virtualNode("backend", x -> {}).getSpec().getAzure(),
        TENANT,
        CLIENT_ID,
        SECRET_VALUE);
  }

  private static ContainerGroupInner taggedGroup(String nodeName) {
    return new ContainerGroupInner()
        .withLocation("westeurope")
        .withOsType(OperatingSystemTypes.LINUX)
        .withTags(ContainerGroupTags.of(clusterId(), nodeName))
        .withContainers(
            List.of(
                new Container()
                    .withName("main")
                    .withImage("busybox")
                    .withResources(
                        new ResourceRequirements()
                            .withRequests(
                                new ResourceRequests().withCpu(1.0).withMemoryInGB(1.5)))));
  }
}
