package io.github.acivirtualnode.operator.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import io.github.acivirtualnode.operator.aci.ArmRateLimiter.Operation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class ArmCallPolicyTest {
  private static final String RG =
      "/subscriptions/0000-1111/resourceGroups/my-rg/providers/Microsoft.ContainerInstance";
  private static final String GROUP = RG + "/containerGroups/default-web-0-1a2b3c";

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "PUT, " + GROUP + ", put:containerGroup",
    "DELETE, " + GROUP + ", delete:containerGroup",
    "GET, " + GROUP + ", get:containerGroup",
    "PATCH, " + GROUP + ", patch:containerGroup",
    "POST, " + GROUP + "/restart, post:containerGroup",
    "POST, " + GROUP + "/stop, post:containerGroup",
    "POST, " + GROUP + "/containers/app/attach, post:containerGroup",
    "GET, " + RG + "/containerGroups, get:containerGroups",
    "GET, " + RG + "/containerGroups/, get:containerGroups",
    "GET, /subscriptions/0000-1111/providers/Microsoft.ContainerInstance/containerGroups,"
        + " get:containerGroups",
    "GET, " + GROUP + "/containers/app/logs, get:containerLogs",
    "POST, " + GROUP + "/containers/app/exec, post:containerExec",
    "GET, " + GROUP + "/providers/Microsoft.Insights/metrics, get:containerGroupMetrics",
    "GET, /subscriptions/0000-1111/providers/Microsoft.ContainerInstance/locations/westeurope"
        + "/operations/5f1c, get:operationStatus",
    "GET, /subscriptions/0000-1111/resourcegroups/my-rg, get:other",
    "GET, /subscriptions/0000-1111/operationresults/abc, get:other",
    "GET, /subscriptions/0000-1111/providers/Microsoft.ContainerInstance/operations, get:other",
    "GET, /subscriptions/0000-1111/providers/Microsoft.ContainerInstance, get:other",
    "GET, /subscriptions/0000-1111/providers/Microsoft.ContainerInstance/locations/westeurope"
        + "/usages, get:other",
    "HEAD, /, head:other",
    "GET, '', get:other"
  })
  void namesTheVerbAndTheKindOfResource(HttpMethod method, String path, String expected) {
    assertThat(ArmCallPolicy.operation(method, path)).isEqualTo(expected);
  }

  @Test
  void ignoresCase() {
    assertThat(ArmCallPolicy.operation(HttpMethod.PUT, GROUP.toUpperCase(Locale.ROOT)))
        .isEqualTo("put:containerGroup");
    assertThat(
            ArmCallPolicy.operation(
                HttpMethod.GET,
                "/SUBSCRIPTIONS/S/PROVIDERS/MICROSOFT.CONTAINERINSTANCE/LOCATIONS/X/OPERATIONS/Y"))
        .isEqualTo("get:operationStatus");
  }

  @Test
  void namesOfResourceGroupsAndContainerGroupsDoNotChangeTheOperation() {
    String inRgOperations =
        "/subscriptions/s/resourceGroups/operations/providers/Microsoft.ContainerInstance"
            + "/containerGroups/cg";
    assertThat(ArmCallPolicy.operation(HttpMethod.PUT, inRgOperations))
        .isEqualTo("put:containerGroup");
    assertThat(ArmCallPolicy.operation(HttpMethod.GET, inRgOperations + "/containers/c/logs"))
        .isEqualTo("get:containerLogs");
    assertThat(ArmCallPolicy.operation(HttpMethod.PUT, RG + "/containerGroups/logs"))
        .isEqualTo("put:containerGroup");
    assertThat(ArmCallPolicy.operation(HttpMethod.DELETE, RG + "/containerGroups/exec"))
        .isEqualTo("delete:containerGroup");
    assertThat(ArmCallPolicy.operation(HttpMethod.DELETE, RG + "/containerGroups/operations"))
        .isEqualTo("delete:containerGroup");
    assertThat(
            ArmCallPolicy.operation(
                HttpMethod.GET, RG + "/containerGroups/containergroups/containers/logs/logs"))
        .isEqualTo("get:containerLogs");
  }

  // The policy in a pipeline whose client answers without any network.

  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T12:00:00Z"));
  private final ArmRateLimiter limiter =
      new ArmRateLimiter(
          clock, ArmRateLimiter.ACI_MUTATION_BUDGETS, ArmRateLimiter.ARM_READ_BUDGETS);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private HttpPipeline answering(int status, String retryAfter) {
    return new HttpPipelineBuilder()
        .policies(new ArmCallPolicy(registry, limiter))
        .httpClient(request -> Mono.just(new StubResponse(request, status, retryAfter)))
        .build();
  }

  private static HttpRequest request(HttpMethod method, String path) {
    return new HttpRequest(
        method, "https://management.azure.com" + path + "?api-version=2023-05-01");
  }

  private double count(String operation, String status) {
    var counter =
        registry
            .find(ArmCallPolicy.METRIC)
            .tag("operation", operation)
            .tag("status", status)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void countsCallsByOperationAndStatus() {
    answering(200, null).send(request(HttpMethod.GET, GROUP)).block();
    answering(200, null).send(request(HttpMethod.GET, GROUP)).block();
    answering(201, null).send(request(HttpMethod.PUT, GROUP)).block();

    assertThat(count("get:containerGroup", "200")).isEqualTo(2);
    assertThat(count("put:containerGroup", "201")).isEqualTo(1);
    assertThat(count("put:containerGroup", "200")).isZero();
  }

  @Test
  void successDoesNotTouchTheLimiter() {
    answering(200, null).send(request(HttpMethod.PUT, GROUP)).block();
    // the policy does not acquire: the budget is still whole
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.tryAcquire(Operation.CREATE)).isEmpty();
    }
  }

  @Test
  void throttledCreateBacksOffCreatesByRetryAfter() {
    answering(429, "17").send(request(HttpMethod.PUT, GROUP)).block();

    assertThat(count("put:containerGroup", "429")).isEqualTo(1);
    assertThat(limiter.tryAcquire(Operation.CREATE)).contains(Duration.ofSeconds(17));
    assertThat(limiter.tryAcquire(Operation.DELETE)).isEmpty();
    assertThat(limiter.tryAcquire(Operation.READ)).isEmpty();
  }

  @Test
  void throttledDeleteBacksOffDeletes() {
    answering(429, "5").send(request(HttpMethod.DELETE, GROUP)).block();

    assertThat(limiter.tryAcquire(Operation.DELETE)).contains(Duration.ofSeconds(5));
    assertThat(limiter.tryAcquire(Operation.CREATE)).isEmpty();
  }

  @Test
  void otherThrottledCallsBackOffReads() {
    answering(429, "8").send(request(HttpMethod.GET, RG + "/containerGroups")).block();

    assertThat(limiter.tryAcquire(Operation.READ)).contains(Duration.ofSeconds(8));
    assertThat(limiter.tryAcquire(Operation.CREATE)).isEmpty();
    assertThat(limiter.tryAcquire(Operation.DELETE)).isEmpty();
  }

  @Test
  void throttledWithoutUsableRetryAfterWaitsThirtySeconds() {
    answering(429, null).send(request(HttpMethod.PUT, GROUP)).block();
    assertThat(limiter.tryAcquire(Operation.CREATE)).contains(Duration.ofSeconds(30));

    answering(429, "Wed, 21 Oct 2015 07:28:00 GMT").send(request(HttpMethod.DELETE, GROUP)).block();
    assertThat(limiter.tryAcquire(Operation.DELETE)).contains(Duration.ofSeconds(30));
  }

  @Test
  void retryAfterOnOtherStatusesIsIgnored() {
    answering(503, "60").send(request(HttpMethod.PUT, GROUP)).block();

    assertThat(count("put:containerGroup", "503")).isEqualTo(1);
    assertThat(limiter.tryAcquire(Operation.CREATE)).isEmpty();
  }

  @Test
  void failuresWithoutResponseAreCountedAsErrors() {
    HttpPipeline failing =
        new HttpPipelineBuilder()
            .policies(new ArmCallPolicy(registry, limiter))
            .httpClient(
                request -> Mono.error(new UncheckedIOException(new java.io.IOException("reset"))))
            .build();

    assertThatThrownBy(() -> failing.send(request(HttpMethod.DELETE, GROUP)).block())
        .hasRootCauseMessage("reset");
    assertThat(count("delete:containerGroup", "error")).isEqualTo(1);
    assertThat(registry.find(ArmCallPolicy.METRIC).counters()).hasSize(1);
  }

  /** Headers only; getHeaderValue(String) is abstract though deprecated, so it is implemented. */
  @SuppressWarnings("deprecation")
  private static final class StubResponse extends HttpResponse {
    private final int status;
    private final HttpHeaders headers = new HttpHeaders();

    StubResponse(HttpRequest request, int status, String retryAfter) {
      super(request);
      this.status = status;
      if (retryAfter != null) {
        headers.set(HttpHeaderName.RETRY_AFTER, retryAfter);
      }
    }

    @Override
    public int getStatusCode() {
      return status;
    }

    @Override
    public String getHeaderValue(String name) {
      return headers.getValue(HttpHeaderName.fromString(name));
    }

    @Override
    public HttpHeaders getHeaders() {
      return headers;
    }

    @Override
    public Flux<ByteBuffer> getBody() {
      return Flux.empty();
    }

    @Override
    public Mono<byte[]> getBodyAsByteArray() {
      return Mono.just(new byte[0]);
    }

    @Override
    public Mono<String> getBodyAsString() {
      return Mono.just("");
    }

    @Override
    public Mono<String> getBodyAsString(Charset charset) {
      return Mono.just("");
    }
  }
}
