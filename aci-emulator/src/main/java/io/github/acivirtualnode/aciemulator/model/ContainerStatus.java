package io.github.acivirtualnode.aciemulator.model;

import java.time.Instant;
import java.util.List;

/**
 * The simulated state of one container at one moment.
 *
 * @param finished true when the container has ended for good (no restart will follow)
 * @param runs every start of the process so far, for logs
 */
public record ContainerStatus(
    int restartCount,
    ContainerState current,
    ContainerState previous,
    List<ContainerEvent> events,
    boolean finished,
    List<Run> runs) {

  /** One start of the process: from start to end (null while running) with its exit code. */
  public record Run(Instant start, Instant end, Integer exitCode) {}

  /** Whether the image could not be pulled (the container never starts). */
  public boolean pullFailed() {
    return current.state().equals("Waiting") && "ErrImagePull".equals(current.detailStatus());
  }

  public boolean succeeded() {
    return finished
        && current.state().equals("Terminated")
        && current.exitCode() != null
        && current.exitCode() == 0;
  }
}
