package io.github.acivirtualnode.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A virtual Kubernetes node whose pods run as Azure Container Instances container groups.
 * Cluster-scoped, like the Node it creates.
 */
@Group(VirtualNode.GROUP)
@Version(VirtualNode.VERSION)
@Plural("virtualnodes")
@ShortNames("vnode")
@AdditionalPrinterColumn(
    name = "Node",
    jsonPath = ".status.nodeName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Region",
    jsonPath = ".spec.azure.region",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "OS",
    jsonPath = ".spec.os",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Pods",
    jsonPath = ".status.pods",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "has(self.spec)", message = "spec is required")
@ValidationRule(
    value = "size(self.metadata.name) <= 63",
    message = "metadata.name must be at most 63 characters: it is a label value on the Node")
public class VirtualNode extends CustomResource<VirtualNodeSpec, VirtualNodeStatus> {
  public static final String GROUP = "acivirtualnode.github.io";
  public static final String VERSION = "v1alpha1";
  private static final long serialVersionUID = 1L;

  /** The Node's name: spec.nodeName, or the resource's own name when that is not set. */
  public String nodeName() {
    String fromSpec = getSpec() == null ? null : getSpec().getNodeName();
    return fromSpec == null || fromSpec.isBlank() ? getMetadata().getName() : fromSpec;
  }
}
