package io.github.acivirtualnode.e2e.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.aciemulator.EmulatedGroup;
import io.github.acivirtualnode.aciemulator.GroupTimes;
import io.github.acivirtualnode.aciemulator.model.EmulatorTimings;
import io.github.acivirtualnode.aciemulator.model.RequestBudgets;
import io.github.acivirtualnode.controlplane.KubernetesCluster;
import io.github.acivirtualnode.e2e.peer.PeerKubelet;
import io.github.acivirtualnode.e2e.reliability.GroupSampler;
import io.github.acivirtualnode.e2e.reliability.Invariants;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs the benchmark's scenarios against one subject: each scenario gets its own emulator (its
 * provisioning timings), subscription (its own ARM counts and budgets), namespace and start of the
 * subject, and comes back as figures plus the counts that must hold. Waits are bounded; a wait that
 * runs out is a violation in the result, not an exception, so that a benchmark still reports.
 */
public final class BenchHarness {
  static final String TENANT = "11111111-1111-1111-1111-111111111111";
  static final String CLIENT_ID = "33333333-3333-3333-3333-333333333333";
  static final String CLIENT_SECRET = "bench-secret";
  static final String RESOURCE_GROUP = "rg-bench";
  static final String REGION = "westeurope";

  /** Provisioning at once: what the operator's own latency looks like alone. */
  public static final EmulatorTimings ZERO_DELAY =
      new EmulatorTimings(
          Duration.ZERO,
          Duration.ZERO,
          Duration.ZERO,
          EmulatorTimings.fast().restartBackoff(),
          EmulatorTimings.fast().initContainerRun(),
          EmulatorTimings.fast().logInterval(),
          1);

  /** What one scenario measured, with the raw counts a test asserts on. */
  public record Outcome(
      ScenarioResult result,
      int pods,
      Map<String, Long> putsPerGroup,
      Map<String, Long> deletesPerGroup,
      int groupsLeft,
      List<String> violations) {}

  private final KubernetesCluster cluster;
  private final KubernetesClient client;
  private final BenchSubject subject;
  private final Path chartDir;
  private final AciQuota quota;

  /** A harness whose subscriptions have ACI's default quota. */
  public BenchHarness(
      KubernetesCluster cluster, KubernetesClient client, BenchSubject subject, Path chartDir) {
    this(cluster, client, subject, chartDir, AciQuota.ACI_DEFAULT);
  }

  /**
   * @param chartDir where charts are written, or null for none
   * @param quota every scenario's subscription's ACI quota of creates and deletes
   */
  public BenchHarness(
      KubernetesCluster cluster,
      KubernetesClient client,
      BenchSubject subject,
      Path chartDir,
      AciQuota quota) {
    this.cluster = cluster;
    this.client = client;
    this.subject = subject;
    this.chartDir = chartDir;
    this.quota = quota;
  }

  /** One scenario's moving parts, closed in reverse. */
  private final class Run implements AutoCloseable {
    final String name;
    final String subscription = UUID.randomUUID().toString();
    final AciEmulator emulator;
    FootprintSampler footprint;
    final Instant started;
    final BenchSubject.Started subjectRun;
    final String namespace;
    final List<String> violations = new ArrayList<>();
    final List<Figure> figures = new ArrayList<>();
    final List<String> charts = new ArrayList<>();
    final Map<String, String> parameters = new LinkedHashMap<>();
    List<String> nodes = List.of();
    Duration startToReady;

    Run(String name, EmulatorTimings timings) {
      this.name = name;
      emulator =
          AciEmulator.builder()
              .requireAuthentication(true)
              // The peer calls management.azure.com: the certificate names it too.
              .extraServerNames(List.of(PeerKubelet.ARM_HOST))
              .timings(timings)
              // Quota is not what is measured: enough for every scale.
              .regionalQuota(1_000_000, 1_000_000)
              .createBudget(quota.perFiveMinutes(), quota.perHour())
              .deleteBudget(quota.perFiveMinutes(), quota.perHour())
              .build()
              .start();
      emulator.addResourceGroup(subscription, RESOURCE_GROUP, REGION);
      emulator.addServicePrincipal(TENANT, CLIENT_ID, CLIENT_SECRET);
      namespace = "bench-" + name + "-" + UUID.randomUUID().toString().substring(0, 6);
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
      parameters.put("ACI quota", quota.describe());
      footprint = new FootprintSampler();
      started = Instant.now();
      subjectRun = startSubject();
      if (subjectRun.ownProcesses()) {
        // Its footprint is its processes', not this JVM's.
        footprint.close();
        footprint = new FootprintSampler(subjectRun::processIds);
        parameters.put("footprint", subjectRun.footprintNote());
      }
    }

