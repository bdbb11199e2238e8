package io.github.acivirtualnode.aciemulator;

import static io.github.acivirtualnode.aciemulator.ArmApi.MAPPER;
import static io.github.acivirtualnode.aciemulator.ArmApi.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupRecord;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupValidator;
import io.github.acivirtualnode.aciemulator.model.Regions;
import io.github.acivirtualnode.aciemulator.model.RequestBudgets;
import io.javalin.http.Context;
import java.util.List;

/** Per-location APIs (usages, capabilities, cached images) and the provider's operation list. */
final class LocationsApi {
  private final EmulatorState state;
  private final AciEmulator.Builder config;

  LocationsApi(EmulatorState state, AciEmulator.Builder config) {
    this.state = state;
    this.config = config;
  }

  void register(ArmApi.Routes r) {
    r.get(ArmApi.LOC + "/usages", "Location_ListUsage", RequestBudgets.Kind.READ, this::usages);
    r.get(
        ArmApi.LOC + "/capabilities",
        "Location_ListCapabilities",
        RequestBudgets.Kind.READ,
        this::capabilities);
    r.get(
        ArmApi.LOC + "/cachedimages",
        "Location_ListCachedImages",
        RequestBudgets.Kind.READ,
        this::cachedImages);
    r.get(
        "/providers/microsoft.containerinstance/operations",
        "Operations_List",
        null,
        this::operationsList);
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
}
