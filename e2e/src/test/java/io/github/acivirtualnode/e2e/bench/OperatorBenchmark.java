package io.github.acivirtualnode.e2e.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.aciemulator.model.EmulatorTimings;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeCrd;
import io.github.acivirtualnode.controlplane.KubernetesCluster;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The benchmark of issue 13 (not part of the test command: failsafe includes {@code *IT} and {@code
 * *E2E} only; {@code e2e/bench.sh} runs it with {@code -Dit.test}). Every scenario at the size
 * {@code avn.bench.scale} says, against the local control plane, an emulator per scenario and this
 * operator in the JVM; then the burst and steady scenarios again with the peer ({@link
 * PeerSubject}, at most {@link #PEER_MAX_PODS} pods; {@code -Davn.bench.peer=false} leaves it out);
 * writes {@code target/bench/report.md}, its charts and {@code summary.json}. It asserts nothing
 * about times: a missed target is a row of the report.
 */
@ExtendWith(KubernetesClusterExtension.class)
class OperatorBenchmark {
  static final Path OUT = Path.of("target", "bench");

  /** Every scenario's subscription's quota, the same for both subjects. */
  static final AciQuota QUOTA = AciQuota.RAISED;

  /** How long the footprint scenario's pods run before they are deleted: a few GCs' worth. */
  static final Duration FOOTPRINT_WINDOW = Duration.ofMinutes(2);

  /** The peer's burst and steady sizes are capped here: a size it survives on 2 cores. */
  static final int PEER_MAX_PODS = 50;

  /** The figures whose ratio (this ÷ peer) is charted per scenario. */
  static final List<String> COMPARED =
      List.of(
          "boundToPut.p50",
          "boundToPut.p99",
          "runningToRunning.p50",
          "runningToRunning.p95",
          "runningToRunning.p99",
          "steady.readsPerPodMinute",
          "arm.perPod.ContainerGroups_CreateOrUpdate",
          "arm.perPod.ContainerGroups_Get",
          "arm.perPod.ContainerGroups_Delete",
          "rss.max",
          "cpu.seconds");

  @Test
  void benchmark(KubernetesCluster cluster, KubernetesClient client) throws IOException {
    Scale scale = Scale.fromSystemProperty();
    VirtualNodeCrd.install(client);
    Files.createDirectories(OUT);
    OperatorSubject subject = new OperatorSubject();
    BenchHarness harness = new BenchHarness(cluster, client, subject, OUT, QUOTA);
    Instant start = Instant.now();
    String loadBefore = BenchHarness.loadAverage();
    List<ScenarioResult> results = new ArrayList<>();
    Set<String> only = scenarios();
    run(
        results,
        only,
        "burst-zero-delay",
        () ->
            harness.pods(
                "burst-zero-delay",
                BenchHarness.ZERO_DELAY,
                "zero",
                1,
                scale.burstPods,
                Duration.ZERO));
    run(
        results,
        only,
        "burst-realistic",
        () ->
            harness.pods(
                "burst-realistic",
                EmulatorTimings.realistic(),
                "realistic (pending 5 s, creating 20 s, pull 5 s)",
                1,
                scale.burstPods,
                Duration.ZERO));
    run(
        results,
        only,
        "spread",
        () ->
            harness.pods(
                "spread",
                EmulatorTimings.fast(),
                "fast",
                scale.spreadNodes,
                scale.spreadPodsPerNode,
                Duration.ZERO));
    run(
        results,
        only,
        "steady",
        () ->
            harness.pods(
                "steady", EmulatorTimings.fast(), "fast", 1, scale.steadyPods, scale.steadyWindow));
    run(
        results,
        only,
        "heartbeat",
        () -> harness.heartbeat(scale.heartbeatNodes, scale.heartbeatWindow));
    run(results, only, "churn", () -> harness.churn(scale.churnReplicas, scale.churnRounds));
    // The footprint at many pods: the operator as its own process, so that RSS is its own.
    BenchHarness processHarness =
        new BenchHarness(
            cluster,
            client,
            OperatorSubject.asProcess(OUT.resolve("operator-process")),
            OUT,
            QUOTA);
    run(
        results,
        only,
        "footprint",
        () ->
            processHarness.pods(
                "footprint",
                BenchHarness.ZERO_DELAY,
                "zero",
                scale.footprintNodes,
                scale.footprintPodsPerNode,
                FOOTPRINT_WINDOW));
    List<String> peerNotes = new ArrayList<>();
    Optional<SubjectRun> peerRun = Optional.empty();
    if (Boolean.parseBoolean(System.getProperty("avn.bench.peer", "true"))) {
      PeerSubject peer =
          new PeerSubject(Path.of("").toAbsolutePath().getParent(), OUT.resolve("peer"));
      peerRun = Optional.of(runPeer(cluster, client, peer, scale, only, peerNotes));
      results = compared(results, peerRun.get());
    } else {
      peerNotes.add(
          "The peer column ("
              + BenchReport.PEER_NAME
              + ") is "
              + BenchReport.PEER_NOT_MEASURED
              + ": -Davn.bench.peer=false left it out.");
    }
    List<String> notes = new ArrayList<>();
    notes.addAll(
        List.of(
            "Measured on this machine in "
                + Duration.between(start, Instant.now()).toSeconds()
                + " s; every scenario has its own emulator, subscription and operator start."
                + " Machine load: "
                + loadBefore
                + " at the start, "
                + BenchHarness.loadAverage()
                + " at the end (the machine may be shared with other builds).",
            "Targets are issue 13's; a target stated at another size (1,000 pods, 5,000 pods, 200"
                + " nodes) is not judged at a smaller one.",
            "Every subscription has a raised ACI quota: "
                + QUOTA.describe()
                + ", so that no scenario waits for it; the operator is told it"
                + " (AVN_ACI_MUTATIONS_PER_5_MINUTES, AVN_ACI_MUTATIONS_PER_HOUR) and keeps it.",
            "The footprint scenario runs the operator as its own process, its JVM sized as the"
                + " Deployment's 512Mi container ("
                + String.join(" ", OperatorSubject.PROCESS_JVM_FLAGS)
                + "): its RSS and CPU are its own; the other scenarios' are the benchmark JVM's.",
            "Latencies: bound = when the harness sent the create of a pod with its node name;"
                + " PUT and group Running = the emulator's in-process record; pod Running = the"
                + " harness's informer. All on one clock (one JVM)."));
    notes.addAll(peerNotes);
    BenchReport report =
        new BenchReport(
            scale.label(),
            Instant.now().toString(),
            new SubjectRun(subject.name(), subject.description(), results),
            peerRun,
            notes);
    Files.writeString(OUT.resolve("report.md"), report.markdown());
    Files.writeString(OUT.resolve("summary.json"), report.json());
    System.out.println("[bench] report: " + OUT.resolve("report.md").toAbsolutePath());
  }

  /**
   * The peer through burst (both provisioning settings) and steady, each at most {@link
   * #PEER_MAX_PODS} pods. A scenario that fails (the peer does not build, start or get Ready)
   * becomes one with no figure and the failure as its violation, and a note says why.
   */
  private static SubjectRun runPeer(
      KubernetesCluster cluster,
      KubernetesClient client,
      PeerSubject peer,
      Scale scale,
      Set<String> only,
      List<String> notes)
      throws IOException {
    Path peerOut = OUT.resolve("peer");
    Files.createDirectories(peerOut);
    BenchHarness harness = new BenchHarness(cluster, client, peer, peerOut, QUOTA);
    int burst = Math.min(scale.burstPods, PEER_MAX_PODS);
    int steady = Math.min(scale.steadyPods, PEER_MAX_PODS);
    List<ScenarioResult> results = new ArrayList<>();
    if (only.isEmpty() || only.contains("burst-zero-delay")) {
      results.add(
          peerScenario(
              "burst-zero-delay",
              notes,
              () ->
                  harness.pods(
                      "burst-zero-delay",
                      BenchHarness.ZERO_DELAY,
                      "zero",
                      1,
                      burst,
                      Duration.ZERO)));
    }
    if (only.isEmpty() || only.contains("burst-realistic")) {
      results.add(
          peerScenario(
              "burst-realistic",
              notes,
              () ->
                  harness.pods(
                      "burst-realistic",
                      EmulatorTimings.realistic(),
                      "realistic (pending 5 s, creating 20 s, pull 5 s)",
                      1,
                      burst,
                      Duration.ZERO)));
    }
    if (only.isEmpty() || only.contains("steady")) {
      results.add(
          peerScenario(
              "steady",
              notes,
              () ->
                  harness.pods(
                      "steady", EmulatorTimings.fast(), "fast", 1, steady, scale.steadyWindow)));
    }
    notes.add(
        0,
        "The peer column ("
            + peer.name()
            + ") is the peer's own run, after this operator's, through burst ("
            + burst
            + " pods, both provisioning settings) and steady ("
            + steady
            + " pods, the same window) only, each at most "
            + PEER_MAX_PODS
            + " pods (a size it survives here), on its own emulator and subscription, one peer"
            + " process for the one node; where its size differs from this operator's, its"
            + " per-pod figures are still comparable, its totals are not. Its footprint is its"
            + " process's: RSS from VmRSS of /proc/PID/status, CPU seconds from utime + stime of"
            + " /proc/PID/stat, sampled once a second; it has no heap figure. The ratio column is"
            + " this operator's figure divided by the peer's.");
    return new SubjectRun(peer.name(), peer.description(), results);
  }

  /**
   * The scenarios {@code -Davn.bench.scenarios=burst-zero-delay,footprint} names, to measure a few
   * again (a setting, say); empty, the default, for every one.
   */
  static Set<String> scenarios() {
    Set<String> out = new java.util.LinkedHashSet<>();
    for (String name : System.getProperty("avn.bench.scenarios", "").split(",")) {
      if (!name.isBlank()) {
        out.add(name.trim());
      }
    }
    return out;
  }

  private static void run(
      List<ScenarioResult> results,
      Set<String> only,
      String name,
      Supplier<BenchHarness.Outcome> scenario) {
    if (only.isEmpty() || only.contains(name)) {
      results.add(log(scenario.get()));
    }
  }

  private static ScenarioResult peerScenario(
      String name, List<String> notes, Supplier<BenchHarness.Outcome> run) {
    try {
      ScenarioResult result = log(run.get());
      if (!result.violations().isEmpty()) {
        notes.add(
            "The peer's "
                + name
                + ": counts that did not hold: "
                + String.join("; ", result.violations()));
      }
      return result;
    } catch (RuntimeException e) {
      e.printStackTrace();
      String why = oneLine("the peer's run failed: " + e);
      notes.add("The peer's " + name + " gave no figure: " + why);
      return new ScenarioResult(name, Map.of(), List.of(), List.of(), List.of(why));
    }
  }

  private static String oneLine(String s) {
    String line = s.replaceAll("\\s*\n\\s*", " / ");
    return line.length() > 2000 ? line.substring(0, 2000) + " ..." : line;
  }

  /**
   * This operator's scenarios, each the peer also ran with a chart of the ratios (this ÷ peer) of
   * the compared figures both measured.
   */
  private static List<ScenarioResult> compared(List<ScenarioResult> ours, SubjectRun peer) {
    List<ScenarioResult> out = new ArrayList<>();
    for (ScenarioResult s : ours) {
      Optional<ScenarioResult> p =
          peer.scenarios().stream().filter(x -> x.name().equals(s.name())).findFirst();
      Map<String, Double> ratios = new LinkedHashMap<>();
      if (p.isPresent()) {
        for (String id : COMPARED) {
          Double mine = value(s, id);
          Double theirs = value(p.get(), id);
          if (mine != null && theirs != null && theirs != 0) {
            ratios.put(id, mine / theirs);
          }
        }
      }
      if (ratios.isEmpty()) {
        out.add(s);
        continue;
      }
      String file = s.name() + "-ratio-to-peer.png";
      Charts.bars(
          OUT.resolve(file),
          s.name() + ": this operator ÷ the peer (below 1: lower for this operator)",
          "this ÷ peer",
          ratios);
      List<String> charts = new ArrayList<>(s.charts());
      charts.add(file);
      out.add(new ScenarioResult(s.name(), s.parameters(), s.figures(), charts, s.violations()));
    }
    return out;
  }

  private static Double value(ScenarioResult s, String id) {
    return s.figures().stream()
        .filter(f -> f.id().equals(id))
        .map(Figure::value)
        .filter(v -> v != null)
        .findFirst()
        .orElse(null);
  }

  private static ScenarioResult log(BenchHarness.Outcome outcome) {
    System.out.println(
        "[bench] "
            + outcome.result().name()
            + ": "
            + outcome.pods()
            + " pods, violations "
            + outcome.violations());
    return outcome.result();
  }
}
