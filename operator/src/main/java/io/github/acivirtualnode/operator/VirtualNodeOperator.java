package io.github.acivirtualnode.operator;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.Configuration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciBackendFactory;
import io.github.acivirtualnode.operator.aci.ArmRateLimiter;
import io.github.acivirtualnode.operator.aci.AzureCredentialFactory;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.operator.config.ShardSettings;
import io.github.acivirtualnode.operator.health.HealthReport;
import io.github.acivirtualnode.operator.health.OperatorHealth;
import io.github.acivirtualnode.operator.node.KubeletPorts;
import io.github.acivirtualnode.operator.node.OrphanNodeCollector;
import io.github.acivirtualnode.operator.reconciler.VirtualNodeReconciler;
import io.github.acivirtualnode.operator.sharding.ShardCoordinator;
import io.github.acivirtualnode.operator.sharding.ShardLeases;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator assembled: JOSDK, the VirtualNode reconciler and what its agents share. */
public final class VirtualNodeOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VirtualNodeOperator.class);
  private final Operator operator;
  private final KubernetesClient client;
  private final OperatorConfig config;
  private final VirtualNodeReconciler reconciler;
  private final ScheduledExecutorService heartbeats;
  private final ScheduledExecutorService probes;
  private final ScheduledExecutorService collector;

  /** Whether this replica reconciles: it holds the leader Lease, or there is no election. */
  private final AtomicBoolean leading;

  /** Sharing the VirtualNodes with other replicas; null without sharding. */
  private final ShardCoordinator coordinator;

  private final ScheduledExecutorService rounds;
  private final Duration roundInterval;

  /** Set by {@link #close()}: giving up the Lease then is no reason to exit. */
  private volatile boolean closing;

  /**
   * @param armTls TLS for ARM and Entra calls (trusting an extra CA where configured)
   * @param azureConfiguration where azure-identity reads its environment
   */
  public VirtualNodeOperator(
      KubernetesClient client,
      OperatorConfig config,
      SSLContext armTls,
      Configuration azureConfiguration,
      MeterRegistry registry) {
    this(client, config, armTls, azureConfiguration, registry, null);
  }

  /**
   * @param leaderElection when set, only the replica holding this Lease reconciles (and so runs
   *     node agents); null runs unconditionally (tests, the demo)
   */
  public VirtualNodeOperator(
      KubernetesClient client,
      OperatorConfig config,
      SSLContext armTls,
      Configuration azureConfiguration,
      MeterRegistry registry,
      LeaderElectionConfiguration leaderElection) {
    this(
        client,
        config,
        armTls,
        azureConfiguration,
        registry,
        leaderElection,
        KubeletPorts.fixed(config.kubeletPort()));
  }

  /**
   * @param kubeletPorts the kubelet port each Node advertises: the kubelet API's ({@code
   *     KubeletServer}), one per Node
   */
  public VirtualNodeOperator(
      KubernetesClient client,
      OperatorConfig config,
      SSLContext armTls,
      Configuration azureConfiguration,
      MeterRegistry registry,
      LeaderElectionConfiguration leaderElection,
      KubeletPorts kubeletPorts) {
    this(
        client,
        config,
        armTls,
        azureConfiguration,
        registry,
        leaderElection,
        kubeletPorts,
        null,
        null);
  }

  /**
   * @param sharding when set (and {@code leaderElection} null), this replica shares the
   *     VirtualNodes with the others through Leases in the operator's namespace: it runs agents
   *     only for those it owns ({@link ShardCoordinator}); null owns every VirtualNode
   * @param identity this replica among the others (its pod name), with {@code sharding}
   */
  public VirtualNodeOperator(
      KubernetesClient client,
      OperatorConfig config,
      SSLContext armTls,
      Configuration azureConfiguration,
      MeterRegistry registry,
      LeaderElectionConfiguration leaderElection,
      KubeletPorts kubeletPorts,
      ShardSettings sharding,
      String identity) {
    if (sharding != null && leaderElection != null) {
      throw new IllegalArgumentException("sharding and leader election exclude each other");
    }
    this.client = client;
    this.config = config;
    this.leading = new AtomicBoolean(leaderElection == null);
    // Bounded waits: a black-holed ARM must not hold probe threads for minutes.
    HttpClient http =
        new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(armTls))
            .connectionTimeout(Duration.ofSeconds(10))
            .responseTimeout(Duration.ofSeconds(20))
            .readTimeout(Duration.ofSeconds(20))
            .build();
    // Heartbeats (Kubernetes only) and probes (ARM) never share threads: see NodeAgent.
    heartbeats = Executors.newScheduledThreadPool(2, daemonThreads("node-heartbeat"));
    probes = Executors.newScheduledThreadPool(4, daemonThreads("backend-probe"));
    collector = Executors.newSingleThreadScheduledExecutor(daemonThreads("orphan-node-collector"));
    reconciler =
        new VirtualNodeReconciler(
            client,
            config,
            new AzureCredentialFactory(http, config.authorityHost(), azureConfiguration),
            new AciBackendFactory(
                http,
                registry,
                config.authorityHost(),
                ArmRateLimiter.aciMutationBudgets(
                    config.pods().mutationsPerFiveMinutes(), config.pods().mutationsPerHour())),
            heartbeats,
            probes,
            Clock.systemUTC(),
            clusterId(client),
            new OperatorMetrics(registry),
            kubeletPorts);
    operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                  .withCloseClientOnStop(false)
                  .withStopOnInformerErrorDuringStartup(false);
              if (leaderElection != null) {
                o.withLeaderElectionConfiguration(tracked(leaderElection));
              }
            });
    operator.register(reconciler);
    if (sharding != null) {
      coordinator =
          new ShardCoordinator(
              new ShardLeases(client, config.namespace()),
              identity,
              sharding.timing(),
              sharding.leaseDuration(),
              Clock.systemUTC(),
              reconciler::virtualNodeNames,
              new ShardCoordinator.Agents() {
                @Override
                public void stop(String virtualNodeName) {
                  reconciler.stopAgent(virtualNodeName);
                }

                @Override
                public void acquired(String virtualNodeName) {
                  reconciler.requestReconcile(virtualNodeName);
                }
              });
      reconciler.shareWith(coordinator::owns, coordinator::mayAct);
      rounds = Executors.newSingleThreadScheduledExecutor(daemonThreads("shard-rounds"));
      roundInterval = sharding.roundInterval();
    } else {
      coordinator = null;
      rounds = null;
      roundInterval = null;
    }
  }

  public VirtualNodeOperator start() {
    operator.start();
    if (coordinator != null) {
      // After the start: the cache the rounds read is synced, so no VirtualNode looks gone.
      rounds.scheduleWithFixedDelay(
          this::shardRound, 0, roundInterval.toMillis(), TimeUnit.MILLISECONDS);
    }
    // Every 6 Lease intervals (a minute by default); a Lease unrenewed for 2 minutes is dead:
    // three times its 40 s duration.
    Duration every = config.leaseRenewInterval().multipliedBy(6);
    collector.scheduleWithFixedDelay(
        new OrphanNodeCollector(client, Clock.systemUTC(), Duration.ofMinutes(2)),
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * One sharding round; then any agent running for a VirtualNode this replica does not own (a
   * reconcile that raced a hand-over) is stopped. Never throws: a failed round is the next round's
   * to repair.
   */
  private void shardRound() {
    try {
      coordinator.round();
      for (String name : reconciler.runningAgents()) {
        if (!coordinator.owns(name)) {
          reconciler.stopAgent(name);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("sharding round failed: {}", e.toString());
    }
  }

  /** The VirtualNodes this replica owns now (all of its agents' under sharding). */
  public java.util.Set<String> ownedVirtualNodes() {
    return coordinator == null ? reconciler.runningAgents() : coordinator.owned();
  }

  /** The same election, also telling {@link #leading} when this replica leads. */
  private LeaderElectionConfiguration tracked(LeaderElectionConfiguration election) {
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> {
              leading.set(true);
              election.getLeaderCallbacks().ifPresent(LeaderCallbacks::onStartLeading);
            },
            () -> {
              leading.set(false);
              election.getLeaderCallbacks().ifPresent(LeaderCallbacks::onStopLeading);
              if (!closing && election.isExitOnStopLeading()) {
                // Another replica may reconcile now: exit (the Deployment starts a new process).
                // From another thread: the shutdown hooks that exit runs stop the elector, which
                // waits for this callback's thread.
                LOG.warn("lost the leader Lease; exiting");
                Thread exit = new Thread(() -> System.exit(1), "exit-after-losing-lease");
                exit.start();
              }
            },
            leader -> election.getLeaderCallbacks().ifPresent(c -> c.onNewLeader(leader)));
    return new LeaderElectionConfiguration(
        election.getLeaseName(),
        election.getLeaseNamespace().orElse(null),
        election.getLeaseDuration(),
        election.getRenewDeadline(),
        election.getRetryPeriod(),
        election.getIdentity().orElse(null),
        callbacks,
        // Exiting is decided above: JOSDK's own exit would also run when the Lease is given up
        // by close() in a shutdown hook, where System.exit blocks forever and the stop hangs.
        false);
  }

  /** {@code /healthz}: see {@link OperatorHealth#liveness}. */
  public HealthReport liveness() {
    return OperatorHealth.liveness(
        reconciler.lastHeartbeats(), Clock.systemUTC().instant(), config.leaseRenewInterval());
  }

  /** {@code /readyz}: see {@link OperatorHealth#readiness}. */
  public HealthReport readiness() {
    RuntimeInfo runtime = operator.getRuntimeInfo();
    boolean started = runtime.isStarted();
    Map<String, String> unhealthy = new TreeMap<>();
    if (started && leading.get()) {
      runtime
          .unhealthyEventSources()
          .forEach(
              (controller, sources) ->
                  sources.forEach(
                      (name, indicator) ->
                          unhealthy.put(controller + "/" + name, indicator.getStatus().name())));
    }
    return OperatorHealth.readiness(started, leading.get(), unhealthy);
  }

  /** The backend of one of the operator's Nodes, for the kubelet API. */
  public Optional<Supplier<AciBackend>> backendOfNode(String nodeName) {
    return reconciler.backendOfNode(nodeName);
  }

  /** Stops reconciling and the agents; Nodes stay, so a restart picks them up without a gap. */
  @Override
  public void close() {
    closing = true;
    if (coordinator != null) {
      // Hand everything over at once: the others acquire in their next round, not a Lease later.
      rounds.shutdownNow();
      try {
        rounds.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      coordinator.leave();
    }
    // Agents first: once JOSDK stops, its caches are empty and must not be consulted.
    reconciler.stopAgents();
    operator.stop();
    reconciler.close(); // also an agent a reconcile in flight may have started meanwhile
    heartbeats.shutdownNow();
    probes.shutdownNow();
    collector.shutdownNow();
  }

  /**
   * The cluster's identity, tagged on container groups: the kube-system namespace's UID, which
   * lives as long as the cluster and differs between clusters.
   */
  private static String clusterId(KubernetesClient client) {
    var kubeSystem = client.namespaces().withName("kube-system").get();
    if (kubeSystem == null) {
      throw new IllegalStateException(
          "the kube-system namespace cannot be read: it gives the cluster identity that container"
              + " groups are tagged with");
    }
    return kubeSystem.getMetadata().getUid();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
