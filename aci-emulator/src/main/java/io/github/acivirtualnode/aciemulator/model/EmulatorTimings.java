package io.github.acivirtualnode.aciemulator.model;

import java.time.Duration;

/**
 * How long each emulated phase lasts. Defaults are short so tests are quick; the demo can slow them
 * down to look like the real service (minutes are typical there).
 *
 * @param pending time a new group stays in provisioning state Pending
 * @param creating time in provisioning state Creating (images are pulled meanwhile)
 * @param pull time to pull an image
 * @param restartBackoff wait between a container's exit and its restart
 * @param initContainerRun how long an init container runs when its spec says nothing
 * @param logInterval interval between the heartbeat lines a running container logs
 * @param retryAfterSeconds Retry-After of long-running operations
 */
public record EmulatorTimings(
    Duration pending,
    Duration creating,
    Duration pull,
    Duration restartBackoff,
    Duration initContainerRun,
    Duration logInterval,
    int retryAfterSeconds) {

  public static EmulatorTimings fast() {
    return new EmulatorTimings(
        Duration.ofMillis(300),
        Duration.ofMillis(500),
        Duration.ofMillis(200),
        Duration.ofMillis(500),
        Duration.ofMillis(200),
        Duration.ofSeconds(1),
        1);
  }

  /** Roughly what the real service feels like, for demos. */
  public static EmulatorTimings realistic() {
    return new EmulatorTimings(
        Duration.ofSeconds(5),
        Duration.ofSeconds(20),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        5);
  }
}
