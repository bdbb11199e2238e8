package io.github.acivirtualnode.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

@ValidationRule(
    value =
        "!(has(self.priority) && self.priority == 'Spot' && has(self.sku)"
            + " && self.sku == 'Confidential')",
    message = "priority Spot cannot go with sku Confidential: ACI has no Spot confidential groups")
@ValidationRule(
    value =
        "!(has(self.priority) && self.priority == 'Spot' && has(self.subnetIds)"
            + " && size(self.subnetIds) > 0)",
    message = "priority Spot cannot go with subnetIds: ACI's Spot groups cannot join a VNet")
public class AzureSettings {
  @Required
  @JsonPropertyDescription("Azure subscription id (a GUID).")
  @Pattern("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
  private String subscriptionId;

  @Required
  @JsonPropertyDescription("Resource group that holds the container groups; it must exist.")
  @Pattern("^[-\\w._()]{0,89}[-\\w_()]$")
  private String resourceGroup;

  @Required
  @JsonPropertyDescription("Azure region of the container groups, e.g. westeurope.")
  @Pattern("^[a-z][a-z0-9]{1,39}$")
  private String region;

  @JsonPropertyDescription(
      "Azure Resource Manager endpoint over https (a sovereign cloud; an emulator or private cloud"
          + " the operator's AVN_ALLOWED_ARM_ENDPOINTS allows); defaults to Azure public.")
  @Pattern("^https://[^\\s/]+(/.*)?$")
  private String endpoint;

  @JsonPropertyDescription("Subnets for VNet integration (ARM resource ids).")
  @Size(max = 16)
  private List<@Pattern("^/subscriptions/[^/]+/resourceGroups/[^/]+/.+/subnets/[^/]+$") String>
      subnetIds = new ArrayList<>();

  @JsonPropertyDescription(
      "Priority of the node's container groups unless a pod's acivirtualnode.github.io/priority"
          + " annotation says otherwise: Regular (ACI's default) or Spot.")
  private ContainerGroupPriority priority;

  @JsonPropertyDescription(
      "SKU of the node's container groups unless a pod's acivirtualnode.github.io/sku annotation"
          + " says otherwise: Standard (ACI's default) or Confidential (Linux only).")
  private ContainerGroupSku sku;

  @Required
  @JsonPropertyDescription("How the operator authenticates to Azure: exactly one kind.")
  private AzureCredentials credentials;

  public String getSubscriptionId() {
    return subscriptionId;
  }

  public void setSubscriptionId(String subscriptionId) {
    this.subscriptionId = subscriptionId;
  }

  public String getResourceGroup() {
    return resourceGroup;
  }

  public void setResourceGroup(String resourceGroup) {
    this.resourceGroup = resourceGroup;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public List<String> getSubnetIds() {
    return subnetIds;
  }

  public void setSubnetIds(List<String> subnetIds) {
    this.subnetIds = subnetIds == null ? new ArrayList<>() : new ArrayList<>(subnetIds);
  }

  public ContainerGroupPriority getPriority() {
    return priority;
  }

  public void setPriority(ContainerGroupPriority priority) {
    this.priority = priority;
  }

  public ContainerGroupSku getSku() {
    return sku;
  }

  public void setSku(ContainerGroupSku sku) {
    this.sku = sku;
  }

  public AzureCredentials getCredentials() {
    return credentials;
  }

  public void setCredentials(AzureCredentials credentials) {
    this.credentials = credentials;
  }
}
