package io.github.acivirtualnode.e2e;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.github.acivirtualnode.api.v1alpha1.AzureCredentials;
import io.github.acivirtualnode.api.v1alpha1.AzureSettings;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeSpec;

/** VirtualNodes of the end-to-end tests, pointed at the ACI emulator. */
public final class EmulatorVirtualNodes {
  private EmulatorVirtualNodes() {}

  /**
   * A Linux VirtualNode in westeurope whose credentials are the Secret of that name in the
   * operator's namespace.
   */
  public static VirtualNode withSecretRef(
      String name, String subscription, String resourceGroup, String endpoint, String secret) {
    VirtualNode vn = new VirtualNode();
    vn.setMetadata(new ObjectMetaBuilder().withName(name).build());
    AzureSettings azure = new AzureSettings();
    azure.setSubscriptionId(subscription);
    azure.setResourceGroup(resourceGroup);
    azure.setRegion("westeurope");
    azure.setEndpoint(endpoint);
    AzureCredentials credentials = new AzureCredentials();
    AzureCredentials.SecretReference ref = new AzureCredentials.SecretReference();
    ref.setName(secret);
    credentials.setSecretRef(ref);
    azure.setCredentials(credentials);
    VirtualNodeSpec spec = new VirtualNodeSpec();
    spec.setAzure(azure);
    vn.setSpec(spec);
    return vn;
  }
}
