package io.github.acivirtualnode.operator.aci;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.containerinstance.ContainerInstanceManager;
import io.github.acivirtualnode.api.v1alpha1.AzureSettings;
import io.github.acivirtualnode.operator.OperatorMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the backend of a virtual node. Holds what virtual nodes share: the HTTP client, the
 * metrics registry and one {@link ArmRateLimiter} per subscription.
 */
public final class AciBackendFactory {
  private final HttpClient httpClient;
  private final MeterRegistry registry;
  private final OperatorMetrics metrics;
  private final String authorityHost;
  private final List<ArmRateLimiter.Budget> mutationBudgets;
  private final Map<String, ArmRateLimiter> limiters = new ConcurrentHashMap<>();

  /** A factory whose subscriptions have ACI's default quota of creates and deletes. */
  public AciBackendFactory(HttpClient httpClient, MeterRegistry registry, String authorityHost) {
    this(httpClient, registry, authorityHost, ArmRateLimiter.ACI_MUTATION_BUDGETS);
  }

  /**
   * @param mutationBudgets the quota of creates (and the same of deletes) every subscription has
   */
  public AciBackendFactory(
      HttpClient httpClient,
      MeterRegistry registry,
      String authorityHost,
      List<ArmRateLimiter.Budget> mutationBudgets) {
    this.httpClient = httpClient;
    this.registry = registry;
    this.metrics = new OperatorMetrics(registry);
    this.authorityHost = authorityHost;
    this.mutationBudgets = List.copyOf(mutationBudgets);
  }

  /** The budgets of one subscription, made on first use and shared from then on. */
  ArmRateLimiter limiter(String subscriptionId) {
    return limiters.computeIfAbsent(
        subscriptionId.toLowerCase(java.util.Locale.ROOT),
        id ->
            new ArmRateLimiter(
                Clock.systemUTC(), mutationBudgets, ArmRateLimiter.ARM_READ_BUDGETS));
  }

  public AciBackend create(AzureSettings azure, TokenCredential credential) {
    ArmRateLimiter limiter = limiter(azure.getSubscriptionId());
    ContainerInstanceManager manager =
        ContainerInstanceManager.configure()
            .withHttpClient(httpClient)
            .withPolicy(new ArmCallPolicy(registry, limiter))
            // No SDK retries: a retry would sleep through Retry-After inside a worker thread.
            // Callers retry through their rate-limited queues instead.
            .withRetryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
            .authenticate(
                credential, new AzureProfile(null, azure.getSubscriptionId(), environment(azure)));
    return new AzureAciBackend(manager, azure.getResourceGroup(), limiter, metrics);
  }

  public HttpClient httpClient() {
    return httpClient;
  }

  public String authorityHost() {
    return authorityHost;
  }

  private AzureEnvironment environment(AzureSettings azure) {
    if (azure.getEndpoint() == null && authorityHost == null) {
      return AzureEnvironment.AZURE;
    }
    Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
    if (azure.getEndpoint() != null) {
      String arm =
          azure.getEndpoint().endsWith("/") ? azure.getEndpoint() : azure.getEndpoint() + "/";
      endpoints.put("resourceManagerEndpointUrl", arm);
      endpoints.put("managementEndpointUrl", arm);
    }
    if (authorityHost != null) {
      endpoints.put("activeDirectoryEndpointUrl", authorityHost);
    }
    return new AzureEnvironment(endpoints);
  }
}
