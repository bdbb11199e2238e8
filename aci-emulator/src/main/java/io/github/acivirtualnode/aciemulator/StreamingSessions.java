package io.github.acivirtualnode.aciemulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupRecord;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupView;
import io.github.acivirtualnode.aciemulator.model.ContainerLogs;
import io.github.acivirtualnode.aciemulator.model.ContainerStatus;
import io.github.acivirtualnode.aciemulator.model.EmulatorTimings;
import io.github.acivirtualnode.aciemulator.model.ExecInterpreter;
import io.javalin.router.JavalinDefaultRouting;
import io.javalin.websocket.WsContext;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The websockets behind exec and attach. As with ACI, the POST answers a one-time URI and password;
 * the client sends the password as its first frame, then stdin; the server streams output and
 * closes. Exec is interpreted by {@link ExecInterpreter}, never run on the host.
 */
final class StreamingSessions {
  private static final Duration SESSION_LIFETIME = Duration.ofMinutes(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The prompt of a root shell on a terminal. */
  static final String PROMPT = "# ";

  private record Session(
      String id,
      String password,
      ContainerGroupRecord record,
      String container,
      String command,
      boolean attach,
      Instant expires) {}

  /** Per-connection state once the password was accepted. */
  private static final class Connection {
    final Session session;
    final StringBuilder stdin = new StringBuilder();
    final StringBuilder line = new StringBuilder();
    boolean lastWasCarriageReturn;
    ScheduledFuture<?> follower;
    int sentLines;

    Connection(Session session) {
      this.session = session;
    }
  }

  private final EmulatorState state;
  private final Clock clock;
  private final EmulatorTimings timings;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final List<ExecRequest> execRequests = new CopyOnWriteArrayList<>();

  StreamingSessions(
      EmulatorState state,
      Clock clock,
      EmulatorTimings timings,
      ScheduledExecutorService scheduler) {
    this.state = state;
    this.clock = clock;
    this.timings = timings;
    this.scheduler = scheduler;
  }

  /** Keeps an accepted exec request for {@link AciEmulator#execRequests()}. */
  void recordExec(ExecRequest request) {
    execRequests.add(request);
  }

  /** The exec requests accepted so far, oldest first. */
  List<ExecRequest> execRequests() {
    return List.copyOf(execRequests);
  }

  void resetExecRequests() {
    execRequests.clear();
  }

  ObjectNode createExec(
      ContainerGroupRecord record, String container, String command, String baseUrl) {
    return create(record, container, command, false, baseUrl);
  }

  ObjectNode createAttach(ContainerGroupRecord record, String container, String baseUrl) {
    return create(record, container, "", true, baseUrl);
  }

  private ObjectNode create(
      ContainerGroupRecord record,
      String container,
      String command,
      boolean attach,
      String baseUrl) {
    String id = token(16);
    String password = token(24);
    sessions.put(
        id,
        new Session(
            id,
            password,
            record,
            container,
            command,
            attach,
            clock.instant().plus(SESSION_LIFETIME)));
    ObjectNode out = ArmApi.MAPPER.createObjectNode();
    out.put(
        "webSocketUri",
        baseUrl.replaceFirst("^http", "ws")
            + "_emulator/ws/"
            + (attach ? "attach/" : "exec/")
            + id);
    out.put("password", password);
    return out;
  }

  void register(JavalinDefaultRouting r) {
    r.ws(
        "/_emulator/ws/{kind}/{id}",
        ws -> {
          ws.onMessage(ctx -> onInput(ctx, ctx.message()));
          ws.onBinaryMessage(
              ctx ->
                  onInput(
                      ctx,
                      new String(ctx.data(), ctx.offset(), ctx.length(), StandardCharsets.UTF_8)));
          ws.onClose(ctx -> closed(ctx.sessionId()));
          ws.onError(ctx -> closed(ctx.sessionId()));
        });
  }

  private void onInput(WsContext ctx, String input) {
    Connection connection = connections.get(ctx.sessionId());
    if (connection == null) {
      // The first frame must be the password of a live session; each session is used once.
      Session session = sessions.remove(ctx.pathParam("id"));
      if (session == null
          || !session.password().equals(input.trim())
          || clock.instant().isAfter(session.expires())) {
        ctx.closeSession(4001, "Unauthorized");
        return;
      }
      connection = new Connection(session);
      connections.put(ctx.sessionId(), connection);
      if (session.attach()) {
        follow(ctx, connection);
      } else {
        startExec(ctx, connection);
      }
      return;
    }
    if (!connection.session.attach()) {
      connection.stdin.append(input);
      runStdinLines(ctx, connection);
    }
  }

  /**
   * As ACI does it: the command string is one executable (no argument splitting, no shell), run in
   * a terminal; a program that does not exist fails as the container runtime reports it; the close
   * frame carries no exit status.
   */
  private void startExec(WsContext ctx, Connection connection) {
    String program = connection.session.command().trim();
    if (!ExecInterpreter.isExecutable(program)) {
      send(
          ctx,
          "rpc error: code = 2 desc = oci runtime error: exec failed: container_linux.go:247:"
              + " starting container process caused \"exec: \\\""
              + program
              + "\\\": executable file not found in $PATH\"\r\n");
      ctx.closeSession(1000, "");
      return;
    }
    if (ExecInterpreter.isShellProgram(program)) {
      send(ctx, PROMPT); // An interactive shell on a terminal: wait for lines.
      return;
    }
    ExecInterpreter.Result result = interpreter(connection.session).run(List.of(program));
    send(ctx, terminal(result.stdout() + result.stderr()));
    ctx.closeSession(1000, "");
  }

  /** A terminal echoes what is typed; Enter (CR, or LF) runs the line. */
  private void runStdinLines(WsContext ctx, Connection connection) {
    StringBuilder input = connection.stdin;
    StringBuilder echo = new StringBuilder();
    while (input.length() > 0) {
      char c = input.charAt(0);
      input.deleteCharAt(0);
      if (c == '\n' && connection.lastWasCarriageReturn) {
        connection.lastWasCarriageReturn = false;
        continue;
      }
      connection.lastWasCarriageReturn = c == '\r';
      if (c == '\r' || c == '\n') {
        echo.append("\r\n");
        String line = connection.line.toString();
        connection.line.setLength(0);
        ExecInterpreter.Result result = interpreter(connection.session).runOnTerminal(line);
        send(ctx, echo + terminal(result.stdout()));
        echo.setLength(0);
        if (result.exited()) {
          ctx.closeSession(1000, "");
          return;
        }
        send(ctx, PROMPT);
      } else if (c == '\u007f' || c == '\b') {
        if (connection.line.length() > 0) {
          connection.line.setLength(connection.line.length() - 1);
          echo.append("\b \b");
        }
      } else {
        connection.line.append(c);
        echo.append(c);
      }
    }
    send(ctx, echo.toString());
  }

  /** A terminal's output: line feeds become CR LF. */
  static String terminal(String output) {
    return output.replace("\r\n", "\n").replace("\n", "\r\n");
  }

  private void follow(WsContext ctx, Connection connection) {
    Runnable tick =
        () -> {
          try {
            ContainerGroupRecord record = connection.session.record();
            if (!state.groups.containsValue(record)) {
              ctx.closeSession(1000, "container group deleted");
              return;
            }
            ContainerGroupView view = new ContainerGroupView(record, clock.instant(), timings);
            JsonNode node = view.container(connection.session.container());
            List<ContainerLogs.Line> lines =
                logLines(view, node, connection.session.container(), clock.instant(), timings);
            if (lines.size() > connection.sentLines) {
              send(
                  ctx,
                  ContainerLogs.render(
                      lines.subList(connection.sentLines, lines.size()), null, false));
              connection.sentLines = lines.size();
            }
            ContainerStatus status = view.status(connection.session.container());
            if (status.finished()) {
              ctx.closeSession(1000, "container terminated");
            }
          } catch (RuntimeException e) {
            ctx.closeSession(1011, "internal error");
          }
        };
    connection.follower = scheduler.scheduleWithFixedDelay(tick, 0, 200, TimeUnit.MILLISECONDS);
  }

  private void closed(String sessionId) {
    Connection connection = connections.remove(sessionId);
    if (connection != null && connection.follower != null) {
      connection.follower.cancel(false);
    }
  }

  private static void send(WsContext ctx, String text) {
    if (!text.isEmpty() && ctx.session.isOpen()) {
      ctx.send(text);
    }
  }

  private ExecInterpreter interpreter(Session session) {
    ContainerGroupView view = new ContainerGroupView(session.record(), clock.instant(), timings);
    return interpreter(view, view.container(session.container()));
  }

  static ExecInterpreter interpreter(ContainerGroupView view, JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOSTNAME", view.record().name());
    env.putAll(ContainerGroupView.environment(container));
    return new ExecInterpreter(
        new ExecInterpreter.Context(env, view.files(container), view.record().name()));
  }

  /** The log of a container: what its command prints, then heartbeats (see ContainerLogs). */
  static List<ContainerLogs.Line> logLines(
      ContainerGroupView view,
      JsonNode container,
      String name,
      Instant now,
      EmulatorTimings timings) {
    List<String> command = ContainerGroupView.command(container);
    String output = command.isEmpty() ? "" : interpreter(view, container).run(command).stdout();
    boolean init = view.containerStatuses().get(name) == null;
    Duration interval = view.behavior(container, init).logInterval();
    return ContainerLogs.lines(name, view.status(name), output, interval, now);
  }

  private static String token(int bytes) {
    byte[] data = new byte[bytes];
    RANDOM.nextBytes(data);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(data);
  }
}
