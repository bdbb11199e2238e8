package io.github.acivirtualnode.operator;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.ConfigurationBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.api.v1alpha1.AzureCredentials;
import io.github.acivirtualnode.api.v1alpha1.AzureSettings;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeSpec;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciBackendFactory;
import io.github.acivirtualnode.operator.aci.AzureCredentialFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;

/** VirtualNodes and emulator backends as the tests build them. */
public final class TestVirtualNodes {
  private TestVirtualNodes() {}

  /** A VirtualNode in West Europe whose credentials are the named Secret. */
  public static VirtualNode withSecretRef(
      String name, String subscription, String resourceGroup, String endpoint, String secret) {
    VirtualNode vn = new VirtualNode();
    vn.setMetadata(new ObjectMetaBuilder().withName(name).withGeneration(1L).build());
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

  /** The operator's own backend for those settings, on the emulator through the real SDK. */
  public static AciBackend emulatorBackend(
      AciEmulator emulator, AzureSettings azure, String tenant, String clientId, String secret) {
    HttpClient http =
        new JdkHttpClientBuilder(
                java.net.http.HttpClient.newBuilder().sslContext(emulator.sslContext()))
            .build();
    return new AciBackendFactory(http, new SimpleMeterRegistry(), emulator.authorityHost())
        .create(
            azure,
            new AzureCredentialFactory(
                    http, emulator.authorityHost(), new ConfigurationBuilder().build())
                .create(
                    azure.getCredentials(),
                    Map.of(
                        AzureCredentialFactory.TENANT_ID, tenant,
                        AzureCredentialFactory.CLIENT_ID, clientId,
                        AzureCredentialFactory.CLIENT_SECRET, secret)));
  }
}
