package io.github.acivirtualnode.aciemulator.model;

import java.time.Instant;

/**
 * One of Waiting, Running, Terminated, with the fields ACI reports for it.
 *
 * @param exitCode only for Terminated
 * @param finishTime only for Terminated
 */
public record ContainerState(
    String state, Instant startTime, Integer exitCode, Instant finishTime, String detailStatus) {

  public static ContainerState waiting(Instant since, String detail) {
    return new ContainerState("Waiting", since, null, null, detail);
  }

  public static ContainerState running(Instant since) {
    return new ContainerState("Running", since, null, null, "");
  }

  public static ContainerState terminated(Instant start, Instant finish, int code, String detail) {
    return new ContainerState("Terminated", start, code, finish, detail);
  }

  public boolean isRunning() {
    return state.equals("Running");
  }
}
