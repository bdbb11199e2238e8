package io.github.acivirtualnode.operator.aci;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Sits in the Azure SDK's pipeline: counts every ARM call by operation and status code, and turns a
 * 429's Retry-After into a back-off that all virtual nodes of the subscription observe.
 */
final class ArmCallPolicy implements HttpPipelinePolicy {
  static final String METRIC = "aci.arm.calls";

  private final MeterRegistry registry;
  private final ArmRateLimiter limiter;

  ArmCallPolicy(MeterRegistry registry, ArmRateLimiter limiter) {
    this.registry = registry;
    this.limiter = limiter;
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    String operation =
        operation(
            context.getHttpRequest().getHttpMethod(), context.getHttpRequest().getUrl().getPath());
    return next.process()
        .doOnNext(response -> record(operation, response))
        .doOnError(e -> count(operation, "error"));
  }

  private void record(String operation, HttpResponse response) {
    int status = response.getStatusCode();
    count(operation, Integer.toString(status));
    if (status == 429) {
      Duration retryAfter =
          AciErrors.parseRetryAfter(response.getHeaderValue(HttpHeaderName.RETRY_AFTER));
      limiter.backOff(
          limiterOperation(operation), retryAfter == null ? Duration.ofSeconds(30) : retryAfter);
    }
  }

  private void count(String operation, String status) {
    Counter.builder(METRIC)
        .description("Calls to Azure Resource Manager by operation and HTTP status")
        .tag("operation", operation)
        .tag("status", status)
        .register(registry)
        .increment();
  }

  private static final String ACI_PROVIDER = "/providers/microsoft.containerinstance/";

  /**
   * A low-cardinality name for the call: the verb and the kind of resource addressed. The path is
   * read segment by segment after the ACI provider, so that a resource group or container group
   * named like a keyword ("operations", "logs", "exec") does not change the name.
   */
  static String operation(HttpMethod method, String path) {
    String p = path.toLowerCase(java.util.Locale.ROOT);
    int provider = p.indexOf(ACI_PROVIDER);
    // split drops trailing empty strings, so a trailing slash does not count as a segment
    String[] s =
        provider < 0 ? new String[0] : p.substring(provider + ACI_PROVIDER.length()).split("/");
    String target = "other";
    if (s.length >= 1 && s[0].equals("containergroups")) {
      if (s.length == 1) {
        target = "containerGroups";
      } else if (s.length == 5 && s[2].equals("containers") && s[4].equals("logs")) {
        target = "containerLogs";
      } else if (s.length == 5 && s[2].equals("containers") && s[4].equals("exec")) {
        target = "containerExec";
      } else if (s.length == 5 && s[2].equals("providers") && s[3].equals("microsoft.insights")) {
        target = "containerGroupMetrics"; // Azure Monitor, on the group
      } else {
        target = "containerGroup";
      }
    } else if (s.length >= 4 && s[0].equals("locations") && s[2].equals("operations")) {
      target = "operationStatus";
    }
    return method.name().toLowerCase(java.util.Locale.ROOT) + ":" + target;
  }

  private static ArmRateLimiter.Operation limiterOperation(String operation) {
    if (operation.equals("put:containerGroup")) {
      return ArmRateLimiter.Operation.CREATE;
    }
    if (operation.equals("delete:containerGroup")) {
      return ArmRateLimiter.Operation.DELETE;
    }
    return ArmRateLimiter.Operation.READ;
  }
}
