package io.github.acivirtualnode.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** What the Node reports as capacity and allocatable; quantities in Kubernetes notation. */
public class Capacity {
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
