package io.github.acivirtualnode.operator.aci;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.util.Configuration;
import com.azure.identity.AzureAuthorityHosts;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import io.github.acivirtualnode.api.v1alpha1.AzureCredentials;
import java.util.Map;

/**
 * Turns a VirtualNode's credentials into an azure-identity {@link TokenCredential}. Secret values
 * go straight into the credential and are never logged or echoed in errors.
 */
public final class AzureCredentialFactory {
  public static final String TENANT_ID = "tenantId";
  public static final String CLIENT_ID = "clientId";
  public static final String CLIENT_SECRET = "clientSecret";

  private final HttpClient httpClient;
  private final String authorityHost;
  private final Configuration configuration;

  /**
   * @param configuration where azure-identity reads its environment (AZURE_FEDERATED_TOKEN_FILE,
   *     AZURE_TENANT_ID, IDENTITY_ENDPOINT, ...): the process environment in production
   */
  public AzureCredentialFactory(
      HttpClient httpClient, String authorityHost, Configuration configuration) {
    this.httpClient = httpClient;
    this.authorityHost = authorityHost;
    this.configuration = configuration;
  }

  /**
   * @param secretData the decoded data of the referenced Secret, when the kind is secretRef
   * @throws IllegalArgumentException naming what is missing, never a value
   */
  public TokenCredential create(AzureCredentials spec, Map<String, String> secretData) {
    if (spec.getSecretRef() != null) {
      for (String key : new String[] {TENANT_ID, CLIENT_ID, CLIENT_SECRET}) {
        String value = secretData == null ? null : secretData.get(key);
        if (value == null || value.isBlank()) {
          throw new IllegalArgumentException(
              "Secret " + spec.getSecretRef().getName() + " has no key '" + key + "'");
        }
      }
      ClientSecretCredentialBuilder builder =
          new ClientSecretCredentialBuilder()
              .tenantId(secretData.get(TENANT_ID).trim())
              .clientId(secretData.get(CLIENT_ID).trim())
              .clientSecret(secretData.get(CLIENT_SECRET).trim())
              .httpClient(httpClient)
              .configuration(configuration);
      if (authorityHost != null) {
        builder.authorityHost(authorityHost);
        if (!isMicrosoftAuthority(authorityHost)) {
          builder.disableInstanceDiscovery();
        }
      }
      return builder.build();
    }
    if (spec.getWorkloadIdentity() != null) {
      WorkloadIdentityCredentialBuilder builder =
          new WorkloadIdentityCredentialBuilder()
              .clientId(spec.getWorkloadIdentity().getClientId())
              .httpClient(httpClient)
              .configuration(configuration);
      String tenant = spec.getWorkloadIdentity().getTenantId();
      builder.tenantId(tenant != null ? tenant : configuration.get("AZURE_TENANT_ID"));
      String tokenFile = configuration.get("AZURE_FEDERATED_TOKEN_FILE");
      if (tokenFile == null) {
        throw new IllegalArgumentException(
            "workload identity needs AZURE_FEDERATED_TOKEN_FILE in the operator's environment"
                + " (set by the workload identity webhook)");
      }
      builder.tokenFilePath(tokenFile);
      if (authorityHost != null) {
        builder.authorityHost(authorityHost);
        if (!isMicrosoftAuthority(authorityHost)) {
          builder.disableInstanceDiscovery();
        }
      }
      return builder.build();
    }
    if (spec.getManagedIdentity() != null) {
      ManagedIdentityCredentialBuilder builder =
          new ManagedIdentityCredentialBuilder()
              .httpClient(httpClient)
              .configuration(configuration);
      if (spec.getManagedIdentity().getClientId() != null) {
        builder.clientId(spec.getManagedIdentity().getClientId());
      }
      return builder.build();
    }
    throw new IllegalArgumentException(
        "credentials must set one of secretRef, workloadIdentity or managedIdentity");
  }

  /**
   * MSAL validates an authority against Microsoft's instance discovery, which only knows
   * Microsoft's clouds; any other authority (an emulator, a private endpoint) skips that step.
   */
  static boolean isMicrosoftAuthority(String host) {
    String h = host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
    return h.equals(AzureAuthorityHosts.AZURE_PUBLIC_CLOUD.replaceAll("/$", ""))
        || h.equals(AzureAuthorityHosts.AZURE_CHINA.replaceAll("/$", ""))
        || h.equals(AzureAuthorityHosts.AZURE_GOVERNMENT.replaceAll("/$", ""));
  }
}
