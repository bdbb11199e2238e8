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
 * kubelet expands it. ACI has no tcpSocket or gRPC probes and no startup probe.
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
      findings.unsupported(
          path + ".terminationGracePeriodSeconds",
          "ACI probes have no termination grace period of their own");
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
        findings.unsupported(
            getPath + ".host", "ACI probes always call the container itself; host cannot be set");
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
      findings.unsupported(path + ".tcpSocket", "ACI probes are exec or httpGet, not tcpSocket");
    } else if (probe.getGrpc() != null) {
      findings.unsupported(path + ".grpc", "ACI probes are exec or httpGet, not grpc");
    } else {
      findings.invalid(path, "a probe needs exec or httpGet");
    }
    return null;
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
