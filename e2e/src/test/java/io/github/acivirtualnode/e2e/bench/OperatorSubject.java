package io.github.acivirtualnode.e2e.bench;

import com.azure.core.util.ConfigurationBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.e2e.EmulatorVirtualNodes;
import io.github.acivirtualnode.operator.VirtualNodeOperator;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * This operator, in the benchmark's JVM, with its default settings but for what an in-JVM run needs
 * (its namespace, the emulator as an allowed ARM endpoint and authority, no leader election, no
 * metrics port, free kubelet ports).
 */
public final class OperatorSubject implements BenchSubject {
  static final String SECRET = "aci-credentials";

  /** The operator's default Lease renewal interval (AVN_LEASE_RENEW_SECONDS), kept here. */
  public static final int LEASE_RENEW_SECONDS = 10;

  @Override
  public String name() {
    return "this operator";
  }

  @Override
  public String description() {
    return "VirtualNodeOperator in the benchmark's JVM, default settings (Lease renewal "
        + LEASE_RENEW_SECONDS
        + " s, status list 5 s, settled refresh 120 s, sharding on with one replica)";
  }

  @Override
  public Started start(BenchContext ctx) {
    return new Running(ctx);
  }

  private static final class Running implements Started {
    private final BenchContext ctx;
    private final String namespace;
    private final KubernetesClient operatorClient;
    private final VirtualNodeOperator operator;
    private final List<String> virtualNodes = new ArrayList<>();

    Running(BenchContext ctx) {
      this.ctx = ctx;
      KubernetesClient client = ctx.client();
      namespace = "avn-bench-" + UUID.randomUUID().toString().substring(0, 6);
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      client
          .secrets()
          .inNamespace(namespace)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(SECRET)
                  .endMetadata()
                  .addToStringData(
                      Map.of(
                          "tenantId",
                          ctx.tenantId(),
                          "clientId",
                          ctx.clientId(),
                          "clientSecret",
                          ctx.clientSecret()))
                  .build())
          .create();
      OperatorConfig config =
          OperatorConfig.fromEnvironment(
              Map.of(
                  "AVN_NAMESPACE",
                  namespace,
                  "AZURE_AUTHORITY_HOST",
                  ctx.emulator().authorityHost(),
                  "AVN_ALLOWED_ARM_ENDPOINTS",
                  ctx.emulator().baseUrl(),
                  "AVN_METRICS_PORT",
                  "0",
                  "AVN_LEADER_ELECTION",
                  "false",
                  "AVN_KUBELET_PORT",
                  "0",
                  "AVN_LEASE_RENEW_SECONDS",
                  Integer.toString(LEASE_RENEW_SECONDS)));
      operatorClient = ctx.cluster().newClient();
      operator =
          new VirtualNodeOperator(
                  operatorClient,
                  config,
                  ctx.emulator().sslContext(),
                  new ConfigurationBuilder().build(),
                  new SimpleMeterRegistry())
              .start();
    }

    @Override
    public List<String> addNodes(String prefix, int count) {
      List<String> nodes = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        VirtualNode vn = ctx.client().resource(virtualNode(prefix + "-" + i)).create();
        virtualNodes.add(vn.getMetadata().getName());
        nodes.add(vn.nodeName());
      }
      return nodes;
    }

    private VirtualNode virtualNode(String name) {
      // Every scenario's region is westeurope, the one EmulatorVirtualNodes uses.
      return EmulatorVirtualNodes.withSecretRef(
          name, ctx.subscriptionId(), ctx.resourceGroup(), ctx.emulator().baseUrl(), SECRET);
    }

    @Override
    public String footprintNote() {
      return "the operator runs in the benchmark's JVM: heap, RSS (/proc/self/status) and CPU"
          + " seconds are the whole JVM's (operator, emulator, informers of the harness), an upper"
          + " bound of the operator's own";
    }

    @Override
    public void close() {
      try {
        for (String name : virtualNodes) {
          ctx.client().resources(VirtualNode.class).withName(name).delete();
        }
        for (String name : virtualNodes) {
          ctx.client()
              .resources(VirtualNode.class)
              .withName(name)
              .waitUntilCondition(v -> v == null, 300, TimeUnit.SECONDS);
        }
      } finally {
        operator.close();
        operatorClient.close();
        ctx.client().namespaces().withName(namespace).delete();
      }
    }
  }
}
