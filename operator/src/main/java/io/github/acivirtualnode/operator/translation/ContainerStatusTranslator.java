package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.models.ContainerPropertiesInstanceView;
import com.azure.resourcemanager.containerinstance.models.ContainerState;
import com.azure.resourcemanager.containerinstance.models.Event;
import com.azure.resourcemanager.containerinstance.models.InitContainerDefinition;
import com.azure.resourcemanager.containerinstance.models.InitContainerPropertiesDefinitionInstanceView;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One container's status from ACI's instance view of it. */
final class ContainerStatusTranslator {
  private static final Pattern REASON =
      Pattern.compile("([A-Z][A-Za-z]+)(?::\\s*(.*))?", Pattern.DOTALL);
  private static final Pattern DIGEST = Pattern.compile("\"([^\"\\s]+@sha256:[0-9a-f]{64})\"");

  private ContainerStatusTranslator() {}

  /**
   * @param status the container's status
   * @param running whether it runs
   * @param terminated whether it has terminated (and is not waiting to restart)
   * @param exitedOk whether it terminated with exit code 0
   * @param restarting whether it waits after having run before (kubelet: counts as stopped)
   * @param replacing whether it waits to start for the first time in a group that replaced the one
   *     it ran in (the pod runs on: its containers restart)
   * @param recheckAt when its readiness would change with no news, or null
   */
  record Result(
      ContainerStatus status,
      boolean running,
      boolean terminated,
      boolean exitedOk,
      boolean restarting,
      boolean replacing,
      Instant recheckAt) {}

  /**
   * What ACI's instance view says of one container, app or init (two SDK types of one shape).
   *
   * @param restartCount ACI's restart count, or null
   * @param current the current state, or null
   * @param previous the previous state, or null
   * @param events the container's aggregated events
   */
  record View(
      Integer restartCount, ContainerState current, ContainerState previous, List<Event> events) {
    static View of(com.azure.resourcemanager.containerinstance.models.Container aci) {
      ContainerPropertiesInstanceView iv = aci == null ? null : aci.instanceView();
      return iv == null
          ? null
          : new View(iv.restartCount(), iv.currentState(), iv.previousState(), iv.events());
    }

    static View of(InitContainerDefinition aci) {
      InitContainerPropertiesDefinitionInstanceView iv = aci == null ? null : aci.instanceView();
      return iv == null
          ? null
          : new View(iv.restartCount(), iv.currentState(), iv.previousState(), iv.events());
    }
  }

  static Result translate(
      Container spec,
      com.azure.resourcemanager.containerinstance.models.Container aci,
      String groupName,
      ContainerStatus previous,
      int restartBase,
      Instant now) {
    return translate(
        spec, View.of(aci), groupName, previous, restartBase, "ContainerCreating", now);
  }

