package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.models.ResourceLimits;
import com.azure.resourcemanager.containerinstance.models.ResourceRequests;
import com.azure.resourcemanager.containerinstance.models.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * A container's CPU and memory in ACI's terms. ACI takes both as doubles: CPU in cores, memory in
 * GB. The translation sends CPU in hundredths of a core and memory in tenths of a GB (the steps
 * ACI's own tools accept), always rounding up, so a container never gets less than it asked for. A
 * GB is taken as 10^9 bytes: of the two readings of ACI's "GB" it is the one that never gives less
 * (a request of 1Gi = 1.074 GB becomes 1.1).
 *
 * <p>A container without a request gets its limit as request (as the API server defaults it), and
 * without either the node's {@link NodeContext.ResourceDefaults}. Limits are sent only when the pod
 * sets them; ACI then lets the container burst up to them.
 */
final class ResourceTranslator {
  /** The CPU step: one hundredth of a core. */
  static final BigDecimal CPU_STEP = new BigDecimal("0.01");

  /** The memory step: one tenth of a GB. */
  static final BigDecimal MEMORY_STEP_GB = new BigDecimal("0.1");

  static final BigDecimal BYTES_PER_GB = new BigDecimal(1_000_000_000L);

  private ResourceTranslator() {}

  /**
   * What ACI gives the container, in cores and GB (limits null when not set).
   *
   * @param cpuRequest cores requested
   * @param cpuLimit cores limit, or null
   * @param memoryRequestGb GB requested
   * @param memoryLimitGb GB limit, or null
   */
  record Effective(
      BigDecimal cpuRequest,
      BigDecimal cpuLimit,
      BigDecimal memoryRequestGb,
      BigDecimal memoryLimitGb) {
    BigDecimal cpuLimitOrRequest() {
      return cpuLimit != null ? cpuLimit : cpuRequest;
    }

    BigDecimal memoryRequestBytes() {
      return memoryRequestGb.multiply(BYTES_PER_GB);
    }

    BigDecimal memoryLimitOrRequestBytes() {
      return (memoryLimitGb != null ? memoryLimitGb : memoryRequestGb).multiply(BYTES_PER_GB);
    }

    ResourceRequirements toAci() {
      ResourceRequirements r =
          new ResourceRequirements()
              .withRequests(
                  new ResourceRequests()
                      .withCpu(cpuRequest.doubleValue())
                      .withMemoryInGB(memoryRequestGb.doubleValue()));
      if (cpuLimit != null || memoryLimitGb != null) {
        ResourceLimits limits = new ResourceLimits();
        if (cpuLimit != null) {
          limits.withCpu(cpuLimit.doubleValue());
        }
        if (memoryLimitGb != null) {
          limits.withMemoryInGB(memoryLimitGb.doubleValue());
        }
        r.withLimits(limits);
      }
      return r;
    }
  }

  static Effective translate(
      Container container, String path, NodeContext.ResourceDefaults defaults, Findings findings) {
    var resources = container.getResources();
    Map<String, Quantity> requests =
        resources == null ? Map.of() : Lists.of(resources.getRequests());
    Map<String, Quantity> limits = resources == null ? Map.of() : Lists.of(resources.getLimits());
    checkNames(requests, path + ".resources.requests", findings);
    checkNames(limits, path + ".resources.limits", findings);

    BigDecimal cpuLimit = cores(limits.get("cpu"));
    BigDecimal cpuRequest = cores(requests.get("cpu"));
    if (cpuRequest == null) {
      cpuRequest = cpuLimit != null ? cpuLimit : roundUp(defaults.cpu(), CPU_STEP);
    }
    BigDecimal memLimit = gigabytes(limits.get("memory"));
    BigDecimal memRequest = gigabytes(requests.get("memory"));
    if (memRequest == null) {
      memRequest = memLimit != null ? memLimit : roundUp(defaults.memoryInGb(), MEMORY_STEP_GB);
    }
    return new Effective(cpuRequest, cpuLimit, memRequest, memLimit);
  }

  /**
   * What ACI gives each init container: the group's total, the sum of its containers' requests (no
   * other container runs while an init container does), with no limits of its own.
   */
  static Effective groupTotal(
      List<com.azure.resourcemanager.containerinstance.models.Container> containers) {
    BigDecimal cpu = BigDecimal.ZERO;
    BigDecimal memory = BigDecimal.ZERO;
    for (var c : containers) {
      var requests = c.resources() == null ? null : c.resources().requests();
      if (requests != null) {
        cpu = cpu.add(BigDecimal.valueOf(requests.cpu()));
        memory = memory.add(BigDecimal.valueOf(requests.memoryInGB()));
      }
    }
    return new Effective(cpu.stripTrailingZeros(), null, memory.stripTrailingZeros(), null);
  }

  /**
   * An init container's resources against what ACI gives it, the group's total. Kubernetes reserves
   * max(largest init container, sum of app containers) for a pod; ACI reserves the sum of the app
   * containers (and sidecars) only, and runs each init container with all of it. So a request the
   * total covers is honoured (a notice says how), a larger one cannot be (an error naming the
   * field: raise an app container's request to cover it), and limits cannot be set below the total
   * (a notice).
   */
  static void checkInit(Container container, String path, Effective group, Findings findings) {
    var resources = container.getResources();
    Map<String, Quantity> requests =
        resources == null ? Map.of() : Lists.of(resources.getRequests());
    Map<String, Quantity> limits = resources == null ? Map.of() : Lists.of(resources.getLimits());
    if (requests.isEmpty() && limits.isEmpty()) {
      return;
    }
    checkNames(requests, path + ".resources.requests", findings);
    checkNames(limits, path + ".resources.limits", findings);
    // The API server defaults a missing request to the limit.
    BigDecimal cpu = cores(requests.containsKey("cpu") ? requests.get("cpu") : limits.get("cpu"));
    BigDecimal memory =
        gigabytes(requests.containsKey("memory") ? requests.get("memory") : limits.get("memory"));
    String cpuKey = requests.containsKey("cpu") ? "requests" : "limits";
    String memoryKey = requests.containsKey("memory") ? "requests" : "limits";
    boolean covered = true;
    if (cpu != null && cpu.compareTo(group.cpuRequest()) > 0) {
      covered = false;
      findings.unsupported(
          path + ".resources." + cpuKey + "[cpu]",
          "ACI runs an init container with the group's CPU, the sum of its containers' requests ("
              + group.cpuRequest().toPlainString()
              + " cores), less than the "
              + cpu.stripTrailingZeros().toPlainString()
              + " asked for; raise an app container's CPU request to cover it");
    }
    if (memory != null && memory.compareTo(group.memoryRequestGb()) > 0) {
      covered = false;
      findings.unsupported(
          path + ".resources." + memoryKey + "[memory]",
          "ACI runs an init container with the group's memory, the sum of its containers'"
              + " requests ("
              + group.memoryRequestGb().toPlainString()
              + " GB), less than the "
              + memory.stripTrailingZeros().toPlainString()
              + " GB asked for; raise an app container's memory request to cover it");
    }
    if (covered && (cpu != null || memory != null)) {
      findings.notice(
          path + ".resources",
          "ACI has no resources per init container: it runs with the whole group's "
              + group.cpuRequest().toPlainString()
              + " cores and "
              + group.memoryRequestGb().toPlainString()
              + " GB (no other container runs meanwhile), which cover what it asks for; limits"
              + " of its own are not enforced");
    }
  }

  static void checkNames(Map<String, Quantity> resources, String path, Findings findings) {
    for (String name : resources.keySet()) {
      switch (name) {
        case "cpu":
        case "memory":
          break;
        case "ephemeral-storage":
          findings.apply(PodField.RESOURCE_EPHEMERAL_STORAGE, path + "[ephemeral-storage]");
          break;
        case GpuOffering.RESOURCE:
          GpuOffering.check(resources.get(name), path + "[" + name + "]", findings);
          break;
        default:
          findings.apply(
              PodField.RESOURCE_OTHER,
              path + "[" + name + "]",
              "ACI has no resource \"" + name + "\" to give");
      }
    }
  }

  /** Cores, rounded up to the step and at least one step; null when absent. */
  static BigDecimal cores(Quantity q) {
    if (q == null) {
      return null;
    }
    return atLeastOneStep(roundUp(q.getNumericalAmount(), CPU_STEP), CPU_STEP);
  }

  /** GB, rounded up to the step and at least one step; null when absent. */
  static BigDecimal gigabytes(Quantity q) {
    if (q == null) {
      return null;
    }
    BigDecimal gb = Quantity.getAmountInBytes(q).divide(BYTES_PER_GB);
    return atLeastOneStep(roundUp(gb, MEMORY_STEP_GB), MEMORY_STEP_GB);
  }

  private static BigDecimal roundUp(BigDecimal value, BigDecimal step) {
    return value.divide(step, 0, RoundingMode.CEILING).multiply(step);
  }

  private static BigDecimal atLeastOneStep(BigDecimal value, BigDecimal step) {
    return value.compareTo(step) < 0 ? step : value;
  }
}
