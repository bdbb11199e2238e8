package io.github.acivirtualnode.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Exactly one way to obtain an Azure token; enforced by the schema's CEL rule. */
@ValidationRule(
    value =
        "(has(self.secretRef) ? 1 : 0) + (has(self.workloadIdentity) ? 1 : 0)"
            + " + (has(self.managedIdentity) ? 1 : 0) == 1",
    message = "credentials must set exactly one of secretRef, workloadIdentity or managedIdentity")
public class AzureCredentials {
  @JsonPropertyDescription(
      "Service principal: a Secret in the operator's namespace with keys tenantId, clientId and"
          + " clientSecret.")
  private SecretReference secretRef;

  @JsonPropertyDescription("Microsoft Entra Workload ID federated with the operator's account.")
  private WorkloadIdentity workloadIdentity;

  @JsonPropertyDescription("The managed identity of the machine the operator runs on.")
  private ManagedIdentity managedIdentity;

  public SecretReference getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretReference secretRef) {
    this.secretRef = secretRef;
  }

  public WorkloadIdentity getWorkloadIdentity() {
    return workloadIdentity;
  }

  public void setWorkloadIdentity(WorkloadIdentity workloadIdentity) {
    this.workloadIdentity = workloadIdentity;
  }

  public ManagedIdentity getManagedIdentity() {
    return managedIdentity;
  }

  public void setManagedIdentity(ManagedIdentity managedIdentity) {
    this.managedIdentity = managedIdentity;
  }

  static final String GUID =
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

  public static class SecretReference {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    private String name;

    @JsonPropertyDescription(
        "Must be the operator's own namespace when set; other namespaces are refused.")
    private String namespace;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getNamespace() {
      return namespace;
    }

    public void setNamespace(String namespace) {
      this.namespace = namespace;
    }
  }

  public static class WorkloadIdentity {
    @Required
    @Pattern(GUID)
    private String clientId;

    @JsonPropertyDescription("Defaults to the AZURE_TENANT_ID the workload identity webhook sets.")
    @Pattern(GUID)
    private String tenantId;

    public String getClientId() {
      return clientId;
    }

    public void setClientId(String clientId) {
      this.clientId = clientId;
    }

    public String getTenantId() {
      return tenantId;
    }

    public void setTenantId(String tenantId) {
      this.tenantId = tenantId;
    }
  }

  public static class ManagedIdentity {
    @JsonPropertyDescription("A user-assigned identity's client id; system-assigned when unset.")
    @Pattern(GUID)
    private String clientId;

    public String getClientId() {
      return clientId;
    }

    public void setClientId(String clientId) {
      this.clientId = clientId;
    }
  }
}
