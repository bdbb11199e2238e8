package io.github.acivirtualnode.aciemulator;

import static io.github.acivirtualnode.aciemulator.ArmApi.MAPPER;
import static io.github.acivirtualnode.aciemulator.ArmApi.baseUrl;
import static io.github.acivirtualnode.aciemulator.ArmApi.body;
import static io.github.acivirtualnode.aciemulator.ArmApi.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.acivirtualnode.aciemulator.model.ArmException;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupRecord;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupView;
import io.github.acivirtualnode.aciemulator.model.ContainerLogs;
import io.github.acivirtualnode.aciemulator.model.EmulatorTimings;
import io.github.acivirtualnode.aciemulator.model.RequestBudgets;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;

/** The containers of a group: logs, exec and attach (the websockets are StreamingSessions'). */
final class ContainersApi {
  private static final String ONE = ArmApi.ONE;
  private final Clock clock;
  private final EmulatorTimings timings;
  private final StreamingSessions sessions;
  private final ContainerGroupsApi groups;

  ContainersApi(
      Clock clock, EmulatorTimings timings, StreamingSessions sessions, ContainerGroupsApi groups) {
    this.clock = clock;
    this.timings = timings;
    this.sessions = sessions;
    this.groups = groups;
  }

  void register(ArmApi.Routes r) {
    r.get(
        ONE + "/containers/{container}/logs",
        "Containers_ListLogs",
        RequestBudgets.Kind.READ,
        this::logs);
    r.post(
        ONE + "/containers/{container}/exec",
        "Containers_ExecuteCommand",
        RequestBudgets.Kind.READ,
        this::exec);
    r.post(
        ONE + "/containers/{container}/attach",
        "Containers_Attach",
        RequestBudgets.Kind.READ,
        this::attach);
  }

  private void logs(Context ctx) {
    ContainerGroupRecord record = groups.requireGroup(ctx);
    ContainerGroupView view = groups.view(record);
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
    ContainerGroupRecord record = groups.requireGroup(ctx);
    ContainerGroupView view = groups.view(record);
    String container = ctx.pathParam("container");
    requireContainer(view, container);
    if (!view.status(container).current().isRunning()) {
      throw ArmException.badRequest(
          "ContainerGroupNotRunning",
          "The container '" + container + "' is not running; exec needs a running container.");
    }
    JsonNode body = body(ctx);
    String command = body.path("command").asText("");
    JsonNode size = body.path("terminalSize");
    sessions.recordExec(
        new ExecRequest(
            record.subscriptionId(),
            record.resourceGroup(),
            record.name(),
            container,
            command,
            size.path("rows").isInt() ? size.path("rows").asInt() : null,
            size.path("cols").isInt() ? size.path("cols").asInt() : null));
    json(ctx, 200, sessions.createExec(record, container, command, baseUrl(ctx)));
  }

  private void attach(Context ctx) {
    ContainerGroupRecord record = groups.requireGroup(ctx);
    String container = ctx.pathParam("container");
    requireContainer(groups.view(record), container);
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
}
