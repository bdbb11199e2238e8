package io.github.acivirtualnode.e2e;

import com.azure.core.util.Configuration;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeCrd;
import io.github.acivirtualnode.controlplane.ControlPlaneBinaries;
import io.github.acivirtualnode.controlplane.LocalControlPlane;
import io.github.acivirtualnode.operator.VirtualNodeOperator;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.operator.kubelet.KubeletServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local demo: a real control plane, the ACI emulator, the operator, the sample VirtualNode and
 * the sample workloads ({@link DemoWorkloads}), on this machine. Waits until the workloads run,
 * shows the nodes, the pods and the emulator's container groups, then runs until Ctrl-C (or
 * SIGTERM) and stops everything. Exits with 1 when the workloads do not come up.
 *
 * <p>Usage: {@code LocalDemo <repository root> <work dir>}.
 */
public final class LocalDemo {
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
  private static final String TENANT = "00000000-0000-0000-0000-0000000000a1";
  private static final String CLIENT_ID = "00000000-0000-0000-0000-0000000000c1";
  private static final String CLIENT_SECRET = "demo-secret";
  private static final String NAMESPACE = "aci-virtual-node";

  private LocalDemo() {}

  public static void main(String[] args) throws Exception {
    PrintStream console = System.err;
    try {
      if (!run(args)) {
        System.exit(1);
      }
    } catch (InterruptedException e) {
      throw e; // stopped: the logs of the stop stay in the log file
    } catch (Exception e) {
      // A demo that could not start says why on the console, not only in its log file.
      e.printStackTrace(console);
      throw e;
    }
  }

