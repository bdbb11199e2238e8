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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local demo: a real control plane, the ACI emulator, the operator, the sample VirtualNode and
 * the sample workload, on this machine. Runs until Ctrl-C, then stops everything.
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
    Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    Path work = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "/tmp/avn-demo"));
    say("starting the Kubernetes control plane (the first run builds it: several minutes)");
    try (LocalControlPlane cluster =
            LocalControlPlane.start(
                Files.createTempDirectory(work, "cluster-"), LocalControlPlane.Options.defaults());
        AciEmulator emulator = AciEmulator.builder().requireAuthentication(true).build().start();
        KubernetesClient client = cluster.newClient()) {
      emulator.addResourceGroup(SUBSCRIPTION, "rg-virtual-nodes", "westeurope");
      emulator.addServicePrincipal(TENANT, CLIENT_ID, CLIENT_SECRET);
      say("ACI emulator at " + emulator.baseUrl() + " (CA " + emulator.caCertificateFile() + ")");

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
      VirtualNodeOperator operator =
          new VirtualNodeOperator(
                  client,
                  config,
                  emulator.sslContext(),
                  Configuration.getGlobalConfiguration(),
                  new SimpleMeterRegistry())
              .start();
      try {
        VirtualNode sample;
        try (InputStream in = Files.newInputStream(repo.resolve("samples/virtualnode.yaml"))) {
          sample = client.resources(VirtualNode.class).load(in).item();
        }
        sample.getSpec().getAzure().setEndpoint(emulator.baseUrl());
        client.resource(sample).serverSideApply();
        client
            .nodes()
            .withName(sample.nodeName())
            .waitUntilCondition(
                n ->
                    n != null
                        && n.getStatus() != null
                        && n.getStatus().getConditions().stream()
                            .anyMatch(
                                c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())),
                3,
                TimeUnit.MINUTES);
        try (InputStream in = Files.newInputStream(repo.resolve("samples/workload.yaml"))) {
          client.load(in).serverSideApply();
        }

        String kubectl = ControlPlaneBinaries.binary("kubectl").toString();
        System.out.println();
        System.out.println("The local demo is up. In another terminal:");
        System.out.println("  export KUBECONFIG=" + cluster.kubeconfigFile());
        System.out.println("  alias kubectl=" + kubectl);
        System.out.println("  kubectl get virtualnodes");
        System.out.println("  kubectl get nodes -o wide");
        System.out.println(
            "  kubectl get pods -o wide   # the hello-aci pods are scheduled onto "
                + sample.nodeName());
        System.out.println("  curl -sk " + emulator.baseUrl() + "_emulator/table");
        System.out.println();
        System.out.println(
            "The workload's pods run as container groups in the emulator (the table above);");
        System.out.println("kubectl logs and exec are not served yet (the kubelet API).");
        System.out.println("Ctrl-C stops everything. Component logs: " + cluster.logDirectory());
        System.out.flush();
        Thread.currentThread().join();
      } finally {
        operator.close();
      }
    }
  }

  private static void say(String message) {
    System.out.println("[demo] " + message);
    System.out.flush();
  }
}
