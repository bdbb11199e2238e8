package io.github.acivirtualnode.operator.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.github.acivirtualnode.operator.aci.AciException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A container's log as ACI has it, read again every interval and written on as it grows, until the
 * container terminates, the pod goes or the reader does: {@code kubectl logs -f} and attach.
 */
final class LogFollower {
  private final PodTargets podTargets;
  private final PodTargets.Target target;
  private final String container;
  private final Duration interval;

  LogFollower(
      PodTargets podTargets, PodTargets.Target target, String container, Duration interval) {
    this.podTargets = podTargets;
    this.target = target;
    this.container = container;
    this.interval = interval;
  }

  /**
   * Writes {@code first}, then each line after the last of {@code all} as it comes.
   *
   * @param open whether the reader is still there
   */
  void follow(
      OutputStream out,
      BooleanSupplier open,
      LogOptions options,
      List<LogText.Line> all,
      List<LogText.Line> first)
      throws IOException, InterruptedException {
    long budget = options.limitBytes() == null ? Long.MAX_VALUE : options.limitBytes();
    LogText.Position seen = LogText.Position.after(null, all);
    budget = write(out, first, options, budget);
    while (budget > 0 && open.getAsBoolean()) {
      Thread.sleep(interval.toMillis());
      Optional<Pod> now = podTargets.reread(target);
      if (now.isEmpty()) {
        return; // the pod is gone
      }
      boolean ended = terminated(now.get());
      List<LogText.Line> fresh;
      try {
        fresh = LogText.after(read(), seen);
      } catch (KubeletApiException e) {
        if (e.status() == 429) {
          continue; // throttled: the next round reads again
        }
        return;
      }
      seen = LogText.Position.after(seen, fresh);
      budget = write(out, fresh, options, budget);
      if (ended) {
        return;
      }
    }
  }

  /** ACI's log of the container with timestamps (needed to cut by time and to follow). */
  List<LogText.Line> read() {
    try {
      return LogText.parse(target.backend().get().logs(target.groupName(), container, null, true));
    } catch (AciException e) {
      throw switch (e.kind()) {
        case NOT_FOUND ->
            new KubeletApiException(
                400,
                "container "
                    + container
                    + " has no log yet: its container group "
                    + target.groupName()
                    + " does not exist (yet)");
        case THROTTLED ->
            new KubeletApiException(
                429,
                "Azure Resource Manager is throttling reads: " + e.getMessage(),
                e.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(5L));
        default ->
            new KubeletApiException(
                502, "the container's log cannot be read from ACI: " + e.getMessage());
      };
    }
  }

  private static long write(
      OutputStream out, List<LogText.Line> lines, LogOptions options, long budget)
      throws IOException {
    if (lines.isEmpty()) {
      return budget;
    }
    byte[] bytes = LogText.render(lines, options.timestamps(), budget);
    out.write(bytes);
    out.flush();
    return budget - bytes.length;
  }

  private boolean terminated(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getContainerStatuses() != null
        && pod.getStatus().getContainerStatuses().stream()
            .anyMatch(
                s ->
                    container.equals(s.getName())
                        && s.getState() != null
                        && s.getState().getTerminated() != null);
  }
}
