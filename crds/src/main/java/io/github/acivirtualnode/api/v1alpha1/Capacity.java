package io.github.acivirtualnode.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What the Node reports as capacity and allocatable; quantities in Kubernetes notation. The bounds
 * only keep the advertised capacity sane: what ACI actually grants is the subscription's regional
 * quota (cores and container groups per region), usually far less, and a pod beyond it fails with
 * ACI's quota error.
 */
@ValidationRule(
    value =
        "quantity(self.cpu).isGreaterThan(quantity('0'))"
            + " && quantity(self.cpu).compareTo(quantity('"
            + Capacity.MAX_CPU
            + "')) <= 0",
    message =
        "cpu must be more than 0 and at most "
            + Capacity.MAX_CPU
            + " cores; ACI grants what the subscription's regional core quota allows",
    fieldPath = ".cpu")
@ValidationRule(
    value =
        "quantity(self.memory).isGreaterThan(quantity('0'))"
            + " && quantity(self.memory).compareTo(quantity('"
            + Capacity.MAX_MEMORY
            + "')) <= 0",
    message =
        "memory must be more than 0 and at most "
            + Capacity.MAX_MEMORY
            + "; ACI grants what the subscription's regional quota allows",
    fieldPath = ".memory")
@ValidationRule(
    value = "size(self.pods) <= 6 && int(self.pods) >= 1 && int(self.pods) <= " + Capacity.MAX_PODS,
    message =
        "pods must be between 1 and "
            + Capacity.MAX_PODS
            + "; ACI runs as many container groups as the subscription's regional quota allows",
    fieldPath = ".pods")
public class Capacity {
  static final String MAX_CPU = "10000";
  static final String MAX_MEMORY = "64Ti";
  static final String MAX_PODS = "100000";

  /** A non-negative Kubernetes quantity (the API's own grammar without the sign). */
  static final String QUANTITY =
      "^\\+?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+|[numkKMGTPE]i?)?$";

  @JsonPropertyDescription("CPU cores, e.g. 100 or 2500m.")
  @Default("100")
  @Pattern(QUANTITY)
  private String cpu = "100";

  @JsonPropertyDescription("Memory, e.g. 400Gi.")
  @Default("400Gi")
  @Pattern(QUANTITY)
  private String memory = "400Gi";

  @JsonPropertyDescription("Maximum number of pods.")
  @Default("500")
  @Pattern("^[0-9]+$")
  private String pods = "500";

  @JsonProperty("nvidia.com/gpu")
  @JsonPropertyDescription("GPUs; 0 hides the resource.")
  @Default("0")
  @Pattern("^[0-9]+$")
  private String gpu = "0";

  public String getCpu() {
    return cpu;
  }

  public void setCpu(String cpu) {
    this.cpu = cpu;
  }

  public String getMemory() {
    return memory;
  }

  public void setMemory(String memory) {
    this.memory = memory;
  }

  public String getPods() {
    return pods;
  }

  public void setPods(String pods) {
    this.pods = pods;
  }

  public String getGpu() {
    return gpu;
  }

  public void setGpu(String gpu) {
    this.gpu = gpu;
  }
}
