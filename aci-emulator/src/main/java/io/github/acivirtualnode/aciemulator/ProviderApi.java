package io.github.acivirtualnode.aciemulator;

import static io.github.acivirtualnode.aciemulator.ArmApi.MAPPER;
import static io.github.acivirtualnode.aciemulator.ArmApi.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.acivirtualnode.aciemulator.model.ApiVersions;
import io.github.acivirtualnode.aciemulator.model.ArmException;
import io.github.acivirtualnode.aciemulator.model.RequestBudgets;
import io.javalin.http.Context;

/** Microsoft.Resources' view of the Microsoft.ContainerInstance provider (Providers_Get). */
final class ProviderApi {
  private final EmulatorState state;
  private final AciEmulator.Builder config;

  ProviderApi(EmulatorState state, AciEmulator.Builder config) {
    this.state = state;
    this.config = config;
  }

  void register(ArmApi.Routes r) {
    r.get(
        ArmApi.SUB + "/providers/microsoft.containerinstance",
        "Providers_Get",
        RequestBudgets.Kind.READ,
        this::provider);
  }

  private static final String[] PROVIDER_TYPES = {
    "containerGroups",
    "containerGroupProfiles",
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
      (type.equals("containerGroupProfiles")
              ? ApiVersions.CONTAINER_GROUP_PROFILES
              : ApiVersions.CONTAINER_INSTANCE)
          .forEach(versions::add);
      if (type.equals("containerGroups")) {
        t.put("capabilities", "SupportsTags, SupportsLocation");
      }
    }
    out.put("registrationState", "Registered");
    out.put("registrationPolicy", "RegistrationRequired");
    json(ctx, 200, out);
  }
}
