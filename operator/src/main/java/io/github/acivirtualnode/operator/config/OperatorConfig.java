package io.github.acivirtualnode.operator.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Every setting of the operator in one place, read from the environment (a Deployment sets these
 * through the downward API and its env list). Each field documents its variable and default.
 *
 * @param namespace AVN_NAMESPACE or POD_NAMESPACE: the operator's own namespace, the only one
 *     credentials Secrets are read from (default aci-virtual-node)
 * @param nodeAddress AVN_NODE_ADDRESS or POD_IP: the InternalIP of every virtual Node, where the
 *     API server reaches the operator's kubelet endpoint (default 127.0.0.1)
 * @param kubeletPort AVN_KUBELET_PORT: the kubelet API's port, advertised on every virtual Node; 0
 *     takes any free port (default 10250)
 * @param authorityHost AZURE_AUTHORITY_HOST: Microsoft Entra endpoint, for sovereign clouds or the
 *     emulator (default: azure-identity's own, the public cloud)
 * @param armCaFile AVN_ARM_CA_FILE: a PEM CA trusted in addition to the JDK's, for an ARM or Entra
 *     endpoint with a private CA (default none)
 * @param leaseRenewInterval AVN_LEASE_RENEW_SECONDS: how often node Leases are renewed (10)
 * @param healthProbeInterval AVN_HEALTH_PROBE_SECONDS: how often each backend is probed (15)
 * @param actionableFailureThreshold AVN_ACTIONABLE_FAILURE_THRESHOLD: consecutive probes with an
 *     actionable failure (bad credentials, missing resource group) before the Node turns NotReady
 *     (2)
 * @param metricsPort AVN_METRICS_PORT: Prometheus endpoint port, 0 to disable (8080)
 * @param allowedArmEndpoints AVN_ALLOWED_ARM_ENDPOINTS: comma-separated ARM endpoints that a
 *     VirtualNode's spec.azure.endpoint may name besides those of Azure's clouds (an emulator, a
 *     private cloud). A setting of the operator, never of the resource: whoever may create a
 *     VirtualNode must not be able to send the operator's Azure token elsewhere (default none)
 * @param leaderElection AVN_LEADER_ELECTION: with AVN_SHARDING=false, false runs without leader
 *     election, for a single replica (default true)
 * @param pods the pod lifecycle's settings ({@link PodSettings})
 * @param kubelet the kubelet API's settings ({@link KubeletSettings})
 * @param logging how the operator logs ({@link LogSettings})
 * @param sharding how replicas share the VirtualNodes ({@link ShardSettings})
 */
public record OperatorConfig(
    String namespace,
    String nodeAddress,
    int kubeletPort,
    String authorityHost,
    Path armCaFile,
    Duration leaseRenewInterval,
    Duration healthProbeInterval,
    int actionableFailureThreshold,
    int metricsPort,
    List<String> allowedArmEndpoints,
    boolean leaderElection,
    PodSettings pods,
    KubeletSettings kubelet,
    LogSettings logging,
    ShardSettings sharding) {

  public OperatorConfig {
    allowedArmEndpoints = List.copyOf(allowedArmEndpoints);
    java.util.Objects.requireNonNull(pods, "pods");
    java.util.Objects.requireNonNull(kubelet, "kubelet");
    java.util.Objects.requireNonNull(logging, "logging");
    java.util.Objects.requireNonNull(sharding, "sharding");
  }

  /** The settings before sharding was configurable, with its defaults. */
  public OperatorConfig(
      String namespace,
      String nodeAddress,
      int kubeletPort,
      String authorityHost,
      Path armCaFile,
      Duration leaseRenewInterval,
      Duration healthProbeInterval,
      int actionableFailureThreshold,
      int metricsPort,
      List<String> allowedArmEndpoints,
      boolean leaderElection,
      PodSettings pods,
      KubeletSettings kubelet,
      LogSettings logging) {
    this(
        namespace,
        nodeAddress,
        kubeletPort,
        authorityHost,
        armCaFile,
        leaseRenewInterval,
        healthProbeInterval,
        actionableFailureThreshold,
        metricsPort,
        allowedArmEndpoints,
        leaderElection,
        pods,
        kubelet,
        logging,
        ShardSettings.DEFAULTS);
  }

  /** The settings before logging was configurable, with its defaults. */
  public OperatorConfig(
      String namespace,
      String nodeAddress,
      int kubeletPort,
      String authorityHost,
      Path armCaFile,
      Duration leaseRenewInterval,
      Duration healthProbeInterval,
      int actionableFailureThreshold,
      int metricsPort,
      List<String> allowedArmEndpoints,
      boolean leaderElection,
      PodSettings pods,
      KubeletSettings kubelet) {
    this(
        namespace,
        nodeAddress,
        kubeletPort,
        authorityHost,
        armCaFile,
        leaseRenewInterval,
        healthProbeInterval,
        actionableFailureThreshold,
        metricsPort,
        allowedArmEndpoints,
        leaderElection,
        pods,
        kubelet,
        LogSettings.DEFAULTS);
  }

  /** The settings before the kubelet API, with its defaults. */
  public OperatorConfig(
      String namespace,
      String nodeAddress,
      int kubeletPort,
      String authorityHost,
      Path armCaFile,
      Duration leaseRenewInterval,
      Duration healthProbeInterval,
      int actionableFailureThreshold,
      int metricsPort,
      List<String> allowedArmEndpoints,
      boolean leaderElection,
      PodSettings pods) {
    this(
        namespace,
        nodeAddress,
        kubeletPort,
        authorityHost,
        armCaFile,
        leaseRenewInterval,
        healthProbeInterval,
        actionableFailureThreshold,
        metricsPort,
        allowedArmEndpoints,
        leaderElection,
        pods,
        KubeletSettings.DEFAULTS);
  }

  /** The settings before the pod lifecycle, with its defaults. */
  public OperatorConfig(
      String namespace,
      String nodeAddress,
      int kubeletPort,
      String authorityHost,
      Path armCaFile,
      Duration leaseRenewInterval,
      Duration healthProbeInterval,
      int actionableFailureThreshold,
      int metricsPort,
      List<String> allowedArmEndpoints,
      boolean leaderElection) {
    this(
        namespace,
        nodeAddress,
        kubeletPort,
        authorityHost,
        armCaFile,
        leaseRenewInterval,
        healthProbeInterval,
        actionableFailureThreshold,
        metricsPort,
        allowedArmEndpoints,
        leaderElection,
        PodSettings.DEFAULTS);
  }

  /**
   * How pods bound to virtual nodes become container groups and how their status is observed.
   *
   * @param workers AVN_POD_WORKERS: the most worker threads per virtual node that create and delete
   *     container groups and write pod status, started while pods wait (8)
   * @param listInterval AVN_STATUS_LIST_SECONDS: how often the shared observer lists each
   *     subscription's resource group (one ARM read per page of 100 groups, for every virtual node
   *     using it): how soon a group deleted or stopped outside Kubernetes is noticed (10)
   * @param briskReadInterval AVN_STATUS_BRISK_SECONDS: how often a new or changing container group
   *     is read with a GET until it settles, between lists too: how soon a pod's Running lands
   *     after ACI reports it (2)
   * @param briskWindow AVN_STATUS_BRISK_WINDOW_SECONDS: how long a group that does not settle (a
   *     container that keeps waiting) is read at every list before it falls back to the settled
   *     refresh (300)
   * @param settledRefresh AVN_STATUS_REFRESH_SECONDS: how often a settled group is read with a GET
   *     anyway, for what the list does not show (container restarts, readiness) (300)
   * @param orphanGracePeriod AVN_ORPHAN_GROUP_GC_SECONDS: how long a container group tagged for a
   *     node and this cluster, whose pod is gone, is left before it is deleted (180)
   * @param mutationsPerFiveMinutes AVN_ACI_MUTATIONS_PER_5_MINUTES: the subscription's ACI quota of
   *     container group creates in 5 minutes, and the same again of deletes, shared by every
   *     virtual node on the subscription (ACI's default, 100; a subscription with a raised quota
   *     says its own)
   * @param mutationsPerHour AVN_ACI_MUTATIONS_PER_HOUR: the same quota per hour (ACI's default,
   *     300)
   */
  public record PodSettings(
      int workers,
      Duration listInterval,
      Duration briskReadInterval,
      Duration briskWindow,
      Duration settledRefresh,
      Duration orphanGracePeriod,
      int mutationsPerFiveMinutes,
      int mutationsPerHour) {
    public static final int ACI_DEFAULT_MUTATIONS_PER_FIVE_MINUTES = 100;
    public static final int ACI_DEFAULT_MUTATIONS_PER_HOUR = 300;

    public static final PodSettings DEFAULTS =
        new PodSettings(
            8,
            Duration.ofSeconds(10),
            Duration.ofSeconds(2),
            Duration.ofSeconds(300),
            Duration.ofSeconds(300),
            Duration.ofSeconds(180),
            ACI_DEFAULT_MUTATIONS_PER_FIVE_MINUTES,
            ACI_DEFAULT_MUTATIONS_PER_HOUR);

    /**
     * Settings with ACI's default quota of creates and deletes, whose changing groups are read at
     * every list and not between lists.
     */
    public PodSettings(
        int workers,
        Duration listInterval,
        Duration briskWindow,
        Duration settledRefresh,
        Duration orphanGracePeriod) {
      this(
          workers,
          listInterval,
          listInterval,
          briskWindow,
          settledRefresh,
          orphanGracePeriod,
          ACI_DEFAULT_MUTATIONS_PER_FIVE_MINUTES,
          ACI_DEFAULT_MUTATIONS_PER_HOUR);
    }

    static PodSettings fromEnvironment(Map<String, String> env) {
      return new PodSettings(
          number(env, "AVN_POD_WORKERS", DEFAULTS.workers(), 1, 64),
          Duration.ofSeconds(
              number(
                  env,
                  "AVN_STATUS_LIST_SECONDS",
                  (int) DEFAULTS.listInterval().toSeconds(),
                  1,
                  600)),
          Duration.ofSeconds(
              number(
                  env,
                  "AVN_STATUS_BRISK_SECONDS",
                  (int) DEFAULTS.briskReadInterval().toSeconds(),
                  1,
                  600)),
          Duration.ofSeconds(
              number(
                  env,
                  "AVN_STATUS_BRISK_WINDOW_SECONDS",
                  (int) DEFAULTS.briskWindow().toSeconds(),
                  0,
                  86400)),
          Duration.ofSeconds(
              number(
                  env,
                  "AVN_STATUS_REFRESH_SECONDS",
                  (int) DEFAULTS.settledRefresh().toSeconds(),
                  1,
                  86400)),
          Duration.ofSeconds(
              number(
                  env,
                  "AVN_ORPHAN_GROUP_GC_SECONDS",
                  (int) DEFAULTS.orphanGracePeriod().toSeconds(),
                  0,
                  86400)),
          number(
              env,
              "AVN_ACI_MUTATIONS_PER_5_MINUTES",
              DEFAULTS.mutationsPerFiveMinutes(),
              1,
              1_000_000),
          number(env, "AVN_ACI_MUTATIONS_PER_HOUR", DEFAULTS.mutationsPerHour(), 1, 10_000_000));
    }
  }

  /**
   * The kubelet API's settings (its port is {@link OperatorConfig#kubeletPort()}).
   *
   * @param enabled AVN_KUBELET_API: false serves no kubelet API (default true)
   * @param clientCaFile AVN_KUBELET_CLIENT_CA_FILE: the PEM CA that signs the API server's kubelet
   *     client certificate (default: client-ca-file of the kube-system ConfigMap
   *     extension-apiserver-authentication, which the API server publishes)
   * @param followInterval AVN_LOG_FOLLOW_SECONDS: how often a followed log is read from ACI, one
   *     ARM read per followed stream each time (2)
   * @param servingSecret AVN_KUBELET_SERVING_SECRET: a kubernetes.io/tls Secret in the operator's
   *     namespace whose certificate the kubelet API serves (default none: one generated at start)
   * @param servingSecretRefresh AVN_KUBELET_SERVING_SECRET_SECONDS: how often that Secret is read
   *     again for a rotated certificate (60)
   * @param nodePorts AVN_KUBELET_NODE_PORTS: the ports of the virtual Nodes' own kubelet endpoints,
   *     one per Node, where its node-level endpoints (stats, metrics, pods) are served (default
   *     10251-10500; 0 takes any free port)
   */
  public record KubeletSettings(
      boolean enabled,
      Path clientCaFile,
      Duration followInterval,
      String servingSecret,
      Duration servingSecretRefresh,
      PortRange nodePorts) {
    public static final PortRange DEFAULT_NODE_PORTS = new PortRange(10251, 10500);
    public static final KubeletSettings DEFAULTS =
        new KubeletSettings(
            true, null, Duration.ofSeconds(2), null, Duration.ofSeconds(60), DEFAULT_NODE_PORTS);

    public KubeletSettings {
      java.util.Objects.requireNonNull(nodePorts, "nodePorts");
    }

    /** Settings with a generated serving certificate and the default node ports. */
    public KubeletSettings(boolean enabled, Path clientCaFile, Duration followInterval) {
      this(enabled, clientCaFile, followInterval, null, DEFAULTS_REFRESH);
    }

    /** Settings with the default node ports. */
    public KubeletSettings(
        boolean enabled,
        Path clientCaFile,
        Duration followInterval,
        String servingSecret,
        Duration servingSecretRefresh) {
      this(
          enabled,
          clientCaFile,
          followInterval,
          servingSecret,
          servingSecretRefresh,
          DEFAULT_NODE_PORTS);
    }

    /** The same settings with other node ports. */
    public KubeletSettings withNodePorts(PortRange ports) {
      return new KubeletSettings(
          enabled, clientCaFile, followInterval, servingSecret, servingSecretRefresh, ports);
    }

    private static final Duration DEFAULTS_REFRESH = Duration.ofSeconds(60);

    static KubeletSettings fromEnvironment(Map<String, String> env) {
      return new KubeletSettings(
          !"false".equalsIgnoreCase(first(env, "true", "AVN_KUBELET_API")),
          caFile(first(env, null, "AVN_KUBELET_CLIENT_CA_FILE")),
          Duration.ofSeconds(
              number(
                  env,
                  "AVN_LOG_FOLLOW_SECONDS",
                  (int) DEFAULTS.followInterval().toSeconds(),
                  1,
                  60)),
          first(env, null, "AVN_KUBELET_SERVING_SECRET"),
          Duration.ofSeconds(
              number(
                  env,
                  "AVN_KUBELET_SERVING_SECRET_SECONDS",
                  (int) DEFAULTS_REFRESH.toSeconds(),
                  1,
                  3600)),
          PortRange.parse(
              "AVN_KUBELET_NODE_PORTS",
              first(env, DEFAULT_NODE_PORTS.toString(), "AVN_KUBELET_NODE_PORTS")));
    }
  }

  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    return new OperatorConfig(
        first(env, "aci-virtual-node", "AVN_NAMESPACE", "POD_NAMESPACE"),
        first(env, "127.0.0.1", "AVN_NODE_ADDRESS", "POD_IP"),
        number(env, "AVN_KUBELET_PORT", 10250, 0, 65535),
        first(env, null, "AZURE_AUTHORITY_HOST"),
        caFile(first(env, null, "AVN_ARM_CA_FILE")),
        Duration.ofSeconds(number(env, "AVN_LEASE_RENEW_SECONDS", 10, 1, 39)),
        Duration.ofSeconds(number(env, "AVN_HEALTH_PROBE_SECONDS", 15, 1, 3600)),
        number(env, "AVN_ACTIONABLE_FAILURE_THRESHOLD", 2, 1, 100),
        number(env, "AVN_METRICS_PORT", 8080, 0, 65535),
        list(first(env, null, "AVN_ALLOWED_ARM_ENDPOINTS")),
        !"false".equalsIgnoreCase(first(env, "true", "AVN_LEADER_ELECTION")),
        PodSettings.fromEnvironment(env),
        KubeletSettings.fromEnvironment(env),
        LogSettings.fromEnvironment(env),
        ShardSettings.fromEnvironment(env));
  }

  public OperatorConfig withNamespace(String ns) {
    return copy(ns, kubeletPort, allowedArmEndpoints, pods, kubelet);
  }

  /** The same settings with the port the kubelet API was bound to. */
  public OperatorConfig withKubeletPort(int port) {
    return copy(namespace, port, allowedArmEndpoints, pods, kubelet);
  }

  /** The same settings with other allowed ARM endpoints. */
  public OperatorConfig withAllowedArmEndpoints(List<String> endpoints) {
    return copy(namespace, kubeletPort, endpoints, pods, kubelet);
  }

  /** The same settings with other pod lifecycle settings. */
  public OperatorConfig withPods(PodSettings settings) {
    return copy(namespace, kubeletPort, allowedArmEndpoints, settings, kubelet);
  }

  /** The same settings with other kubelet API settings. */
  public OperatorConfig withKubelet(KubeletSettings settings) {
    return copy(namespace, kubeletPort, allowedArmEndpoints, pods, settings);
  }

  /** A copy with what the withers change; everything else as it is. */
  private OperatorConfig copy(
      String ns,
      int port,
      List<String> endpoints,
      PodSettings podSettings,
      KubeletSettings kubeletSettings) {
    return new OperatorConfig(
        ns,
        nodeAddress,
        port,
        authorityHost,
        armCaFile,
        leaseRenewInterval,
        healthProbeInterval,
        actionableFailureThreshold,
        metricsPort,
        endpoints,
        leaderElection,
        podSettings,
        kubeletSettings,
        logging,
        sharding);
  }

  private static List<String> list(String value) {
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  private static Path caFile(String value) {
    return value == null ? null : Path.of(value);
  }

  /** An integer setting within bounds; a bad value names its variable. */
  private static int number(Map<String, String> env, String name, int fallback, int min, int max) {
    String raw = first(env, null, name);
    if (raw == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + "=" + raw + " is out of range [" + min + ", " + max + "]");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "=" + raw + " is not a whole number", e);
    }
  }

  private static String first(Map<String, String> env, String fallback, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return fallback;
  }
}