    private BenchSubject.Started startSubject() {
      try {
        return subject.start(
            new BenchContext(
                cluster,
                client,
                emulator,
                subscription,
                RESOURCE_GROUP,
                REGION,
                TENANT,
                CLIENT_ID,
                CLIENT_SECRET,
                quota));
      } catch (RuntimeException e) {
        footprint.close();
        emulator.close();
        client.namespaces().withName(namespace).delete();
        throw e;
      }
    }

    void addNodes(int count) {
      nodes = subjectRun.addNodes(name, count);
      await("every Node is Ready", Duration.ofSeconds(120 + 2L * count), this::allReady);
      startToReady = Duration.between(started, Instant.now());
      parameters.put("nodes", Integer.toString(count));
    }

    boolean allReady() {
      return nodes.stream().allMatch(n -> ready(client, n));
    }

    boolean await(String what, Duration timeout, BooleanSupplier condition) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        try {
          if (condition.getAsBoolean()) {
            return true;
          }
        } catch (KubernetesClientException e) {
          // Not yet.
        }
        if (System.nanoTime() > deadline) {
          violations.add("timed out after " + timeout.toSeconds() + " s waiting until " + what);
          return false;
        }
        sleep(Duration.ofMillis(250));
      }
    }

    int groupsOfNodes() {
      Set<String> ours = Set.copyOf(nodes);
      int n = 0;
      for (EmulatedGroup g : emulator.groups()) {
        if (ours.contains(g.tags().get(subjectRun.nodeTag()))) {
          n++;
        }
      }
      return n;
    }

    Outcome finish(int pods, ArmCalls calls, int groupsLeft) {
      Footprint fp = footprint.stop();
      figures.add(
          Figure.of(
              "startToReady", "operator start -> all nodes Ready", seconds(startToReady), "s"));
      figures.add(
          Figure.of(
                  "heap.max",
                  "heap in use, most sampled",
                  fp.maxHeapBytes() < 0 ? null : mib(fp.maxHeapBytes()),
                  "MiB")
              .note(subjectRun.footprintNote()));
      Figure rss =
          Figure.of(
              "rss.max",
              "RSS, most sampled",
              fp.maxRssBytes() < 0 ? null : mib(fp.maxRssBytes()),
              "MiB");
      figures.add(rssFigure(rss, pods, fp.maxRssBytes(), subjectRun));
      figures.add(Figure.of("cpu.seconds", "CPU seconds over the scenario", fp.cpuSeconds(), "s"));
      long createRefusals = emulator.budgetRefusals(RequestBudgets.Kind.CREATE);
      long deleteRefusals = emulator.budgetRefusals(RequestBudgets.Kind.DELETE);
      violations.addAll(Invariants.budgetsKept(createRefusals, deleteRefusals));
      figures.add(Figure.of("arm.total", "ARM requests in all", (double) calls.total(), "calls"));
      figures.add(Figure.of("arm.429", "ARM answers 429", (double) calls.answered(429), "calls"));
      ScenarioResult result = new ScenarioResult(name, parameters, figures, charts, violations);
      return new Outcome(
          result,
          pods,
          calls.perGroup(ArmCalls.PUT),
          calls.perGroup(ArmCalls.DELETE),
          groupsLeft,
          List.copyOf(violations));
    }

    ArmCalls calls() {
      return ArmCalls.of(emulator.armRequests(), subscription);
    }

    void armFigures(ArmCalls calls, int pods) {
      calls
          .perPod(pods)
          .forEach(
              (op, perPod) ->
                  figures.add(
                      Figure.of(
                          "arm.perPod." + op, "ARM " + op + " per pod", perPod, "calls/pod")));
      chart(
          name + "-arm-per-pod.png",
          file ->
              Charts.bars(file, name + ": ARM calls per pod", "calls per pod", calls.perPod(pods)));
    }

    /** Exactly one PUT and one DELETE per pod: over every group of the scenario. */
    void exactlyOnePutAndDelete(ArmCalls calls, int pods) {
      Map<String, Long> puts = calls.perGroup(ArmCalls.PUT);
      Map<String, Long> deletes = calls.perGroup(ArmCalls.DELETE);
      long maxPut = puts.values().stream().mapToLong(Long::longValue).max().orElse(0);
      long maxDelete = deletes.values().stream().mapToLong(Long::longValue).max().orElse(0);
      boolean exact =
          puts.size() == pods
              && deletes.keySet().equals(puts.keySet())
              && puts.values().stream().allMatch(n -> n == 1)
              && deletes.values().stream().allMatch(n -> n == 1);
      String target = "exactly one PUT and one DELETE per pod without faults";
      String why =
          pods + " pods, " + puts.size() + " groups PUT, " + deletes.size() + " groups DELETEd";
      figures.add(
          Figure.of("puts.max", "PUTs for one pod, most", (double) maxPut, "calls")
              .target(target, exact)
              .note(why));
      figures.add(
          Figure.of("deletes.max", "DELETEs for one pod, most", (double) maxDelete, "calls")
              .target(target, exact)
              .note(why));
      if (!exact) {
        violations.add("not exactly one PUT and one DELETE per pod: " + why);
      }
    }

    void chart(String file, java.util.function.Consumer<Path> draw) {
      if (chartDir != null) {
        draw.accept(chartDir.resolve(file));
        charts.add(file);
      }
    }

    @Override
    public void close() {
      try {
        footprint.close();
        subjectRun.close();
      } finally {
        emulator.close();
        client.namespaces().withName(namespace).delete();
      }
    }
  }

  static final String RSS_TARGET = "under 512 MB for 5,000 pods";

  /**
   * The RSS target is judged only at 5,000 pods or more, and only for a subject in a process of its
   * own: a JVM's figure that includes the emulator and the harness says nothing about it.
   */
  static Figure rssFigure(Figure rss, int pods, long rssBytes, BenchSubject.Started subject) {
    if (pods < 5000) {
      return rss.targetNotJudged(
          RSS_TARGET, pods + " pods here, not 5,000; " + subject.footprintNote());
    }
    if (!subject.ownProcesses() || rssBytes < 0) {
      return rss.targetNotJudged(RSS_TARGET, subject.footprintNote());
    }
    return rss.target(RSS_TARGET, rssBytes < 512_000_000L)
        .note(
            pods
                + " pods; "
                + BenchReport.format(rssBytes / 1_000_000.0)
                + " MB (10^6 bytes); "
                + subject.footprintNote());
  }

  // --- scenarios ---

  /**
   * Pods bound to the nodes round-robin at once (burst, spread, steady): bound -> PUT, group
   * Running -> pod Running, ARM calls per pod, then (steady) a window of ARM reads with every pod
   * running; then every pod deleted and the groups counted.
   */
  public Outcome pods(
      String name,
      EmulatorTimings timings,
      String timingsName,
      int nodeCount,
      int podsPerNode,
      Duration steadyWindow) {
    try (Run run = new Run(name, timings)) {
      int total = nodeCount * podsPerNode;
      run.parameters.put("emulator provisioning", timingsName);
      run.parameters.put("pods", Integer.toString(total));
      run.addNodes(nodeCount);
      try (PodTimeline timeline = new PodTimeline(client, run.namespace);
          LeaseWatch leases = new LeaseWatch(client, Set.copyOf(run.nodes));
          GroupSampler sampler =
              GroupSampler.start(
                  run.emulator,
                  run.nodes.get(0),
                  run.subjectRun.nodeTag(),
                  run.subjectRun.podUidTag(),
                  samplePeriod(total))) {
        List<Pod> created = new ArrayList<>();
        for (int i = 0; i < total; i++) {
          String node = run.nodes.get(i % nodeCount);
          Instant bound = Instant.now();
          Pod pod = client.resource(pod(run.namespace, name + "-" + i, node)).create();
          timeline.bound(pod, bound);
          created.add(pod);
        }
        run.await(
            "every pod is Running",
            Duration.ofSeconds(300 + 2L * total).plus(quota.timeFor(total)),
            () -> timeline.runningCount() >= total);
        List<GroupTimes> groupTimes = run.emulator.groupTimes();
        List<PodTimes> podTimes = timeline.times();
        List<Pod> now = client.pods().inNamespace(run.namespace).list().getItems();
        run.violations.addAll(Invariants.podsRunningOrFailedAsExpected(now, Map.of()));
        if (now.size() != total) {
          run.violations.add(now.size() + " pods exist of " + total + " created");
        }
        int arrivals = 0;
        if (!steadyWindow.isZero()) {
          run.parameters.put("steady window", steadyWindow.toSeconds() + " s");
          ArmCalls before = run.calls();
          Instant windowStart = Instant.now();
          sleep(steadyWindow);
          ArmCalls window = run.calls().since(before);
          double minutes = Duration.between(windowStart, Instant.now()).toMillis() / 60_000.0;
          double perPodMinute = window.reads() / (double) total / minutes;
          Figure reads =
              Figure.of(
                  "steady.readsPerPodMinute",
                  "ARM reads per running pod per minute, steady state",
                  perPodMinute,
                  "reads/pod/min");
          String target = "at most 0.3 at 1,000 running pods";
          run.figures.add(
              total >= 1000
                  ? reads
                      .target(target, perPodMinute <= 0.3)
                      .note(readsNote(window, minutes, total))
                  : reads.targetNotJudged(
                      target, total + " pods here; " + readsNote(window, minutes, total)));
          run.chart(
              name + "-steady-reads.png",
              file ->
                  Charts.bars(
                      file,
                      name + ": ARM calls per pod per minute in the steady window",
                      "calls per pod per minute",
                      perMinute(window.perPod(total), minutes)));
          arrivals = arrivalsAtSteadyState(run, timeline, name, total);
        }
        latencyFigures(run, podTimes, groupTimes, total);
        leaseFigure(run, leases, false);
        client.pods().inNamespace(run.namespace).delete();
        run.await(
            "every pod is gone",
            Duration.ofSeconds(300 + total).plus(quota.timeFor(total)),
            () -> client.pods().inNamespace(run.namespace).list().getItems().isEmpty());
        run.await("every group is gone", Duration.ofSeconds(120), () -> run.groupsOfNodes() == 0);
        sampler.close();
        run.violations.addAll(Invariants.atMostOneGroupPerPod(sampler));
        ArmCalls calls = run.calls();
        run.armFigures(calls, total + arrivals);
        run.exactlyOnePutAndDelete(calls, total + arrivals);
        int left = run.groupsOfNodes();
        run.figures.add(Figure.of("groupsLeft", "container groups left", (double) left, "groups"));
        return run.finish(total, calls, left);
      }
    }
  }

  /**
   * The group sampler's period: 20 ms up to 500 groups, longer beyond (each sample walks every
   * group of the emulator; at 5,000 groups every 20 ms it would take a core from the subject).
   */
  static Duration samplePeriod(int groups) {
    return Duration.ofMillis(Math.max(20, groups / 25));
  }

  /** Pods that arrive one at a time once the steady window has passed. */
  static final int STEADY_ARRIVALS = 10;

  static final Duration ARRIVAL_SPACING = Duration.ofSeconds(3);

  /**
   * After the steady window, {@link #STEADY_ARRIVALS} pods arrive {@link #ARRIVAL_SPACING} apart
   * among the running ones: how soon a pod's Running lands at that many running pods, which a
   * burst's figures (every pod starting at once, ARM's read budget shared by all) do not say.
   *
   * @return how many pods arrived
   */
  private int arrivalsAtSteadyState(Run run, PodTimeline timeline, String name, int running) {
    Set<String> arrived = new HashSet<>();
    for (int i = 0; i < STEADY_ARRIVALS; i++) {
      Instant bound = Instant.now();
      Pod pod =
          client.resource(pod(run.namespace, name + "-arrival-" + i, run.nodes.get(0))).create();
      timeline.bound(pod, bound);
      arrived.add(pod.getMetadata().getUid());
      sleep(ARRIVAL_SPACING);
    }
    run.await(
        "every arriving pod is Running",
        Duration.ofSeconds(300),
        () -> timeline.runningCount() >= running + STEADY_ARRIVALS);
    List<PodTimes> times =
        timeline.times().stream().filter(t -> arrived.contains(t.uid())).toList();
    Percentiles p =
        Percentiles.of(
            Latencies.groupRunningToPodRunning(
                times, run.emulator.groupTimes(), run.subjectRun.podUidTag()));
    String target = "within 5 s (p95) at 1,000 running pods";
    String how =
        STEADY_ARRIVALS
            + " pods arriving "
            + ARRIVAL_SPACING.toSeconds()
            + " s apart after the steady window, among "
            + running
            + " running";
    Figure f =
        Figure.of(
            "steady.arrivals.runningToRunning.p95",
            "a pod arriving at steady state: group Running in ACI -> pod Running, p95",
            ms(p.p95()),
            "ms");
    run.figures.add(
        running >= 1000
            ? f.target(target, ms(p.p95()) != null && ms(p.p95()) <= 5000).note(how)
            : f.targetNotJudged(target, how));
    return STEADY_ARRIVALS;
  }

  private static Map<String, Double> perMinute(Map<String, Double> perPod, double minutes) {
    Map<String, Double> out = new LinkedHashMap<>();
    perPod.forEach((op, v) -> out.put(op, v / minutes));
    return out;
  }

  private static String readsNote(ArmCalls window, double minutes, int pods) {
    double getsPerPodMinute =
        window.byOperation().getOrDefault("ContainerGroups_Get", 0L) / (double) pods / minutes;
    StringBuilder out =
        new StringBuilder(window.reads() + " reads in " + BenchReport.format(minutes) + " min:");
    window
        .byOperation()
        .forEach(
            (op, n) -> {
              if (ArmCalls.isRead(op)) {
                out.append(" ").append(op).append(" ").append(n);
              }
            });
    OperatorConfig.PodSettings settings = operatorSettings();
    return out
        + " (this operator lists the resource group every "
        + settings.listInterval().toSeconds()
        + " s, a read per page of 100 groups, and reads each settled group every"
        + " AVN_STATUS_REFRESH_SECONDS, "
        + settings.settledRefresh().toSeconds()
        + " s; the GETs here are "
        + BenchReport.format(getsPerPodMinute)
        + " per pod per minute)";
  }

  /** This operator's pod settings in the benchmark: the defaults and what the command line says. */
  static OperatorConfig.PodSettings operatorSettings() {
    return OperatorConfig.fromEnvironment(OperatorSubject.overrides()).pods();
  }

  /** This machine's 1-minute load average, as /proc/loadavg says (other builds share it). */
  static String loadAverage() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0]
          + " (1-minute load average, "
          + Runtime.getRuntime().availableProcessors()
          + " cores)";
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private void latencyFigures(Run run, List<PodTimes> pods, List<GroupTimes> groups, int total) {
    String uidTag = run.subjectRun.podUidTag();
    List<Duration> toPut = Latencies.boundToPut(pods, groups, uidTag);
    List<Duration> toRunning = Latencies.groupRunningToPodRunning(pods, groups, uidTag);
    Percentiles put = Percentiles.of(toPut);
    Percentiles running = Percentiles.of(toRunning);
    String budget =
        quota.fits(total)
            ? null
            : "more pods than the create budget ("
                + quota.perFiveMinutes()
                + " per 5 min): those past it wait for it";
    run.figures.add(
        Figure.of("boundToPut.p50", "pod bound -> group PUT sent, p50", ms(put.p50()), "ms"));
    Figure p99 =
        Figure.of("boundToPut.p99", "pod bound -> group PUT sent, p99", ms(put.p99()), "ms");
    String putTarget = "under 100 ms while the create budget allows";
    if (budget == null) {
      boolean met = ms(put.p99()) != null && ms(put.p99()) < 100;
      run.figures.add(
          p99.target(putTarget, met)
              .note(
                  met
                      ? null
                      : !(subject instanceof OperatorSubject)
                          ? "machine load " + loadAverage()
                          : "probable cause: pods per node "
                              + total / run.nodes.size()
                              + ": each node's "
                              + operatorSettings().workers()
                              + " pod workers (AVN_POD_WORKERS) send a burst's PUTs "
                              + operatorSettings().workers()
                              + " at a time, each waiting for ARM's answer; machine load "
                              + loadAverage()));
    } else {
      run.figures.add(p99.targetNotJudged(putTarget, budget));
    }
    run.figures.add(
        Figure.of(
            "runningToRunning.p50",
            "group Running in ACI -> pod Running in the API server, p50",
            ms(running.p50()),
            "ms"));
    run.figures.add(
        Figure.of(
                "runningToRunning.p95",
                "group Running in ACI -> pod Running in the API server, p95",
                ms(running.p95()),
                "ms")
            .target("within 5 s (p95)", ms(running.p95()) != null && ms(running.p95()) <= 5000)
            .note(
                ms(running.p95()) != null && ms(running.p95()) > 5000
                    ? !(subject instanceof OperatorSubject)
                        ? "the peer reads each pod's groups in its status poll, every 5 s;"
                            + " machine load "
                            + loadAverage()
                        : "probable cause: each of the "
                            + total
                            + " new groups needs GETs to show its containers running, and this"
                            + " operator keeps ARM's read budget, 200 per 10 s per subscription"
                            + " (ArmRateLimiter): "
                            + total
                            + " pods starting together wait about "
                            + Math.max(1, total / 20)
                            + " s for their turn; alone, a new group is read every"
                            + " AVN_STATUS_BRISK_SECONDS ("
                            + operatorSettings().briskReadInterval().toSeconds()
                            + " s); machine load "
                            + loadAverage()
                    : null));
    run.figures.add(
        Figure.of(
            "runningToRunning.p99",
            "group Running in ACI -> pod Running in the API server, p99",
            ms(running.p99()),
            "ms"));
    run.figures.add(
        Figure.of("latency.samples", "pods measured", (double) toRunning.size(), "pods"));
    run.chart(
        run.name + "-latency.png",
        file ->
            Charts.latencyCdf(
                file,
                run.name + ": latencies (cumulative)",
                Map.of("bound -> PUT", toPut, "group Running -> pod Running", toRunning)));
  }

  private void leaseFigure(Run run, LeaseWatch leases, boolean judged) {
    List<Duration> lags =
        LeaseLags.lags(leases.renewals(), Duration.ofSeconds(OperatorSubject.LEASE_RENEW_SECONDS));
    Percentiles p = Percentiles.of(lags);
    Figure f =
        Figure.of("leaseLag.p99", "Lease renewal lag, p99", ms(p.p99()), "ms")
            .note(
                p.count() == 0
                    ? "no Lease was seen renewed twice (the scenario is shorter than the "
                        + OperatorSubject.LEASE_RENEW_SECONDS
                        + " s interval)"
                    : p.count()
                        + " renewals; lag = renewTime delta past the configured "
                        + OperatorSubject.LEASE_RENEW_SECONDS
                        + " s");
    if (judged) {
      String target = "under 2 s with 200 nodes";
      run.figures.add(
          run.nodes.size() >= 200
              ? f.target(target, ms(p.p99()) != null && ms(p.p99()) < 2000)
              : f.targetNotJudged(
                  target, run.nodes.size() + " nodes here; " + p.count() + " renewals"));
      run.chart(
          run.name + "-lease-lag.png",
          file ->
              Charts.latencyCdf(
                  file,
                  run.name + ": Lease renewal lag",
                  "share of renewals",
                  Map.of("lag", lags)));
    } else {
      run.figures.add(f);
    }
  }

  /** Nodes and no pods: Lease renewal lag over a window, and start -> all nodes Ready. */
  public Outcome heartbeat(int nodeCount, Duration window) {
    try (Run run = new Run("heartbeat", EmulatorTimings.fast())) {
      run.addNodes(nodeCount);
      run.parameters.put("window", window.toSeconds() + " s");
      try (LeaseWatch leases = new LeaseWatch(client, Set.copyOf(run.nodes))) {
        sleep(window);
        int notReady = (int) run.nodes.stream().filter(n -> !ready(client, n)).count();
        if (notReady > 0) {
          run.violations.add(notReady + " Nodes not Ready at the end of the window");
        }
        leaseFigure(run, leases, true);
      }
      ArmCalls calls = run.calls();
      double minutes = window.toMillis() / 60_000.0;
      run.figures.add(
          Figure.of(
              "heartbeat.armPerNodeMinute",
              "ARM requests per node per minute (probes), start included",
              calls.total() / (double) nodeCount / minutes,
              "calls/node/min"));
      return run.finish(0, calls, run.groupsOfNodes());
    }
  }

  /** A Deployment scaled 0 -> replicas -> 0, rounds times; then the groups left are counted. */
  public Outcome churn(int replicas, int rounds) {
    try (Run run = new Run("churn", EmulatorTimings.fast())) {
      run.parameters.put("replicas", Integer.toString(replicas));
      run.parameters.put("rounds", Integer.toString(rounds));
      run.addNodes(1);
      String node = run.nodes.get(0);
      Set<String> uids = new HashSet<>();
      try (PodTimeline timeline = new PodTimeline(client, run.namespace);
          GroupSampler sampler =
              GroupSampler.start(
                  run.emulator, node, run.subjectRun.nodeTag(), run.subjectRun.podUidTag())) {
        client.resource(deployment(run.namespace, "churn", node)).create();
        for (int round = 1; round <= rounds; round++) {
          scale(run.namespace, replicas);
          run.await(
              "round " + round + ": " + replicas + " replicas Running",
              Duration.ofSeconds(300 + 2L * replicas).plus(quota.timeFor(replicas * round)),
              () -> {
                List<Pod> pods = client.pods().inNamespace(run.namespace).list().getItems();
                pods.forEach(p -> uids.add(p.getMetadata().getUid()));
                return pods.stream().filter(PodTimeline::running).count() >= replicas;
              });
          scale(run.namespace, 0);
          run.await(
              "round " + round + ": every pod gone",
              Duration.ofSeconds(300 + replicas).plus(quota.timeFor(replicas * round)),
              () -> client.pods().inNamespace(run.namespace).list().getItems().isEmpty());
        }
        timeline.times().forEach(t -> uids.add(t.uid()));
        run.await("every group is gone", Duration.ofSeconds(120), () -> run.groupsOfNodes() == 0);
        sampler.close();
        run.violations.addAll(Invariants.atMostOneGroupPerPod(sampler));
      }
      int left = run.groupsOfNodes();
      run.figures.add(
          Figure.of("groupsLeft", "container groups left after churn", (double) left, "groups")
              .target("0", left == 0));
      if (left != 0) {
        run.violations.add(left + " container groups left after churn");
      }
      ArmCalls calls = run.calls();
      run.parameters.put("pods made", Integer.toString(uids.size()));
      run.armFigures(calls, uids.size());
      run.exactlyOnePutAndDelete(calls, uids.size());
      return run.finish(uids.size(), calls, left);
    }
  }

  private void scale(String namespace, int replicas) {
    client.apps().deployments().inNamespace(namespace).withName("churn").scale(replicas);
  }

  // --- objects ---

  private static PodSpecBuilder spec() {
    return new PodSpecBuilder()
        .withAutomountServiceAccountToken(false)
        .addNewToleration()
        .withKey("virtual-kubelet.io/provider")
        .withOperator("Exists")
        .endToleration()
        .addNewContainer()
        .withName("main")
        .withImage("busybox:1.36")
        .withCommand("sleep", "3600")
        .endContainer();
  }

  private static Pod pod(String namespace, String name, String node) {
    return new PodBuilder()
        .withMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build())
        .withSpec(spec().withNodeName(node).build())
        .build();
  }

  private static io.fabric8.kubernetes.api.model.apps.Deployment deployment(
      String namespace, String name, String node) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withReplicas(0)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withSpec(spec().withNodeSelector(Map.of("kubernetes.io/hostname", node)).build())
        .endTemplate()
        .endSpec()
        .build();
  }

  static boolean ready(KubernetesClient client, String node) {
    var n = client.nodes().withName(node).get();
    return n != null
        && n.getStatus() != null
        && n.getStatus().getConditions() != null
        && n.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  // --- units ---

  private static Double ms(Duration d) {
    return Percentiles.millis(d);
  }

  private static Double seconds(Duration d) {
    return d == null ? null : d.toMillis() / 1000.0;
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  static void sleep(Duration d) {
    try {
      TimeUnit.MILLISECONDS.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