  /** Runs the demo until interrupted; false when its workloads did not come up. */
  private static boolean run(String[] args) throws Exception {
    Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    Path work = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "/tmp/avn-demo"));
    say("starting the Kubernetes control plane (the first run builds it: several minutes)");
    Path clusterDir = Files.createTempDirectory(work, "cluster-");
    Path log = clusterDir.resolve("demo.log");
    // The operator's and the emulator's logs go to a file: the console is for what the demo
    // shows. The operator's logback writes to whatever System.err is when it logs.
    System.setErr(new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8));
    try (LocalControlPlane cluster =
            LocalControlPlane.start(clusterDir, LocalControlPlane.Options.defaults());
        AciEmulator emulator = AciEmulator.builder().requireAuthentication(true).build().start();
        KubernetesClient client = cluster.newClient()) {
      emulator.addResourceGroup(SUBSCRIPTION, "rg-virtual-nodes", "westeurope");
      emulator.addServicePrincipal(TENANT, CLIENT_ID, CLIENT_SECRET);
      say("ACI emulator at " + emulator.baseUrl() + " (CA " + emulator.caCertificateFile() + ")");
      say("operator and emulator log: " + log);

      VirtualNodeCrd.install(client);
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .serverSideApply();
      client
          .secrets()
          .inNamespace(NAMESPACE)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("aci-credentials")
                  .endMetadata()
                  .addToStringData(
                      Map.of(
                          "tenantId", TENANT, "clientId", CLIENT_ID, "clientSecret", CLIENT_SECRET))
                  .build())
          .serverSideApply();

      OperatorConfig config =
          OperatorConfig.fromEnvironment(
              Map.of(
                  "AVN_NAMESPACE",
                  NAMESPACE,
                  "AZURE_AUTHORITY_HOST",
                  emulator.authorityHost(),
                  "AVN_METRICS_PORT",
                  "0",
                  "AVN_ALLOWED_ARM_ENDPOINTS",
                  emulator.baseUrl()));
      // The kubelet API first: the Nodes advertise the port it got (kubectl logs works).
      KubeletServer kubelet =
          KubeletServer.start(client, config.withKubeletPort(0), emulator.sslContext());
      VirtualNodeOperator operator =
          new VirtualNodeOperator(
                  client,
                  config.withKubeletPort(kubelet.port()),
                  emulator.sslContext(),
                  Configuration.getGlobalConfiguration(),
                  new SimpleMeterRegistry())
              .start();
      kubelet.serve(operator::backendOfNode);
      try {
        Kubectl kubectl =
            new Kubectl(ControlPlaneBinaries.binary("kubectl"), cluster.kubeconfigFile());
        Path virtualNode = DemoWorkloads.virtualNodePointedAt(repo, emulator.baseUrl(), clusterDir);
        String nodeName;
        try (InputStream in = Files.newInputStream(virtualNode)) {
          nodeName = client.resources(VirtualNode.class).load(in).item().nodeName();
        }
        say("applying " + DemoWorkloads.VIRTUAL_NODE_SAMPLE + " (pointed at the emulator)");
        kubectl.ok("apply", "-f", virtualNode.toString());
        client
            .nodes()
            .withName(nodeName)
            .waitUntilCondition(
                n ->
                    n != null
                        && n.getStatus() != null
                        && n.getStatus().getConditions().stream()
                            .anyMatch(
                                c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())),
                3,
                TimeUnit.MINUTES);
        say(
            "node "
                + nodeName
                + " is Ready; applying "
                + String.join(" and ", DemoWorkloads.SAMPLES));
        DemoWorkloads.apply(kubectl, repo);
        say(
            "waiting until every pod runs, the Deployment is available and the Service has endpoints");
        String failure = null;
        try {
          DemoWorkloads.awaitRunning(
              client,
              nodeName,
              () -> DemoWorkloads.containerGroupNames(emulator),
              Duration.ofMinutes(5));
        } catch (IllegalStateException e) {
          failure = e.getMessage();
        }

        show("kubectl get nodes -o wide", kubectl.ok("get", "nodes", "-o", "wide"));
        show("kubectl get pods -o wide", kubectl.ok("get", "pods", "-o", "wide"));
        show(
            "kubectl get endpointslices -l kubernetes.io/service-name=" + DemoWorkloads.SERVICE,
            kubectl.ok(
                "get",
                "endpointslices",
                "-l",
                "kubernetes.io/service-name=" + DemoWorkloads.SERVICE));
        show(
            "the emulator's container groups (GET " + emulator.baseUrl() + "_emulator/table)",
            emulator.table());
        if (failure != null) {
          // Exiting says it louder than a banner would; the component logs stay for a look.
          say("FAILED: " + failure);
          say(
              "operator and emulator log: "
                  + log
                  + ", control plane logs: "
                  + cluster.logDirectory());
          return false;
        }

        System.out.println();
        System.out.println("The local demo is up. In another terminal:");
        System.out.println("  export KUBECONFIG=" + cluster.kubeconfigFile());
        System.out.println("  alias kubectl=" + kubectl.binary());
        System.out.println("  kubectl get virtualnodes");
        System.out.println("  kubectl get nodes -o wide");
        System.out.println("  kubectl get pods -o wide");
        System.out.println("  kubectl logs -f " + DemoWorkloads.POD);
        System.out.println(
            "  kubectl scale deployment " + DemoWorkloads.DEPLOYMENT + " --replicas=1");
        System.out.println(
            "  curl -s --cacert "
                + emulator.caCertificateFile()
                + " "
                + emulator.baseUrl()
                + "_emulator/table");
        System.out.println();
        System.out.println(
            "Every pod runs as a container group in the emulator (the table above); kubectl logs,");
        System.out.println(
            "exec and attach work through the operator's kubelet API (kubectl exec hello-aci -- ls /).");
        System.out.println(
            "Ctrl-C, or kill -TERM " + ProcessHandle.current().pid() + ", stops everything.");
        System.out.println("Operator and emulator log: " + log);
        System.out.println("Control plane logs: " + cluster.logDirectory());
        System.out.flush();
        Thread.currentThread().join();
        return true;
      } finally {
        operator.close();
        kubelet.close();
      }
    }
  }

  private static void show(String title, String output) {
    System.out.println();
    System.out.println("$ " + title);
    System.out.print(output);
    System.out.flush();
  }

  private static void say(String message) {
    System.out.println("[demo] " + message);
    System.out.flush();
  }
}
