package io.github.acivirtualnode.aciemulator;

import static io.github.acivirtualnode.aciemulator.ArmApi.MAPPER;
import static io.github.acivirtualnode.aciemulator.ArmApi.apiVersion;
import static io.github.acivirtualnode.aciemulator.ArmApi.baseUrl;
import static io.github.acivirtualnode.aciemulator.ArmApi.body;
import static io.github.acivirtualnode.aciemulator.ArmApi.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.acivirtualnode.aciemulator.model.ArmException;
import io.github.acivirtualnode.aciemulator.model.ArmResourceId;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupFromProfile;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupRecord;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupView;
import io.github.acivirtualnode.aciemulator.model.EmulatorTimings;
import io.github.acivirtualnode.aciemulator.model.Regions;
import io.github.acivirtualnode.aciemulator.model.RequestBudgets;
import io.github.acivirtualnode.aciemulator.model.StandbyPoolRecord;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Microsoft.StandbyPool/standbyContainerGroupPools: CRUD, lists, the runtime view and the
 * provider's operation status; and handing out a provisioned standby instance to a container group
 * PUT that references the pool.
 */
final class StandbyPoolsApi {
  static final String LIST =
      ArmApi.RG + "/providers/microsoft.standbypool/standbycontainergrouppools";
  static final String ONE = LIST + "/{pool}";
  static final String OPERATIONS =
      ArmApi.SUB + "/providers/microsoft.standbypool/locations/{loc}/operationstatuses";
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9-]{3,24}$");

  private final EmulatorState state;
  private final Clock clock;
  private final EmulatorTimings timings;
  private final ResourceGroupsApi resourceGroups;
  private final ContainerGroupProfilesApi profiles;

  StandbyPoolsApi(
      EmulatorState state,
      Clock clock,
      EmulatorTimings timings,
      ResourceGroupsApi resourceGroups,
      ContainerGroupProfilesApi profiles) {
    this.state = state;
    this.clock = clock;
    this.timings = timings;
    this.resourceGroups = resourceGroups;
    this.profiles = profiles;
  }

  void register(ArmApi.Routes r) {
    RequestBudgets.Kind read = RequestBudgets.Kind.READ;
    r.put(ONE, "StandbyContainerGroupPools_CreateOrUpdate", read, this::put);
    r.get(ONE, "StandbyContainerGroupPools_Get", read, c -> json(c, 200, toJson(require(c))));
    r.patch(ONE, "StandbyContainerGroupPools_Update", read, this::patch);
    r.delete(ONE, "StandbyContainerGroupPools_Delete", read, this::delete);
    r.get(
        LIST,
        "StandbyContainerGroupPools_ListByResourceGroup",
        read,
        c -> list(c, c.pathParam("rg")));
    r.get(
        ArmApi.SUB + "/providers/microsoft.standbypool/standbycontainergrouppools",
        "StandbyContainerGroupPools_ListBySubscription",
        read,
        c -> list(c, null));
    r.get(
        ONE + "/runtimeviews/{view}",
        "StandbyContainerGroupPoolRuntimeViews_Get",
        read,
        this::runtimeView);
    r.get(OPERATIONS + "/{id}", "StandbyPool_OperationStatus", read, this::operationStatus);
  }

  private void put(Context ctx) {
    EmulatorState.ResourceGroup rg = resourceGroups.require(ctx);
    String name = ctx.pathParam("pool");
    if (!NAME.matcher(name).matches()) {
      throw ArmException.badRequest(
          "InvalidResourceName",
          "The standby pool name '" + name + "' is invalid. It must match '^[a-zA-Z0-9-]{3,24}$'.");
    }
    JsonNode body = body(ctx);
    ObjectNode accepted = validate(body);
    String key = EmulatorState.key(rg.subscriptionId(), rg.name(), name);
    StandbyPoolRecord existing = state.pools.get(key);
    StandbyPoolRecord record =
        existing != null ? existing : new StandbyPoolRecord(rg.subscriptionId(), rg.name(), name);
    record.update(accepted, clock.instant());
    state.pools.put(key, record);
    if (existing == null) {
      ctx.header("Azure-AsyncOperation", operationUrl(ctx, record));
    }
    json(ctx, existing != null ? 200 : 201, toJson(record));
  }

  /** Tags and properties are merged into the pool (the spec's update model). */
  private void patch(Context ctx) {
    StandbyPoolRecord record = require(ctx);
    JsonNode changes = body(ctx);
    ObjectNode merged = record.body().deepCopy();
    if (changes.path("tags").isObject()) {
      merged.set("tags", changes.get("tags").deepCopy());
    }
    if (changes.path("properties").isObject()) {
      ObjectNode props = (ObjectNode) merged.get("properties");
      changes
          .get("properties")
          .properties()
          .forEach(
              e -> {
                JsonNode old = props.path(e.getKey());
                if (old.isObject() && e.getValue().isObject()) {
                  ((ObjectNode) old).setAll((ObjectNode) e.getValue().deepCopy());
                } else {
                  props.set(e.getKey(), e.getValue().deepCopy());
                }
              });
    }
    record.update(validate(merged), clock.instant());
    json(ctx, 200, toJson(record));
  }

  /** 202 with a Location to poll when it existed (an ARM asynchronous delete), 204 when not. */
  private void delete(Context ctx) {
    resourceGroups.require(ctx);
    StandbyPoolRecord removed =
        state.pools.remove(
            EmulatorState.key(ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("pool")));
    if (removed == null) {
      ctx.status(204);
      return;
    }
    ctx.header("Location", operationUrl(ctx, removed));
    ctx.header("Retry-After", "0");
    ctx.status(202);
  }

  private void list(Context ctx, String resourceGroup) {
    if (resourceGroup != null) {
      resourceGroups.require(ctx);
    }
    ObjectNode page = MAPPER.createObjectNode();
    ArrayNode value = page.putArray("value");
    for (StandbyPoolRecord record :
        EmulatorState.inScope(state.pools, ctx.pathParam("sub"), resourceGroup)) {
      value.add(toJson(record));
    }
    json(ctx, 200, page);
  }

  /** Instance counts by state: Running (ready to hand out) and Creating. */
  private void runtimeView(Context ctx) {
    StandbyPoolRecord record = require(ctx);
    int[] counts = record.counts(provisioned(record));
    ObjectNode out = MAPPER.createObjectNode();
    ObjectNode props = out.putObject("properties");
    ArrayNode byState =
        props.putArray("instanceCountSummary").addObject().putArray("instanceCountsByState");
    byState.addObject().put("state", "Running").put("count", counts[0]);
    byState.addObject().put("state", "Creating").put("count", counts[1]);
    props.put("provisioningState", "Succeeded");
    props
        .putObject("status")
        .put("code", "HealthState/healthy")
        .put("message", "The pool is healthy.");
    out.put("id", record.id() + "/runtimeViews/" + ctx.pathParam("view"));
    out.put("name", ctx.pathParam("view"));
    out.put("type", StandbyPoolRecord.TYPE + "/runtimeViews");
    json(ctx, 200, out);
  }

  /** Pool operations complete at once: provisioning a pool is not simulated over time. */
  private void operationStatus(Context ctx) {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("id", ctx.path());
    out.put("name", ctx.pathParam("id"));
    out.put("status", "Succeeded");
    String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
    out.put("startTime", now);
    out.put("endTime", now);
    json(ctx, 200, out);
  }

  private String operationUrl(Context ctx, StandbyPoolRecord record) {
    String location = Regions.name(record.body().path("location").asText());
    return baseUrl(ctx)
        + "subscriptions/"
        + record.subscriptionId()
        + "/providers/Microsoft.StandbyPool/locations/"
        + location
        + "/operationStatuses/"
        + UUID.randomUUID()
        + "?api-version="
        + apiVersion(ctx);
  }

  /** The accepted body: location, elasticity profile and an existing container group profile. */
  private ObjectNode validate(JsonNode body) {
    if (!body.isObject()
        || !body.hasNonNull("location")
        || body.get("location").asText().isBlank()) {
      throw ArmException.badRequest(
          "LocationRequired", "The location property is required for this definition.");
    }
    JsonNode props = body.path("properties");
    JsonNode capacity = props.path("elasticityProfile").path("maxReadyCapacity");
    if (!capacity.isIntegralNumber() || capacity.asInt() < 0 || capacity.asInt() > 2000) {
      throw ArmException.badRequest(
          "InvalidRequestContent",
          "The request content was invalid: 'properties.elasticityProfile.maxReadyCapacity' must"
              + " be an integer from 0 to 2000.");
    }
    JsonNode refill = props.path("elasticityProfile").path("refillPolicy");
    if (!refill.isMissingNode() && !refill.asText().equalsIgnoreCase("always")) {
      throw ArmException.badRequest(
          "InvalidRequestContent",
          "The request content was invalid: 'properties.elasticityProfile.refillPolicy' must be"
              + " 'always'.");
    }
    JsonNode reference = props.path("containerGroupProperties").path("containerGroupProfile");
    if (!reference.isObject()) {
      throw ArmException.badRequest(
          "InvalidRequestContent",
          "The request content was invalid and could not be deserialized: 'Required property"
              + " 'containerGroupProfile' not found in JSON.'");
    }
    profiles.resolve(reference, "properties.containerGroupProperties.containerGroupProfile");
    ObjectNode accepted = body.deepCopy();
    if (!accepted.path("tags").isObject()) {
      accepted.putObject("tags");
    }
    return accepted;
  }

  private static ObjectNode toJson(StandbyPoolRecord record) {
    ObjectNode body = record.body();
    ObjectNode props = MAPPER.createObjectNode();
    props.set("elasticityProfile", body.at("/properties/elasticityProfile").deepCopy());
    props.put("provisioningState", "Succeeded");
    body.get("properties")
        .properties()
        .forEach(
            e -> {
              if (!props.has(e.getKey())) {
                props.set(e.getKey(), e.getValue().deepCopy());
              }
            });
    ObjectNode out = MAPPER.createObjectNode();
    out.set("properties", props);
    out.set("tags", body.get("tags").deepCopy());
    out.set("location", body.get("location").deepCopy());
    out.put("id", record.id());
    out.put("name", record.name());
    out.put("type", StandbyPoolRecord.TYPE);
    return out;
  }

  private StandbyPoolRecord require(Context ctx) {
    resourceGroups.require(ctx);
    StandbyPoolRecord record =
        state.pools.get(
            EmulatorState.key(ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("pool")));
    if (record == null) {
      throw notFound(ctx.pathParam("pool"), ctx.pathParam("rg"));
    }
    return record;
  }

  private static ArmException notFound(String name, String resourceGroup) {
    return new ArmException(
        404,
        "ResourceNotFound",
        String.format(
            "The Resource '%s/%s' under resource group '%s' was not found. For more details"
                + " please go to https://aka.ms/ARMResourceNotFoundFix",
            StandbyPoolRecord.TYPE, name, resourceGroup));
  }

  /** The pool a {@code standbyPoolProfile: {id}} reference names. */
  StandbyPoolRecord resolve(JsonNode reference) {
    ArmResourceId id =
        ArmResourceId.parse(
            reference.path("id").asText(null),
            StandbyPoolRecord.TYPE,
            "properties.standbyPoolProfile.id");
    StandbyPoolRecord pool = state.pools.get(id.key());
    if (pool == null) {
      throw notFound(id.name(), id.resourceGroup());
    }
    return pool;
  }

  /** Whether {@code pool}'s instances are of the profile revision {@code reference} names. */
  boolean holds(StandbyPoolRecord pool, JsonNode reference) {
    String path = "properties.containerGroupProperties.containerGroupProfile";
    ContainerGroupProfilesApi.Resolved own = profiles.resolve(pool.profileReference(), path);
    ContainerGroupProfilesApi.Resolved asked =
        profiles.resolve(reference, "properties.containerGroupProfile");
    return own.profile() == asked.profile() && own.revision() == asked.revision();
  }

  /**
   * Whether a standby instance of {@code pool} that began provisioning at a moment is provisioned
   * now: the pool's profile simulated as a group created then.
   */
  Predicate<Instant> provisioned(StandbyPoolRecord pool) {
    JsonNode reference = pool.profileReference();
    ContainerGroupProfilesApi.Resolved resolved =
        profiles.resolve(reference, "properties.containerGroupProperties.containerGroupProfile");
    ObjectNode spec =
        ContainerGroupFromProfile.merge(
            resolved.stored(),
            MAPPER.createObjectNode(),
            resolved.reference(reference.path("id").asText()));
    Instant now = clock.instant();
    return began ->
        new ContainerGroupView(
                new ContainerGroupRecord(
                    pool.subscriptionId(),
                    pool.resourceGroup(),
                    pool.name(),
                    0,
                    spec,
                    began,
                    began.plus(timings.pending())),
                now,
                timings)
            .provisioningState()
            .equals("Succeeded");
  }

  /** Admin actions on a pool: fill, drain, pause (refilling), resume. */
  boolean admin(String subscriptionId, String resourceGroup, String name, String action) {
    StandbyPoolRecord pool =
        state.pools.get(EmulatorState.key(subscriptionId, resourceGroup, name));
    if (pool == null) {
      return false;
    }
    Instant now = clock.instant();
    Map<String, Runnable> actions =
        Map.of(
            "fill", () -> pool.fill(now),
            "drain", () -> pool.drain(now),
            "pause", () -> pool.pauseRefill(true, now),
            "resume", () -> pool.pauseRefill(false, now));
    Runnable run = actions.get(action);
    if (run == null) {
      throw new IllegalArgumentException(
          "Unknown standby pool action '" + action + "': fill, drain, pause or resume.");
    }
    run.run();
    return true;
  }
}
