package io.github.acivirtualnode.aciemulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.acivirtualnode.aciemulator.model.ApiVersions;
import io.github.acivirtualnode.aciemulator.model.ArmException;
import io.github.acivirtualnode.aciemulator.model.ContainerEvent;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupRecord;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupValidator;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupView;
import io.github.acivirtualnode.aciemulator.model.ContainerLogs;
import io.github.acivirtualnode.aciemulator.model.EmulatorTimings;
import io.github.acivirtualnode.aciemulator.model.Regions;
import io.github.acivirtualnode.aciemulator.model.RequestBudgets;
import io.github.acivirtualnode.aciemulator.model.ServiceFilled;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** The Azure Resource Manager routes: resource groups and Microsoft.ContainerInstance. */
final class ArmApi {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final String SUB = "/subscriptions/{sub}";
  private static final String RG = SUB + "/resourcegroups/{rg}";
  private static final String CG = RG + "/providers/microsoft.containerinstance/containergroups";
  private static final String ONE = CG + "/{name}";
  private static final String LOC = SUB + "/providers/microsoft.containerinstance/locations/{loc}";
  private static final String OPERATION_STATUS_VERSION = "2018-06-01";

  private final AciEmulator emulator;
  private final EmulatorState state;
  private final Clock clock;
  private final EmulatorTimings timings;
  private final ContainerGroupValidator validator;
  private final RequestBudgets budgets;
  private final FaultInjector faults;
  private final StreamingSessions sessions;
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
      AciEmulator.Builder config) {
    this.emulator = emulator;
    this.state = state;
    this.clock = clock;
    this.timings = timings;
    this.validator = validator;
    this.budgets = budgets;
    this.faults = faults;
    this.sessions = sessions;
    this.config = config;
  }

  /** A handler that may throw {@link ArmException}. */
  private interface ArmHandler {
    void handle(Context ctx);
  }

  void register(JavalinDefaultRouting r) {
    r.put(
        RG,
        ctx ->
            arm(
                ctx,
                "ResourceGroups_CreateOrUpdate",
                RequestBudgets.Kind.READ,
                this::putResourceGroup));
    r.get(
        RG,
        ctx -> arm(ctx, "ResourceGroups_Get", RequestBudgets.Kind.READ, this::getResourceGroup));
    r.head(
        RG,
        ctx ->
            arm(
                ctx,
                "ResourceGroups_CheckExistence",
                RequestBudgets.Kind.READ,
                this::headResourceGroup));
    r.delete(
        RG,
        ctx ->
            arm(ctx, "ResourceGroups_Delete", RequestBudgets.Kind.READ, this::deleteResourceGroup));
    r.get(
        SUB + "/operationresults/{id}",
        ctx ->
            arm(
                ctx,
                "ResourceGroups_OperationResult",
                RequestBudgets.Kind.READ,
                c -> c.status(200)));

    r.put(
        ONE,
        ctx ->
            arm(ctx, "ContainerGroups_CreateOrUpdate", RequestBudgets.Kind.CREATE, this::putGroup));
    r.get(ONE, ctx -> arm(ctx, "ContainerGroups_Get", RequestBudgets.Kind.READ, this::getGroup));
    r.patch(
        ONE, ctx -> arm(ctx, "ContainerGroups_Update", RequestBudgets.Kind.READ, this::patchGroup));
    r.delete(
        ONE,
        ctx -> arm(ctx, "ContainerGroups_Delete", RequestBudgets.Kind.DELETE, this::deleteGroup));
    r.post(
        ONE + "/start",
        ctx -> arm(ctx, "ContainerGroups_Start", RequestBudgets.Kind.READ, this::startGroup));
    r.post(
        ONE + "/stop",
        ctx -> arm(ctx, "ContainerGroups_Stop", RequestBudgets.Kind.READ, this::stopGroup));
    r.post(
        ONE + "/restart",
        ctx -> arm(ctx, "ContainerGroups_Restart", RequestBudgets.Kind.READ, this::restartGroup));
    r.get(
        CG,
        ctx ->
            arm(
                ctx,
                "ContainerGroups_ListByResourceGroup",
                RequestBudgets.Kind.READ,
                c -> list(c, c.pathParam("rg"))));
    r.get(
        SUB + "/providers/microsoft.containerinstance/containergroups",
        ctx -> arm(ctx, "ContainerGroups_List", RequestBudgets.Kind.READ, c -> list(c, null)));
    r.get(
        ONE + "/containers/{container}/logs",
        ctx -> arm(ctx, "Containers_ListLogs", RequestBudgets.Kind.READ, this::logs));
    r.post(
        ONE + "/containers/{container}/exec",
        ctx -> arm(ctx, "Containers_ExecuteCommand", RequestBudgets.Kind.READ, this::exec));
    r.post(
        ONE + "/containers/{container}/attach",
        ctx -> arm(ctx, "Containers_Attach", RequestBudgets.Kind.READ, this::attach));
    r.get(
        ONE + "/outboundnetworkdependenciesendpoints",
        ctx ->
            arm(
                ctx,
                "ContainerGroups_GetOutboundNetworkDependenciesEndpoints",
                RequestBudgets.Kind.READ,
                c -> json(c, 200, MAPPER.createArrayNode())));

    r.get(
        LOC + "/operations/{id}",
        ctx ->
            arm(
                ctx,
                "ContainerGroups_OperationStatus",
                RequestBudgets.Kind.READ,
                this::operationStatus));
    r.get(
        LOC + "/usages",
        ctx -> arm(ctx, "Location_ListUsage", RequestBudgets.Kind.READ, this::usages));
    r.get(
        LOC + "/capabilities",
        ctx -> arm(ctx, "Location_ListCapabilities", RequestBudgets.Kind.READ, this::capabilities));
    r.get(
        LOC + "/cachedimages",
        ctx -> arm(ctx, "Location_ListCachedImages", RequestBudgets.Kind.READ, this::cachedImages));
    r.get(
        "/providers/microsoft.containerinstance/operations",
        ctx -> arm(ctx, "Operations_List", null, this::operationsList));
    r.get(
        SUB + "/providers/microsoft.containerinstance",
        ctx -> arm(ctx, "Providers_Get", RequestBudgets.Kind.READ, this::provider));
  }

  /** The api-versions each operation serves (and the type ARM names when refusing one). */
  private static ApiVersions versions(String operation) {
    if (operation.startsWith("ResourceGroups_")) {
      return ApiVersions.arm(ApiVersions.RESOURCES);
    }
    if (operation.equals("Providers_Get")) {
      return ApiVersions.arm(ApiVersions.PROVIDERS);
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

  // ---- resource groups ----

  private void putResourceGroup(Context ctx) {
    JsonNode body = body(ctx);
    String location = body.path("location").asText("");
    if (location.isBlank()) {
      throw ArmException.badRequest(
          "LocationRequired", "The location property is required for this definition.");
    }
    String sub = ctx.pathParam("sub");
    String name = ctx.pathParam("rg");
    EmulatorState.ResourceGroup existing = state.resourceGroup(sub, name);
    EmulatorState.ResourceGroup group =
        existing != null ? existing : new EmulatorState.ResourceGroup(sub, name, location);
    state.putResourceGroup(group);
    json(ctx, existing != null ? 200 : 201, resourceGroupJson(group));
  }

  private void getResourceGroup(Context ctx) {
    json(ctx, 200, resourceGroupJson(requireResourceGroup(ctx)));
  }

  private void headResourceGroup(Context ctx) {
    ctx.status(state.resourceGroup(ctx.pathParam("sub"), ctx.pathParam("rg")) != null ? 204 : 404);
  }

  private void deleteResourceGroup(Context ctx) {
    EmulatorState.ResourceGroup group = requireResourceGroup(ctx);
    state.resourceGroups.remove(EmulatorState.key(group.subscriptionId(), group.name()));
    state
        .groups(group.subscriptionId(), group.name())
        .forEach(
            g ->
                state.groups.remove(
                    EmulatorState.key(g.subscriptionId(), g.resourceGroup(), g.name())));
    ctx.header(
        "Location",
        baseUrl(ctx)
            + "subscriptions/"
            + group.subscriptionId()
            + "/operationresults/"
            + UUID.randomUUID()
            + "?api-version="
            + apiVersion(ctx));
    ctx.header("Retry-After", "0");
    ctx.status(202);
  }

  private static ObjectNode resourceGroupJson(EmulatorState.ResourceGroup group) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", group.id());
    node.put("name", group.name());
    node.put("type", "Microsoft.Resources/resourceGroups");
    node.put("location", group.location());
    node.putObject("properties").put("provisioningState", "Succeeded");
    return node;
  }

  private EmulatorState.ResourceGroup requireResourceGroup(Context ctx) {
    EmulatorState.ResourceGroup group =
        state.resourceGroup(ctx.pathParam("sub"), ctx.pathParam("rg"));
    if (group == null) {
      throw new ArmException(
          404,
          "ResourceGroupNotFound",
          "Resource group '" + ctx.pathParam("rg") + "' could not be found.");
    }
    return group;
  }

  // ---- container groups ----

  private void putGroup(Context ctx) {
    EmulatorState.ResourceGroup rg = requireResourceGroup(ctx);
    String name = ctx.pathParam("name");
    JsonNode body = body(ctx);
    validator.validate(name, body);
    String location = body.get("location").asText();
    ContainerGroupRecord existing = state.group(rg.subscriptionId(), rg.name(), name);
    checkQuota(rg.subscriptionId(), location, name, body);
    ObjectNode spec = normalize((ObjectNode) body);
    ServiceFilled.apply(spec, rg.subscriptionId(), rg.name(), name);
    Instant now = clock.instant();
    Instant begin = now.plus(timings.pending());
    ContainerGroupRecord record;
    if (existing != null) {
      existing.replace(spec, now, begin);
      record = existing;
    } else {
      record =
          new ContainerGroupRecord(
              rg.subscriptionId(),
              rg.name(),
              name,
              state.ordinal.incrementAndGet(),
              spec,
              now,
              begin);
      state.groups.put(EmulatorState.key(rg.subscriptionId(), rg.name(), name), record);
    }
    asyncOperation(ctx, record);
    json(
        ctx,
        existing != null ? 200 : 201,
        new ContainerGroupView(record, now, timings).toJson(ContainerGroupView.Shape.CREATED));
  }

  private void checkQuota(String sub, String location, String name, JsonNode body) {
    int groups = 0;
    double cores = 0;
    for (ContainerGroupRecord g : state.groups(sub, null)) {
      if (Regions.same(g.location(), location) && !g.name().equalsIgnoreCase(name)) {
        groups++;
        cores += ContainerGroupValidator.totalCpu(g.spec());
      }
    }
    if (groups + 1 > config.regionalContainerGroupQuota) {
      throw ArmException.badRequest(
          "ContainerGroupQuotaReached",
          String.format(
              "Resource type 'Microsoft.ContainerInstance/containerGroups' container group quota"
                  + " 'ContainerGroups' exceeded in region '%s'. Limit: '%d', Usage: '%d'"
                  + " Requested: '1'.",
              location, config.regionalContainerGroupQuota, groups));
    }
    double requested = ContainerGroupValidator.totalCpu(body);
    if (cores + requested > config.regionalCoreQuota) {
      throw ArmException.badRequest(
          "ContainerGroupQuotaReached",
          String.format(
              Locale.ROOT,
              "Resource type 'Microsoft.ContainerInstance/containerGroups' container group quota"
                  + " 'StandardCores' exceeded in region '%s'. Limit: '%s', Usage: '%s'"
                  + " Requested: '%s'.",
              location,
              num(config.regionalCoreQuota),
              num(cores),
              num(requested)));
    }
  }

  private static String num(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  /** Fills in what the service adds to an accepted spec (defaults, fqdn, normalised casing). */
  private static ObjectNode normalize(ObjectNode body) {
    ObjectNode spec = body.deepCopy();
    ObjectNode props = (ObjectNode) spec.get("properties");
    ObjectNode normalized = MAPPER.createObjectNode();
    normalized.put("sku", props.path("sku").asText("Standard"));
    normalized.put("isCreatedFromStandbyPool", false);
    normalized.put("provisioningState", "Pending");
    normalized.put("provisioningTimeoutInSeconds", 1800);
    normalized.put("isCustomProvisioningTimeout", false);
    normalized.setAll(props);
    normalized.remove("provisioningState");
    for (String kind : List.of("containers", "initContainers")) {
      if (!normalized.has(kind)) {
        normalized.set(kind, MAPPER.createArrayNode());
      }
      for (JsonNode container : normalized.path(kind)) {
        ObjectNode cp = (ObjectNode) container.path("properties");
        ObjectNode ordered = MAPPER.createObjectNode();
        ordered.set("image", cp.get("image"));
        if (cp.has("command")) {
          ordered.set("command", cp.get("command"));
        }
        if (kind.equals("containers")) {
          ArrayNode ports = MAPPER.createArrayNode();
          for (JsonNode port : cp.path("ports")) {
            ports
                .addObject()
                .put("protocol", port.path("protocol").asText("TCP"))
                .put("port", port.path("port").asInt());
          }
          ordered.set("ports", ports);
        }
        ordered.set(
            "environmentVariables",
            cp.has("environmentVariables")
                ? cp.get("environmentVariables")
                : MAPPER.createArrayNode());
        if (kind.equals("containers")) {
          ordered.set(
              "configMap",
              cp.has("configMap")
                  ? cp.get("configMap")
                  : MAPPER.createObjectNode().set("keyValuePairs", MAPPER.createObjectNode()));
        }
        ordered.setAll(cp);
        ordered.remove("instanceView");
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
          JsonNode httpGet = ordered.path(probe).path("httpGet");
          if (httpGet.isObject()) {
            ObjectNode get = (ObjectNode) httpGet;
            ObjectNode fixed = MAPPER.createObjectNode();
            if (get.has("path")) {
              fixed.set("path", get.get("path"));
            }
            fixed.set("port", get.get("port"));
            String scheme = get.path("scheme").asText("http");
            fixed.put("scheme", scheme.equalsIgnoreCase("https") ? "Https" : "Http");
            get.properties()
                .forEach(
                    e -> {
                      if (!fixed.has(e.getKey())) fixed.set(e.getKey(), e.getValue());
                    });
            ((ObjectNode) ordered.get(probe)).set("httpGet", fixed);
          }
        }
        ((ObjectNode) container).set("properties", ordered);
      }
    }
    JsonNode ip = normalized.path("ipAddress");
    if (ip.isObject()) {
      ObjectNode address = (ObjectNode) ip;
      ArrayNode ports = MAPPER.createArrayNode();
      for (JsonNode port : address.path("ports")) {
        ports
            .addObject()
            .put("protocol", port.path("protocol").asText("TCP"))
            .put("port", port.path("port").asInt());
      }
      address.set("ports", ports);
      if (address.hasNonNull("dnsNameLabel")) {
        String scope = address.path("autoGeneratedDomainNameLabelScope").asText("Unsecure");
        address.put("autoGeneratedDomainNameLabelScope", scope);
        String location = spec.path("location").asText().toLowerCase(Locale.ROOT).replace(" ", "");
        String label = address.get("dnsNameLabel").asText();
        String hash =
            scope.equals("Unsecure")
                ? ""
                : Integer.toHexString(label.hashCode() & 0x7fffffff) + ".";
        address.put("fqdn", label + "." + hash + location + ".azurecontainer.io");
      }
    }
    spec.set("properties", normalized);
    if (!spec.has("tags")) {
      spec.set("tags", MAPPER.createObjectNode());
    }
    return spec;
  }

  private void asyncOperation(Context ctx, ContainerGroupRecord record) {
    String id = UUID.randomUUID().toString();
    state.operations.put(
        id,
        new EmulatorState.Operation(
            id,
            EmulatorState.key(record.subscriptionId(), record.resourceGroup(), record.name()),
            record.id(),
            clock.instant()));
    String location = Regions.name(record.location());
    ctx.header(
        "Azure-AsyncOperation",
        baseUrl(ctx)
            + "subscriptions/"
            + record.subscriptionId()
            + "/providers/Microsoft.ContainerInstance/locations/"
            + location
            + "/operations/"
            + id
            + "?api-version="
            + OPERATION_STATUS_VERSION);
    ctx.header("Azure-AsyncNotification", "Enabled");
    // The recorded answers carry no Retry-After: clients poll at their own interval.
  }

  private ContainerGroupRecord requireGroup(Context ctx) {
    requireResourceGroup(ctx);
    ContainerGroupRecord record =
        state.group(ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("name"));
    if (record == null) {
      throw new ArmException(
          404,
          "ResourceNotFound",
          String.format(
              "The Resource 'Microsoft.ContainerInstance/containerGroups/%s' under resource group"
                  + " '%s' was not found. For more details please go to"
                  + " https://aka.ms/ARMResourceNotFoundFix",
              ctx.pathParam("name"), ctx.pathParam("rg")));
    }
    return record;
  }

  private void getGroup(Context ctx) {
    json(ctx, 200, view(requireGroup(ctx)).toJson(ContainerGroupView.Shape.RESOURCE));
  }

  private void patchGroup(Context ctx) {
    ContainerGroupRecord record = requireGroup(ctx);
    JsonNode tags = body(ctx).path("tags");
    if (tags.isObject()) {
      record.updateTags((ObjectNode) tags);
    }
    json(ctx, 200, view(record).toJson(ContainerGroupView.Shape.RESOURCE));
  }

  private void deleteGroup(Context ctx) {
    requireResourceGroup(ctx);
    ContainerGroupRecord record =
        state.groups.remove(
            EmulatorState.key(ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("name")));
    if (record == null) {
      ctx.status(204);
      return;
    }
    json(ctx, 200, view(record).toJson(ContainerGroupView.Shape.RESOURCE));
  }

  /** As recorded: 204 with an Azure-AsyncOperation to poll; the group is provisioned again. */
  private void startGroup(Context ctx) {
    ContainerGroupRecord record = requireGroup(ctx);
    Instant now = clock.instant();
    record.start(now, now.plus(timings.pending()));
    asyncOperation(ctx, record);
    ctx.status(204);
  }

  private void stopGroup(Context ctx) {
    requireGroup(ctx).stop(clock.instant());
    ctx.status(204);
  }

  /** 204 with an Azure-AsyncOperation; provisioning goes Updating, then Succeeded. */
  private void restartGroup(Context ctx) {
    ContainerGroupRecord record = requireGroup(ctx);
    Instant now = clock.instant();
    record.restart(now, now.plus(timings.pending()));
    asyncOperation(ctx, record);
    ctx.status(204);
  }

  private void list(Context ctx, String resourceGroup) {
    if (resourceGroup != null) {
      requireResourceGroup(ctx);
    }
    List<ContainerGroupRecord> all = state.groups(ctx.pathParam("sub"), resourceGroup);
    int skip = 0;
    String token = ctx.queryParam("$skipToken");
    if (token != null) {
      try {
        skip = Integer.parseInt(token);
      } catch (NumberFormatException e) {
        throw ArmException.badRequest(
            "InvalidSkipToken", "The skip token '" + token + "' is invalid.");
      }
    }
    ObjectNode page = MAPPER.createObjectNode();
    ArrayNode value = page.putArray("value");
    int end = Math.min(all.size(), skip + config.pageSize);
    for (ContainerGroupRecord record : all.subList(Math.min(skip, all.size()), end)) {
      value.add(view(record).toJson(ContainerGroupView.Shape.LIST_ITEM));
    }
    if (end < all.size()) {
      String path = ctx.path().startsWith("/") ? ctx.path().substring(1) : ctx.path();
      page.put(
          "nextLink",
          baseUrl(ctx) + path + "?api-version=" + apiVersion(ctx) + "&$skipToken=" + end);
    }
    json(ctx, 200, page);
  }

  private void logs(Context ctx) {
    ContainerGroupRecord record = requireGroup(ctx);
    ContainerGroupView view = view(record);
    String container = ctx.pathParam("container");
    JsonNode node = requireContainer(view, container);
    Integer tail = null;
    if (ctx.queryParam("tail") != null) {
      try {
        tail = Integer.valueOf(ctx.queryParam("tail"));
      } catch (NumberFormatException e) {
        throw ArmException.badRequest("InvalidParameter", "The tail parameter must be a number.");
      }
    }
    boolean timestamps = Boolean.parseBoolean(ctx.queryParam("timestamps"));
    List<ContainerLogs.Line> lines =
        StreamingSessions.logLines(view, node, container, clock.instant(), timings);
    ObjectNode out = MAPPER.createObjectNode();
    out.put("content", ContainerLogs.render(lines, tail, timestamps));
    json(ctx, 200, out);
  }

  private void exec(Context ctx) {
    ContainerGroupRecord record = requireGroup(ctx);
    ContainerGroupView view = view(record);
    String container = ctx.pathParam("container");
    requireContainer(view, container);
    if (!view.status(container).current().isRunning()) {
      throw ArmException.badRequest(
          "ContainerGroupNotRunning",
          "The container '" + container + "' is not running; exec needs a running container.");
    }
    JsonNode body = body(ctx);
    String command = body.path("command").asText("");
    json(ctx, 200, sessions.createExec(record, container, command, baseUrl(ctx)));
  }

  private void attach(Context ctx) {
    ContainerGroupRecord record = requireGroup(ctx);
    String container = ctx.pathParam("container");
    requireContainer(view(record), container);
    json(ctx, 200, sessions.createAttach(record, container, baseUrl(ctx)));
  }

  private static JsonNode requireContainer(ContainerGroupView view, String container) {
    JsonNode node = view.container(container);
    if (node == null) {
      throw new ArmException(
          404,
          "ContainerNotFound",
          "The container '"
              + container
              + "' cannot be found in container group '"
              + view.record().name()
              + "'.");
    }
    return node;
  }

  private void operationStatus(Context ctx) {
    EmulatorState.Operation operation = state.operations.get(ctx.pathParam("id"));
    ContainerGroupRecord owner = operation == null ? null : state.groups.get(operation.groupKey());
    if (operation == null
        || (owner != null && !Regions.same(owner.location(), ctx.pathParam("loc")))) {
      throw new ArmException(
          404, "OperationNotFound", "The operation '" + ctx.pathParam("id") + "' was not found.");
    }
    ObjectNode out = MAPPER.createObjectNode();
    out.put("id", operation.groupId());
    ContainerGroupRecord record = state.groups.get(operation.groupKey());
    String status = "Succeeded";
    ContainerGroupView view = null;
    if (record != null) {
      view = view(record);
      // A later create, start or restart supersedes this operation: it is over.
      status =
          record.provisioningStart().isAfter(operation.start())
              ? "Succeeded"
              : view.provisioningState();
    }
    out.put("status", status);
    out.put("startTime", DateTimeFormatter.ISO_INSTANT.format(operation.start()));
    ArrayNode events = out.putObject("properties").putArray("events");
    if (view != null) {
      for (ContainerEvent event : view.allEvents()) {
        ObjectNode e = events.addObject();
        e.put("count", event.count());
        e.put("firstTimestamp", ContainerGroupView.second(event.first()));
        e.put("lastTimestamp", ContainerGroupView.second(event.last()));
        e.put("name", event.name());
        e.put("message", event.message());
        e.put("type", event.type());
      }
    }
    if (status.equals("Failed")) {
      ObjectNode error = out.putObject("error");
      error.put("code", "Failed");
      error.put(
          "message", "The container group provisioning failed: an image could not be pulled.");
    }
    json(ctx, 200, out);
  }

  private void usages(Context ctx) {
    String sub = ctx.pathParam("sub");
    String location = ctx.pathParam("loc");
    int groups = 0;
    double cores = 0;
    for (ContainerGroupRecord g : state.groups(sub, null)) {
      if (Regions.same(g.location(), location)) {
        groups++;
        cores += ContainerGroupValidator.totalCpu(g.spec());
      }
    }
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode value = out.putArray("value");
    value.add(
        usage("ContainerGroups", "Container Groups", groups, config.regionalContainerGroupQuota));
    value.add(
        usage(
            "StandardCores",
            "Standard Cores",
            (int) Math.ceil(cores),
            (int) config.regionalCoreQuota));
    json(ctx, 200, out);
  }

  private static ObjectNode usage(String name, String localized, int current, int limit) {
    ObjectNode usage = MAPPER.createObjectNode();
    usage.putObject("name").put("localizedValue", localized).put("value", name);
    usage.put("currentValue", current);
    usage.put("limit", limit);
    usage.put("unit", "Count");
    return usage;
  }

  private void capabilities(Context ctx) {
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode value = out.putArray("value");
    ContainerGroupValidator.Limits limits = config.limits;
    for (String os : List.of("Linux", "Windows")) {
      ObjectNode c = value.addObject();
      c.put("resourceType", "containerGroups");
      c.put("osType", os);
      c.put("location", ctx.pathParam("loc"));
      c.put("ipAddressType", "Public");
      c.put("gpu", os.equals("Linux") && limits.maxGpuPerGroup() > 0 ? "V100" : "None");
      c.putObject("capabilities")
          .put("maxMemoryInGB", limits.maxMemoryGbPerGroup())
          .put("maxCpu", limits.maxCpuPerGroup())
          .put("maxGpuCount", os.equals("Linux") ? limits.maxGpuPerGroup() : 0);
    }
    json(ctx, 200, out);
  }

  private void cachedImages(Context ctx) {
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode value = out.putArray("value");
    value.addObject().put("osType", "Linux").put("image", "ubuntu:22.04");
    value
        .addObject()
        .put("osType", "Windows")
        .put("image", "mcr.microsoft.com/windows/servercore:ltsc2022");
    json(ctx, 200, out);
  }

  private void operationsList(Context ctx) {
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode value = out.putArray("value");
    String[][] operations = {
      {
        "containerGroups/read",
        "Get all container groups.",
        "Get Container Groups",
        "Container Group"
      },
      {
        "containerGroups/write",
        "Create or update a specific container group.",
        "Create or Update Container Group",
        "Container Group"
      },
      {
        "containerGroups/delete",
        "Delete the specific container group.",
        "Delete Container Group",
        "Container Group"
      },
      {
        "containerGroups/restart/action",
        "Restarts a specific container group.",
        "Restart Container Group",
        "Container Group"
      },
      {
        "containerGroups/stop/action",
        "Stops a specific container group.",
        "Stop Container Group",
        "Container Group"
      },
      {
        "containerGroups/start/action",
        "Starts a specific container group.",
        "Start Container Group",
        "Container Group"
      },
      {
        "containerGroups/containers/logs/read",
        "Get the logs for a specific container.",
        "Get container logs",
        "Container"
      },
      {
        "containerGroups/containers/exec/action",
        "Exec into a specific container.",
        "Exec into container",
        "Container"
      },
      {
        "containerGroups/containers/attach/action",
        "Attach to the output stream of a container.",
        "Attach container",
        "Container"
      },
      {"locations/usages/read", "Get the usage for a specific location.", "Get Usage", "Usage"},
      {
        "locations/capabilities/read",
        "Get the capabilities for a region.",
        "Get Capabilities",
        "Capabilities"
      },
    };
    for (String[] op : operations) {
      ObjectNode o = value.addObject();
      o.put("name", "Microsoft.ContainerInstance/" + op[0]);
      o.putObject("display")
          .put("provider", "Microsoft Container Instance")
          .put("resource", op[3])
          .put("operation", op[2])
          .put("description", op[1]);
      o.put("origin", "User");
    }
    json(ctx, 200, out);
  }

  // ---- resource provider (Microsoft.Resources Providers_Get) ----

  private static final String[] PROVIDER_TYPES = {
    "containerGroups",
    "locations",
    "locations/capabilities",
    "locations/usages",
    "locations/operations",
    "locations/cachedImages",
    "operations"
  };

  /** The provider as ARM describes it, with the regions and api-versions the emulator serves. */
  private void provider(Context ctx) {
    String sub = ctx.pathParam("sub");
    if (!state.knowsSubscription(sub)) {
      throw new ArmException(
          404, "SubscriptionNotFound", "The subscription '" + sub + "' could not be found.");
    }
    ObjectNode out = MAPPER.createObjectNode();
    out.put("id", "/subscriptions/" + sub + "/providers/Microsoft.ContainerInstance");
    out.put("namespace", "Microsoft.ContainerInstance");
    ArrayNode types = out.putArray("resourceTypes");
    for (String type : PROVIDER_TYPES) {
      ObjectNode t = types.addObject();
      t.put("resourceType", type);
      ArrayNode locations = t.putArray("locations");
      if (!type.equals("operations") && !type.equals("locations")) {
        config.regions.forEach(locations::add);
      }
      ArrayNode versions = t.putArray("apiVersions");
      ApiVersions.CONTAINER_INSTANCE.forEach(versions::add);
      if (type.equals("containerGroups")) {
        t.put("capabilities", "SupportsTags, SupportsLocation");
      }
    }
    out.put("registrationState", "Registered");
    out.put("registrationPolicy", "RegistrationRequired");
    json(ctx, 200, out);
  }

  // ---- helpers ----

  private ContainerGroupView view(ContainerGroupRecord record) {
    return new ContainerGroupView(record, clock.instant(), timings);
  }

  /** The request's api-version (checked by {@link #arm} before any handler runs). */
  private static String apiVersion(Context ctx) {
    return ctx.queryParam("api-version");
  }

  private static JsonNode body(Context ctx) {
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
