package io.github.acivirtualnode.aciemulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.time.Duration;

/** The emulator-only admin API under {@code /_emulator}: faults, out-of-band changes, reset. */
final class AdminApi {
  private final AciEmulator emulator;

  AdminApi(AciEmulator emulator) {
    this.emulator = emulator;
  }

  void register(JavalinDefaultRouting r) {
    r.get(
        "/_emulator/table",
        ctx -> ctx.contentType("text/plain; charset=utf-8").result(emulator.table()));
    r.get("/_emulator/requests", ctx -> ctx.json(emulator.armRequests()));
    r.get("/_emulator/execs", ctx -> ctx.json(emulator.execRequests()));
    r.post(
        "/_emulator/reset",
        ctx -> {
          emulator.reset();
          ctx.status(204);
        });
    r.post(
        "/_emulator/faults",
        ctx -> {
          JsonNode body = body(ctx);
          emulator.injectFaults(
              body.path("operation").asText("*"),
              body.path("errorRate").asDouble(0),
              body.path("status").asInt(503),
              Duration.ofMillis(body.path("latencyMs").asLong(0)));
          ctx.status(204);
        });
    r.post(
        "/_emulator/outage",
        ctx -> {
          emulator.outage(
              Duration.ofMillis(Math.round(body(ctx).path("seconds").asDouble(30) * 1000)));
          ctx.status(204);
        });
    r.post(
        "/_emulator/vanish",
        ctx -> {
          JsonNode body = body(ctx);
          boolean removed =
              emulator.vanish(
                  body.path("subscriptionId").asText(),
                  body.path("resourceGroup").asText(),
                  body.path("name").asText());
          ctx.status(removed ? 204 : 404);
        });
    r.post(
        "/_emulator/kill",
        ctx -> {
          JsonNode body = body(ctx);
          boolean killed =
              emulator.killContainer(
                  body.path("subscriptionId").asText(),
                  body.path("resourceGroup").asText(),
                  body.path("name").asText(),
                  body.path("container").asText(),
                  body.path("exitCode").asInt(137));
          ctx.status(killed ? 204 : 404);
        });
    r.post(
        "/_emulator/evict",
        ctx -> {
          JsonNode body = body(ctx);
          AciEmulator.Eviction eviction =
              emulator.evict(
                  body.path("subscriptionId").asText(),
                  body.path("resourceGroup").asText(),
                  body.path("name").asText());
          switch (eviction) {
            case EVICTED -> ctx.status(204);
            case NO_SUCH_GROUP -> ctx.status(404);
            case NOT_SPOT ->
                ctx.status(409)
                    .contentType("text/plain; charset=utf-8")
                    .result("only a group with priority Spot can be evicted");
          }
        });
    r.post(
        "/_emulator/standbypools/{action}",
        ctx -> {
          JsonNode body = body(ctx);
          boolean found =
              emulator.standbyPool(
                  body.path("subscriptionId").asText(),
                  body.path("resourceGroup").asText(),
                  body.path("name").asText(),
                  ctx.pathParam("action"));
          ctx.status(found ? 204 : 404);
        });
    r.post(
        "/_emulator/resourcegroups",
        ctx -> {
          JsonNode body = body(ctx);
          emulator.addResourceGroup(
              body.path("subscriptionId").asText(),
              body.path("name").asText(),
              body.path("location").asText("westeurope"));
          ctx.status(204);
        });
    r.post(
        "/_emulator/serviceprincipals",
        ctx -> {
          JsonNode body = body(ctx);
          emulator.addServicePrincipal(
              body.path("tenantId").asText(),
              body.path("clientId").asText(),
              body.path("secret").asText());
          ctx.status(204);
        });
  }

  private static JsonNode body(Context ctx) {
    try {
      return ctx.body().isBlank()
          ? ArmApi.MAPPER.createObjectNode()
          : ArmApi.MAPPER.readTree(ctx.body());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Invalid JSON: " + e.getOriginalMessage(), e);
    }
  }
}
