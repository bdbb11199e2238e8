package io.github.acivirtualnode.aciemulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.acivirtualnode.aciemulator.model.ApiVersions;
import io.github.acivirtualnode.aciemulator.model.ArmException;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupValidator;
import io.github.acivirtualnode.aciemulator.model.EmulatorTimings;
import io.github.acivirtualnode.aciemulator.model.Regions;
import io.github.acivirtualnode.aciemulator.model.RequestBudgets;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What every Azure Resource Manager route shares (request ids, authentication, api-versions,
 * faults, budgets, ARM's error shape) and the wiring of the resources, each in its own class:
 * {@link ResourceGroupsApi}, {@link ContainerGroupsApi}, {@link ContainersApi}, {@link
 * LocationsApi}, {@link ProviderApi}, {@link ContainerGroupProfilesApi}, {@link StandbyPoolsApi},
 * {@link MetricsApi}.
 */
final class ArmApi {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  static final String SUB = "/subscriptions/{sub}";
  static final String RG = SUB + "/resourcegroups/{rg}";
  static final String CG = RG + "/providers/microsoft.containerinstance/containergroups";
  static final String ONE = CG + "/{name}";
  static final String LOC = SUB + "/providers/microsoft.containerinstance/locations/{loc}";
  static final String OPERATION_STATUS_VERSION = "2018-06-01";

  /** The request being answered, counted once its final status is known. */
  private static final String COUNTED_REQUEST = "aci-emulator.counted-request";

  private final AciEmulator emulator;
  private final EmulatorState state;
  private final Clock clock;
  private final EmulatorTimings timings;
  private final ContainerGroupValidator validator;
  private final RequestBudgets budgets;
  private final FaultInjector faults;
  private final StreamingSessions sessions;
  private final ArmRequestCounts requests;
  private final AciEmulator.Builder config;

  ArmApi(
      AciEmulator emulator,
      EmulatorState state,
      Clock clock,
      EmulatorTimings timings,
      ContainerGroupValidator validator,
      RequestBudgets budgets,
      FaultInjector faults,
      StreamingSessions sessions,
      ArmRequestCounts requests,
      AciEmulator.Builder config) {
    this.emulator = emulator;
    this.state = state;
    this.clock = clock;
    this.timings = timings;
    this.validator = validator;
    this.budgets = budgets;
    this.faults = faults;
    this.sessions = sessions;
    this.requests = requests;
    this.config = config;
  }

  /** A handler that may throw {@link ArmException}. */
  interface ArmHandler {
    void handle(Context ctx);
  }

  /** Registers every resource's routes, each wrapped in ARM's common behaviour. */
  void register(JavalinDefaultRouting r) {
    Routes routes = new Routes(r);
    ResourceGroupsApi resourceGroups = new ResourceGroupsApi(state);
    ContainerGroupProfilesApi profiles =
        new ContainerGroupProfilesApi(state, validator, resourceGroups);
    StandbyPoolsApi pools = new StandbyPoolsApi(state, clock, timings, resourceGroups, profiles);
    ContainerGroupsApi groups =
        new ContainerGroupsApi(
            state, clock, timings, validator, config, resourceGroups, profiles, pools);
    emulator.standbyPools(pools);
    resourceGroups.register(routes);
    groups.register(routes);
    profiles.register(routes);
    pools.register(routes);
    new MetricsApi(clock, groups).register(routes);
    new ContainersApi(clock, timings, sessions, groups).register(routes);
    new LocationsApi(state, config).register(routes);
    new ProviderApi(state, config).register(routes);
    // After the exception handlers: a request is counted with the status the client got.
    r.after(
        ctx -> {
          ArmRequestCounts.Request request = ctx.attribute(COUNTED_REQUEST);
          if (request != null) {
            requests.record(request, ctx.statusCode());
          }
        });
  }

  /** Route registration for the resource classes: every handler runs inside {@link #arm}. */
  final class Routes {
    private final JavalinDefaultRouting r;

    private Routes(JavalinDefaultRouting r) {
      this.r = r;
    }

    void get(String path, String operation, RequestBudgets.Kind kind, ArmHandler handler) {
      r.get(path, ctx -> arm(ctx, operation, kind, handler));
    }

    void put(String path, String operation, RequestBudgets.Kind kind, ArmHandler handler) {
      r.put(path, ctx -> arm(ctx, operation, kind, handler));
    }

    void post(String path, String operation, RequestBudgets.Kind kind, ArmHandler handler) {
      r.post(path, ctx -> arm(ctx, operation, kind, handler));
    }

    void patch(String path, String operation, RequestBudgets.Kind kind, ArmHandler handler) {
      r.patch(path, ctx -> arm(ctx, operation, kind, handler));
    }

    void delete(String path, String operation, RequestBudgets.Kind kind, ArmHandler handler) {
      r.delete(path, ctx -> arm(ctx, operation, kind, handler));
    }

    void head(String path, String operation, RequestBudgets.Kind kind, ArmHandler handler) {
      r.head(path, ctx -> arm(ctx, operation, kind, handler));
    }
  }

  /** The api-versions each operation serves (and the type ARM names when refusing one). */
  private static ApiVersions versions(String operation) {
    if (operation.startsWith("ResourceGroups_")) {
      return ApiVersions.arm(ApiVersions.RESOURCES);
    }
    if (operation.equals("Providers_Get")) {
      return ApiVersions.arm(ApiVersions.PROVIDERS);
    }
    if (operation.startsWith("CGProfile")) {
      return ApiVersions.provider(ApiVersions.CONTAINER_GROUP_PROFILES, "containerGroupProfiles");
    }
    if (operation.startsWith("StandbyContainerGroupPool")) {
      return ApiVersions.provider(ApiVersions.STANDBY_POOL, "standbyContainerGroupPools");
    }
    if (operation.equals("StandbyPool_OperationStatus")) {
      return ApiVersions.provider(ApiVersions.STANDBY_POOL, "locations/operationStatuses");
    }
    if (operation.equals("Metrics_List")) {
      return ApiVersions.provider(ApiVersions.MONITOR, "metrics");
    }
    if (operation.equals("MetricDefinitions_List")) {
      return ApiVersions.provider(ApiVersions.MONITOR, "metricDefinitions");
    }
    return switch (operation) {
      case "ContainerGroups_OperationStatus" -> {
        // The Azure-AsyncOperation URLs the service hands out carry 2018-06-01 (records).
        List<String> versions = new ArrayList<>(ApiVersions.CONTAINER_INSTANCE);
        versions.add(OPERATION_STATUS_VERSION);
        yield ApiVersions.provider(versions, "locations/operations");
      }
      case "Location_ListUsage" ->
          ApiVersions.provider(ApiVersions.CONTAINER_INSTANCE, "locations/usages");
      case "Location_ListCapabilities" ->
          ApiVersions.provider(ApiVersions.CONTAINER_INSTANCE, "locations/capabilities");
      case "Location_ListCachedImages" ->
          ApiVersions.provider(ApiVersions.CONTAINER_INSTANCE, "locations/cachedImages");
      case "Operations_List" -> ApiVersions.provider(ApiVersions.CONTAINER_INSTANCE, "operations");
      default -> ApiVersions.provider(ApiVersions.CONTAINER_INSTANCE, "containerGroups");
    };
  }

  /** The location ARM names in NoRegisteredProviderFound: the path's, the resource group's. */
  private String requestLocation(Context ctx) {
    Map<String, String> params = ctx.pathParamMap();
    if (params.containsKey("loc")) {
      return params.get("loc");
    }
    if (params.containsKey("rg")) {
      EmulatorState.ResourceGroup rg = state.resourceGroup(params.get("sub"), params.get("rg"));
      if (rg != null) {
        return Regions.name(rg.location());
      }
    }
    return "global";
  }

  /** Common ARM behaviour around every handler: ids, auth, faults, budgets, error shape. */
  private void arm(Context ctx, String operation, RequestBudgets.Kind kind, ArmHandler handler) {
    Map<String, String> path = ctx.pathParamMap();
    ctx.attribute(
        COUNTED_REQUEST,
        new ArmRequestCounts.Request(operation, path.get("sub"), path.get("rg"), path.get("name")));
    String correlation = ctx.header("x-ms-correlation-request-id");
    if (correlation == null) {
      correlation = UUID.randomUUID().toString();
    }
    String requestId = UUID.randomUUID().toString();
    ctx.header("Cache-Control", "no-cache");
    ctx.header("Pragma", "no-cache");
    ctx.header("Expires", "-1");
    ctx.header("x-ms-request-id", requestId);
    ctx.header("x-ms-correlation-request-id", correlation);
    ctx.header(
        "x-ms-routing-request-id",
        "LOCAL:" + DateTimeFormatter.ISO_INSTANT.format(clock.instant()) + ":" + correlation);
    String clientRequestId = ctx.header("x-ms-client-request-id");
    if (clientRequestId != null) {
      ctx.header("x-ms-client-request-id", clientRequestId);
    }
    try {
      authenticate(ctx);
      versions(operation).check(ctx.queryParam("api-version"), requestLocation(ctx));
      faults.apply(operation);
      rateLimit(ctx, kind);
      handler.handle(ctx);
    } catch (ArmException e) {
      e.headers().forEach(ctx::header);
      error(ctx, e.status(), e.code(), e.getMessage());
    }
    if (ctx.result() == null) {
      // An answer without a body has no Content-Type (recorded DELETE 202, start/stop 204).
      ctx.res().setContentType(null);
    }
  }

  /**
   * ARM's generic counters (reads, writes, deletes) on every answer, and ACI's own create and
   * delete budgets (resource-requests-pt5m/pt1h) on container-group PUT and DELETE.
   */
  private void rateLimit(Context ctx, RequestBudgets.Kind kind) {
    String method = ctx.method().name();
    if (!ctx.pathParamMap().containsKey("sub")) {
      return;
    }
    String sub = ctx.pathParam("sub");
    String generic =
        switch (method) {
          case "GET", "HEAD" -> "reads";
          case "DELETE" -> "deletes";
          default -> "writes";
        };
    if (!generic.equals("reads")) {
      ctx.header("x-ms-ratelimit-remaining-subscription-" + generic, "799");
      ctx.header("x-ms-ratelimit-remaining-subscription-global-" + generic, "11999");
    }
    RequestBudgets.Kind budget = generic.equals("reads") ? RequestBudgets.Kind.READ : kind;
    if (budget == null || (budget == RequestBudgets.Kind.READ && !generic.equals("reads"))) {
      return;
    }
    if (budget == RequestBudgets.Kind.READ) {
      ctx.header("x-ms-ratelimit-remaining-subscription-global-reads", "16499");
    }
    RequestBudgets.Decision decision = budgets.acquire(sub, budget);
    decision.headers().forEach(ctx::header);
    if (!decision.allowed()) {
      throw throttled(sub, budget, decision);
    }
  }

  private static ArmException throttled(
      String subscription, RequestBudgets.Kind kind, RequestBudgets.Decision decision) {
    RequestBudgets.Limit limit = decision.exceeded();
    String what =
        switch (kind) {
          case CREATE -> "'Create' requests";
          case DELETE -> "'Delete' requests";
          default -> "read requests";
        };
    String interval =
        String.format("%02d:%02d:00", limit.window().toHours(), limit.window().toMinutesPart());
    return new ArmException(
        429,
        "SubscriptionRequestsThrottled",
        String.format(
            "Number of %s for subscription '%s' exceeded the limit of '%d' for time interval '%s'."
                + " Please try again after '%d' seconds.",
            what, subscription, limit.limit(), interval, decision.retryAfterSeconds()),
        Map.of("Retry-After", Long.toString(decision.retryAfterSeconds())));
  }

  private void authenticate(Context ctx) {
    if (!config.requireAuthentication) {
      return;
    }
    String authorization = ctx.header("Authorization");
    if (authorization == null || authorization.isBlank()) {
      throw new ArmException(
          401,
          "AuthenticationFailed",
          "Authentication failed. The 'Authorization' header is missing.");
    }
    String token =
        authorization.regionMatches(true, 0, "Bearer ", 0, 7)
            ? authorization.substring(7).trim()
            : "";
    if (!state.issuedTokens.containsKey(token)) {
      throw new ArmException(
          401,
          "InvalidAuthenticationToken",
          "The access token is invalid.",
          Map.of(
              "WWW-Authenticate",
              "Bearer authorization_uri=\""
                  + emulator.authorityHost()
                  + "\", error=\"invalid_token\""));
    }
  }

  // ---- helpers ----

  /** The request's api-version (checked by {@link #arm} before any handler runs). */
  static String apiVersion(Context ctx) {
    return ctx.queryParam("api-version");
  }

  static JsonNode body(Context ctx) {
    String text = ctx.body();
    if (text.isBlank()) {
      return MAPPER.createObjectNode();
    }
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw ArmException.badRequest(
          "InvalidRequestContent",
          "The request content was invalid and could not be deserialized: '"
              + e.getOriginalMessage()
              + "'.");
    }
  }

  static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status);
    ctx.contentType(JSON_TYPE);
    try {
      ctx.result(MAPPER.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Absolute URLs follow the listener the request came in on (HTTPS, or plain HTTP). */
  static String baseUrl(Context ctx) {
    return ctx.scheme() + "://" + ctx.host() + "/";
  }

  static void error(Context ctx, int status, String code, String message) {
    ObjectNode body = MAPPER.createObjectNode();
    body.putObject("error").put("code", code).put("message", message);
    json(ctx, status, body);
  }
}
