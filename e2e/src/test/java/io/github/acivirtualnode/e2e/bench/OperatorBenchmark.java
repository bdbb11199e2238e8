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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The benchmark of issue 13 (not part of the test command: failsafe includes {@code *IT} and {@code
 * *E2E} only; {@code e2e/bench.sh} runs it with {@code -Dit.test}). Every scenario at the size
 * {@code avn.bench.scale} says, against the local control plane, an emulator per scenario and this
 * operator in the JVM; writes {@code target/bench/report.md}, its charts and {@code summary.json}.
 * It asserts nothing about times: a missed target is a row of the report.
 */
@ExtendWith(KubernetesClusterExtension.class)
class OperatorBenchmark {
  static final Path OUT = Path.of("target", "bench");

  @Test
  void benchmark(KubernetesCluster cluster, KubernetesClient client) throws IOException {
    Scale scale = Scale.fromSystemProperty();
    VirtualNodeCrd.install(client);
    Files.createDirectories(OUT);
    OperatorSubject subject = new OperatorSubject();
    BenchHarness harness = new BenchHarness(cluster, client, subject, OUT);
    Instant start = Instant.now();
    String loadBefore = BenchHarness.loadAverage();
    List<ScenarioResult> results = new ArrayList<>();
    results.add(
        log(
            harness.pods(
                "burst-zero-delay",
                BenchHarness.ZERO_DELAY,
                "zero",
                1,
                scale.burstPods,
                Duration.ZERO)));
    results.add(
        log(
            harness.pods(
                "burst-realistic",
                EmulatorTimings.realistic(),
                "realistic (pending 5 s, creating 20 s, pull 5 s)",
                1,
                scale.burstPods,
                Duration.ZERO)));
    results.add(
        log(
            harness.pods(
                "spread",
                EmulatorTimings.fast(),
                "fast",
                scale.spreadNodes,
                scale.spreadPodsPerNode,
                Duration.ZERO)));
    results.add(
        log(
            harness.pods(
                "steady",
                EmulatorTimings.fast(),
                "fast",
                1,
                scale.steadyPods,
                scale.steadyWindow)));
    results.add(log(harness.heartbeat(scale.heartbeatNodes, scale.heartbeatWindow)));
    results.add(log(harness.churn(scale.churnReplicas, scale.churnRounds)));
    List<String> notes =
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
            "Latencies: bound = when the harness sent the create of a pod with its node name;"
                + " PUT and group Running = the emulator's in-process record; pod Running = the"
                + " harness's informer. All on one clock (one JVM).",
            "The peer column ("
                + BenchReport.PEER_NAME
                + ") is "
                + BenchReport.PEER_NOT_MEASURED
                + ": a BenchSubject for it is yet to be written; no figure is given for it.");
    BenchReport report =
        new BenchReport(
            scale.label(),
            Instant.now().toString(),
            new SubjectRun(subject.name(), subject.description(), results),
            Optional.empty(),
            notes);
    Files.writeString(OUT.resolve("report.md"), report.markdown());
    Files.writeString(OUT.resolve("summary.json"), report.json());
    System.out.println("[bench] report: " + OUT.resolve("report.md").toAbsolutePath());
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
