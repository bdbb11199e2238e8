package io.github.acivirtualnode.aciemulator;

import static io.github.acivirtualnode.aciemulator.ArmApi.MAPPER;
import static io.github.acivirtualnode.aciemulator.ArmApi.apiVersion;
import static io.github.acivirtualnode.aciemulator.ArmApi.baseUrl;
import static io.github.acivirtualnode.aciemulator.ArmApi.body;
import static io.github.acivirtualnode.aciemulator.ArmApi.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.acivirtualnode.aciemulator.model.ApiVersionFields;
import io.github.acivirtualnode.aciemulator.model.ArmException;
import io.github.acivirtualnode.aciemulator.model.ContainerEvent;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupRecord;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupValidator;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupView;
import io.github.acivirtualnode.aciemulator.model.EmulatorTimings;
import io.github.acivirtualnode.aciemulator.model.Regions;
import io.github.acivirtualnode.aciemulator.model.RequestBudgets;
import io.github.acivirtualnode.aciemulator.model.ServiceFilled;
import io.github.acivirtualnode.aciemulator.model.StandbyPoolRecord;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Container groups: create (with the service's normalisation and filled-in fields), get, update,
 * delete, lists, start, stop, restart and their long-running operations.
 */
final class ContainerGroupsApi {
  private static final String CG = ArmApi.CG;
  private static final String ONE = ArmApi.ONE;
  private final EmulatorState state;
  private final Clock clock;
  private final EmulatorTimings timings;
  private final ContainerGroupValidator validator;
  private final AciEmulator.Builder config;
  private final ResourceGroupsApi resourceGroups;
  private final ContainerGroupProfilesApi profiles;
  private final StandbyPoolsApi pools;

  ContainerGroupsApi(
      EmulatorState state,
      Clock clock,
      EmulatorTimings timings,
      ContainerGroupValidator validator,
      AciEmulator.Builder config,
      ResourceGroupsApi resourceGroups,
      ContainerGroupProfilesApi profiles,
      StandbyPoolsApi pools) {
    this.state = state;
    this.clock = clock;
    this.timings = timings;
    this.validator = validator;
    this.config = config;
    this.resourceGroups = resourceGroups;
    this.profiles = profiles;
    this.pools = pools;
  }

  void register(ArmApi.Routes r) {
    r.put(ONE, "ContainerGroups_CreateOrUpdate", RequestBudgets.Kind.CREATE, this::putGroup);
    r.get(ONE, "ContainerGroups_Get", RequestBudgets.Kind.READ, this::getGroup);
    r.patch(ONE, "ContainerGroups_Update", RequestBudgets.Kind.READ, this::patchGroup);
    r.delete(ONE, "ContainerGroups_Delete", RequestBudgets.Kind.DELETE, this::deleteGroup);
    r.post(ONE + "/start", "ContainerGroups_Start", RequestBudgets.Kind.READ, this::startGroup);
    r.post(ONE + "/stop", "ContainerGroups_Stop", RequestBudgets.Kind.READ, this::stopGroup);
    r.post(
        ONE + "/restart", "ContainerGroups_Restart", RequestBudgets.Kind.READ, this::restartGroup);
    r.get(
        CG,
        "ContainerGroups_ListByResourceGroup",
        RequestBudgets.Kind.READ,
        c -> list(c, c.pathParam("rg")));
    r.get(
        ArmApi.SUB + "/providers/microsoft.containerinstance/containergroups",
        "ContainerGroups_List",
        RequestBudgets.Kind.READ,
        c -> list(c, null));
    r.get(
        ONE + "/outboundnetworkdependenciesendpoints",
        "ContainerGroups_GetOutboundNetworkDependenciesEndpoints",
        RequestBudgets.Kind.READ,
        c -> json(c, 200, MAPPER.createArrayNode()));
    r.get(
        ArmApi.LOC + "/operations/{id}",
        "ContainerGroups_OperationStatus",
        RequestBudgets.Kind.READ,
        this::operationStatus);
  }

  private void putGroup(Context ctx) {
    EmulatorState.ResourceGroup rg = resourceGroups.require(ctx);
    String name = ctx.pathParam("name");
    JsonNode body = body(ctx);
    StandbyPoolRecord pool = null;
    if (body.path("properties").isObject()) {
      ApiVersionFields.checkRequest(body, apiVersion(ctx));
      // Read-only: the service decides.
      ((ObjectNode) body.get("properties")).remove("isCreatedFromStandbyPool");
      JsonNode poolReference = body.path("properties").path("standbyPoolProfile");
      if (poolReference.isObject()) {
        pool = pools.resolve(poolReference);
      }
      JsonNode reference = body.path("properties").path("containerGroupProfile");
      if (!reference.isObject() && pool != null) {
        reference = pool.profileReference();
      }
      if (reference.isObject()) {
        body = profiles.groupFromProfile(reference, body);
      }
      if (pool != null
          && !pools.holds(pool, body.path("properties").path("containerGroupProfile"))) {
        // The pool's instances are of its own profile revision: any other is created anew.
        pool = null;
      }
      // The answers name the profile, not the pool (2026-05-01 standby pool example).
      ((ObjectNode) body.get("properties")).remove("standbyPoolProfile");
    }
    validator.validate(name, body);
    String location = body.get("location").asText();
    ContainerGroupRecord existing = state.group(rg.subscriptionId(), rg.name(), name);
    checkQuota(rg.subscriptionId(), location, name, body);
    ObjectNode spec = normalize((ObjectNode) body);
    ServiceFilled.apply(spec, rg.subscriptionId(), rg.name(), name);
    Instant now = clock.instant();
    Instant began =
        existing == null && pool != null ? pool.take(now, pools.provisioned(pool)) : null;
    Instant provisioning = began != null ? began : now;
    Instant begin = provisioning.plus(timings.pending());
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
              provisioning,
              begin);
      if (began != null) {
        // Handed out by the pool: placed and running since the standby instance was.
        ((ObjectNode) spec.get("properties")).put("isCreatedFromStandbyPool", true);
        record.markCreatedFromStandbyPool();
      }
      state.groups.put(EmulatorState.key(rg.subscriptionId(), rg.name(), name), record);
    }
    record.putArrived(now);
    asyncOperation(ctx, record);
    json(
        ctx,
        existing != null ? 200 : 201,
        answer(
            ctx, new ContainerGroupView(record, now, timings), ContainerGroupView.Shape.CREATED));
  }

  /** The group in {@code shape}, with only the fields the request's api-version knows. */
  private static ObjectNode answer(
      Context ctx, ContainerGroupView view, ContainerGroupView.Shape shape) {
    ObjectNode json = view.toJson(shape);
    ApiVersionFields.shape(json, apiVersion(ctx));
    return json;
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
            + ArmApi.OPERATION_STATUS_VERSION);
    ctx.header("Azure-AsyncNotification", "Enabled");
    // The recorded answers carry no Retry-After: clients poll at their own interval.
  }

  /** The request's container group, or 404 ResourceNotFound. */
  ContainerGroupRecord requireGroup(Context ctx) {
    resourceGroups.require(ctx);
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
    json(ctx, 200, answer(ctx, view(requireGroup(ctx)), ContainerGroupView.Shape.RESOURCE));
  }

  private void patchGroup(Context ctx) {
    ContainerGroupRecord record = requireGroup(ctx);
    JsonNode tags = body(ctx).path("tags");
    if (tags.isObject()) {
      record.updateTags((ObjectNode) tags);
    }
    json(ctx, 200, answer(ctx, view(record), ContainerGroupView.Shape.RESOURCE));
  }

  private void deleteGroup(Context ctx) {
    resourceGroups.require(ctx);
    ContainerGroupRecord record =
        state.groups.remove(
            EmulatorState.key(ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("name")));
    if (record == null) {
      ctx.status(204);
      return;
    }
    json(ctx, 200, answer(ctx, view(record), ContainerGroupView.Shape.RESOURCE));
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
      resourceGroups.require(ctx);
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
      value.add(answer(ctx, view(record), ContainerGroupView.Shape.LIST_ITEM));
    }
    if (end < all.size()) {
      String path = ctx.path().startsWith("/") ? ctx.path().substring(1) : ctx.path();
      page.put(
          "nextLink",
          baseUrl(ctx) + path + "?api-version=" + apiVersion(ctx) + "&$skipToken=" + end);
    }
    json(ctx, 200, page);
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

  ContainerGroupView view(ContainerGroupRecord record) {
    return new ContainerGroupView(record, clock.instant(), timings);
  }
}
