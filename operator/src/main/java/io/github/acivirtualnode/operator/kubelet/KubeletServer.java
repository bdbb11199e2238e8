package io.github.acivirtualnode.operator.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.operator.node.KubeletPorts;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsHandlerType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet API of every virtual node of the operator, on one HTTPS port: the API server reaches
 * it at each Node's InternalIP and kubelet port, and each pod-level request is routed to the node
 * the pod is bound to. Authenticated and authorized as a kubelet does ({@link KubeletAuth}).
 *
 * <p>Served: {@code /containerLogs} (every option; {@code follow} polls ACI's log), {@code /exec}
 * and {@code /attach} (SPDY/3.1 or WebSocket on this same port, see {@link RemoteCommands}), {@code
 * /healthz}; {@code /portForward} answers why ACI cannot. Each virtual Node also has a port of its
 * own ({@link NodeConnectors}), where its node-level endpoints are served ({@link NodeEndpoints}).
 */
public final class KubeletServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubeletServer.class);
  private static final String CLIENT_CA_CONFIGMAP = "extension-apiserver-authentication";
  private static final long MAX_WEBSOCKET_MESSAGE = 1024 * 1024;

  private final Javalin app;
  private final KubeletAuth auth;
  private final KubernetesClient client;
  private final OperatorConfig.KubeletSettings settings;
  private final Clock clock;
  private final KubeletServingCertificate serving;
  private final AtomicReference<PodTargets> targets = new AtomicReference<>();
  private final ExecutorService streamThreads;
  private final RemoteCommands remoteCommands;

  /** The virtual Nodes' own ports: set once Jetty builds the main connector. */
  private final AtomicReference<NodeConnectors> nodeConnectors = new AtomicReference<>();

  private final NodeEndpoints nodeEndpoints;

  private KubeletServer(
      KubernetesClient client, OperatorConfig config, SSLContext aciTls, Clock clock) {
    this.client = client;
    this.settings = config.kubelet();
    this.clock = clock;
    this.auth = new KubeletAuth(client);
    // Per exec or attach: the session's thread, and the SPDY reader's (Jetty reads WebSockets).
    this.streamThreads = Executors.newCachedThreadPool(daemonThreads("kubelet-stream"));
    this.remoteCommands =
        new RemoteCommands(
            client,
            settings,
            HttpClient.newBuilder()
                .sslContext(aciTls)
                .connectTimeout(Duration.ofSeconds(10))
                .build(),
            streamThreads);
    this.nodeEndpoints = new NodeEndpoints(client, auth, nodeConnectors::get, clock);
    this.serving =
        settings.servingSecret() == null
            ? KubeletServingCertificate.generated(config.nodeAddress())
            : KubeletServingCertificate.fromSecret(
                client,
                config.namespace(),
                settings.servingSecret(),
                settings.servingSecretRefresh());
    KeyStore clientCa = clientCaTrustStore(client, settings);
    this.app =
        Javalin.create(
            javalin -> {
              javalin.showJavalinBanner = false;
              javalin.startupWatcherEnabled = false;
              javalin.http.disableCompression(); // streamed logs must reach the client as written
              javalin.jetty.addConnector(
                  (jetty, httpConfig) -> {
                    SslContextFactory.Server ssl = new SslContextFactory.Server();
                    ssl.setKeyStore(serving.keyStore());
                    ssl.setKeyStorePassword(new String(KubeletServingCertificate.PASSWORD));
                    serving.keepCurrent(ssl);
                    ssl.setTrustStore(clientCa);
                    // Wanted, not needed: a bearer token is the other way in.
                    ssl.setWantClientAuth(true);
                    HttpConfiguration https = new HttpConfiguration(httpConfig);
                    SecureRequestCustomizer customizer = new SecureRequestCustomizer();
                    customizer.setSniHostCheck(false); // the API server dials an IP
                    https.addCustomizer(customizer);
                    Supplier<ServerConnector> connectors =
                        () ->
                            new ServerConnector(
                                jetty,
                                new SslConnectionFactory(ssl, "http/1.1"),
                                new HttpConnectionFactory(https));
                    // Each virtual Node's own port: the same TLS and handlers, another connector.
                    nodeConnectors.set(
                        new NodeConnectors(
                            jetty,
                            connectors,
                            settings.nodePorts(),
                            names -> serving.nodeNames(names, ssl)));
                    ServerConnector connector = connectors.get();
                    connector.setPort(config.kubeletPort());
                    return connector;
                  });
              javalin.jetty.modifyWebSocketServletFactory(
                  factory -> {
                    // stdin may come in large messages; output is ours to size.
                    factory.setMaxBinaryMessageSize(MAX_WEBSOCKET_MESSAGE);
                    factory.setMaxTextMessageSize(MAX_WEBSOCKET_MESSAGE);
                  });
              javalin.router.mount(
                  routes -> {
                    // A request with Sec-WebSocket-Key never reaches the HTTP handlers: Javalin
                    // gives it to its WebSocket routes (else 404), checked before the upgrade.
                    routes.addHttpHandler(
                        HandlerType.WEBSOCKET_BEFORE_UPGRADE, "/*", this::handleWebSocket);
                    routes.addWsHandler(WsHandlerType.WEBSOCKET, "/*", remoteCommands::webSocket);
                    for (HandlerType type :
                        List.of(
                            HandlerType.GET,
                            HandlerType.POST,
                            HandlerType.PUT,
                            HandlerType.PATCH,
                            HandlerType.DELETE,
                            HandlerType.HEAD)) {
                      routes.addHttpHandler(type, "/*", this::handle);
                    }
                  });
            });
  }

  /**
   * Binds the port (0: any free one); pod requests wait for {@link #serve}.
   *
   * @param aciTls what ACI's exec websockets are verified with: the ARM client's TLS context
   */
  public static KubeletServer start(
      KubernetesClient client, OperatorConfig config, SSLContext aciTls) {
    KubeletServer server = new KubeletServer(client, config, aciTls, Clock.systemUTC());
    server.app.start();
    LOG.info("kubelet API listening on port {}", server.port());
    return server;
  }

  /**
   * Routes pod requests from now on.
   *
   * @param backendOfNode the backend of a Node that is one of the operator's, or empty
   */
  public void serve(Function<String, Optional<Supplier<AciBackend>>> backendOfNode) {
    targets.set(new PodTargets(client, backendOfNode));
  }

  /**
   * The main port: pod-level endpoints of every node (and each Node's own port serves them too).
   */
  public int port() {
    return app.port();
  }

  /**
   * Each virtual Node's own port, where its node-level endpoints are served: give it to the
   * operator, which advertises it on the Node.
   */
  public KubeletPorts nodePorts() {
    return nodeConnectors.get();
  }

  /**
   * The CA of the serving certificate: give it to the API server to verify this endpoint. From a
   * Secret: its {@code ca.crt}, null when it has none.
   */
  public String servingCaPem() {
    return serving.caPem();
  }

  @Override
  public void close() {
    app.stop();
    streamThreads.shutdownNow();
    serving.close();
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private void handle(Context ctx) {
    Refusal refusal = serve(ctx, false);
    if (refusal != null) {
      refusal.answer(ctx);
    }
  }

  /**
   * A WebSocket upgrade (exec, attach), checked as its SPDY form: a refusal is written here and the
   * upgrade skipped (Javalin writes no result for a WebSocket request).
   */
  private void handleWebSocket(Context ctx) {
    Refusal refusal = serve(ctx, true);
    if (refusal == null) {
      return;
    }
    ctx.skipRemainingHandlers();
    try {
      refusal.write(ctx);
    } catch (IOException e) {
      LOG.debug("a refused WebSocket upgrade could not be answered: {}", e.toString());
    }
  }

  /**
   * @return null when served (or, for a WebSocket, ready for the upgrade)
   */
  private Refusal serve(Context ctx, boolean webSocket) {
    try {
      KubeletAuth.User user =
          auth.authenticate(
              (X509Certificate[]) ctx.req().getAttribute("jakarta.servlet.request.X509Certificate"),
              ctx.header("Authorization"));
      KubeletRequest request = KubeletRequest.parse(ctx.path());
      switch (request.endpoint()) {
        case HEALTHZ -> {
          if (webSocket) {
            throw new KubeletApiException(400, "/healthz is not served over WebSocket");
          }
          ctx.result("ok");
        }
        case NOT_SERVED ->
            throw new KubeletApiException(
                404,
                ctx.path()
                    + " is not served by this operator's virtual nodes (served: containerLogs,"
                    + " exec, attach, healthz, and on each Node's own port stats/summary,"
                    + " metrics/resource, pods, runningpods)");
        case STATS_SUMMARY, METRICS_RESOURCE, PODS, RUNNING_PODS ->
            nodeEndpoints.serve(ctx, user, request, targets.get(), webSocket);
        default -> handlePod(ctx, user, request, webSocket);
      }
      return null;
    } catch (KubeletApiException e) {
      return new Refusal(e.status(), e.getMessage(), e.retryAfterSeconds());
    } catch (IllegalArgumentException e) {
      return new Refusal(400, e.getMessage(), null);
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      // The pod could not be read: the API server's trouble, said as such (not a bare 500).
      return new Refusal(503, "the pod cannot be read from the API server: " + e.getMessage(), 5L);
    }
  }

  private void handlePod(
      Context ctx, KubeletAuth.User user, KubeletRequest request, boolean webSocket) {
    PodTargets podTargets = targets.get();
    if (podTargets == null) {
      throw new KubeletApiException(503, "the operator is starting: try again in a moment");
    }
    PodTargets.Target target = podTargets.find(request.namespace(), request.pod());
    auth.authorize(
        user,
        KubeletRequest.verb(ctx.method().name()),
        KubeletRequest.subresource(ctx.path()),
        target.nodeName());
    switch (request.endpoint()) {
      case CONTAINER_LOGS -> {
        if (webSocket) {
          throw new KubeletApiException(400, "container logs are served over HTTP, not WebSocket");
        }
        new LogStream(ctx, podTargets, target, request.container()).serve();
      }
      case PORT_FORWARD ->
          throw new KubeletApiException(
              400,
              "port-forward is not possible on virtual node "
                  + target.nodeName()
                  + ": Azure Container Instances cannot forward a port into a container group;"
                  + " reach the pod at its IP instead");
      case EXEC, ATTACH -> {
        if (webSocket) {
          remoteCommands.prepareWebSocket(ctx, podTargets, target, request);
        } else {
          remoteCommands.serve(ctx, podTargets, target, request);
        }
      }
      default -> throw new IllegalStateException(request.endpoint().name());
    }
  }

  /** A request refused: the status, the reason, when to try again. */
  private record Refusal(int status, String message, Long retryAfter) {
    void answer(Context ctx) {
      refuse(ctx, status, message, retryAfter);
    }

    /** Straight onto the response: a WebSocket request's result is not written by Javalin. */
    void write(Context ctx) throws IOException {
      ctx.res().setHeader("Sec-WebSocket-Protocol", null);
      ctx.res().setStatus(status);
      if (retryAfter != null) {
        ctx.res().setHeader("Retry-After", String.valueOf(retryAfter));
      }
      byte[] body = statusJson(status, message).getBytes(StandardCharsets.UTF_8);
      ctx.res().setContentType("application/json");
      ctx.res().setContentLength(body.length);
      ctx.res().getOutputStream().write(body);
      ctx.res().flushBuffer();
    }
  }

  private static String statusJson(int status, String message) {
    return io.fabric8.kubernetes.client.utils.Serialization.asJson(
        new io.fabric8.kubernetes.api.model.StatusBuilder()
            .withStatus("Failure")
            .withCode(status)
            .withMessage(message)
            .build());
  }

  private static void refuse(Context ctx, int status, String message, Long retryAfter) {
    ctx.status(status);
    if (retryAfter != null) {
      ctx.header("Retry-After", String.valueOf(retryAfter));
    }
    if (ctx.header("Upgrade") != null) {
      // A streaming client (kubectl exec, attach, port-forward) prints a refused upgrade's
      // reason only from a Status object; plain text reaches it as an empty reason.
      ctx.contentType("application/json");
      ctx.result(statusJson(status, message));
      return;
    }
    ctx.contentType("text/plain; charset=utf-8");
    ctx.result(message + "\n");
  }

  /** One log request: a read of ACI's log, cut as asked; when followed, polled until it ends. */
  private final class LogStream {
    private final Context ctx;
    private final PodTargets podTargets;
    private final PodTargets.Target target;
    private final String container;

    LogStream(Context ctx, PodTargets podTargets, PodTargets.Target target, String container) {
      this.ctx = ctx;
      this.podTargets = podTargets;
      this.target = target;
      this.container = container;
    }

    void serve() {
      String pod =
          target.pod().getMetadata().getNamespace() + "/" + target.pod().getMetadata().getName();
      if (!target.hasContainer(container)) {
        throw new KubeletApiException(
            400, "container " + container + " is not valid for pod " + pod);
      }
      LogOptions options = LogOptions.parse(firstValues(ctx.queryParamMap()));
      if (options.previous()) {
        throw new KubeletApiException(
            400,
            "previous terminated container "
                + container
                + " in pod "
                + pod
                + " not found: Azure Container Instances keeps only the log of a container's"
                + " current run");
      }
      waitingReason(target.status(container))
          .ifPresent(
              reason -> {
                throw new KubeletApiException(
                    400,
                    "container "
                        + container
                        + " in pod "
                        + pod
                        + " is waiting to start: "
                        + reason);
              });
      LogFollower follower =
          new LogFollower(podTargets, target, container, settings.followInterval());
      List<LogText.Line> all = follower.read();
      List<LogText.Line> selected = LogText.select(all, options, clock.instant());
      ctx.contentType("text/plain; charset=utf-8");
      if (!options.follow()) {
        ctx.result(LogText.render(selected, options.timestamps(), options.limitBytes()));
        return;
      }
      try {
        ctx.status(200);
        follower.follow(ctx.res().getOutputStream(), this::open, options, all, selected);
      } catch (IOException e) {
        LOG.debug("log follower of {} ended: {}", target.groupName(), e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Whether the client is still there (Jetty tells without a write). */
    private boolean open() {
      Request base = Request.getBaseRequest(ctx.req());
      return base == null || base.getHttpChannel().getEndPoint().isOpen();
    }
  }

  /** A container that never ran has no log: the kubelet says why, e.g. ContainerCreating. */
  private static Optional<String> waitingReason(Optional<ContainerStatus> status) {
    if (status.isEmpty()) {
      return Optional.of("ContainerCreating");
    }
    ContainerStatus s = status.get();
    boolean ranBefore = s.getLastState() != null && s.getLastState().getTerminated() != null;
    if (s.getState() != null && s.getState().getWaiting() != null && !ranBefore) {
      String reason = s.getState().getWaiting().getReason();
      return Optional.of(reason == null ? "ContainerCreating" : reason);
    }
    return Optional.empty();
  }

  private static Map<String, String> firstValues(Map<String, List<String>> query) {
    Map<String, String> first = new HashMap<>();
    query.forEach((k, v) -> first.put(k, v.isEmpty() ? "" : v.get(0)));
    return first;
  }

  /**
   * The CA that signs the API server's kubelet client certificate: the configured file, or the
   * client-ca-file that the API server publishes in kube-system.
   */
  private static KeyStore clientCaTrustStore(
      KubernetesClient client, OperatorConfig.KubeletSettings settings) {
    String pem;
    try {
      if (settings.clientCaFile() != null) {
        pem = Files.readString(settings.clientCaFile(), StandardCharsets.US_ASCII);
      } else {
        ConfigMap published =
            client.configMaps().inNamespace("kube-system").withName(CLIENT_CA_CONFIGMAP).get();
        pem =
            published == null || published.getData() == null
                ? null
                : published.getData().get("client-ca-file");
        if (pem == null) {
          throw new IllegalStateException(
              "the kubelet API needs the cluster's client CA: set AVN_KUBELET_CLIENT_CA_FILE, or"
                  + " let the operator read client-ca-file from the ConfigMap kube-system/"
                  + CLIENT_CA_CONFIGMAP);
        }
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int n = 0;
      for (Certificate c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        store.setCertificateEntry("client-ca-" + n++, c);
      }
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "the cluster's client CA is unreadable: " + e.getMessage(), e);
    }
  }
}
