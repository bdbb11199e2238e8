package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.models.ContainerExec;
import com.azure.resourcemanager.containerinstance.models.ContainerHttpGet;
import com.azure.resourcemanager.containerinstance.models.ContainerProbe;
import com.azure.resourcemanager.containerinstance.models.HttpHeader;
import com.azure.resourcemanager.containerinstance.models.Scheme;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Liveness and readiness probes as ACI's own probes: {@code exec} and {@code httpGet}, with their
 * timings. An exec probe's command is expanded against the container's literal env values, as the
 * kubelet expands it. ACI has no tcpSocket or gRPC probes (refused: an exec probe can do what they
 * do, with what the image has) and no startup probe, which is emulated ({@link #afterStartup}).
 */
final class ProbeTranslator {
  private ProbeTranslator() {}

  static ContainerProbe translate(
      Probe probe,
      String path,
      Container container,
      Map<String, String> staticEnv,
      Findings findings) {
    if (probe == null) {
      return null;
    }
    ContainerProbe aci =
        new ContainerProbe()
            .withInitialDelaySeconds(probe.getInitialDelaySeconds())
            .withPeriodSeconds(probe.getPeriodSeconds())
            .withFailureThreshold(probe.getFailureThreshold())
            .withSuccessThreshold(probe.getSuccessThreshold())
            .withTimeoutSeconds(probe.getTimeoutSeconds());
    if (probe.getTerminationGracePeriodSeconds() != null) {
      findings.apply(
          PodField.PROBE_TERMINATION_GRACE_PERIOD, path + ".terminationGracePeriodSeconds");
    }
    if (probe.getExec() != null) {
      List<String> command = new ArrayList<>();
      for (String arg : Lists.of(probe.getExec().getCommand())) {
        command.add(VarExpansion.expand(arg, staticEnv::get));
      }
      if (command.isEmpty()) {
        findings.invalid(path + ".exec.command", "an exec probe needs a command");
        return null;
      }
      return aci.withExec(new ContainerExec().withCommand(command));
    }
    if (probe.getHttpGet() != null) {
      var get = probe.getHttpGet();
      String getPath = path + ".httpGet";
      if (!Lists.isBlank(get.getHost())) {
        findings.apply(PodField.PROBE_HTTP_GET_HOST, getPath + ".host");
      }
      Integer port = port(get.getPort(), container, getPath + ".port", findings);
      if (port == null) {
        return null;
      }
      ContainerHttpGet http =
          new ContainerHttpGet()
              .withPort(port)
              .withPath(get.getPath())
              .withScheme("HTTPS".equalsIgnoreCase(get.getScheme()) ? Scheme.HTTPS : Scheme.HTTP);
      var headers = Lists.of(get.getHttpHeaders());
      if (!headers.isEmpty()) {
        List<HttpHeader> aciHeaders = new ArrayList<>();
        headers.forEach(
            h -> aciHeaders.add(new HttpHeader().withName(h.getName()).withValue(h.getValue())));
        http.withHttpHeaders(aciHeaders);
      }
      return aci.withHttpGet(http);
    }
    if (probe.getTcpSocket() != null) {
      findings.apply(PodField.PROBE_TCP_SOCKET, path + ".tcpSocket");
    } else if (probe.getGrpc() != null) {
      findings.apply(PodField.PROBE_GRPC, path + ".grpc");
    } else {
      findings.invalid(path, "a probe needs exec or httpGet");
    }
    return null;
  }

  /**
   * The liveness probe as it must be for a container with a startup probe: a kubelet runs no
   * liveness probe before the startup probe succeeded, and kills the container once the startup
   * probe failed {@code failureThreshold} times. ACI has no startup probe, so the liveness probe
   * waits until the startup probe could have failed for good: its initial delay becomes at least
   * the startup probe's {@code initialDelaySeconds + failureThreshold * periodSeconds} (with the
   * API server's defaults, 0, 3 and 10). A container that starts sooner is thus not watched for
   * that long, and one that never starts is restarted by the liveness probe a little later than a
   * kubelet would. Without a liveness probe there is nothing to delay, and the startup probe is
   * ignored with a notice.
   *
   * @param liveness the container's translated liveness probe, or null
   * @return the liveness probe to send, or null
   */
  static ContainerProbe afterStartup(
      ContainerProbe liveness, Probe startup, String path, Findings findings) {
    if (liveness == null) {
      findings.apply(PodField.STARTUP_PROBE_ALONE, path);
      return null;
    }
    long window =
        orDefault(startup.getInitialDelaySeconds(), 0)
            + (long) orDefault(startup.getFailureThreshold(), 3)
                * orDefault(startup.getPeriodSeconds(), 10);
    int delay = (int) Math.min(Integer.MAX_VALUE, window);
    int own = orDefault(liveness.initialDelaySeconds(), 0);
    if (delay > own) {
      liveness.withInitialDelaySeconds(delay);
    }
    findings.apply(
        PodField.STARTUP_PROBE,
        path,
        PodField.STARTUP_PROBE.reason()
            + "; here the liveness probe starts after "
            + Math.max(delay, own)
            + " s");
    return liveness;
  }

  private static int orDefault(Integer value, int otherwise) {
    return value == null ? otherwise : value;
  }

  /** A port number, or a named container port resolved to its number. */
  private static Integer port(
      IntOrString port, Container container, String path, Findings findings) {
    if (port == null) {
      findings.invalid(path, "an httpGet probe needs a port");
      return null;
    }
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    String name = port.getStrVal();
    for (var p : Lists.of(container.getPorts())) {
      if (name != null && name.equals(p.getName())) {
        return p.getContainerPort();
      }
    }
    try {
      return Integer.valueOf(name);
    } catch (NumberFormatException e) {
      findings.invalid(path, "no container port named \"" + name + "\"");
      return null;
    }
  }
}
