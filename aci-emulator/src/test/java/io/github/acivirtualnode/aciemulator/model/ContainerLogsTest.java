package io.github.acivirtualnode.aciemulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerLogsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void logsGrowOverTimeAndEndWithTheExitCode() {
    ContainerStatus status =
        new ContainerStatus(
            0,
            ContainerState.terminated(T0, T0.plusSeconds(3), 2, "Error"),
            null,
            List.of(),
            true,
            List.of(new ContainerStatus.Run(T0, T0.plusSeconds(3), 2)));
    List<ContainerLogs.Line> early =
        ContainerLogs.lines("app", status, "hello\n", Duration.ofSeconds(1), T0.plusMillis(1500));
    List<ContainerLogs.Line> late =
        ContainerLogs.lines("app", status, "hello\n", Duration.ofSeconds(1), T0.plusSeconds(10));
    assertThat(early)
        .extracting(ContainerLogs.Line::text)
        .containsExactly("hello", "app: heartbeat 1 (run 0)");
    assertThat(late)
        .extracting(ContainerLogs.Line::text)
        .containsExactly(
            "hello",
            "app: heartbeat 1 (run 0)",
            "app: heartbeat 2 (run 0)",
            "app: heartbeat 3 (run 0)",
            "app: exited with code 2");
    assertThat(ContainerLogs.render(late, 2, false))
        .isEqualTo("app: heartbeat 3 (run 0)\napp: exited with code 2\n");
    assertThat(ContainerLogs.render(late, 1, true))
        .isEqualTo("2026-01-01T00:00:03Z app: exited with code 2\n");
  }
}
