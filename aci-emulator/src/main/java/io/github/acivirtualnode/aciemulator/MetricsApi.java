package io.github.acivirtualnode.aciemulator;

import static io.github.acivirtualnode.aciemulator.ArmApi.MAPPER;
import static io.github.acivirtualnode.aciemulator.ArmApi.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.acivirtualnode.aciemulator.model.ArmException;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupMetrics;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupRecord;
import io.github.acivirtualnode.aciemulator.model.MetricsQuery;
import io.github.acivirtualnode.aciemulator.model.RequestBudgets;
import io.javalin.http.Context;
import java.time.Clock;

/**
 * Azure Monitor (Microsoft.Insights) on a container group: Metrics_List and MetricDefinitions_List
 * of api-version 2018-01-01. Azure Monitor's own errors carry {@code {"code","message"}} at the top
 * level (its ErrorResponse), not inside ARM's {@code error}.
 */
final class MetricsApi {
  private static final String METRICS = ArmApi.ONE + "/providers/microsoft.insights/metrics";
  private static final String DEFINITIONS =
      ArmApi.ONE + "/providers/microsoft.insights/metricdefinitions";

  private final Clock clock;
  private final ContainerGroupsApi groups;

  MetricsApi(Clock clock, ContainerGroupsApi groups) {
    this.clock = clock;
    this.groups = groups;
  }

  void register(ArmApi.Routes r) {
    r.get(METRICS, "Metrics_List", RequestBudgets.Kind.READ, this::metrics);
    r.get(DEFINITIONS, "MetricDefinitions_List", RequestBudgets.Kind.READ, this::definitions);
  }

  private void metrics(Context ctx) {
    ContainerGroupRecord record = groups.requireGroup(ctx);
    try {
      String namespace = ctx.queryParam("metricnamespace");
      if (namespace != null && !namespace.equalsIgnoreCase(ContainerGroupMetrics.NAMESPACE)) {
        throw new ArmException(
            400,
            "BadRequest",
            "Metric namespace '"
                + namespace
                + "' is not valid for this resource. Valid namespaces: "
                + ContainerGroupMetrics.NAMESPACE
                + ".");
      }
      MetricsQuery query =
          MetricsQuery.parse(
              ctx.queryParam("metricnames"),
              ctx.queryParam("timespan"),
              ctx.queryParam("interval"),
              ctx.queryParam("aggregation"),
              ctx.queryParam("$filter"),
              ctx.queryParam("top"),
              ContainerGroupMetrics.METRICS.get(0).name(),
              clock.instant());
      json(ctx, 200, ContainerGroupMetrics.answer(groups.view(record), query, clock.instant()));
    } catch (ArmException e) {
      ObjectNode error = MAPPER.createObjectNode();
      error.put("code", e.code());
      error.put("message", e.getMessage());
      json(ctx, e.status(), error);
    }
  }

  private void definitions(Context ctx) {
    ContainerGroupRecord record = groups.requireGroup(ctx);
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode value = out.putArray("value");
    for (ContainerGroupMetrics.Metric metric : ContainerGroupMetrics.METRICS) {
      ObjectNode d = value.addObject();
      d.put("id", record.id() + "/providers/microsoft.insights/metricdefinitions/" + metric.name());
      d.put("resourceId", record.id());
      d.put("namespace", ContainerGroupMetrics.NAMESPACE);
      d.putObject("name").put("value", metric.name()).put("localizedValue", metric.localizedName());
      d.put("displayDescription", metric.description());
      d.put("isDimensionRequired", false);
      d.put("unit", metric.unit());
      d.put("primaryAggregationType", "Average");
      ArrayNode supported = d.putArray("supportedAggregationTypes");
      for (String a : new String[] {"None", "Average", "Minimum", "Maximum", "Total", "Count"}) {
        supported.add(a);
      }
      ArrayNode availabilities = d.putArray("metricAvailabilities");
      for (String grain : MetricsQuery.GRAINS) {
        availabilities.addObject().put("timeGrain", grain).put("retention", "P93D");
      }
      d.putArray("dimensions")
          .addObject()
          .put("value", "containerName")
          .put("localizedValue", "containerName");
    }
    json(ctx, 200, out);
  }
}
