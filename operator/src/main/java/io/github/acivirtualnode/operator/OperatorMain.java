package io.github.acivirtualnode.operator;

import com.azure.core.util.Configuration;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.github.acivirtualnode.operator.config.ShardSettings;
import io.github.acivirtualnode.operator.health.HealthReport;
import io.github.acivirtualnode.operator.kubelet.KubeletServer;
import io.github.acivirtualnode.operator.node.KubeletPorts;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the operator with settings from the environment (see {@link OperatorConfig}). */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) {
    try {
      run();
    } catch (Throwable e) {
      // Fail the process, so that Kubernetes restarts it, rather than idle with a live JVM.
      LOG.error("operator failed", e);
      System.exit(1);
    }
  }

  private static void run() throws Exception {
    // The Azure SDK sets Content-Length itself; without this the JDK client warns on every call.
    System.setProperty("jdk.httpclient.allowRestrictedHeaders", "content-length");
    OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client = new KubernetesClientBuilder().build();
    // Bound first: the Nodes advertise the port it got (AVN_KUBELET_PORT=0 takes any free one).
    SSLContext armTls = armTls(config);
    // The kubelet API's exec reaches ACI's websockets with the ARM client's trust.
    KubeletServer kubelet =
        config.kubelet().enabled() ? KubeletServer.start(client, config, armTls) : null;
    if (kubelet != null) {
      config = config.withKubeletPort(kubelet.port());
    }
    // Several replicas may run. By default they share the VirtualNodes (AVN_SHARDING); with
    // AVN_SHARDING=false the one holding the leader Lease does all the work, and with
    // AVN_LEADER_ELECTION=false too, one replica only may run.
    ShardSettings sharding = config.sharding();
    String identity =
        System.getenv().getOrDefault("HOSTNAME", "operator-" + ProcessHandle.current().pid());
    LeaderElectionConfiguration leaderElection =
        sharding.enabled() || !config.leaderElection()
            ? null
            : new LeaderElectionConfiguration(
                "aci-virtual-node-leader", config.namespace(), identity);
    VirtualNodeOperator operator =
        new VirtualNodeOperator(
            client,
            config,
            armTls,
            Configuration.getGlobalConfiguration(),
            registry,
            leaderElection,
            kubelet != null ? kubelet.nodePorts() : KubeletPorts.fixed(config.kubeletPort()),
            sharding.enabled() ? sharding : null,
            identity);
    if (kubelet != null) {
      kubelet.serve(operator::backendOfNode);
    }
    // Before the start, which waits for informers: /readyz says "still starting" meanwhile.
    HttpServer metrics =
        startMetrics(config.metricsPort(), registry, operator::liveness, operator::readiness);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  if (kubelet != null) {
                    kubelet.close();
                  }
                  if (metrics != null) {
                    metrics.stop(0);
                  }
                  client.close();
                  LOG.info("operator stopped; Nodes, Leases and container groups left as they are");
                  stopped.countDown();
                }));
    operator.start();
    LOG.info("operator started in namespace {}", config.namespace());
    stopped.await();
  }

  /**
   * Prometheus {@code /metrics}, and {@code /healthz} and {@code /readyz} for the Deployment's
   * probes: 200 or 503, with a line per check saying what it saw.
   */
  private static HttpServer startMetrics(
      int port,
      PrometheusMeterRegistry registry,
      Supplier<HealthReport> liveness,
      Supplier<HealthReport> readiness)
      throws IOException {
    if (port == 0) {
      return null;
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/metrics",
        exchange -> respond(exchange, 200, "text/plain; version=0.0.4", registry.scrape()));
    server.createContext("/healthz", exchange -> health(exchange, liveness.get()));
    server.createContext("/readyz", exchange -> health(exchange, readiness.get()));
    server.start();
    return server;
  }

  private static void health(HttpExchange exchange, HealthReport report) throws IOException {
    respond(exchange, report.ok() ? 200 : 503, "text/plain; charset=utf-8", report.text());
  }

  private static void respond(HttpExchange exchange, int status, String type, String text)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The JDK's trusted CAs plus AVN_ARM_CA_FILE when set. */
  static SSLContext armTls(OperatorConfig config) throws IOException, GeneralSecurityException {
    if (config.armCaFile() == null) {
      return SSLContext.getDefault();
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    TrustManagerFactory defaults =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    defaults.init((KeyStore) null);
    int i = 0;
    for (var tm : defaults.getTrustManagers()) {
      if (tm instanceof X509TrustManager x509) {
        for (X509Certificate ca : x509.getAcceptedIssuers()) {
          store.setCertificateEntry("jdk-" + i++, ca);
        }
      }
    }
    try (InputStream in = Files.newInputStream(config.armCaFile())) {
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("extra-" + i++, cert);
      }
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
