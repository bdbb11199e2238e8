package io.github.acivirtualnode.aciemulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerBehaviorTest {
  private static final EmulatorTimings TIMINGS = EmulatorTimings.fast();

  @Test
  void defaultRunsForever() {
    ContainerBehavior behavior = ContainerBehavior.from(Map.of(), List.of("nginx"), false, TIMINGS);
    assertThat(behavior.runFor()).isNull();
    assertThat(behavior.exitCode()).isZero();
    assertThat(behavior.logInterval()).isEqualTo(TIMINGS.logInterval());
  }

  @Test
  void oneShotCommandsExitRightAway() {
    assertThat(ContainerBehavior.from(Map.of(), List.of("echo", "hi"), false, TIMINGS).runFor())
        .isEqualTo(Duration.ZERO);
    ContainerBehavior exit3 =
        ContainerBehavior.from(
            Map.of(), List.of("/bin/sh", "-c", "echo bye; exit 3"), false, TIMINGS);
    assertThat(exit3.runFor()).isEqualTo(Duration.ZERO);
    assertThat(exit3.exitCode()).isEqualTo(3);
    assertThat(
            ContainerBehavior.from(
                    Map.of(), List.of("sh", "-c", "echo a; sleep 3600"), false, TIMINGS)
                .runFor())
        .isNull();
  }

  @Test
  void environmentOverridesEverything() {
    ContainerBehavior behavior =
        ContainerBehavior.from(
            Map.of(
                "ACI_EMULATOR_RUN_SECONDS", "1.5",
                "ACI_EMULATOR_EXIT_CODE", "7",
                "ACI_EMULATOR_START_DELAY_SECONDS", "2",
                "ACI_EMULATOR_PULL_FAILURE", "true",
                "ACI_EMULATOR_LIVENESS_FAIL_SECONDS", "4",
                "ACI_EMULATOR_LOG_INTERVAL_SECONDS", "0"),
            List.of("echo", "x"),
            false,
            TIMINGS);
    assertThat(behavior)
        .isEqualTo(
            new ContainerBehavior(
                Duration.ofMillis(1500),
                7,
                Duration.ofSeconds(2),
                true,
                Duration.ofSeconds(4),
                null));
  }

  @Test
  void initContainersExitByDefault() {
    ContainerBehavior init = ContainerBehavior.from(Map.of(), List.of("setup"), true, TIMINGS);
    assertThat(init.runFor()).isEqualTo(TIMINGS.initContainerRun());
    assertThat(init.exitCode()).isZero();
  }
}
