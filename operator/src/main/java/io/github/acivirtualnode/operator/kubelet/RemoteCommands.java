package io.github.acivirtualnode.operator.kubelet;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /exec} and {@code /attach}: checked, then upgraded to SPDY/3.1 or to a WebSocket on the
 * same connection, then run by one session ({@link ExecSession}, {@link AttachSession}) over either
 * ({@link RemoteStreams}).
 *
 * <p>The API server (1.35) proxies {@code kubectl exec} and {@code attach} to a kubelet as an HTTP
 * upgrade to SPDY/3.1 with {@code X-Stream-Protocol-Version} negotiation, also when kubectl talks
 * WebSocket v5 to it (the API server translates), and follows no redirect, so the upgrade is
 * answered here, on the port the Node advertises. Jetty answers the 101 and hands the connection
 * over as it does for its own upgrades ({@link UpgradedConnection}); from then on {@link
 * SpdyConnection} reads its bytes on a thread of its own into Netty's SPDY codec and writes the
 * encoded frames back. A client that speaks an older WebSocket protocol ({@code v4.channel.k8s.io}:
 * fabric8's {@code pods().exec()}; {@code channel.k8s.io}, their base64 forms) is passed through by
 * the API server untranslated, as a WebSocket upgrade: that one is Jetty's WebSocket support behind
 * Javalin ({@link #prepareWebSocket} before the upgrade, {@link #webSocket} after), framed as
 * {@link WebSocketChannels} says. v5 is taken as well (an API server with ExtendWebSocketsToKubelet
 * sends it to Nodes that declare support, which these Nodes do not yet).
 *
 * <p>Refusals before the upgrade are a Status object with the HTTP status, which kubectl prints: an
 * unknown container 404; a container that is not running, no command, no stream, an argument a
 * terminal cannot carry, stdin for attach or a Windows node 400; a protocol the client cannot speak
 * 403, as a kubelet says it. The same over both transports.
 */
final class RemoteCommands {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteCommands.class);
  private static final String SEC_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";
  private static final String WEBSOCKET_REQUEST = "avn.kubelet.webSocketRequest";

  /** A kubelet's streaming-connection-idle-timeout. */
  private static final Duration IDLE_TIMEOUT = Duration.ofHours(4);

  private final KubernetesClient client;
  private final OperatorConfig.KubeletSettings settings;
  private final HttpClient aci;
  private final ExecutorService threads;
  private final Map<String, WebSocketStreams> sockets = new ConcurrentHashMap<>();

  RemoteCommands(
      KubernetesClient client,
      OperatorConfig.KubeletSettings settings,
      HttpClient aci,
      ExecutorService threads) {
    this.client = client;
    this.settings = settings;
    this.aci = aci;
    this.threads = threads;
  }

  /** An exec or attach checked and ready to run once the client's streams are there. */
  record Prepared(
      PodTargets podTargets,
      PodTargets.Target target,
      String container,
      StreamOptions options,
      ExecPlan plan) {
    boolean exec() {
      return plan != null;
    }
  }

  /** Checks and answers an exec or attach over SPDY, then runs it on the upgraded connection. */
  void serve(Context ctx, PodTargets podTargets, PodTargets.Target target, KubeletRequest request) {
    Prepared prepared = prepare(ctx, podTargets, target, request);
    StreamProtocol protocol = handshake(ctx);
    SpdyConnection spdy = upgrade(ctx, protocol);
    run(prepared, spdy, protocol);
    threads.execute(spdy::run);
  }

  /**
   * The checks of an exec or attach, the same over either transport.
   *
   * @throws KubeletApiException for each refusal before the upgrade
   */
  Prepared prepare(
      Context ctx, PodTargets podTargets, PodTargets.Target target, KubeletRequest request) {
    boolean exec = request.endpoint() == KubeletRequest.Endpoint.EXEC;
    StreamOptions options = StreamOptions.parse(ctx.queryParamMap(), exec);
    String container = request.container();
    String pod =
        target.pod().getMetadata().getNamespace() + "/" + target.pod().getMetadata().getName();
    if (!target.hasContainer(container)) {
      throw new KubeletApiException(404, "container " + container + " not found in pod " + pod);
    }
    requireRunning(target, container, pod);
    requireLinux(target);
    ExecPlan plan = null;
    if (exec) {
      plan = ExecPlan.of(options.command(), options.tty(), options.stdin(), markerId());
    } else if (options.stdin()) {
      throw new KubeletApiException(
          400,
          "attach cannot write to container "
              + container
              + "'s input on virtual node "
              + target.nodeName()
              + ": Azure Container Instances attaches to a container's output only (attach"
              + " without -i, or exec)");
    }
    return new Prepared(podTargets, target, container, options, plan);
  }

  /**
   * The WebSocket sub-protocol for a checked request, as a kubelet's {@code wsstream} picks it.
   *
   * @throws KubeletApiException 403 when the client offers none that is spoken here
   */
  static WebSocketChannels.Protocol webSocketProtocol(List<String> offered) {
    return WebSocketChannels.negotiate(offered)
        .orElseThrow(
            () ->
                new KubeletApiException(
                    403,
                    "unable to upgrade: unable to negotiate protocol: client supports "
                        + offered
                        + ", server supports "
                        + WebSocketChannels.supported()));
  }

  /** Starts the session of a checked request on the client's streams, on a thread of its own. */
  void run(Prepared prepared, RemoteStreams streams, StreamProtocol protocol) {
    if (prepared.exec()) {
      ExecSession session =
          new ExecSession(
              streams,
              protocol,
              prepared.options(),
              prepared.plan(),
              prepared.target().backend().get(),
              prepared.target().groupName(),
              prepared.container(),
              aci);
      streams.listen(session);
      threads.execute(session::run);
    } else {
      AttachSession session =
          new AttachSession(
              streams,
              protocol,
              prepared.options(),
              new LogFollower(
                  prepared.podTargets(),
                  prepared.target(),
                  prepared.container(),
                  settings.followInterval()));
      streams.listen(session);
      threads.execute(session::run);
    }
  }

  /**
   * Before Jetty's WebSocket upgrade (a Javalin before-upgrade handler): the checks of {@link
   * #prepare}, then the sub-protocol, answered in the 101's Sec-WebSocket-Protocol (Jetty takes the
   * response's header as the accepted one); the request is kept for {@link #webSocket}'s connect.
   */
  void prepareWebSocket(
      Context ctx, PodTargets podTargets, PodTargets.Target target, KubeletRequest request) {
    Prepared prepared = prepare(ctx, podTargets, target, request);
    WebSocketChannels.Protocol protocol =
        webSocketProtocol(Collections.list(ctx.req().getHeaders(SEC_WEBSOCKET_PROTOCOL)));
    if (protocol == WebSocketChannels.Protocol.UNNAMED) {
      ctx.res().setHeader(SEC_WEBSOCKET_PROTOCOL, null);
    } else {
      ctx.res().setHeader(SEC_WEBSOCKET_PROTOCOL, protocol.header());
    }
    ctx.attribute(WEBSOCKET_REQUEST, new WebSocketRequest(prepared, protocol));
  }

  /** The WebSocket endpoint of exec and attach: each connection's messages to its streams. */
  void webSocket(WsConfig ws) {
    ws.onConnect(
        ctx -> {
          WebSocketRequest request = ctx.attribute(WEBSOCKET_REQUEST);
          if (request == null) {
            ctx.closeSession(StatusCode.SERVER_ERROR, "not prepared");
            return;
          }
          Session session = ctx.session;
          session.setIdleTimeout(IDLE_TIMEOUT);
          WebSocketStreams streams =
              new WebSocketStreams(
                  new JettySocket(session), request.protocol(), request.prepared().options());
          sockets.put(ctx.sessionId(), streams);
          streams.opened();
          run(request.prepared(), streams, request.protocol().status());
        });
    ws.onBinaryMessage(
        ctx -> {
          WebSocketStreams streams = sockets.get(ctx.sessionId());
          if (streams != null) {
            streams.received(ctx.data(), ctx.offset(), ctx.length());
          }
        });
    ws.onMessage(
        ctx -> {
          WebSocketStreams streams = sockets.get(ctx.sessionId());
          if (streams != null) {
            streams.received(ctx.message());
          }
        });
    ws.onClose(ctx -> ended(ctx.sessionId()));
    ws.onError(
        ctx -> {
          LOG.debug("exec or attach WebSocket failed: {}", String.valueOf(ctx.error()));
          ended(ctx.sessionId());
        });
  }

  private void ended(String sessionId) {
    WebSocketStreams streams = sockets.remove(sessionId);
    if (streams != null) {
      streams.ended();
    }
  }

  private record WebSocketRequest(Prepared prepared, WebSocketChannels.Protocol protocol) {}

  /** Jetty's WebSocket session, blocking sends (serialized by {@link WebSocketStreams}). */
  private record JettySocket(Session session) implements WebSocketStreams.Socket {
    @Override
    public void send(ByteBuffer binary) throws IOException {
      session.getRemote().sendBytes(binary);
    }

    @Override
    public void send(String text) throws IOException {
      session.getRemote().sendString(text);
    }

    @Override
    public void close() {
      session.close(StatusCode.NORMAL, null);
    }
  }

  private static void requireRunning(PodTargets.Target target, String container, String pod) {
    Optional<ContainerStatus> status = target.status(container);
    if (status.isPresent()
        && status.get().getState() != null
        && status.get().getState().getRunning() != null) {
      return;
    }
    String phase = target.pod().getStatus() == null ? null : target.pod().getStatus().getPhase();
    String state =
        status.isEmpty() || status.get().getState() == null
            ? "not started"
            : status.get().getState().getWaiting() != null
                ? "waiting: " + status.get().getState().getWaiting().getReason()
                : "terminated";
    throw new KubeletApiException(
        400,
        "container "
            + container
            + " in pod "
            + pod
            + " is not running ("
            + state
            + (phase == null ? "" : ", pod phase " + phase)
            + ")");
  }

  private void requireLinux(PodTargets.Target target) {
    Node node = client.nodes().withName(target.nodeName()).get();
    String os =
        node == null || node.getMetadata().getLabels() == null
            ? null
            : node.getMetadata().getLabels().get("kubernetes.io/os");
    if (os != null && !"linux".equals(os.toLowerCase(Locale.ROOT))) {
      throw new KubeletApiException(
          400,
          "exec and attach are served for Linux virtual nodes only: "
              + target.nodeName()
              + " runs "
              + os
              + " containers, where a command with arguments would need cmd.exe's quoting");
    }
  }

  /** The sub-protocol, as httpstream.Handshake picks it, after the upgrade headers' check. */
  private static StreamProtocol handshake(Context ctx) {
    String connection = Optional.ofNullable(ctx.header("Connection")).orElse("");
    String upgrade = Optional.ofNullable(ctx.header("Upgrade")).orElse("");
    if (upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
      // A WebSocket upgrade with its key is served by Jetty's WebSocket support, not here.
      throw new KubeletApiException(
          400, "unable to upgrade: a WebSocket upgrade needs Sec-WebSocket-Key and version 13");
    }
    if (!connection.toLowerCase(Locale.ROOT).contains("upgrade")
        || !upgrade.toLowerCase(Locale.ROOT).contains("spdy/3.1")) {
      throw new KubeletApiException(
          400, "unable to upgrade: missing upgrade headers in request (Upgrade: SPDY/3.1)");
    }
    List<String> offered = Collections.list(ctx.req().getHeaders("X-Stream-Protocol-Version"));
    return StreamProtocol.negotiate(offered)
        .orElseThrow(
            () ->
                new KubeletApiException(
                    403,
                    "unable to upgrade: unable to negotiate protocol: client supports "
                        + offered
                        + ", server supports "
                        + StreamProtocol.supported()));
  }

  private static SpdyConnection upgrade(Context ctx, StreamProtocol protocol) {
    ctx.status(101);
    ctx.header("Connection", "Upgrade");
    ctx.header("Upgrade", "SPDY/3.1");
    ctx.header("X-Stream-Protocol-Version", protocol.header());
    Request base = Request.getBaseRequest(ctx.req());
    if (base == null) {
      throw new KubeletApiException(500, "the connection cannot be upgraded (not Jetty's)");
    }
    base.getHttpChannel().getEndPoint().setIdleTimeout(IDLE_TIMEOUT.toMillis());
    UpgradedConnection connection = UpgradedConnection.after(base);
    return new SpdyConnection(connection.input(), connection.output(), connection::close);
  }

  private static String markerId() {
    return UUID.randomUUID().toString().replace("-", "");
  }
}