  /**
   * @param iv ACI's view of the container, or null when it has none (yet)
   * @param restartBase the restarts counted before this group ({@link ContainerRestarts})
   * @param waitingReason why it waits when ACI says nothing more ({@code ContainerCreating}, or
   *     {@code PodInitializing} while init containers run, as a kubelet says)
   */
  static Result translate(
      Container spec,
      View iv,
      String groupName,
      ContainerStatus previous,
      int restartBase,
      String waitingReason,
      Instant now) {
    ContainerState current = iv == null ? null : iv.current();
    ContainerState before = iv == null ? null : iv.previous();
    List<Event> events = iv == null ? List.of() : Lists.of(iv.events());
    int aciRestarts = iv == null || iv.restartCount() == null ? 0 : iv.restartCount();
    int restarts = restartBase + aciRestarts;
    // Not yet started in a group that replaced the one it ran in: created, not crash-looping.
    boolean freshInReplacement = restartBase > 0 && aciRestarts == 0 && before == null;
    if (previous != null && previous.getRestartCount() != null) {
      restarts = Math.max(restarts, previous.getRestartCount());
    }
    String state = current == null || current.state() == null ? "" : current.state();
    io.fabric8.kubernetes.api.model.ContainerState k8sLast =
        before != null && "Terminated".equals(before.state())
            ? terminated(before)
            : previous != null ? previous.getLastState() : null;
    boolean running = false;
    boolean terminated = false;
    boolean exitedOk = false;
    boolean ready = false;
    Instant recheckAt = null;
    io.fabric8.kubernetes.api.model.ContainerState k8sState;
    switch (state) {
      case "Running":
        running = true;
        k8sState =
            new ContainerStateBuilder()
                .withNewRunning()
                .withStartedAt(time(current.startTime()))
                .endRunning()
                .build();
        if (spec.getReadinessProbe() == null) {
          ready = true;
        } else {
          Readiness.Verdict verdict =
              Readiness.evaluate(
                  spec.getReadinessProbe(), instant(current.startTime()), events, now);
          ready = verdict.ready();
          recheckAt = verdict.changesAt();
        }
        break;
      case "Terminated":
        terminated = true;
        exitedOk = current.exitCode() != null && current.exitCode() == 0;
        k8sState = terminated(current);
        break;
      default:
        k8sState =
            waiting(
                current,
                !freshInReplacement && k8sLast != null && k8sLast.getTerminated() != null,
                waitingReason);
    }
    boolean replacing = !running && !terminated && freshInReplacement;
    boolean restarting =
        !running && !terminated && !replacing && k8sLast != null && k8sLast.getTerminated() != null;
    ContainerStatus status =
        new ContainerStatusBuilder()
            .withName(spec.getName())
            .withImage(spec.getImage())
            .withImageID(imageId(events, previous))
            .withContainerID(
                current == null || groupName == null
                    ? null
                    : "aci://" + groupName + "/" + spec.getName())
            .withState(k8sState)
            .withLastState(
                k8sLast == null ? new io.fabric8.kubernetes.api.model.ContainerState() : k8sLast)
            .withReady(ready)
            .withStarted(running)
            .withRestartCount(restarts)
            .build();
    return new Result(status, running, terminated, exitedOk, restarting, replacing, recheckAt);
  }

  static io.fabric8.kubernetes.api.model.ContainerState terminated(ContainerState s) {
    int exitCode = s.exitCode() == null ? 0 : s.exitCode();
    String detail = s.detailStatus();
    String reason = exitCode == 0 ? "Completed" : "Error";
    String message = null;
    if (!Lists.isBlank(detail)) {
      Matcher m = REASON.matcher(detail.trim());
      if (m.matches()) {
        reason = m.group(1);
        message = m.group(2);
      } else {
        message = detail;
      }
    }
    return new ContainerStateBuilder()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(reason)
        .withMessage(message)
        .withStartedAt(time(s.startTime()))
        .withFinishedAt(time(s.finishTime()))
        .endTerminated()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.ContainerState waiting(
      ContainerState s, boolean ranBefore, String waitingReason) {
    String reason = ranBefore ? "CrashLoopBackOff" : waitingReason;
    String message = null;
    String detail = s == null ? null : s.detailStatus();
    if (!Lists.isBlank(detail)) {
      Matcher m = REASON.matcher(detail.trim());
      if (m.matches()) {
        reason = m.group(1);
        message = m.group(2);
      } else {
        message = detail;
      }
    }
    return new ContainerStateBuilder()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .build();
  }

  /** The image digest ACI pulled, from its Pulled event, or what the pod said before. */
  private static String imageId(List<Event> events, ContainerStatus previous) {
    for (int i = events.size() - 1; i >= 0; i--) {
      Event e = events.get(i);
      if ("Pulled".equals(e.name()) && e.message() != null) {
        Matcher m = DIGEST.matcher(e.message());
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    return previous != null && previous.getImageID() != null ? previous.getImageID() : "";
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  static String time(OffsetDateTime t) {
    return t == null ? null : format(t.toInstant());
  }

  static String format(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
