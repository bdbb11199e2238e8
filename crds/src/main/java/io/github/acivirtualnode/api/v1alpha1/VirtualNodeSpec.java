package io.github.acivirtualnode.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@ValidationRule(
    value =
        "!(has(self.os) && self.os == 'Windows' && has(self.azure.sku)"
            + " && self.azure.sku == 'Confidential')",
    message = "azure.sku Confidential needs os Linux: ACI's confidential containers are Linux only")
public class VirtualNodeSpec {
  /** Labels the operator sets on every Node: a VirtualNode may not override them. */
  static final String RESERVED_LABELS =
      "['type', 'kubernetes.io/role', 'kubernetes.io/hostname', 'kubernetes.io/os',"
          + " 'beta.kubernetes.io/os', 'kubernetes.io/arch', 'beta.kubernetes.io/arch',"
          + " 'topology.kubernetes.io/region', 'acivirtualnode.github.io/virtual-node']";

  /** A label key as Kubernetes validates it: [DNS subdomain/]name, the name at most 63 long. */
  static final String LABEL_KEY =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
          + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

  /** The taint every virtual node carries unless the spec lists its own. */
  public static final String DEFAULT_TAINTS =
      "[{\"key\":\"virtual-kubelet.io/provider\",\"value\":\"azure\",\"effect\":\"NoSchedule\"}]";

  @JsonPropertyDescription(
      "Name of the Node to register; defaults to the VirtualNode's name. At most 63 characters:"
          + " it is also the kubernetes.io/hostname label.")
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
  @Size(max = 63)
  private String nodeName;

  @JsonPropertyDescription("Operating system of the container groups: Linux or Windows.")
  @Default("Linux")
  private OperatingSystem os = OperatingSystem.Linux;

  @Required
  @JsonPropertyDescription("Where and as whom the node's pods run in Azure Container Instances.")
  private AzureSettings azure;

  @JsonPropertyDescription(
      "Taints of the Node; defaults to virtual-kubelet.io/provider=azure:NoSchedule.")
  @Default(DEFAULT_TAINTS)
  @Size(max = 64)
  private List<NodeTaint> taints;

  @JsonPropertyDescription(
      "Extra labels of the Node, besides those the operator sets (type, kubernetes.io/os,"
          + " kubernetes.io/hostname...), which cannot be overridden.")
  @Size(max = 64)
  @ValidationRule(
      value = "self.all(k, !(k in " + RESERVED_LABELS + "))",
      messageExpression =
          "'label ' + self.filter(k, k in "
              + RESERVED_LABELS
              + ")[0] + ' is set by the operator and cannot be overridden'")
  @ValidationRule(
      value = "self.all(k, size(k) <= 317 && k.matches('" + LABEL_KEY + "'))",
      messageExpression =
          "'label key ' + self.filter(k, size(k) > 317 || !k.matches('"
              + LABEL_KEY
              + "'))[0] + ' is not a valid label key: an optional DNS subdomain prefix and /,"
              + " then at most 63 characters [A-Za-z0-9-_.] starting and ending alphanumeric'")
  private Map<
          String, @Size(max = 63) @Pattern("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$") String>
      labels = new LinkedHashMap<>();

  @JsonPropertyDescription("What the Node offers to the scheduler.")
  private Capacity capacity = new Capacity();

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public OperatingSystem getOs() {
    return os;
  }

  public void setOs(OperatingSystem os) {
    this.os = os;
  }

  public AzureSettings getAzure() {
    return azure;
  }

  public void setAzure(AzureSettings azure) {
    this.azure = azure;
  }

  public List<NodeTaint> getTaints() {
    return taints;
  }

  public void setTaints(List<NodeTaint> taints) {
    this.taints = taints == null ? null : new ArrayList<>(taints);
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels == null ? new LinkedHashMap<>() : new LinkedHashMap<>(labels);
  }

  public Capacity getCapacity() {
    return capacity;
  }

  public void setCapacity(Capacity capacity) {
    this.capacity = capacity == null ? new Capacity() : capacity;
  }
}
