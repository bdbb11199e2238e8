package io.github.acivirtualnode.e2e.bench;

import com.azure.core.util.ConfigurationBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.e2e.EmulatorVirtualNodes;
import io.github.acivirtualnode.e2e.OperatorProcesses;
import io.github.acivirtualnode.operator.VirtualNodeOperator;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * This operator with its default settings but for what a run beside the harness needs (its
 * namespace, the emulator as an allowed ARM endpoint and authority, no leader election, no metrics
 * port, free kubelet ports, the scenario's ACI quota): in the benchmark's JVM, or ({@link
 * #asProcess}) as its own process, as its pod runs it, so that its footprint is its own.
 */
public final class OperatorSubject implements BenchSubject {
  static final String SECRET = "aci-credentials";

  /** The operator's default Lease renewal interval (AVN_LEASE_RENEW_SECONDS), kept here. */
  public static final int LEASE_RENEW_SECONDS = 10;

  /**
   * The process's JVM sized as the Deployment's container: a 512Mi memory limit, with the image's
   * {@code -XX:MaxRAMPercentage=75} (operator/pom.xml, Jib) giving the heap three quarters of it.
   */
  static final List<String> PROCESS_JVM_FLAGS =
      List.of("-XX:MaxRAM=512m", "-XX:MaxRAMPercentage=75");

  private final Path processDir;

  /** This operator in the benchmark's JVM. */
  public OperatorSubject() {
    this.processDir = null;
  }

  private OperatorSubject(Path processDir) {
    this.processDir = processDir.toAbsolutePath();
  }

  /**
   * This operator as its own process ({@code OperatorMain}, the admin kubeconfig, the Deployment's
   * memory limit), its log under {@code processDir}.
   */
  public static OperatorSubject asProcess(Path processDir) {
    return new OperatorSubject(processDir);
  }

  @Override
  public String name() {
    return processDir == null ? "this operator" : "this operator (process)";
  }

  /**
   * Settings given on the command line ({@code -Davn.bench.operatorEnv=AVN_POD_WORKERS=8,...}), to
   * measure other settings than the defaults; the report's description names them.
   */
  static Map<String, String> overrides() {
    return parseOverrides(System.getProperty("avn.bench.operatorEnv", ""));
  }

  static Map<String, String> parseOverrides(String value) {
    Map<String, String> out = new java.util.TreeMap<>();
    for (String pair : value.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("avn.bench.operatorEnv: " + pair + " is not NAME=VALUE");
      }
      out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return out;
  }

  @Override
  public String description() {
    OperatorConfig.PodSettings pods = OperatorConfig.fromEnvironment(overrides()).pods();
    return (processDir == null
            ? "VirtualNodeOperator in the benchmark's JVM, "
            : "OperatorMain as its own process ("
                + String.join(" ", PROCESS_JVM_FLAGS)
                + ", as the Deployment's 512Mi limit), ")
        + (overrides().isEmpty() ? "default settings" : "settings " + overrides())
        + " (Lease renewal "
        + LEASE_RENEW_SECONDS
        + " s, "
        + pods.workers()
        + " pod workers per node, status list "
        + pods.listInterval().toSeconds()
        + " s, settled refresh "
        + pods.settledRefresh().toSeconds()
        + " s, sharding on with one replica)";
  }

  /** The environment of the operator in one scenario: what an in-JVM run needs, then overrides. */
  static Map<String, String> environment(BenchContext ctx, String namespace) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("AVN_NAMESPACE", namespace);
    env.put("AZURE_AUTHORITY_HOST", ctx.emulator().authorityHost());
    env.put("AVN_ALLOWED_ARM_ENDPOINTS", ctx.emulator().baseUrl());
    env.put("AVN_METRICS_PORT", "0");
    env.put("AVN_LEADER_ELECTION", "false");
    env.put("AVN_KUBELET_PORT", "0");
    env.put("AVN_LEASE_RENEW_SECONDS", Integer.toString(LEASE_RENEW_SECONDS));
    env.put("AVN_ACI_MUTATIONS_PER_5_MINUTES", Integer.toString(ctx.quota().perFiveMinutes()));
    env.put("AVN_ACI_MUTATIONS_PER_HOUR", Integer.toString(ctx.quota().perHour()));
    env.putAll(overrides());
    return env;
  }

  @Override
  public Started start(BenchContext ctx) {
    return new Running(ctx);
  }

  private final class Running implements Started {
    private final BenchContext ctx;
    private final String namespace;
    private KubernetesClient operatorClient;
    private VirtualNodeOperator operator;
    private Process process;
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
      Map<String, String> env = environment(ctx, namespace);
      if (processDir == null) {
        operatorClient = ctx.cluster().newClient();
        operator =
            new VirtualNodeOperator(
                    operatorClient,
                    OperatorConfig.fromEnvironment(env),
                    ctx.emulator().sslContext(),
                    new ConfigurationBuilder().build(),
                    new SimpleMeterRegistry())
                .start();
      } else {
        process = startProcess(env);
      }
    }

    private Process startProcess(Map<String, String> env) {
      List<String> command = new ArrayList<>(OperatorProcesses.javaCommand());
      command.addAll(1, PROCESS_JVM_FLAGS);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      try {
        Files.createDirectories(processDir);
        builder.redirectOutput(processDir.resolve(namespace + ".log").toFile());
        builder.environment().putAll(env);
        Path kubeconfig =
            Files.writeString(
                processDir.resolve(namespace + ".kubeconfig"), ctx.cluster().kubeconfig());
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("AVN_ARM_CA_FILE", ctx.emulator().caCertificateFile().toString());
        builder.environment().put("AVN_KUBELET_NODE_PORTS", "0");
        builder.environment().put("HOSTNAME", namespace);
        return builder.start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the operator process", e);
      }
    }

    @Override
    public List<Long> processIds() {
      return process != null && process.isAlive() ? List.of(process.pid()) : List.of();
    }

    @Override
    public boolean ownProcesses() {
      return process != null;
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
      if (process != null) {
        return "the operator runs as its own process sized as the Deployment's container: RSS"
            + " (VmRSS of /proc/PID/status) and CPU seconds are its own; no heap figure";
      }
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
        if (operator != null) {
          operator.close();
          operatorClient.close();
        }
        if (process != null) {
          stop(process);
        }
        ctx.client().namespaces().withName(namespace).delete();
      }
    }
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
