package io.github.acivirtualnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.aciemulator.ArmRequestCount;
import io.github.acivirtualnode.controlplane.ControlPlaneBinaries;
import io.github.acivirtualnode.controlplane.KubernetesCluster;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.e2e.reliability.GroupSampler;
import io.github.acivirtualnode.e2e.reliability.Invariants;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The install path a user takes, end to end: kubectl applies deploy/ and samples/, the operator
 * runs as its own process with the deployed ServiceAccount's token (so the RBAC manifest is what is
 * tested) and its settings from the environment, against the ACI emulator over HTTPS.
 */
@ExtendWith(KubernetesClusterExtension.class)
class InstallAndRunE2E {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final String NAMESPACE = "aci-virtual-node";
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
  private static final String TENANT = "44444444-4444-4444-4444-444444444444";
  private static final String CLIENT_ID = "55555555-5555-5555-5555-555555555555";
  private static final String SECRET = "e2e-secret";

  /** The sample VirtualNode's Node. */
  private static final String NODE = "aci-westeurope";

  /** The REST operation that creates (and replaces) a container group. */
  private static final String CREATE = "ContainerGroups_CreateOrUpdate";

  private static final Duration WORKLOAD_TIMEOUT = Duration.ofMinutes(5);

  private static AciEmulator emulator;
  private static Process operator;

  /** How the operator is started, kept to start it again after a kill. */
  private static ProcessBuilder operatorCommand;

  private static Path operatorLog;
  private static Path work;
  private static int metricsPort;

  @BeforeAll
  static void install(KubernetesCluster cluster, KubernetesClient admin) throws Exception {
    work = Files.createTempDirectory("avn-e2e");
    emulator = AciEmulator.builder().requireAuthentication(true).build().start();
    emulator.addResourceGroup(SUBSCRIPTION, "rg-virtual-nodes", "westeurope");
    emulator.addServicePrincipal(TENANT, CLIENT_ID, SECRET);

    // What the README tells a user to run: the kustomize base, CRD included.
    kubectl(cluster, "apply", "-k", REPO.resolve("deploy").toString());
    kubectl(
        cluster,
        "wait",
        "--for=condition=Established",
        "crd/virtualnodes.acivirtualnode.github.io");
    kubectl(
        cluster,
        "-n",
        NAMESPACE,
        "create",
        "secret",
        "generic",
        "aci-credentials",
        "--from-literal=tenantId=" + TENANT,
        "--from-literal=clientId=" + CLIENT_ID,
        "--from-literal=clientSecret=" + SECRET);

    // The operator authenticates as the deployed ServiceAccount, exactly as its pod would.
    Path kubeconfig =
        OperatorProcesses.serviceAccountKubeconfig(
            cluster, admin, NAMESPACE, "aci-virtual-node", work.resolve("operator.kubeconfig"));

    operatorLog = work.resolve("operator.log");
    metricsPort = OperatorProcesses.freePort();
    operatorCommand = new ProcessBuilder(OperatorProcesses.javaCommand()).redirectErrorStream(true);
    // Appended: a restarted operator writes after the one before it, in one log.
    operatorCommand.redirectOutput(ProcessBuilder.Redirect.appendTo(operatorLog.toFile()));
    Map<String, String> env = operatorCommand.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("POD_NAMESPACE", NAMESPACE);
    env.put("AZURE_AUTHORITY_HOST", emulator.authorityHost());
    env.put("AVN_ARM_CA_FILE", emulator.caCertificateFile().toString());
    env.put("AVN_HEALTH_PROBE_SECONDS", "2");
    env.put("AVN_ALLOWED_ARM_ENDPOINTS", emulator.baseUrl());
    env.put("AVN_METRICS_PORT", Integer.toString(metricsPort));
    env.put("AVN_KUBELET_PORT", "0"); // any free port: the Nodes advertise the one it got
    env.put("AVN_LOG_FORMAT", "json");
    // One replica with leader election, the mode AVN_SHARDING=false keeps (ShardingE2E runs the
    // default, several replicas sharing the VirtualNodes).
    env.put("AVN_SHARDING", "false");
    operator = operatorCommand.start();
    System.err.println("[e2e] operator log: " + operatorLog);
  }

