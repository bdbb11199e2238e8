package io.github.acivirtualnode.aciemulator;

import static io.github.acivirtualnode.aciemulator.ArmApi.MAPPER;
import static io.github.acivirtualnode.aciemulator.ArmApi.apiVersion;
import static io.github.acivirtualnode.aciemulator.ArmApi.baseUrl;
import static io.github.acivirtualnode.aciemulator.ArmApi.body;
import static io.github.acivirtualnode.aciemulator.ArmApi.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.acivirtualnode.aciemulator.model.ArmException;
import io.github.acivirtualnode.aciemulator.model.RequestBudgets;
import io.javalin.http.Context;
import java.util.UUID;

/** Microsoft.Resources resource groups: the ground every container group stands on. */
final class ResourceGroupsApi {
  private static final String SUB = ArmApi.SUB;
  private static final String RG = ArmApi.RG;
  private final EmulatorState state;

  ResourceGroupsApi(EmulatorState state) {
    this.state = state;
  }

  void register(ArmApi.Routes r) {
    r.put(RG, "ResourceGroups_CreateOrUpdate", RequestBudgets.Kind.READ, this::put);
    r.get(RG, "ResourceGroups_Get", RequestBudgets.Kind.READ, this::get);
    r.head(RG, "ResourceGroups_CheckExistence", RequestBudgets.Kind.READ, this::head);
    r.delete(RG, "ResourceGroups_Delete", RequestBudgets.Kind.READ, this::delete);
    r.get(
        SUB + "/operationresults/{id}",
        "ResourceGroups_OperationResult",
        RequestBudgets.Kind.READ,
        c -> c.status(200));
  }

  private void put(Context ctx) {
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

  private void get(Context ctx) {
    json(ctx, 200, resourceGroupJson(require(ctx)));
  }

  private void head(Context ctx) {
    ctx.status(state.resourceGroup(ctx.pathParam("sub"), ctx.pathParam("rg")) != null ? 204 : 404);
  }

  private void delete(Context ctx) {
    EmulatorState.ResourceGroup group = require(ctx);
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

  /** The request's resource group, or 404 ResourceGroupNotFound. */
  EmulatorState.ResourceGroup require(Context ctx) {
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
}
