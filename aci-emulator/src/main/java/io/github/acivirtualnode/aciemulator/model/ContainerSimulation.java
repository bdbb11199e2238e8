package io.github.acivirtualnode.aciemulator.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The life of one container as a pure function of time: given when the container was asked to start
 * and its behaviour, what its state, restart count and events are at a moment. No threads or
 * timers: the same inputs always give the same answer, which keeps the emulator deterministic.
 */
public final class ContainerSimulation {
  private static final int MAX_CYCLES = 100_000;

  private ContainerSimulation() {}

  /** An out-of-band kill (fault injection) at a moment with an exit code. */
  public record Kill(Instant at, int exitCode) {}

  /**
   * Simulates one container.
   *
   * @param image the image reference, for event messages
   * @param behavior what the process does
   * @param restartPolicy Always, OnFailure or Never
   * @param begin when the container starts pulling its image
   * @param now the moment to describe
   * @param stoppedAt when the group was stopped, or null
   * @param kills out-of-band kills, in any order
   */
  public static ContainerStatus simulate(
      String image,
      ContainerBehavior behavior,
      String restartPolicy,
      Duration pull,
      Duration restartBackoff,
      Instant begin,
      Instant now,
      Instant stoppedAt,
      List<Kill> kills) {
    Instant until = stoppedAt != null && stoppedAt.isBefore(now) ? stoppedAt : now;
    Map<String, ContainerEvent> events = new LinkedHashMap<>();
    List<ContainerStatus.Run> runs = new ArrayList<>();
    if (until.isBefore(begin)) {
      return new ContainerStatus(
          0, ContainerState.waiting(null, ""), null, List.of(), false, List.of());
    }
    event(events, "Pulling", "Normal", "pulling image \"" + image + "\"", begin);
    if (behavior.pullFailure()) {
      // Pull attempts are retried with back-off; each adds to the Failed event's count.
      Instant attempt = begin.plus(pull);
      int guard = 0;
      while (!attempt.isAfter(until) && guard++ < MAX_CYCLES) {
        event(
            events,
            "Failed",
            "Warning",
            "Failed to pull image \"" + image + "\": rpc error: code = NotFound desc = not found",
            attempt);
        attempt = attempt.plus(restartBackoff.plus(pull));
      }
      return stopped(
          new ContainerStatus(
              0,
              ContainerState.waiting(begin, "ErrImagePull"),
              null,
              List.copyOf(events.values()),
              false,
              List.of()),
          stoppedAt,
          now);
    }
    Instant pulled = begin.plus(pull);
    if (until.isBefore(pulled)) {
      return stopped(
          new ContainerStatus(
              0,
              ContainerState.waiting(begin, ""),
              null,
              List.copyOf(events.values()),
              false,
              List.of()),
          stoppedAt,
          now);
    }
    event(events, "Pulled", "Normal", "Successfully pulled image \"" + image + "\"", pulled);

    Instant cycleStart = pulled;
    int restarts = 0;
    ContainerState previous = null;
    ContainerState current;
    boolean finished = false;
    for (int cycle = 0; ; cycle++) {
      Instant started = cycleStart.plus(behavior.startDelay());
      if (until.isBefore(started) || cycle >= MAX_CYCLES) {
        current = ContainerState.waiting(cycleStart, "");
        break;
      }
      event(events, "Started", "Normal", "Started container", started);
      Instant end = behavior.runFor() == null ? null : started.plus(behavior.runFor());
      int exitCode = behavior.exitCode();
      String detail = exitCode == 0 ? "Completed" : "Error";
      boolean liveness = false;
      if (behavior.livenessFailAfter() != null) {
        Instant probeFails = started.plus(behavior.livenessFailAfter());
        if (end == null || probeFails.isBefore(end)) {
          end = probeFails;
          exitCode = 137;
          detail = "Killed";
          liveness = true;
        }
      }
      for (Kill kill : kills) {
        if (!kill.at().isBefore(started) && (end == null || kill.at().isBefore(end))) {
          end = kill.at();
          exitCode = kill.exitCode();
          detail = "Killed";
          liveness = false;
        }
      }
      if (end == null || until.isBefore(end)) {
        current = ContainerState.running(started);
        runs.add(new ContainerStatus.Run(started, null, null));
        break;
      }
      runs.add(new ContainerStatus.Run(started, end, exitCode));
      if (liveness) {
        event(events, "Failed", "Warning", "Liveness probe failed:", end);
        event(events, "Killing", "Normal", "Killing container with id " + cycle + ".", end);
      }
      ContainerState terminated = ContainerState.terminated(started, end, exitCode, detail);
      boolean restart =
          switch (restartPolicy) {
            case "Never" -> false;
            case "OnFailure" -> exitCode != 0;
            default -> true;
          };
      if (!restart) {
        current = terminated;
        finished = true;
        break;
      }
      Instant next = end.plus(restartBackoff);
      if (until.isBefore(next)) {
        // Between an exit and the restart: the container waits in back-off.
        current = ContainerState.waiting(end, "CrashLoopBackOff");
        previous = terminated;
        break;
      }
      event(events, "BackOff", "Warning", "Back-off restarting failed container", end);
      previous = terminated;
      restarts++;
      cycleStart = next;
    }
    return stopped(
        new ContainerStatus(
            restarts, current, previous, List.copyOf(events.values()), finished, List.copyOf(runs)),
        stoppedAt,
        now);
  }

  /** A stopped group's containers are terminated at the stop moment (ACI deallocates them). */
  private static ContainerStatus stopped(ContainerStatus status, Instant stoppedAt, Instant now) {
    if (stoppedAt == null || now.isBefore(stoppedAt)) {
      return status;
    }
    if (status.current().state().equals("Terminated")) {
      return new ContainerStatus(
          status.restartCount(),
          status.current(),
          status.previous(),
          status.events(),
          true,
          status.runs());
    }
    List<ContainerEvent> events = new ArrayList<>(status.events());
    events.add(
        new ContainerEvent("Killing", "Normal", "Stopping container", 1, stoppedAt, stoppedAt));
    List<ContainerStatus.Run> runs = new ArrayList<>(status.runs());
    Instant start = status.current().startTime() == null ? stoppedAt : status.current().startTime();
    if (status.current().isRunning()) {
      runs.set(runs.size() - 1, new ContainerStatus.Run(start, stoppedAt, 0));
    }
    return new ContainerStatus(
        status.restartCount(),
        ContainerState.terminated(start, stoppedAt, 0, "Stopped"),
        status.current().isRunning() ? null : status.previous(),
        List.copyOf(events),
        true,
        List.copyOf(runs));
  }

  private static void event(
      Map<String, ContainerEvent> events, String name, String type, String message, Instant at) {
    String key = name + "\u0000" + message;
    ContainerEvent existing = events.get(key);
    events.put(
        key,
        existing == null ? new ContainerEvent(name, type, message, 1, at, at) : existing.again(at));
  }
}
