package io.github.acivirtualnode.aciemulator;

import static io.github.acivirtualnode.aciemulator.ArmApi.MAPPER;
import static io.github.acivirtualnode.aciemulator.ArmApi.body;
import static io.github.acivirtualnode.aciemulator.ArmApi.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.acivirtualnode.aciemulator.model.ArmException;
import io.github.acivirtualnode.aciemulator.model.ArmResourceId;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupFromProfile;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupProfileRecord;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupValidator;
import io.github.acivirtualnode.aciemulator.model.RequestBudgets;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * Microsoft.ContainerInstance/containerGroupProfiles: create or update (a new revision when the
 * profile changes), get, tags PATCH, delete, lists, revisions; and resolving the profile a
 * container group or a standby pool references.
 */
final class ContainerGroupProfilesApi {
  static final String LIST =
      ArmApi.RG + "/providers/microsoft.containerinstance/containergroupprofiles";
  static final String ONE = LIST + "/{profile}";
  private static final Pattern NAME =
      Pattern.compile("^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$");

  private final EmulatorState state;
  private final ContainerGroupValidator validator;
  private final ResourceGroupsApi resourceGroups;

  ContainerGroupProfilesApi(
      EmulatorState state, ContainerGroupValidator validator, ResourceGroupsApi resourceGroups) {
    this.state = state;
    this.validator = validator;
    this.resourceGroups = resourceGroups;
  }

  /** A profile at one of its revisions. */
  record Resolved(ContainerGroupProfileRecord profile, int revision) {
    ObjectNode stored() {
      return profile.revision(revision);
    }

    /** The reference a group answer carries: the id as sent, the revision used. */
    ObjectNode reference(String id) {
      ObjectNode reference = MAPPER.createObjectNode();
      reference.put("id", id);
      reference.put("revision", revision);
      return reference;
    }
  }

  void register(ArmApi.Routes r) {
    RequestBudgets.Kind read = RequestBudgets.Kind.READ;
    r.put(ONE, "CGProfile_CreateOrUpdate", read, this::put);
    r.get(ONE, "CGProfile_Get", read, c -> json(c, 200, current(require(c))));
    r.patch(ONE, "CGProfile_Update", read, this::patch);
    r.delete(ONE, "CGProfile_Delete", read, this::delete);
    r.get(LIST, "CGProfiles_ListByResourceGroup", read, c -> list(c, c.pathParam("rg")));
    r.get(
        ArmApi.SUB + "/providers/microsoft.containerinstance/containergroupprofiles",
        "CGProfiles_ListBySubscription",
        read,
        c -> list(c, null));
    r.get(ONE + "/revisions", "CGProfile_ListAllRevisions", read, this::revisions);
    r.get(ONE + "/revisions/{revision}", "CGProfile_GetByRevisionNumber", read, this::revision);
  }

  private void put(Context ctx) {
    EmulatorState.ResourceGroup rg = resourceGroups.require(ctx);
    String name = ctx.pathParam("profile");
    if (!NAME.matcher(name).matches()) {
      throw ArmException.badRequest(
          "InvalidResourceName",
          "The container group profile name '"
              + name
              + "' is invalid. It must be 1 to 63 letters, digits, '-' or '_', and begin and end"
              + " with a letter or digit.");
    }
    JsonNode body = body(ctx);
    validator.validateSpec(name, body);
    String key = EmulatorState.key(rg.subscriptionId(), rg.name(), name);
    ContainerGroupProfileRecord existing = state.profiles.get(key);
    ContainerGroupProfileRecord record =
        existing != null
            ? existing
            : new ContainerGroupProfileRecord(rg.subscriptionId(), rg.name(), name);
    record.put(body);
    state.profiles.put(key, record);
    json(ctx, existing != null ? 200 : 201, current(record));
  }

  /** As the spec's ContainerGroupProfilePatch: only tags change, the revision stays. */
  private void patch(Context ctx) {
    ContainerGroupProfileRecord record = require(ctx);
    JsonNode tags = body(ctx).path("tags");
    if (tags.isObject()) {
      record.updateTags((ObjectNode) tags);
    }
    json(ctx, 200, current(record));
  }

