package io.github.acivirtualnode.operator.aci;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.Context;
import com.azure.identity.CredentialUnavailableException;
import com.azure.resourcemanager.containerinstance.ContainerInstanceManager;
import com.azure.resourcemanager.containerinstance.fluent.ContainerGroupsClient;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerExecResponseInner;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.ContainerExecRequest;
import com.azure.resourcemanager.containerinstance.models.ContainerExecRequestTerminalSize;
import com.microsoft.aad.msal4j.MsalServiceException;
import io.github.acivirtualnode.operator.OperatorMetrics;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** {@link AciBackend} on the Azure SDK for Java. */
public final class AzureAciBackend implements AciBackend {
  private final ContainerInstanceManager manager;
  private final String resourceGroup;
  private final ArmRateLimiter limiter;
  private final OperatorMetrics metrics;

  public AzureAciBackend(
      ContainerInstanceManager manager,
      String resourceGroup,
      ArmRateLimiter limiter,
      OperatorMetrics metrics) {
    this.manager = manager;
    this.resourceGroup = resourceGroup;
    this.limiter = limiter;
    this.metrics = metrics;
  }

  private ContainerGroupsClient groups() {
    return manager.serviceClient().getContainerGroups();
  }

  @Override
  public void create(String name, ContainerGroupInner group) {
    acquire(ArmRateLimiter.Operation.CREATE, "create of " + name);
    // beginCreateOrUpdate sends the PUT and returns a poller that is deliberately never polled:
    // the status loop observes the group instead.
    call(() -> groups().beginCreateOrUpdate(resourceGroup, name, group));
  }

