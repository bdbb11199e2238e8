package io.github.acivirtualnode.operator.kubelet;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.javalin.http.Context;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.eclipse.jetty.server.Request;

/**
 * {@code /exec} and {@code /attach}: checked, then upgraded to SPDY/3.1 on the same connection.
 *
 * <p>The API server (1.35) proxies {@code kubectl exec} and {@code attach} to a kubelet as an HTTP
 * upgrade to SPDY/3.1 with {@code X-Stream-Protocol-Version} negotiation, also when kubectl talks
 * WebSocket to it (the API server translates), and follows no redirect, so the upgrade is answered
 * here, on the port the Node advertises. The design: Jetty answers the 101 and hands the connection
 * over as it does for its own upgrades ({@link UpgradedConnection}); from then on {@link
 * SpdyConnection} reads its bytes on a thread of its own into Netty's SPDY codec and writes the
 * encoded frames back; {@link ExecSession} or the attach follower does the work on another. No
 * second listener, no Netty server, no hand-made frames or header compression. WebSocket ({@code
 * v5.channel.k8s.io}) is not served: the API server uses it toward a kubelet only when the Node
 * declares support for it (ExtendWebSocketsToKubelet, beta in 1.36), which these Nodes do not.
 *
 * <p>Refusals before the upgrade are a Status object with the HTTP status, which kubectl prints: an
 * unknown container 404; a container that is not running, no command, no stream, an argument a
 * terminal cannot carry, stdin for attach or a Windows node 400; a protocol the client cannot speak
 * 403, as a kubelet says it.
 */
final class RemoteCommands {

  /** A kubelet's streaming-connection-idle-timeout. */
  private static final Duration IDLE_TIMEOUT = Duration.ofHours(4);

  private final KubernetesClient client;
  private final OperatorConfig.KubeletSettings settings;
  private final HttpClient aci;
  private final ExecutorService threads;

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

  void serve(Context ctx, PodTargets podTargets, PodTargets.Target target, KubeletRequest request) {
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
    ShellLine line = null;
    if (exec) {
      line = ShellLine.of(options.command(), options.tty(), markerId());
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
    StreamProtocol protocol = handshake(ctx);
    SpdyConnection spdy = upgrade(ctx, protocol);
    if (exec) {
      ExecSession session =
          new ExecSession(
              spdy,
              protocol,
              options,
              line,
              target.backend().get(),
              target.groupName(),
              container,
              aci);
      spdy.listen(session);
      threads.execute(spdy::run);
      threads.execute(session::run);
    } else {
      AttachSession session =
          new AttachSession(
              spdy,
              protocol,
              options,
              new LogFollower(podTargets, target, container, settings.followInterval()));
      spdy.listen(session);
      threads.execute(spdy::run);
      threads.execute(session::run);
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
      throw new KubeletApiException(
          400,
          "unable to upgrade: this virtual node's kubelet API serves exec and attach over SPDY/3.1,"
              + " the API server's protocol toward kubelets; WebSocket is not served");
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
