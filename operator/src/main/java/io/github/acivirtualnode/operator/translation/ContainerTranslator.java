package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.models.ContainerNetworkProtocol;
import com.azure.resourcemanager.containerinstance.models.ContainerPort;
import com.azure.resourcemanager.containerinstance.models.InitContainerDefinition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * One pod container as one ACI container: image, command, ports, resources, environment, mounts,
 * probes and security context. Fields ACI has no equivalent for are errors; fields the API server
 * always defaults and that change nothing here (terminationMessagePath and Policy, imagePullPolicy:
 * ACI pulls when it creates the group) are accepted as they are.
 *
 * <p>An init container that runs to completion becomes an ACI init container ({@link
 * #translateInit}): the same image, command, environment, mounts and security context, and nothing
 * else, as ACI's init containers have no resources of their own (they get the group's), no ports
 * and no probes. A sidecar (an init container with restartPolicy Always) is translated as an app
 * container ({@link #translate} with {@code sidecar} true).
 */
final class ContainerTranslator {
  private ContainerTranslator() {}

  static com.azure.resourcemanager.containerinstance.models.Container translate(
      Pod pod,
      Container c,
      String path,
      PodReferences refs,
      NodeContext node,
      VolumeTranslator.Volumes volumes,
      Findings findings) {
    return translate(pod, c, path, refs, node, volumes, false, findings);
  }

  /**
   * @param sidecar whether {@code c} is an init container with restartPolicy Always, run as one of
   *     the group's containers
   */
  static com.azure.resourcemanager.containerinstance.models.Container translate(
      Pod pod,
      Container c,
      String path,
      PodReferences refs,
      NodeContext node,
      VolumeTranslator.Volumes volumes,
      boolean sidecar,
      Findings findings) {
    var aci = new com.azure.resourcemanager.containerinstance.models.Container();
    aci.withName(c.getName());
    ImageReference.problem(c.getImage())
        .ifPresent(reason -> findings.invalid(path + ".image", reason));
    aci.withImage(c.getImage());

    ResourceTranslator.Effective resources =
        ResourceTranslator.translate(c, path, node.defaults(), findings);
    aci.withResources(resources.toAci());

    EnvTranslator.Environment env =
        EnvTranslator.resolve(pod, c, path, refs, node, resources, findings);
    aci.withEnvironmentVariables(env.toAci());
    aci.withCommand(command(c, path, env, findings));
    aci.withPorts(ports(c, path, findings));
    aci.withVolumeMounts(VolumeTranslator.mounts(c, path, volumes, findings));
    var liveness =
        ProbeTranslator.translate(
            c.getLivenessProbe(), path + ".livenessProbe", c, env.staticValues(), findings);
    if (c.getStartupProbe() != null) {
      String startupPath = path + ".startupProbe";
      if (sidecar) {
        findings.apply(PodField.STARTUP_PROBE_SIDECAR, startupPath);
      } else {
        // Checked as any probe (exec or httpGet), then folded into the liveness probe.
        ProbeTranslator.translate(
            c.getStartupProbe(), startupPath, c, env.staticValues(), findings);
        liveness =
            ProbeTranslator.afterStartup(liveness, c.getStartupProbe(), startupPath, findings);
      }
    }
    aci.withLivenessProbe(liveness);
    aci.withReadinessProbe(
        ProbeTranslator.translate(
            c.getReadinessProbe(), path + ".readinessProbe", c, env.staticValues(), findings));
    aci.withSecurityContext(
        SecurityTranslator.translate(c, pod.getSpec().getSecurityContext(), path, findings));

    var lifecycle = c.getLifecycle();
    if (lifecycle != null) {
      if (lifecycle.getPostStart() != null) {
        findings.apply(PodField.POST_START, path + ".lifecycle.postStart");
      }
      if (lifecycle.getPreStop() != null) {
        findings.apply(PodField.PRE_STOP, path + ".lifecycle.preStop");
      }
      if (lifecycle.getStopSignal() != null) {
        findings.apply(PodField.STOP_SIGNAL, path + ".lifecycle.stopSignal");
      }
    }
    if (!Lists.of(c.getResizePolicy()).isEmpty()) {
      findings.apply(PodField.RESIZE_POLICY, path + ".resizePolicy");
    }
    checkCommon(c, path, findings);
    if (sidecar) {
      if (!Lists.of(c.getRestartPolicyRules()).isEmpty()) {
        findings.apply(PodField.RESTART_POLICY_RULES, path + ".restartPolicyRules");
      }
      String podPolicy = pod.getSpec().getRestartPolicy();
      if (podPolicy != null && !InitContainers.SIDECAR_POLICY.equals(podPolicy)) {
        findings.apply(
            PodField.SIDECAR_UNDER_POD_POLICY,
            path + ".restartPolicy",
            "ACI has one restart policy for the whole group: this sidecar is restarted as the pod's"
                + " restartPolicy "
                + podPolicy
                + " says, not always");
      }
    } else if (c.getRestartPolicy() != null || !Lists.of(c.getRestartPolicyRules()).isEmpty()) {
      findings.apply(PodField.RESTART_POLICY_CONTAINER, path + ".restartPolicy");
    }
    return aci;
  }

  /**
   * An init container that runs to completion as an ACI init container: its image, command (with
   * args), environment, volume mounts and security context. ACI gives every init container the
   * whole group's CPU and memory (no other container runs meanwhile): a request the group's total
   * covers is accepted with a notice, a larger one is an error naming the field, as is anything an
   * init container cannot have (probes, lifecycle hooks); declared ports, informational in
   * Kubernetes, are left out with a notice.
   *
   * @param group what ACI gives the init container: the sum of the group's container requests
   */
  static InitContainerDefinition translateInit(
      Pod pod,
      Container c,
      String path,
      PodReferences refs,
      NodeContext node,
      VolumeTranslator.Volumes volumes,
      ResourceTranslator.Effective group,
      Findings findings) {
    InitContainerDefinition aci = new InitContainerDefinition().withName(c.getName());
    ImageReference.problem(c.getImage())
        .ifPresent(reason -> findings.invalid(path + ".image", reason));
    aci.withImage(c.getImage());
    ResourceTranslator.checkInit(c, path, group, findings);
    EnvTranslator.Environment env =
        EnvTranslator.resolve(pod, c, path, refs, node, group, findings);
    aci.withEnvironmentVariables(env.toAci());
    aci.withCommand(command(c, path, env, findings));
    aci.withVolumeMounts(VolumeTranslator.mounts(c, path, volumes, findings));
    aci.withSecurityContext(
        SecurityTranslator.translate(c, pod.getSpec().getSecurityContext(), path, findings));
    if (!Lists.of(c.getPorts()).isEmpty()) {
      findings.notice(
          path + ".ports",
          "ACI init containers have no ports and the group's address does not expose them;"
              + " ignored");
    }
    String notForInit =
        "an init container runs to completion before the app containers start and cannot have"
            + " one (only a sidecar, restartPolicy: Always, can)";
    if (c.getLivenessProbe() != null) {
      findings.unsupported(path + ".livenessProbe", notForInit);
    }
    if (c.getReadinessProbe() != null) {
      findings.unsupported(path + ".readinessProbe", notForInit);
    }
    if (c.getStartupProbe() != null) {
      findings.unsupported(path + ".startupProbe", notForInit);
    }
    if (c.getLifecycle() != null
        && (c.getLifecycle().getPostStart() != null
            || c.getLifecycle().getPreStop() != null
            || c.getLifecycle().getStopSignal() != null)) {
      findings.unsupported(path + ".lifecycle", notForInit);
    }
    checkCommon(c, path, findings);
    if (c.getRestartPolicy() != null || !Lists.of(c.getRestartPolicyRules()).isEmpty()) {
      findings.unsupported(
          path + ".restartPolicy",
          "only restartPolicy Always (a sidecar) can be set on an init container, not "
              + c.getRestartPolicy());
    }
    return aci;
  }

  /** The fields no ACI container, app or init, has. */
  private static void checkCommon(Container c, String path, Findings findings) {
    if (!Lists.isBlank(c.getWorkingDir())) {
      findings.apply(PodField.WORKING_DIR, path + ".workingDir");
    }
    if (Lists.isTrue(c.getStdin())) {
      findings.apply(PodField.STDIN, path + ".stdin");
    }
    if (Lists.isTrue(c.getTty())) {
      findings.apply(PodField.TTY, path + ".tty");
    }
    if (!Lists.of(c.getVolumeDevices()).isEmpty()) {
      findings.apply(PodField.VOLUME_DEVICES, path + ".volumeDevices");
    }
  }

  /**
   * ACI's command: the container's command followed by its args, each expanded as the kubelet
   * expands them. Args alone cannot be sent: ACI's command replaces the image's entrypoint, which
   * the operator does not know.
   */
  private static List<String> command(
      Container c, String path, EnvTranslator.Environment env, Findings findings) {
    List<String> command = Lists.of(c.getCommand());
    List<String> args = Lists.of(c.getArgs());
    if (command.isEmpty() && args.isEmpty()) {
      return null;
    }
    if (command.isEmpty()) {
      findings.apply(
          PodField.ARGS_ALONE,
          path + ".args",
          "ACI has no args of its own, only a command that replaces the image's entrypoint, and"
              + " the entrypoint of \""
              + c.getImage()
              + "\" is unknown here; set command to the entrypoint followed by these args");
      return null;
    }
    List<String> result = new ArrayList<>();
    expandAll(command, path + ".command", env, result, findings);
    expandAll(args, path + ".args", env, result, findings);
    return result;
  }

  private static void expandAll(
      List<String> items,
      String path,
      EnvTranslator.Environment env,
      List<String> into,
      Findings findings) {
    for (int i = 0; i < items.size(); i++) {
      String item = items.get(i);
      String itemPath = path + "[" + i + "]";
      for (String name : VarExpansion.references(item)) {
        EnvTranslator.Value v = env.get(name);
        if (v != null && v.secret()) {
          findings.apply(
              PodField.SECRET_IN_COMMAND,
              itemPath,
              "$("
                  + name
                  + ") holds a Secret value, and ACI shows a container's command in plain text;"
                  + " read the variable inside the container instead (\"$"
                  + name
                  + "\" in a shell)");
        }
      }
      into.add(
          VarExpansion.expand(
              item,
              name -> {
                EnvTranslator.Value v = env.get(name);
                return v == null ? null : v.value();
              }));
    }
  }

  private static List<ContainerPort> ports(Container c, String path, Findings findings) {
    List<ContainerPort> result = new ArrayList<>();
    var ports = Lists.of(c.getPorts());
    for (int i = 0; i < ports.size(); i++) {
      var p = ports.get(i);
      String portPath = path + ".ports[" + i + "]";
      String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
      ContainerNetworkProtocol aciProtocol;
      if (protocol.equals("TCP")) {
        aciProtocol = ContainerNetworkProtocol.TCP;
      } else if (protocol.equals("UDP")) {
        aciProtocol = ContainerNetworkProtocol.UDP;
      } else {
        findings.apply(
            PodField.PORT_PROTOCOL,
            portPath + ".protocol",
            "ACI ports are TCP or UDP, not " + protocol);
        continue;
      }
      if (p.getHostPort() != null
          && p.getHostPort() != 0
          && !p.getHostPort().equals(p.getContainerPort())) {
        findings.apply(PodField.HOST_PORT, portPath + ".hostPort");
      }
      if (!Lists.isBlank(p.getHostIP())) {
        findings.apply(PodField.HOST_IP, portPath + ".hostIP");
      }
      if (p.getContainerPort() == null) {
        findings.invalid(portPath + ".containerPort", "a port needs a number");
        continue;
      }
      result.add(new ContainerPort().withPort(p.getContainerPort()).withProtocol(aciProtocol));
    }
    return result;
  }
}
