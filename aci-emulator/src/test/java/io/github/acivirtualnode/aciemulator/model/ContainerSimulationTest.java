package io.github.acivirtualnode.aciemulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerSimulationTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration PULL = Duration.ofSeconds(2);
  private static final Duration BACKOFF = Duration.ofSeconds(5);
  private static final EmulatorTimings TIMINGS = EmulatorTimings.fast();

  private static ContainerStatus at(ContainerBehavior behavior, String policy, int seconds) {
    return ContainerSimulation.simulate(
        "busybox", behavior, policy, PULL, BACKOFF, T0, T0.plusSeconds(seconds), null, List.of());
  }

  private static ContainerBehavior env(Map<String, String> env) {
    return ContainerBehavior.from(env, List.of(), false, TIMINGS);
  }

  @Test
  void runsUntilStoppedByDefault() {
    ContainerBehavior forever = env(Map.of());
    ContainerStatus pulling = at(forever, "Always", 1);
    assertThat(pulling.current().state()).isEqualTo("Waiting");
    assertThat(pulling.events()).extracting(ContainerEvent::name).containsExactly("Pulling");

    ContainerStatus running = at(forever, "Always", 3600);
    assertThat(running.current().state()).isEqualTo("Running");
    assertThat(running.current().startTime()).isEqualTo(T0.plus(PULL));
    assertThat(running.restartCount()).isZero();
    assertThat(running.events())
        .extracting(ContainerEvent::name)
        .containsExactly("Pulling", "Pulled", "Started");
    assertThat(running.finished()).isFalse();
  }

  @Test
  void exitCodeWithNeverEndsTerminated() {
    ContainerBehavior fails =
        env(Map.of("ACI_EMULATOR_RUN_SECONDS", "3", "ACI_EMULATOR_EXIT_CODE", "2"));
    ContainerStatus status = at(fails, "Never", 100);
    assertThat(status.current().state()).isEqualTo("Terminated");
    assertThat(status.current().exitCode()).isEqualTo(2);
    assertThat(status.current().finishTime()).isEqualTo(T0.plusSeconds(5));
    assertThat(status.current().detailStatus()).isEqualTo("Error");
    assertThat(status.finished()).isTrue();
    assertThat(status.restartCount()).isZero();
  }

  @Test
  void onFailureDoesNotRestartSuccessfulExit() {
    ContainerBehavior ok = env(Map.of("ACI_EMULATOR_RUN_SECONDS", "1"));
    ContainerStatus status = at(ok, "OnFailure", 100);
    assertThat(status.succeeded()).isTrue();
    assertThat(status.restartCount()).isZero();
  }

  @Test
  void crashLoopCountsRestartsAndKeepsPreviousState() {
    ContainerBehavior crash =
        env(Map.of("ACI_EMULATOR_RUN_SECONDS", "1", "ACI_EMULATOR_EXIT_CODE", "1"));
    // Cycle: pulled at 2, runs 2..3, back-off 5, restarts at 8, 9, 14, 15 ...
    ContainerStatus status = at(crash, "Always", 16);
    assertThat(status.restartCount()).isEqualTo(2);
    assertThat(status.current().state()).isEqualTo("Waiting");
    assertThat(status.current().detailStatus()).isEqualTo("CrashLoopBackOff");
    assertThat(status.previous().exitCode()).isEqualTo(1);
    ContainerEvent started =
        status.events().stream().filter(e -> e.name().equals("Started")).findFirst().orElseThrow();
    assertThat(started.count()).isEqualTo(3);
    assertThat(status.events()).extracting(ContainerEvent::name).contains("BackOff");
    assertThat(status.runs()).hasSize(3);
  }

  @Test
  void slowStartWaitsBeforeRunning() {
    ContainerBehavior slow = env(Map.of("ACI_EMULATOR_START_DELAY_SECONDS", "10"));
    assertThat(at(slow, "Always", 5).current().state()).isEqualTo("Waiting");
    assertThat(at(slow, "Always", 13).current().state()).isEqualTo("Running");
  }

  @Test
  void pullFailureStaysWaitingWithFailedEvents() {
    ContainerBehavior broken = env(Map.of("ACI_EMULATOR_PULL_FAILURE", "true"));
    ContainerStatus status = at(broken, "Always", 30);
    assertThat(status.pullFailed()).isTrue();
    assertThat(status.runs()).isEmpty();
    ContainerEvent failed =
        status.events().stream().filter(e -> e.name().equals("Failed")).findFirst().orElseThrow();
    assertThat(failed.type()).isEqualTo("Warning");
    assertThat(failed.count()).isGreaterThan(1);
  }

  @Test
  void failingLivenessProbeKillsAndRestarts() {
    ContainerBehavior unhealthy = env(Map.of("ACI_EMULATOR_LIVENESS_FAIL_SECONDS", "3"));
    ContainerStatus status = at(unhealthy, "Always", 11);
    assertThat(status.restartCount()).isEqualTo(1);
    assertThat(status.previous().exitCode()).isEqualTo(137);
    assertThat(status.events()).extracting(ContainerEvent::name).contains("Failed", "Killing");
    assertThat(
            status.events().stream()
                .filter(e -> e.name().equals("Failed"))
                .findFirst()
                .orElseThrow()
                .message())
        .isEqualTo("Liveness probe failed:");
  }

  @Test
  void killAndStopEndTheProcess() {
    ContainerBehavior forever = env(Map.of());
    ContainerStatus killed =
        ContainerSimulation.simulate(
            "busybox",
            forever,
            "Never",
            PULL,
            BACKOFF,
            T0,
            T0.plusSeconds(60),
            null,
            List.of(new ContainerSimulation.Kill(T0.plusSeconds(10), 143)));
    assertThat(killed.current().exitCode()).isEqualTo(143);
    assertThat(killed.finished()).isTrue();

    ContainerStatus stopped =
        ContainerSimulation.simulate(
            "busybox",
            forever,
            "Always",
            PULL,
            BACKOFF,
            T0,
            T0.plusSeconds(60),
            T0.plusSeconds(20),
            List.of());
    assertThat(stopped.current().state()).isEqualTo("Terminated");
    assertThat(stopped.current().detailStatus()).isEqualTo("Stopped");
    assertThat(stopped.current().finishTime()).isEqualTo(T0.plusSeconds(20));
  }

  @Test
  void sameInputsGiveSameAnswer() {
    ContainerBehavior crash =
        env(Map.of("ACI_EMULATOR_RUN_SECONDS", "0.5", "ACI_EMULATOR_EXIT_CODE", "3"));
    assertThat(at(crash, "Always", 1000)).isEqualTo(at(crash, "Always", 1000));
  }
}
