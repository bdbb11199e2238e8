package io.github.acivirtualnode.operator.observe;

import io.github.acivirtualnode.api.v1alpha1.AzureSettings;
import java.util.Locale;

/**
 * What one observer lists: a resource group of a subscription at an ARM endpoint. Every virtual
 * node with the same key shares the observer (ARM names are case-insensitive).
 */
public record ObserverKey(String endpoint, String subscriptionId, String resourceGroup) {
  public static ObserverKey of(AzureSettings azure) {
    String endpoint = azure.getEndpoint() == null ? "" : azure.getEndpoint();
    if (endpoint.endsWith("/")) {
      endpoint = endpoint.substring(0, endpoint.length() - 1);
    }
    return new ObserverKey(
        endpoint.toLowerCase(Locale.ROOT),
        azure.getSubscriptionId().toLowerCase(Locale.ROOT),
        azure.getResourceGroup().toLowerCase(Locale.ROOT));
  }
}
