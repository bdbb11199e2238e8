package io.github.acivirtualnode.controlplane;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.pki.CertificateAuthority;
import io.github.acivirtualnode.pki.IssuedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd, kube-apiserver, kube-controller-manager and kube-scheduler as local processes on loopback,
 * with free ports, a generated PKI, RBAC and Node authorization. Every process is stopped on {@link
 * #close()}, by a JVM shutdown hook, and by a watchdog process should the JVM die without running
 * its hooks.
 */
public final class LocalControlPlane implements KubernetesCluster {
  private static final Logger LOG = LoggerFactory.getLogger(LocalControlPlane.class);
  private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(3);

  /** The user the API server presents to kubelets; bound to system:kubelet-api-admin. */
  public static final String KUBELET_CLIENT_USER = "kube-apiserver-kubelet-client";

  /**
   * The user the API server presents to aggregated API servers (metrics-server) with its
   * front-proxy client certificate; they trust it to assert the requesting user in X-Remote-*
   * headers.
   */
  public static final String FRONT_PROXY_CLIENT_USER = "front-proxy-client";

  private final Path workDir;
  private final Options options;
  private final List<Process> processes = new ArrayList<>();

  /** Each component's command line, by name, so that one can be started again. */
  private final Map<String, List<String>> commands = new HashMap<>();

  /** Each component's process, by name (the same objects as in processes). */
  private final Map<String, Process> byName = new HashMap<>();

  private final Thread shutdownHook = new Thread(this::stopProcesses, "control-plane-shutdown");
  private CertificateAuthority ca;
  private String kubeconfig;
  private Path kubeconfigFile;
  private int apiServerPort;

  /** Tunables; the defaults suit tests (fast node lifecycle). */
  public record Options(Duration nodeMonitorGracePeriod) {
    public static Options defaults() {
      return new Options(Duration.ofSeconds(20));
    }
  }

  private LocalControlPlane(Path workDir, Options options) {
    this.workDir = workDir;
    this.options = options;
  }

  /** Starts a control plane whose files (PKI, data, logs, kubeconfig) live under workDir. */
  public static LocalControlPlane start(Path workDir, Options options) {
    LocalControlPlane plane = new LocalControlPlane(workDir, options);
    try {
      plane.doStart();
    } catch (RuntimeException e) {
      plane.close();
      throw e;
    }
    return plane;
  }

  public static LocalControlPlane start() {
    try {
      return start(Files.createTempDirectory("avn-control-plane-"), Options.defaults());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String kubeconfig() {
    return kubeconfig;
  }

  @Override
  public Path kubeconfigFile() {
    return kubeconfigFile;
  }

  @Override
  public Path logDirectory() {
    return workDir.resolve("logs");
  }

  public String apiServerUrl() {
    return "https://127.0.0.1:" + apiServerPort;
  }

  /** The cluster CA: it signs the API server's certificate and verifies client certificates. */
  public CertificateAuthority certificateAuthority() {
    return ca;
  }

  private void doStart() {
    Path bin = ControlPlaneBinaries.directory();
    Path pki = workDir.resolve("pki");
    try {
      Files.createDirectories(pki);
      Files.createDirectories(logDirectory());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    startWatchdog();
    LOG.info("control plane in {}, component logs in {}", workDir, logDirectory());
    System.err.println("[control-plane] component logs: " + logDirectory());

    ca = CertificateAuthority.create("avn-local-ca");
    write(pki.resolve("ca.crt"), ca.certificatePem());
    write(pki.resolve("ca.key"), CertificateAuthority.pem(ca.privateKey()));
    IssuedCertificate serving =
        ca.issueServer(
            "kube-apiserver",
            List.of(
                "localhost",
                "kubernetes",
                "kubernetes.default",
                "kubernetes.default.svc",
                "kubernetes.default.svc.cluster.local"),
            List.of("127.0.0.1", "10.0.0.1"));
    writePair(pki, "apiserver", serving);
    writePair(pki, "kubelet-client", ca.issueClient(KUBELET_CLIENT_USER, List.of()));
    // A CA of its own, as kubeadm makes it: a certificate of the cluster CA must not be able to
    // assert any user to an aggregated API server through the request headers.
    CertificateAuthority frontProxyCa = CertificateAuthority.create("avn-front-proxy-ca");
    write(pki.resolve("front-proxy-ca.crt"), frontProxyCa.certificatePem());
    writePair(
        pki, "front-proxy-client", frontProxyCa.issueClient(FRONT_PROXY_CLIENT_USER, List.of()));
    KeyPair serviceAccountKeys = CertificateAuthority.newKeyPair();
    write(pki.resolve("sa.key"), CertificateAuthority.pem(serviceAccountKeys.getPrivate()));
    write(pki.resolve("sa.pub"), CertificateAuthority.pem(serviceAccountKeys.getPublic()));

    int etcdPort = freePort();
    int etcdPeerPort = freePort();
    apiServerPort = freePort();
    int controllerManagerPort = freePort();
    int schedulerPort = freePort();

    launch(
        "etcd",
        bin.resolve("etcd").toString(),
        "--name=avn",
        "--data-dir=" + workDir.resolve("etcd-data"),
        "--listen-client-urls=http://127.0.0.1:" + etcdPort,
        "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
        "--listen-peer-urls=http://127.0.0.1:" + etcdPeerPort,
        "--initial-advertise-peer-urls=http://127.0.0.1:" + etcdPeerPort,
        "--initial-cluster=avn=http://127.0.0.1:" + etcdPeerPort,
        "--unsafe-no-fsync=true",
        "--quota-backend-bytes=2147483648");
    HttpClient plain = HttpClient.newHttpClient();
    awaitCondition("etcd health", () -> httpOk(plain, "http://127.0.0.1:" + etcdPort + "/health"));

    launch(
        "kube-apiserver",
        bin.resolve("kube-apiserver").toString(),
        "--etcd-servers=http://127.0.0.1:" + etcdPort,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        "--secure-port=" + apiServerPort,
        "--tls-cert-file=" + pki.resolve("apiserver.crt"),
        "--tls-private-key-file=" + pki.resolve("apiserver.key"),
        "--client-ca-file=" + pki.resolve("ca.crt"),
        "--kubelet-client-certificate=" + pki.resolve("kubelet-client.crt"),
        "--kubelet-client-key=" + pki.resolve("kubelet-client.key"),
        "--kubelet-preferred-address-types=InternalIP,Hostname",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=" + pki.resolve("sa.pub"),
        "--service-account-signing-key-file=" + pki.resolve("sa.key"),
        "--api-audiences=https://kubernetes.default.svc.cluster.local",
        "--service-cluster-ip-range=10.0.0.0/24",
        "--authorization-mode=Node,RBAC",
        "--enable-admission-plugins=NamespaceLifecycle,ServiceAccount,NodeRestriction",
        "--allow-privileged=true",
        // The aggregation layer (metrics-server's metrics.k8s.io): the API server proxies to an
        // APIService's endpoints with the front-proxy client certificate, naming the user in
        // X-Remote-* headers; the extension-apiserver-authentication ConfigMap publishes this.
        "--requestheader-client-ca-file=" + pki.resolve("front-proxy-ca.crt"),
        "--requestheader-allowed-names=" + FRONT_PROXY_CLIENT_USER,
        "--requestheader-username-headers=X-Remote-User",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        "--proxy-client-cert-file=" + pki.resolve("front-proxy-client.crt"),
        "--proxy-client-key-file=" + pki.resolve("front-proxy-client.key"),
        // No kube-proxy runs, so a Service's ClusterIP leads nowhere: the API server dials an
        // APIService's endpoint IP itself.
        "--enable-aggregator-routing=true",
        "--profiling=false");

    String adminConfig =
        clientKubeconfig("admin", ca.issueClient("admin", List.of("system:masters")));
    kubeconfig = adminConfig;
    kubeconfigFile = workDir.resolve("admin.kubeconfig");
    write(kubeconfigFile, adminConfig);
    try (KubernetesClient client = newClient()) {
      awaitCondition("kube-apiserver readiness", () -> apiServerReady(client));
      client
          .rbac()
          .clusterRoleBindings()
          .resource(
              new ClusterRoleBindingBuilder()
                  .withNewMetadata()
                  .withName("avn:kube-apiserver-kubelet-api-admin")
                  .endMetadata()
                  .withNewRoleRef()
                  .withApiGroup("rbac.authorization.k8s.io")
                  .withKind("ClusterRole")
                  .withName("system:kubelet-api-admin")
                  .endRoleRef()
                  .addNewSubject()
                  .withApiGroup("rbac.authorization.k8s.io")
                  .withKind("User")
                  .withName(KUBELET_CLIENT_USER)
                  .endSubject()
                  .build())
          .serverSideApply();
    }

    Path cmConfig = workDir.resolve("controller-manager.kubeconfig");
    write(
        cmConfig,
        clientKubeconfig(
            "kube-controller-manager",
            ca.issueClient("system:kube-controller-manager", List.of())));
    launch(
        "kube-controller-manager",
        bin.resolve("kube-controller-manager").toString(),
        "--kubeconfig=" + cmConfig,
        "--authentication-kubeconfig=" + cmConfig,
        "--authorization-kubeconfig=" + cmConfig,
        "--bind-address=127.0.0.1",
        "--secure-port=" + controllerManagerPort,
        "--leader-elect=false",
        "--service-account-private-key-file=" + pki.resolve("sa.key"),
        "--root-ca-file=" + pki.resolve("ca.crt"),
        "--use-service-account-credentials=true",
        "--cluster-signing-cert-file=" + pki.resolve("ca.crt"),
        "--cluster-signing-key-file=" + pki.resolve("ca.key"),
        "--node-monitor-period=2s",
        "--node-monitor-grace-period=" + options.nodeMonitorGracePeriod().toSeconds() + "s");

    Path schedulerConfig = workDir.resolve("scheduler.kubeconfig");
    write(
        schedulerConfig,
        clientKubeconfig("kube-scheduler", ca.issueClient("system:kube-scheduler", List.of())));
    launch(
        "kube-scheduler",
        bin.resolve("kube-scheduler").toString(),
        "--kubeconfig=" + schedulerConfig,
        "--authentication-kubeconfig=" + schedulerConfig,
        "--authorization-kubeconfig=" + schedulerConfig,
        "--bind-address=127.0.0.1",
        "--secure-port=" + schedulerPort,
        "--leader-elect=false");

    SSLContext trustAll = trustAllContext();
    awaitCondition(
        "kube-controller-manager health",
        () -> selfSignedHealthOk(trustAll, controllerManagerPort));
    awaitCondition("kube-scheduler health", () -> selfSignedHealthOk(trustAll, schedulerPort));
    try (KubernetesClient client = newClient()) {
      // The default ServiceAccount proves the controller-manager's controllers are running.
      awaitCondition(
          "default ServiceAccount",
          () -> client.serviceAccounts().inNamespace("default").withName("default").get() != null);
    }
    LOG.info("control plane ready at {}", apiServerUrl());
  }

  @Override
  public void close() {
    stopProcesses();
    deleteRecursively(workDir.resolve("etcd-data"));
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs stopProcesses, which is idempotent
    }
  }

  /**
   * Stops kube-apiserver (SIGTERM, as a rolling upgrade would) and starts it again with the same
   * flags, port and certificates; etcd keeps its data, so every object is still there. Returns once
   * the new API server answers /readyz. Clients see their connections and watches dropped and
   * requests refused meanwhile, as in a real API server restart.
   */
  public void restartApiServer() {
    synchronized (this) {
      Process old = byName.get("kube-apiserver");
      old.destroy();
      try {
        if (!old.waitFor(30, TimeUnit.SECONDS)) {
          old.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping kube-apiserver", e);
      }
      int index = processes.indexOf(old);
      launch("kube-apiserver", commands.get("kube-apiserver").toArray(String[]::new));
      // Back in its place: processes stop in the reverse order of their start.
      processes.set(index, processes.remove(processes.size() - 1));
    }
    try (KubernetesClient client = newClient()) {
      awaitCondition("kube-apiserver readiness after a restart", () -> apiServerReady(client));
    }
    LOG.info("kube-apiserver restarted at {}", apiServerUrl());
  }

  private synchronized void stopProcesses() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).destroy();
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    processes.clear();
    byName.clear();
  }

  private synchronized void launch(String name, String... command) {
    Path log = logDirectory().resolve(name + ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .directory(workDir.toFile())
              .start();
      processes.add(process);
      byName.put(name, process);
      commands.put(name, List.of(command));
      Files.writeString(
          workDir.resolve("pids"),
          process.pid() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    LOG.info("started {} (log {})", name, log);
  }

  /**
   * A shell that outlives nothing: when this JVM disappears (even by SIGKILL) it terminates the
   * processes listed in the pids file.
   */
  private void startWatchdog() {
    String pids = workDir.resolve("pids").toString();
    String script =
        "while kill -0 "
            + ProcessHandle.current().pid()
            + " 2>/dev/null; do sleep 1; done; "
            + "[ -f '"
            + pids
            + "' ] && { kill $(cat '"
            + pids
            + "') 2>/dev/null; sleep 5; kill -9 $(cat '"
            + pids
            + "') 2>/dev/null; }; exit 0";
    try {
      new ProcessBuilder("bash", "-c", script)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the control-plane watchdog", e);
    }
  }

  /**
   * A kubeconfig for a process the tests start (metrics-server): a client certificate of the
   * cluster CA for {@code user} in {@code groups}, which RBAC then grants what it needs.
   */
  public String clientKubeconfig(String user, List<String> groups) {
    return clientKubeconfig(user, ca.issueClient(user, groups));
  }

  private String clientKubeconfig(String user, IssuedCertificate cert) {
    Base64.Encoder b64 = Base64.getEncoder();
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: avn-local",
        "  cluster:",
        "    server: " + apiServerUrl(),
        "    certificate-authority-data: " + b64.encodeToString(ca.certificatePem().getBytes()),
        "users:",
        "- name: " + user,
        "  user:",
        "    client-certificate-data: " + b64.encodeToString(cert.certificatePem().getBytes()),
        "    client-key-data: " + b64.encodeToString(cert.privateKeyPem().getBytes()),
        "contexts:",
        "- name: avn-local",
        "  context:",
        "    cluster: avn-local",
        "    user: " + user,
        "current-context: avn-local",
        "");
  }

  private void writePair(Path dir, String name, IssuedCertificate cert) {
    write(dir.resolve(name + ".crt"), cert.certificatePem());
    write(dir.resolve(name + ".key"), cert.privateKeyPem());
  }

  private boolean apiServerReady(KubernetesClient client) {
    try {
      return "ok".equals(client.raw("/readyz"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private void awaitCondition(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    while (!condition.getAsBoolean()) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "a control-plane process exited while waiting for "
                  + what
                  + "; see the logs in "
                  + logDirectory());
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "timed out waiting for " + what + "; see the logs in " + logDirectory());
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  private static boolean httpOk(HttpClient http, String url) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The controller-manager and scheduler serve a self-signed certificate for "localhost" on
   * loopback; their /healthz is checked without verifying it.
   */
  private static boolean selfSignedHealthOk(SSLContext trustAll, int port) {
    try {
      HttpsURLConnection connection =
          (HttpsURLConnection)
              URI.create("https://127.0.0.1:" + port + "/healthz").toURL().openConnection();
      connection.setSSLSocketFactory(trustAll.getSocketFactory());
      connection.setHostnameVerifier((host, session) -> true);
      connection.setConnectTimeout(2000);
      connection.setReadTimeout(2000);
      try {
        return connection.getResponseCode() == 200;
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static SSLContext trustAllContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      TrustManager trustAll =
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          };
      context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Logs stay for diagnosis; the etcd data is the bulk and of no use once stopped. */
  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", dir, e.toString());
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
