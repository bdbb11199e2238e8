package io.github.acivirtualnode.operator.kubelet;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciException;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-level endpoints ({@code /stats/summary}, {@code /metrics/resource}, {@code /pods},
 * {@code /runningpods}) of the node whose own port ({@link NodeConnectors}) the request came in on.
 * Figures come from Azure Monitor through {@link UsageCache} (bounded ARM reads per scrape); the
 * pods from the API server (one list per request).
 */
final class NodeEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(NodeEndpoints.class);

  /** ARM reads one scrape may wait on; the other groups are read by the next scrapes. */
  static final int MAX_READS_PER_SCRAPE = 10;

  private final KubernetesClient client;
  private final KubeletAuth auth;
  private final Supplier<NodeConnectors> connectors;
  private final Clock clock;
  private final Instant started;

  /**
   * Each node's figures and counters apart: a scrape forgets the groups its node no longer has,
   * never another node's.
   */
  private final Map<String, NodeState> nodes = new java.util.concurrent.ConcurrentHashMap<>();

  private record NodeState(UsageCache usage, CpuCounters cpu) {}

  NodeEndpoints(
      KubernetesClient client, KubeletAuth auth, Supplier<NodeConnectors> connectors, Clock clock) {
    this.client = client;
    this.auth = auth;
    this.connectors = connectors;
    this.clock = clock;
    this.started = clock.instant();
  }

  void serve(
      Context ctx,
      KubeletAuth.User user,
      KubeletRequest request,
      PodTargets targets,
      boolean webSocket) {
    if (webSocket) {
      throw new KubeletApiException(400, ctx.path() + " is not served over WebSocket");
    }
    NodeConnectors ports = connectors.get();
    int port = ctx.req().getLocalPort();
    Optional<NodePorts.Assignment> node = ports == null ? Optional.empty() : ports.at(port);
    if (node.isEmpty()) {
      throw new KubeletApiException(
          404,
          ctx.path()
              + " is a node-level endpoint: each virtual Node serves it on its own port"
              + " (status.daemonEndpoints.kubeletEndpoint.Port), not on port "
              + port
              + allPorts(ports));
    }
    String nodeName = node.get().nodeName();
    Optional<Supplier<AciBackend>> backend =
        targets == null ? Optional.empty() : targets.backendOfNode(nodeName);
    if (backend.isEmpty()) {
      throw new KubeletApiException(
          503, "node " + nodeName + " is not registered by this operator (yet)", 5L);
    }
    auth.authorize(
        user,
        KubeletRequest.verb(ctx.method().name()),
        KubeletRequest.subresource(ctx.path()),
        nodeName);
    if (!ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD")) {
      throw new KubeletApiException(405, ctx.path() + " answers GET only");
    }
    // Nodes that lost their port (their VirtualNode went) are forgotten.
    Set<String> current =
        ports.all().stream().map(NodePorts.Assignment::nodeName).collect(Collectors.toSet());
    nodes.keySet().retainAll(current);
    NodeState state =
        nodes.computeIfAbsent(
            nodeName, n -> new NodeState(new UsageCache(MAX_READS_PER_SCRAPE), new CpuCounters()));
    List<Pod> pods =
        client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).list().getItems();
    switch (request.endpoint()) {
      case PODS -> json(ctx, podList(pods));
      case RUNNING_PODS ->
          json(ctx, podList(pods.stream().filter(NodeEndpoints::running).toList()));
      case STATS_SUMMARY -> {
        Figures figures = figures(state, pods, backend.get());
        ctx.contentType("application/json");
        ctx.result(NodeStats.summary(nodeName, started, figures.at(), figures.pods()));
      }
      case METRICS_RESOURCE -> {
        Figures figures = figures(state, pods, backend.get());
        ctx.contentType(NodeStats.PROMETHEUS_TEXT);
        ctx.result(NodeStats.resourceMetrics(figures.at(), figures.pods(), figures.error()));
      }
      default -> throw new IllegalStateException(request.endpoint().name());
    }
  }

  private record Figures(Instant at, List<NodeStats.PodFigures> pods, boolean error) {}

  /**
   * The running pods' figures: the groups due are read (at most {@link #MAX_READS_PER_SCRAPE}), the
   * others served from the cache.
   */
  private Figures figures(NodeState state, List<Pod> pods, Supplier<AciBackend> backendSupplier) {
    UsageCache usage = state.usage();
    CpuCounters cpu = state.cpu();
    List<Pod> running = pods.stream().filter(NodeEndpoints::running).toList();
    Map<String, Pod> byGroup =
        running.stream()
            .collect(
                Collectors.toMap(
                    GroupNaming::groupName, p -> p, (a, b) -> a, java.util.LinkedHashMap::new));
    usage.retain(byGroup.keySet());
    List<String> toRead = usage.claim(byGroup.keySet(), clock.instant());
    if (!toRead.isEmpty()) {
      AciBackend backend;
      try {
        backend = backendSupplier.get();
      } catch (AciException e) {
        backend = null;
        toRead.forEach(g -> usage.failed(g, clock.instant()));
        LOG.debug("no backend for metrics: {}", e.getMessage());
      }
      for (String group : backend == null ? List.<String>of() : toRead) {
        try {
          usage.store(group, backend.usage(group), clock.instant());
        } catch (AciException e) {
          usage.failed(group, clock.instant());
          LOG.debug("metrics of {} not read: {}", group, e.getMessage());
        }
      }
    }
    Instant now = clock.instant();
    List<NodeStats.PodFigures> out = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    boolean error = false;
    for (var e : byGroup.entrySet()) {
      Pod pod = e.getValue();
      Optional<List<AciBackend.ContainerUsage>> figures = usage.figures(e.getKey());
      error |= usage.lastReadFailed(e.getKey()) && figures.isEmpty();
      List<NodeStats.ContainerFigures> containers = new ArrayList<>();
      for (AciBackend.ContainerUsage u : figures.orElse(List.of())) {
        Optional<Instant> containerStarted = runningSince(pod, u.container());
        if (containerStarted.isEmpty()) {
          continue; // not running now (ended, restarting): a kubelet reports no usage either
        }
        String key = pod.getMetadata().getUid() + "/" + u.container();
        keys.add(key);
        double cores = u.cpuMillicores() / 1000.0;
        containers.add(
            new NodeStats.ContainerFigures(
                u.container(),
                containerStarted.get(),
                cores,
                cpu.advance(key, containerStarted.get(), now, cores),
                u.memoryBytes()));
      }
      if (!containers.isEmpty()) {
        out.add(
            new NodeStats.PodFigures(
                pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(),
                pod.getMetadata().getUid(),
                podStarted(pod, containers),
                containers));
      }
    }
    cpu.retain(keys);
    return new Figures(now, out, error);
  }

  private static boolean running(Pod pod) {
    return pod.getStatus() != null
        && "Running".equals(pod.getStatus().getPhase())
        && pod.getMetadata().getDeletionTimestamp() == null;
  }

  private static Optional<Instant> runningSince(Pod pod, String container) {
    List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
    if (statuses == null) {
      return Optional.empty();
    }
    return statuses.stream()
        .filter(s -> container.equals(s.getName()))
        .filter(s -> s.getState() != null && s.getState().getRunning() != null)
        .map(s -> s.getState().getRunning().getStartedAt())
        .filter(t -> t != null)
        .map(Instant::parse)
        .findFirst();
  }

  private static Instant podStarted(Pod pod, List<NodeStats.ContainerFigures> containers) {
    String start = pod.getStatus().getStartTime();
    if (start != null) {
      return Instant.parse(start);
    }
    return containers.stream()
        .map(NodeStats.ContainerFigures::started)
        .min(Instant::compareTo)
        .get();
  }

  private static PodList podList(List<Pod> pods) {
    return new PodListBuilder().withNewMetadata().endMetadata().withItems(pods).build();
  }

  private static void json(Context ctx, Object value) {
    ctx.contentType("application/json");
    ctx.result(Serialization.asJson(value));
  }

  private static String allPorts(NodeConnectors ports) {
    List<NodePorts.Assignment> all = ports == null ? List.of() : ports.all();
    if (all.isEmpty()) {
      return "; no virtual node has a port yet";
    }
    return all.stream()
        .map(a -> a.nodeName() + " on " + a.port())
        .collect(Collectors.joining(", ", "; served: ", ""));
  }
}