  /** The operator's log lines, each a JSON object (the JVM's own lines, if any, left out). */
  private static List<JsonNode> operatorJsonLog() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(operatorLog)) {
      if (line.startsWith("{")) {
        lines.add(json.readTree(line));
      }
    }
    return lines;
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (operator != null) {
      operator.destroy();
      if (!operator.waitFor(20, TimeUnit.SECONDS)) {
        operator.destroyForcibly();
      }
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void theSampleVirtualNodeBecomesAReadyNodeAndIsRemovedCleanly(
      KubernetesCluster cluster, KubernetesClient admin) throws Exception {
    Applied applied = applyTheSampleVirtualNode(cluster);
    Path pointed = applied.file();
    try {
      String nodes =
          kubectl(cluster, "get", "nodes", "-l", "type=virtual-kubelet", "--show-labels");
      assertThat(nodes).contains(NODE).contains("Ready").contains("workload-class=burst");
      // Prometheus sees the ARM calls, by operation and status.
      Answer scrape = operatorEndpoint("/metrics");
      assertThat(scrape.status()).isEqualTo(200);
      String metrics = scrape.body();
      assertThat(metrics)
          .contains("aci_arm_calls_total{operation=\"get:containerGroups\",status=\"200\"}");
      // The operator's own meters and JOSDK's, in the same registry.
      assertThat(metrics)
          .contains("aci_pods{node=\"aci-westeurope\",phase=\"Running\"}")
          .contains("aci_node_lease_renewal_lag_seconds_count")
          .contains("operator_sdk_");
      // The Deployment's probes: live with the node's heartbeat running, ready as the leader.
      assertThat(operatorEndpoint("/healthz"))
          .isEqualTo(new Answer(200, "[+]node-heartbeats ok: 1 running\nok\n"));
      assertThat(operatorEndpoint("/readyz"))
          .isEqualTo(new Answer(200, "[+]started ok\n[+]informers ok\nok\n"));
      String events =
          kubectl(
              cluster,
              "get",
              "events",
              "-n",
              "default",
              "--field-selector",
              "involvedObject.name=aci-westeurope");
      assertThat(events).contains("NodeRegistered");

      // GitOps sees no drift: the operator wrote finalizers and status, never the spec.
      GenericKubernetesResource live = virtualNode(admin);
      GenericKubernetesResource created = applied.created();
      assertThat(live.getAdditionalProperties().get("spec"))
          .isEqualTo(created.getAdditionalProperties().get("spec"));
      assertThat(live.getMetadata().getGeneration())
          .isEqualTo(created.getMetadata().getGeneration())
          .isEqualTo(1L);
      assertThat(live.getMetadata().getFinalizers()).isNotEmpty();
      assertThat(live.getMetadata().getManagedFields())
          .filteredOn(m -> m.getFieldsV1().getAdditionalProperties().containsKey("f:spec"))
          .extracting(ManagedFieldsEntry::getManager)
          .isSubsetOf(
              created.getMetadata().getManagedFields().stream()
                  .map(ManagedFieldsEntry::getManager)
                  .toList())
          .isNotEmpty();
      assertThat(live.getMetadata().getManagedFields())
          .extracting(ManagedFieldsEntry::getSubresource)
          .contains("status");
      // kubectl diff exits 0 when applying the manifest again would change nothing.
      Kubectl.Result diff = run(cluster, "diff", "-f", pointed.toString());
      assertThat(diff.exit()).as("kubectl diff: %s", diff.output()).isZero();

      // And Argo CD, with the shipped health check, calls the live object Healthy.
      assertThat(
              ArgoCdHealth.assess(
                  REPO,
                  REPO.resolve("deploy/argocd/virtualnode-health.lua"),
                  List.of(admin.getKubernetesSerialization().convertValue(live, Map.class))))
          .containsExactly(new ArgoCdHealth.Health("Healthy", "Node " + NODE + " is Ready", null));
    } finally {
      kubectl(cluster, "delete", "-f", pointed.toString(), "--wait=true", "--timeout=120s");
    }
    assertThat(admin.nodes().withName(NODE).get()).isNull();
    assertThat(admin.leases().inNamespace("kube-node-lease").withName(NODE).get()).isNull();
    assertThat(operator.isAlive()).as("operator process, log: %s", operatorLog).isTrue();
    assertThat(Files.readString(operatorLog)).doesNotContain(SECRET);
  }

  @Test
  void theDemoWorkloadsRunOnTheVirtualNodeAndScalingDownLeavesNoOrphanGroup(
      KubernetesCluster cluster, KubernetesClient admin) throws Exception {
    Path pointed = applyTheSampleVirtualNode(cluster).file();
    try {
      // Exactly what ./demo.sh applies and waits for.
      DemoWorkloads.apply(kubectl(cluster), REPO);
      DemoWorkloads.Snapshot running =
          DemoWorkloads.awaitRunning(admin, NODE, InstallAndRunE2E::groups, WORKLOAD_TIMEOUT);
      assertThat(running.pods())
          .hasSize(4)
          .allSatisfy(
              pod -> {
                assertThat(pod.getSpec().getNodeName()).isEqualTo(NODE);
                assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
                assertThat(pod.getStatus().getPodIP()).isNotBlank();
              });
      assertThat(running.deployment().getStatus().getAvailableReplicas()).isEqualTo(3);
      assertThat(running.replicaIps()).hasSize(3);
      // The endpoint controller of kube-controller-manager put the pods' ACI IPs behind the
      // Service.
      assertThat(running.readyEndpointAddresses()).isEqualTo(running.replicaIps());
      assertThat(running.containerGroups()).hasSize(4).isEqualTo(running.expectedContainerGroups());
      assertThat(kubectl(cluster, "get", "pods", "-o", "wide"))
          .contains(DemoWorkloads.POD)
          .contains(running.replicaIps().iterator().next());
      // kubectl logs: the API server asks the operator's kubelet API, which runs under the
      // deployed ServiceAccount (TokenReview, SubjectAccessReview, the published client CA).
      assertThat(lastLogLine(cluster, DemoWorkloads.POD))
          .matches("hello: heartbeat \\d+ \\(run \\d+\\)");
      // The operator logs JSON (AVN_LOG_FORMAT=json), a line about a pod naming it and its node.
      String created = "created container group " + GroupNaming.groupName(running.pod());
      assertThat(operatorJsonLog())
          .filteredOn(line -> line.path("formattedMessage").asText().startsWith(created))
          .isNotEmpty()
          .allSatisfy(
              line -> {
                assertThat(line.path("level").asText()).isEqualTo("INFO");
                assertThat(line.path("mdc").path("node").asText()).isEqualTo(NODE);
                assertThat(line.path("mdc").path("pod").asText())
                    .isEqualTo(
                        running.pod().getMetadata().getNamespace()
                            + "/"
                            + running.pod().getMetadata().getName());
              });

      kubectl(cluster, "scale", "deployment", DemoWorkloads.DEPLOYMENT, "--replicas=1");
      DemoWorkloads.Snapshot scaled =
          DemoWorkloads.awaitRunning(admin, NODE, InstallAndRunE2E::groups, WORKLOAD_TIMEOUT);
      assertThat(scaled.replicas()).hasSize(1);
      Pod survivor = scaled.replicas().get(0);
      assertThat(running.replicas())
          .extracting(p -> p.getMetadata().getUid())
          .contains(survivor.getMetadata().getUid());
      // One group for the one replica and one for the sample pod: the two removed replicas
      // left none behind.
      assertThat(scaled.containerGroups())
          .containsExactlyInAnyOrder(
              GroupNaming.groupName(scaled.pod()), GroupNaming.groupName(survivor));
      assertThat(scaled.readyEndpointAddresses()).containsExactly(survivor.getStatus().getPodIP());
    } finally {
      List<String> samples = new ArrayList<>(DemoWorkloads.SAMPLES);
      Collections.reverse(samples);
      for (String sample : samples) {
        kubectl(
            cluster,
            "delete",
            "--ignore-not-found",
            "--wait=true",
            "--timeout=120s",
            "-f",
            REPO.resolve(sample).toString());
      }
    }
    // Deleting the workloads deletes their groups, before the VirtualNode's cleanup could.
    awaitGroups(Set.of());
    kubectl(cluster, "delete", "-f", pointed.toString(), "--wait=true", "--timeout=120s");
    assertThat(operator.isAlive()).as("operator process, log: %s", operatorLog).isTrue();
  }

  @Test
  void anOperatorKilledMidBurstAndRestartedSendsNoPodsGroupTwice(
      KubernetesCluster cluster, KubernetesClient admin) throws Exception {
    Path pointed = applyTheSampleVirtualNode(cluster).file();
    String namespace = "kill-mid-burst";
    int n = 12;
    admin
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .endMetadata()
                .build())
        .create();
    List<Pod> pods = new ArrayList<>();
    // The reliability suite's check, here across a kill: never two groups for one pod at once.
    GroupSampler sampler = GroupSampler.start(emulator, NODE);
    try {
      // Slow creates: the kill lands while the operator is still sending them.
      emulator.injectFaults(CREATE, 0, 500, Duration.ofMillis(300));
      Pod sample =
          admin
              .getKubernetesSerialization()
              .unmarshal(Files.readString(REPO.resolve("samples/pod.yaml")), Pod.class);
      for (int i = 0; i < n; i++) {
        Pod pod =
            new PodBuilder(sample)
                .editMetadata()
                .withName("burst-" + i)
                .withNamespace(namespace)
                .endMetadata()
                .build();
        pods.add(admin.resource(pod).create());
      }
      Instant deadline = Instant.now().plus(WORKLOAD_TIMEOUT);
      while (creates(201) == 0 && Instant.now().isBefore(deadline)) {
        Thread.sleep(20);
      }
      // SIGKILL: no shutdown hook, nothing finished or handed over.
      operator.destroyForcibly();
      assertThat(operator.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long createdBeforeTheKill = creates(201);
      assertThat(createdBeforeTheKill)
          .as("the kill came in the middle of the burst, operator log: %s", operatorLog)
          .isBetween(1L, n - 1L);
      emulator.injectFaults(CREATE, 0, 500, Duration.ZERO);
      operator = operatorCommand.start();

      List<Pod> running = new ArrayList<>();
      for (Pod pod : pods) {
        running.add(
            admin
                .resource(pod)
                .waitUntilCondition(
                    p ->
                        p != null
                            && p.getStatus() != null
                            && Set.of("Running", "Failed").contains(p.getStatus().getPhase()),
                    WORKLOAD_TIMEOUT.toSeconds(),
                    TimeUnit.SECONDS));
      }
      assertThat(running)
          .allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
      // One group per pod, each created by exactly one PUT from the two operators together:
      // the restarted one found the groups of the killed one in ACI and sent none again.
      Set<String> expected = new java.util.TreeSet<>();
      running.forEach(p -> expected.add(GroupNaming.groupName(p)));
      assertThat(groups()).containsAll(expected);
      for (String group : expected) {
        assertThat(creates(group, 201)).as("PUTs creating %s", group).isEqualTo(1);
        assertThat(creates(group, 200)).as("PUTs replacing %s", group).isZero();
      }
      sampler.close();
      assertThat(Invariants.atMostOneGroupPerPod(sampler))
          .as("never two groups for one pod UID (%d samples)", sampler.samples())
          .isEmpty();
      assertThat(sampler.podsSeen()).hasSize(n);
    } finally {
      sampler.close();
      emulator.injectFaults(CREATE, 0, 500, Duration.ZERO);
      admin.namespaces().withName(namespace).delete();
      admin
          .namespaces()
          .withName(namespace)
          .waitUntilCondition(x -> x == null, 5, TimeUnit.MINUTES);
      kubectl(cluster, "delete", "-f", pointed.toString(), "--wait=true", "--timeout=120s");
    }
    awaitGroups(Set.of());
    assertThat(operator.isAlive()).as("operator process, log: %s", operatorLog).isTrue();
  }

  @Test
  void aGracefulStopLeavesTheNodeAndThePodsGroupAloneAndTheNextOperatorTakesThemOver(
      KubernetesCluster cluster, KubernetesClient admin) throws Exception {
    Path pointed = applyTheSampleVirtualNode(cluster).file();
    Pod sample =
        admin
            .getKubernetesSerialization()
            .unmarshal(Files.readString(REPO.resolve("samples/pod.yaml")), Pod.class);
    Pod pod =
        admin
            .resource(
                new PodBuilder(sample)
                    .editMetadata()
                    .withName("survives-a-stop")
                    .endMetadata()
                    .build())
            .create();
    try {
      Pod running = awaitPhase(admin, pod, "Running");
      String group = GroupNaming.groupName(running);
      // SIGTERM, as the kubelet stops a pod: the shutdown hook runs, and the process exits.
      operator.destroy();
      assertThat(operator.waitFor(60, TimeUnit.SECONDS))
          .as("stopped, log: %s", operatorLog)
          .isTrue();
      assertThat(operator.exitValue()).as("exit status after SIGTERM").isEqualTo(143);
      assertThat(Files.readString(operatorLog)).contains("operator stopped");
      // Nothing removed on the way out: the Node, its Lease, the pod's group and status.
      assertThat(admin.nodes().withName(NODE).get()).isNotNull();
      assertThat(admin.leases().inNamespace("kube-node-lease").withName(NODE).get()).isNotNull();
      assertThat(groups()).contains(group);
      assertThat(admin.resource(running).get().getStatus().getPhase()).isEqualTo("Running");

      operator = operatorCommand.start();
      awaitLeading();
      // Taken over, not redone: the group was created once and never sent again, and the pod's
      // container never restarted.
      Pod after = awaitPhase(admin, pod, "Running");
      assertThat(after.getMetadata().getUid()).isEqualTo(running.getMetadata().getUid());
      assertThat(after.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
      assertThat(creates(group, 201)).isEqualTo(1);
      assertThat(creates(group, 200)).isZero();
    } finally {
      admin.resource(pod).delete();
      admin.resource(pod).waitUntilCondition(x -> x == null, 2, TimeUnit.MINUTES);
      kubectl(cluster, "delete", "-f", pointed.toString(), "--wait=true", "--timeout=120s");
    }
    assertThat(operator.isAlive()).as("operator process, log: %s", operatorLog).isTrue();
  }

  @Test
  void anOperatorThatLosesTheLeaderLeaseExitsSoThatTwoReplicasNeverBothReconcile(
      KubernetesClient admin) throws Exception {
    awaitLeading();
    // Another replica takes the Lease over (as after a network partition of this one). Like a
    // real contender it retries on a conflict: the operator may renew between its read and write.
    for (int attempt = 1; ; attempt++) {
      try {
        admin
            .leases()
            .inNamespace(NAMESPACE)
            .withName("aci-virtual-node-leader")
            .edit(
                l -> {
                  l.getSpec().setHolderIdentity("another-replica");
                  l.getSpec()
                      .setRenewTime(
                          java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).withNano(0));
                  return l;
                });
        break;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
    assertThat(operator.waitFor(2, TimeUnit.MINUTES))
        .as("exited after losing the Lease, log: %s", operatorLog)
        .isTrue();
    assertThat(operator.exitValue()).isEqualTo(1);
    assertThat(Files.readString(operatorLog)).contains("lost the leader Lease; exiting");
    // A new process waits for the other holder's Lease to lapse, then leads.
    operator = operatorCommand.start();
    awaitLeading();
  }

  @Test
  void theServiceAccountMayDoWhatLeaderElectionDoes(KubernetesCluster cluster) {
    // fabric8's leader elector gets, creates, updates and patches its Lease; a refused renewal
    // makes the operator lose leadership and exit after the renew deadline.
    for (String verb : List.of("get", "create", "update", "patch")) {
      assertThat(
              run(
                      cluster,
                      "auth",
                      "can-i",
                      verb,
                      "leases.coordination.k8s.io/aci-virtual-node-leader",
                      "-n",
                      NAMESPACE,
                      "--as",
                      "system:serviceaccount:" + NAMESPACE + ":aci-virtual-node")
                  .output()
                  .strip())
          .as("may %s its leader-election Lease", verb)
          .isEqualTo("yes");
    }
  }

  @Test
  void theServiceAccountMayReadWhatPodVolumesNeedAndKeepItsShardLeases(KubernetesCluster cluster) {
    // A persistentVolumeClaim volume: the claim, its PersistentVolume and that volume's Secret,
    // by name, as a kubelet reads them; never listed.
    assertThat(canI(cluster, List.of("get", "persistentvolumeclaims", "-n", "default")))
        .isEqualTo("yes");
    assertThat(canI(cluster, List.of("get", "persistentvolumes"))).isEqualTo("yes");
    assertThat(canI(cluster, List.of("list", "persistentvolumeclaims", "--all-namespaces")))
        .isEqualTo("no");
    assertThat(canI(cluster, List.of("list", "persistentvolumes"))).isEqualTo("no");
    // fabric8 reads an Event before it patches a repeat's count onto it.
    assertThat(canI(cluster, List.of("get", "events", "-n", "default"))).isEqualTo("yes");
    // Sharding lists the member and VirtualNode Leases and deletes its own when it leaves.
    for (String verb : List.of("list", "delete")) {
      assertThat(canI(cluster, List.of(verb, "leases.coordination.k8s.io", "-n", NAMESPACE)))
          .as("may %s Leases in its namespace", verb)
          .isEqualTo("yes");
    }
  }

  @Test
  void theServiceAccountMayNotListSecretsNorWriteOutsideWhatAKubeletDoes(
      KubernetesCluster cluster) {
    // Least privilege, seen from the API server's authorizer: the grants the operator needs are
    // proven by running it with this ServiceAccount's token; these are the ones it must not have.
    List<List<String>> refused =
        List.of(
            List.of("list", "secrets", "--all-namespaces"),
            List.of("watch", "secrets", "-n", NAMESPACE),
            List.of("list", "configmaps", "-n", "default"),
            List.of("create", "secrets", "-n", NAMESPACE),
            List.of("update", "leases.coordination.k8s.io", "-n", "kube-system"),
            List.of("create", "pods", "-n", "default"),
            List.of("patch", "pods", "-n", "default"),
            List.of("create", "deployments.apps", "-n", NAMESPACE),
            List.of("update", "virtualnodes.acivirtualnode.github.io"),
            List.of("create", "clusterrolebindings.rbac.authorization.k8s.io"));
    for (List<String> request : refused) {
      assertThat(canI(cluster, request)).as("may %s", String.join(" ", request)).isEqualTo("no");
    }
    // What a kubelet may: the Secrets its pods name, by name, in their namespaces.
    assertThat(canI(cluster, List.of("get", "secrets", "-n", "default"))).isEqualTo("yes");
  }

  @Test
  void aVirtualNodeWithMissingCredentialsIsDegradedInArgoCdWithTheOperatorsMessage(
      KubernetesCluster cluster, KubernetesClient admin) throws Exception {
    String name = "aci-missing-credentials";
    Path pointed = DemoWorkloads.virtualNodePointedAt(REPO, emulator.baseUrl(), work);
    String manifest =
        Files.readString(pointed)
            .replace("name: " + NODE + "\n", "name: " + name + "\n")
            .replace("name: aci-credentials\n", "name: no-such-secret\n");
    assertThat(manifest).contains("name: " + name).contains("name: no-such-secret");
    Path file = work.resolve(name + ".yaml");
    Files.writeString(file, manifest);
    kubectl(cluster, "apply", "-f", file.toString());
    try {
      awaitOutput(
          cluster,
          "CredentialsSecretNotFound",
          "get",
          "vnode",
          name,
          "-o",
          "jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}");
      GenericKubernetesResource live =
          admin
              .genericKubernetesResources("acivirtualnode.github.io/v1alpha1", "VirtualNode")
              .withName(name)
              .get();
      assertThat(
              ArgoCdHealth.assess(
                  REPO,
                  REPO.resolve("deploy/argocd/virtualnode-health.lua"),
                  List.of(admin.getKubernetesSerialization().convertValue(live, Map.class))))
          .containsExactly(
              new ArgoCdHealth.Health(
                  "Degraded",
                  "credentials Secret " + NAMESPACE + "/no-such-secret does not exist",
                  null));
    } finally {
      kubectl(cluster, "delete", "-f", file.toString(), "--wait=true", "--timeout=120s");
    }
  }

  @Test
  void theKustomizeBasePassesAServerSideDryRunWithEveryGeneratedCrd(
      KubernetesCluster cluster, KubernetesClient admin) throws IOException {
    List<HasMetadata> objects = kustomize(cluster, admin);
    Kubectl.Result dryRun =
        run(cluster, "apply", "-k", REPO.resolve("deploy").toString(), "--dry-run=server");
    assertThat(dryRun.exit()).as(dryRun.output()).isZero();
    // A PodSecurity or deprecation warning would show here (kubectl's stderr is in the output).
    assertThat(dryRun.output()).doesNotContainIgnoringCase("warning");
    List<String> lines = dryRun.output().strip().lines().toList();
    assertThat(lines).hasSameSizeAs(objects).allMatch(l -> l.endsWith("(server dry run)"));
    for (HasMetadata o : objects) {
      assertThat(lines)
          .as("%s %s", o.getKind(), o.getMetadata().getName())
          .anyMatch(l -> l.contains("/" + o.getMetadata().getName() + " "));
    }
    // Every CRD the build generates is part of the base.
    try (var crds = Files.list(REPO.resolve("deploy/crds"))) {
      for (Path crd : crds.toList()) {
        String name =
            new KubernetesSerialization()
                .unmarshal(Files.readString(crd), CustomResourceDefinition.class)
                .getMetadata()
                .getName();
        assertThat(objects)
            .as("deploy/kustomization.yaml lists %s", crd.getFileName())
            .anyMatch(
                o ->
                    o instanceof CustomResourceDefinition
                        && o.getMetadata().getName().equals(name));
      }
    }
  }

  @Test
  void theOperatorsPodMeetsTheRestrictedPodSecurityStandardItsNamespaceEnforces(
      KubernetesCluster cluster, KubernetesClient admin) throws IOException {
    Deployment deployment =
        kustomize(cluster, admin).stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    PodSpec spec = deployment.getSpec().getTemplate().getSpec();
    Kubectl.Result compliant = dryRunPod(cluster, admin, "psa-operator", spec);
    assertThat(compliant.exit()).as(compliant.output()).isZero();
    assertThat(compliant.output()).doesNotContainIgnoringCase("warning");
    // The control: the same pod without its security contexts is refused, so the namespace does
    // enforce the standard and the pass above means something.
    PodSpec bare = new PodSpecBuilder(spec).withSecurityContext(null).build();
    bare.getContainers().forEach(c -> c.setSecurityContext(null));
    Kubectl.Result refused = dryRunPod(cluster, admin, "psa-bare", bare);
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.output()).contains("violates PodSecurity \"restricted");
  }

  @Test
  void everySampleIsAcceptedByTheApiServer(KubernetesCluster cluster) throws IOException {
    try (var samples = Files.list(REPO.resolve("samples"))) {
      for (Path sample : samples.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        assertThat(kubectl(cluster, "apply", "--dry-run=server", "-f", sample.toString()))
            .as(sample.toString())
            .contains("(server dry run)");
      }
    }
  }

  /** The applied manifest and the VirtualNode as the API server created it, before the operator. */
  private record Applied(Path file, GenericKubernetesResource created) {}

  /** Applies samples/virtualnode.yaml pointed at the emulator; returns once its Node is Ready. */
  private static Applied applyTheSampleVirtualNode(KubernetesCluster cluster) throws Exception {
    Path pointed = DemoWorkloads.virtualNodePointedAt(REPO, emulator.baseUrl(), work);
    // The create's answer: the object before any controller could touch it.
    String created =
        kubectl(cluster, "apply", "-f", pointed.toString(), "-o", "json", "--show-managed-fields");
    awaitOutput(
        cluster,
        "True",
        "get",
        "vnode",
        NODE,
        "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
    awaitOutput(
        cluster,
        "True",
        "get",
        "node",
        NODE,
        "-o",
        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}");
    return new Applied(
        pointed,
        new KubernetesSerialization()
            .unmarshal(created.substring(created.indexOf('{')), GenericKubernetesResource.class));
  }

  private static String canI(KubernetesCluster cluster, List<String> request) {
    List<String> args = new ArrayList<>(List.of("auth", "can-i"));
    args.addAll(request);
    args.addAll(List.of("--as", "system:serviceaccount:" + NAMESPACE + ":aci-virtual-node"));
    // The answer is the last line; a cluster-scoped resource gets a warning before it.
    List<String> lines =
        run(cluster, args.toArray(String[]::new)).output().strip().lines().toList();
    return lines.get(lines.size() - 1);
  }

  /** What {@code kubectl apply -k deploy/} applies, as kubectl's own kustomize renders it. */
  private static List<HasMetadata> kustomize(KubernetesCluster cluster, KubernetesClient admin) {
    String rendered = kubectl(cluster, "kustomize", REPO.resolve("deploy").toString());
    return admin
        .load(new java.io.ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8)))
        .items();
  }

  private static Kubectl.Result dryRunPod(
      KubernetesCluster cluster, KubernetesClient admin, String name, PodSpec spec)
      throws IOException {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NAMESPACE)
            .endMetadata()
            .withSpec(spec)
            .build();
    Path file = work.resolve(name + ".yaml");
    Files.writeString(file, admin.getKubernetesSerialization().asYaml(pod));
    return run(cluster, "create", "--dry-run=server", "-f", file.toString());
  }

  private static GenericKubernetesResource virtualNode(KubernetesClient admin) {
    return admin
        .genericKubernetesResources("acivirtualnode.github.io/v1alpha1", "VirtualNode")
        .withName(NODE)
        .get();
  }

  private static void awaitGroups(Set<String> expected) throws InterruptedException {
    Instant deadline = Instant.now().plus(WORKLOAD_TIMEOUT);
    while (!groups().equals(expected) && Instant.now().isBefore(deadline)) {
      Thread.sleep(1000);
    }
    assertThat(groups()).as("operator log: %s", operatorLog).isEqualTo(expected);
  }

  private record Answer(int status, String body) {}

  /** A GET of the operator's metrics and health port. */
  private static Answer operatorEndpoint(String path) throws IOException, InterruptedException {
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + metricsPort + path))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }

  /**
   * Waits until the (re)started operator's /readyz says it leads and watches (a standby is ready
   * too, without the informers' line).
   */
  private static void awaitLeading() throws InterruptedException {
    Instant deadline = Instant.now().plus(WORKLOAD_TIMEOUT);
    Answer last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        last = operatorEndpoint("/readyz");
        if (last.status() == 200 && last.body().contains("[+]informers ok")) {
          return;
        }
      } catch (IOException e) {
        last = new Answer(-1, e.toString()); // not listening yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("/readyz kept answering " + last + "; operator log: " + operatorLog);
  }

  private static Pod awaitPhase(KubernetesClient admin, Pod pod, String phase) {
    return admin
        .resource(pod)
        .waitUntilCondition(
            p -> p != null && p.getStatus() != null && phase.equals(p.getStatus().getPhase()),
            WORKLOAD_TIMEOUT.toSeconds(),
            TimeUnit.SECONDS);
  }

  /** The container-group PUTs the emulator answered with that status, for any group. */
  private static long creates(int status) {
    return emulator.armRequests().stream()
        .filter(r -> r.operation().equals(CREATE) && r.status() == status)
        .mapToLong(ArmRequestCount::count)
        .sum();
  }

  /** The PUTs of one container group that the emulator answered with that status. */
  private static long creates(String group, int status) {
    return emulator.armRequests().stream()
        .filter(r -> r.operation().equals(CREATE) && r.status() == status)
        .filter(r -> r.name().equals(group))
        .mapToLong(ArmRequestCount::count)
        .sum();
  }

  private static Set<String> groups() {
    return DemoWorkloads.containerGroupNames(emulator);
  }

  private static void awaitOutput(KubernetesCluster cluster, String expected, String... args)
      throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      last = run(cluster, args).output();
      if (last.trim().equals(expected)) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new AssertionError(
        "kubectl "
            + String.join(" ", args)
            + " kept answering '"
            + last
            + "', not '"
            + expected
            + "'; operator log: "
            + operatorLog);
  }

  private static String kubectl(KubernetesCluster cluster, String... args) {
    Kubectl.Result result = run(cluster, args);
    assertThat(result.exit())
        .as("kubectl %s: %s", String.join(" ", args), result.output())
        .isZero();
    return result.output();
  }

  private static Kubectl.Result run(KubernetesCluster cluster, String... args) {
    return kubectl(cluster).run(args);
  }

  /** The log's last line, once the container has written one (its first comes after a while). */
  private static String lastLogLine(KubernetesCluster cluster, String pod) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String line = kubectl(cluster, "logs", pod, "--tail=1").strip();
    while (line.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(500);
      line = kubectl(cluster, "logs", pod, "--tail=1").strip();
    }
    return line;
  }

  private static Kubectl kubectl(KubernetesCluster cluster) {
    return new Kubectl(ControlPlaneBinaries.binary("kubectl"), cluster.kubeconfigFile());
  }
}