  @Override
  public Optional<ContainerGroupInner> get(String name) {
    acquire(ArmRateLimiter.Operation.READ, "get of " + name);
    try {
      return Optional.of(call(() -> groups().getByResourceGroup(resourceGroup, name)));
    } catch (AciException e) {
      if (e.kind() == AciException.Kind.NOT_FOUND && !e.isActionable()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public List<ContainerGroupInner> list() {
    acquire(ArmRateLimiter.Operation.READ, "list");
    return call(
        () -> {
          List<ContainerGroupInner> all = new java.util.ArrayList<>();
          boolean first = true;
          // Every page is one ARM read: each beyond the first takes its own read token.
          for (var page : groups().listByResourceGroup(resourceGroup).iterableByPage()) {
            if (!first) {
              acquire(ArmRateLimiter.Operation.READ, "list (next page)");
            }
            first = false;
            all.addAll(page.getValue());
          }
          return all;
        });
  }

  /** The provider read's api-version: Microsoft.Resources', not Microsoft.ContainerInstance's. */
  static final String PROVIDERS_API_VERSION = "2021-04-01";

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  @Override
  public Set<String> regions() {
    acquire(ArmRateLimiter.Operation.READ, "provider locations");
    var client = manager.serviceClient();
    String endpoint =
        client.getEndpoint().endsWith("/") ? client.getEndpoint() : client.getEndpoint() + "/";
    String url =
        endpoint
            + "subscriptions/"
            + client.getSubscriptionId()
            + "/providers/Microsoft.ContainerInstance?api-version="
            + PROVIDERS_API_VERSION;
    return call(
        () -> {
          try (HttpResponse response =
              client
                  .getHttpPipeline()
                  .sendSync(new HttpRequest(HttpMethod.GET, url), Context.NONE)) {
            String body = response.getBodyAsBinaryData().toString();
            if (response.getStatusCode() != 200) {
              String code = JSON.readTree(body).path("error").path("code").asText("");
              String message = JSON.readTree(body).path("error").path("message").asText(body);
              throw new AciException(
                  AciErrors.classify(response.getStatusCode(), code),
                  code,
                  response.getStatusCode(),
                  message,
                  AciErrors.parseRetryAfter(response.getHeaderValue(HttpHeaderName.RETRY_AFTER)),
                  null);
            }
            Set<String> regions = new java.util.TreeSet<>();
            for (var type : JSON.readTree(body).path("resourceTypes")) {
              if ("containerGroups".equalsIgnoreCase(type.path("resourceType").asText())) {
                type.path("locations")
                    .forEach(l -> regions.add(AciBackend.normalizeRegion(l.asText())));
              }
            }
            return regions;
          } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  @Override
  public void delete(String name) {
    acquire(ArmRateLimiter.Operation.DELETE, "delete of " + name);
    try {
      call(() -> groups().beginDelete(resourceGroup, name));
    } catch (AciException e) {
      if (e.kind() != AciException.Kind.NOT_FOUND || e.isActionable()) {
        throw e;
      }
    }
  }

  @Override
  public String logs(String group, String container, Integer tail, boolean timestamps) {
    acquire(ArmRateLimiter.Operation.READ, "logs of " + group);
    return call(
        () ->
            manager
                .serviceClient()
                .getContainers()
                .listLogsWithResponse(
                    resourceGroup, group, container, tail, timestamps, Context.NONE)
                .getValue()
                .content());
  }

  @Override
  public ExecSession exec(String group, String container, String command, int rows, int columns) {
    acquire(ArmRateLimiter.Operation.READ, "exec in " + group);
    ContainerExecResponseInner response =
        call(
            () ->
                manager
                    .serviceClient()
                    .getContainers()
                    .executeCommand(
                        resourceGroup,
                        group,
                        container,
                        new ContainerExecRequest()
                            .withCommand(command)
                            .withTerminalSize(
                                new ContainerExecRequestTerminalSize()
                                    .withRows(rows)
                                    .withCols(columns))));
    return new ExecSession(response.webSocketUri(), response.password());
  }

  /**
   * Azure Monitor's metrics api-version (Microsoft.Insights), not Microsoft.ContainerInstance's.
   */
  static final String METRICS_API_VERSION = "2018-01-01";

  /** How far back a usage read looks: a few one-minute buckets, the newest may not be final yet. */
  private static final Duration USAGE_WINDOW = Duration.ofMinutes(5);

  @Override
  public List<ContainerUsage> usage(String group) {
    acquire(ArmRateLimiter.Operation.READ, "metrics of " + group);
    var client = manager.serviceClient();
    String endpoint =
        client.getEndpoint().endsWith("/") ? client.getEndpoint() : client.getEndpoint() + "/";
    java.time.Instant to =
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60);
    String url =
        endpoint
            + "subscriptions/"
            + client.getSubscriptionId()
            + "/resourceGroups/"
            + resourceGroup
            + "/providers/Microsoft.ContainerInstance/containerGroups/"
            + group
            + "/providers/Microsoft.Insights/metrics?api-version="
            + METRICS_API_VERSION
            + "&metricnames=CpuUsage,MemoryUsage&interval=PT1M&aggregation=Average"
            + "&timespan="
            + to.minus(USAGE_WINDOW)
            + "/"
            + to
            + "&$filter="
            + java.net.URLEncoder.encode(
                    "containerName eq '*'", java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    return call(
        () -> {
          try (HttpResponse response =
              client
                  .getHttpPipeline()
                  .sendSync(new HttpRequest(HttpMethod.GET, url), Context.NONE)) {
            String body = response.getBodyAsBinaryData().toString();
            if (response.getStatusCode() != 200) {
              // Azure Monitor's own errors carry code and message at the top; ARM's in "error".
              var tree = JSON.readTree(body);
              var error = tree.has("error") ? tree.path("error") : tree;
              String code = error.path("code").asText("");
              throw new AciException(
                  AciErrors.classify(response.getStatusCode(), code),
                  code,
                  response.getStatusCode(),
                  error.path("message").asText(body),
                  AciErrors.parseRetryAfter(response.getHeaderValue(HttpHeaderName.RETRY_AFTER)),
                  null);
            }
            return MetricsAnswer.latest(JSON.readTree(body));
          } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private void acquire(ArmRateLimiter.Operation op, String what) {
    Optional<Duration> wait = limiter.tryAcquire(op);
    if (wait.isPresent()) {
      metrics.throttledLocally(op.name().toLowerCase(java.util.Locale.ROOT));
      throw AciException.throttled(what, wait.get());
    }
  }

  private static <T> T call(Supplier<T> request) {
    try {
      return request.get();
    } catch (RuntimeException e) {
      throw classify(e);
    }
  }

  /**
   * Every failure becomes an {@link AciException}. Order matters: ARM's own answers first, then
   * network trouble (also when a credential wraps it: an unreachable Entra or IMDS is not a bad
   * credential), then Entra's refusals.
   */
  static AciException classify(RuntimeException e) {
    if (e instanceof AciException aci) {
      return aci;
    }
    if (e instanceof ManagementException m) {
      int status = m.getResponse() == null ? 0 : m.getResponse().getStatusCode();
      String code =
          m.getValue() == null || m.getValue().getCode() == null ? "" : m.getValue().getCode();
      String message = m.getValue() == null ? m.getMessage() : m.getValue().getMessage();
      Duration retryAfter =
          m.getResponse() == null
              ? null
              : AciErrors.parseRetryAfter(
                  m.getResponse().getHeaderValue(HttpHeaderName.RETRY_AFTER));
      return new AciException(
          AciErrors.classify(status, code), code, status, message, retryAfter, e);
    }
    MsalServiceException msal = cause(e, MsalServiceException.class);
    if (msal != null) {
      // Entra answered: 5xx and 429 are its own trouble, anything else refuses the credentials.
      int status = msal.statusCode() == null ? 0 : msal.statusCode();
      boolean transientAnswer = status == 429 || status >= 500;
      return new AciException(
          transientAnswer ? AciException.Kind.TRANSIENT : AciException.Kind.AUTHENTICATION,
          transientAnswer ? "EntraUnavailable" : "AuthenticationFailed",
          status,
          "Microsoft Entra ID "
              + (transientAnswer ? "is unavailable" : "refused the credentials")
              + " ("
              + msal.errorCode()
              + "): "
              // Trace and correlation ids change every time: keep them out of conditions.
              + firstLine(msal.getMessage()).replaceAll("\\s*Trace ID:.*$", ""),
          null,
          e);
    }
    if (hasCause(e, java.io.IOException.class)
        || hasCause(e, java.util.concurrent.TimeoutException.class)
        || e instanceof UncheckedIOException) {
      return new AciException(
          AciException.Kind.TRANSIENT, "ConnectionFailed", 0, firstLine(rootMessage(e)), null, e);
    }
    if (e instanceof CredentialUnavailableException) {
      return new AciException(
          AciException.Kind.AUTHENTICATION,
          "CredentialUnavailable",
          0,
          "no Azure token could be obtained: " + firstLine(e.getMessage()),
          null,
          e);
    }
    if (e instanceof ClientAuthenticationException) {
      return new AciException(
          AciException.Kind.AUTHENTICATION,
          "AuthenticationFailed",
          401,
          "Microsoft Entra ID refused the credentials: " + firstLine(e.getMessage()),
          null,
          e);
    }
    if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).contains("HTTPS")) {
      return new AciException(
          AciException.Kind.INVALID_REQUEST,
          "InsecureEndpoint",
          0,
          "the Azure SDK sends bearer tokens over https only: " + firstLine(e.getMessage()),
          null,
          e);
    }
    // Not an answer of ARM's and not the network's: a defect or a case nobody foresaw. Retrying
    // would hide it for ever; it must show on the node, so it counts as actionable.
    return new AciException(
        AciException.Kind.INVALID_REQUEST,
        "UnexpectedError",
        0,
        "unexpected failure talking to ARM: " + firstLine(e.toString()),
        null,
        e);
  }

  private static <X extends Throwable> X cause(Throwable e, Class<X> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    // toString names the exception too: a bare ConnectException has no message.
    return root.toString();
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