  /** 200 without a body when it existed, 204 when it did not (the spec's two answers). */
  private void delete(Context ctx) {
    resourceGroups.require(ctx);
    ContainerGroupProfileRecord removed =
        state.profiles.remove(
            EmulatorState.key(ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("profile")));
    ctx.status(removed != null ? 200 : 204);
  }

  private void list(Context ctx, String resourceGroup) {
    if (resourceGroup != null) {
      resourceGroups.require(ctx);
    }
    ObjectNode page = MAPPER.createObjectNode();
    ArrayNode value = page.putArray("value");
    for (ContainerGroupProfileRecord record :
        EmulatorState.inScope(state.profiles, ctx.pathParam("sub"), resourceGroup)) {
      value.add(current(record));
    }
    json(ctx, 200, page);
  }

  private void revisions(Context ctx) {
    ContainerGroupProfileRecord record = require(ctx);
    ObjectNode page = MAPPER.createObjectNode();
    ArrayNode value = page.putArray("value");
    for (int n = 1; n <= record.revision(); n++) {
      value.add(record.toJson(n));
    }
    json(ctx, 200, page);
  }

  private void revision(Context ctx) {
    ContainerGroupProfileRecord record = require(ctx);
    String text = ctx.pathParam("revision");
    int number;
    try {
      number = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      number = -1;
    }
    if (record.revision(number) == null) {
      throw revisionNotFound(record.name(), text);
    }
    json(ctx, 200, record.toJson(number));
  }

  private static ObjectNode current(ContainerGroupProfileRecord record) {
    return record.toJson(record.revision());
  }

  private ContainerGroupProfileRecord require(Context ctx) {
    resourceGroups.require(ctx);
    ContainerGroupProfileRecord record =
        state.profiles.get(
            EmulatorState.key(ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("profile")));
    if (record == null) {
      throw notFound(ctx.pathParam("profile"), ctx.pathParam("rg"));
    }
    return record;
  }

  /**
   * The profile revision a {@code containerGroupProfile: {id, revision}} reference names; the
   * current revision when none is given.
   *
   * @param path the reference's JSON path, for the error message
   */
  Resolved resolve(JsonNode reference, String path) {
    ArmResourceId id =
        ArmResourceId.parse(
            reference.path("id").asText(null), ContainerGroupProfileRecord.TYPE, path + ".id");
    ContainerGroupProfileRecord profile = state.profiles.get(id.key());
    if (profile == null) {
      throw notFound(id.name(), id.resourceGroup());
    }
    JsonNode revision = reference.path("revision");
    if (revision.isMissingNode() || revision.isNull()) {
      return new Resolved(profile, profile.revision());
    }
    if (!revision.canConvertToInt() || !revision.isIntegralNumber()) {
      throw ArmException.badRequest(
          "InvalidRequestContent",
          "The request content was invalid and could not be deserialized: 'Could not convert '"
              + revision.asText()
              + "' to integer at path '"
              + path
              + ".revision'.'");
    }
    if (profile.revision(revision.asInt()) == null) {
      throw revisionNotFound(profile.name(), revision.asText());
    }
    return new Resolved(profile, revision.asInt());
  }

  /**
   * A group PUT body built from the profile it references (see {@link ContainerGroupFromProfile}).
   */
  ObjectNode groupFromProfile(JsonNode reference, JsonNode body) {
    Resolved resolved = resolve(reference, "properties.containerGroupProfile");
    return ContainerGroupFromProfile.merge(
        resolved.stored(), body, resolved.reference(reference.path("id").asText()));
  }

  private static ArmException notFound(String name, String resourceGroup) {
    return new ArmException(
        404,
        "ResourceNotFound",
        String.format(
            "The Resource '%s/%s' under resource group '%s' was not found. For more details"
                + " please go to https://aka.ms/ARMResourceNotFoundFix",
            ContainerGroupProfileRecord.TYPE, name, resourceGroup));
  }

  private static ArmException revisionNotFound(String name, String revision) {
    return new ArmException(
        404,
        "ResourceNotFound",
        String.format(
            "The revision '%s' of container group profile '%s' was not found.", revision, name));
  }
}
