package io.github.acivirtualnode.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.controlplane.LocalControlPlane;
import io.github.acivirtualnode.pki.IssuedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * metrics-server, built from its Go module ({@code e2e/src/test/go/metrics-server}, see {@link
 * GoTool}), run as a local process against the local control plane and registered as the APIService
 * {@code v1beta1.metrics.k8s.io}, as its own manifests install it in a cluster: its RBAC, a Service
 * in kube-system and the APIService, which the API server verifies with the CA that signed
 * metrics-server's serving certificate (no {@code insecureSkipTLSVerify}). It verifies the kubelets
 * it scrapes with the CA it is given (no {@code --kubelet-insecure-tls}).
 *
 * <p>The Service has no selector: an EndpointSlice written here points it at this process. The API
 * server refuses loopback addresses as endpoints, so metrics-server listens on a non-loopback
 * address of this machine. {@link #close()} removes the APIService first: an APIService that is not
 * available makes discovery incomplete for every client of the shared cluster.
 */
final class MetricsServer implements AutoCloseable {
  static final String VERSION = "v0.8.0";
  private static final String NAMESPACE = "kube-system";
  private static final String NAME = "metrics-server";
  private static final String USER = "metrics-server";
  private static final String API_SERVICE = "v1beta1.metrics.k8s.io";

  private final KubernetesClient client;
  private final Process process;
  private final Path log;
  private final List<HasMetadata> installed;

  /** The APIService's Available condition. */
  private record Available(String status, String reason, String message) {}

  private MetricsServer(
      KubernetesClient client, Process process, Path log, List<HasMetadata> installed) {
    this.client = client;
    this.process = process;
    this.log = log;
    this.installed = installed;
  }

  /**
   * Starts metrics-server and registers it; {@link #awaitAvailable} then waits until the API server
   * routes metrics.k8s.io to it.
   *
   * @param kubeletCaPem the CA of the kubelet endpoints' serving certificates (the operator's)
   * @param work where its kubeconfig, certificates and log ({@code metrics-server.log}) go
   */
  static MetricsServer start(
      Path repo,
      LocalControlPlane plane,
      KubernetesClient client,
      String kubeletCaPem,
      Duration resolution,
      Path work) {
    Path binary = GoTool.binary(repo, "metrics-server");
    String address = nonLoopbackAddress().getHostAddress();
    int port = freePort(address);
    IssuedCertificate serving =
        plane
            .certificateAuthority()
            .issueServer(
                NAME,
                List.of(NAME + "." + NAMESPACE + ".svc", NAME + "." + NAMESPACE),
                List.of(address));
    Path kubeconfig = work.resolve("metrics-server.kubeconfig");
    Path cert = work.resolve("metrics-server.crt");
    Path key = work.resolve("metrics-server.key");
    Path kubeletCa = work.resolve("kubelet-ca.crt");
    Path log = work.resolve("metrics-server.log");
    try {
      Files.createDirectories(work);
      Files.writeString(kubeconfig, plane.clientKubeconfig(USER, List.of()));
      Files.writeString(cert, serving.certificatePem());
      Files.writeString(key, serving.privateKeyPem());
      Files.writeString(kubeletCa, kubeletCaPem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Its RBAC first: it reads the extension-apiserver-authentication ConfigMap as it starts.
    List<HasMetadata> installed = new ArrayList<>();
    for (HasMetadata object : client.load(manifests(address, port, plane)).items()) {
      installed.add(client.resource(object).forceConflicts().serverSideApply());
    }
    List<String> command =
        List.of(
            binary.toString(),
            "--kubeconfig=" + kubeconfig,
            "--authentication-kubeconfig=" + kubeconfig,
            "--authorization-kubeconfig=" + kubeconfig,
            "--bind-address=" + address,
            "--secure-port=" + port,
            "--tls-cert-file=" + cert,
            "--tls-private-key-file=" + key,
            "--cert-dir=" + work,
            // Where and how a kubelet is scraped: what the Node says (InternalIP,
            // daemonEndpoints.kubeletEndpoint.Port), verified against the kubelets' serving CA.
            "--kubelet-preferred-address-types=InternalIP",
            "--kubelet-use-node-status-port",
            "--kubelet-certificate-authority=" + kubeletCa,
            "--metric-resolution=" + resolution.toSeconds() + "s",
            "--v=2");
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      watchdog(process.pid());
    } catch (IOException e) {
      // Nothing left for the next test: an APIService without a server breaks discovery.
      for (int i = installed.size() - 1; i >= 0; i--) {
        client.resource(installed.get(i)).delete();
      }
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    MetricsServer server = new MetricsServer(client, process, log, installed);
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "metrics-server-shutdown"));
    return server;
  }

  /** metrics-server's own log (stdout and stderr). */
  Path log() {
    return log;
  }

  /**
   * Waits until the APIService is Available: the API server reaches metrics-server, whose discovery
   * answers. Throws with the APIService's Available condition (its reason says why: no endpoints, a
   * refused connection, a certificate not trusted) and the log's location.
   */
  void awaitAvailable(Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      Optional<Available> available = availableCondition();
      if (available.isPresent() && "True".equals(available.get().status())) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "metrics-server exited with status "
                + process.exitValue()
                + " before the APIService "
                + API_SERVICE
                + " became Available; its log: "
                + log
                + "\n"
                + tail());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "the APIService "
                + API_SERVICE
                + " did not become Available within "
                + timeout
                + ": "
                + available.map(c -> c.reason() + ": " + c.message()).orElse("no condition")
                + "; metrics-server's log: "
                + log
                + "\n"
                + tail());
      }
      sleep(Duration.ofSeconds(1));
    }
  }

  /** metrics-server's log so far. */
  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }

  /** The last lines of metrics-server's log, for failure messages. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  @Override
  public void close() {
    // The APIService first: once metrics-server is gone it would make discovery incomplete.
    for (int i = installed.size() - 1; i >= 0; i--) {
      client.resource(installed.get(i)).delete();
    }
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private Optional<Available> availableCondition() {
    GenericKubernetesResource service =
        client
            .genericKubernetesResources("apiregistration.k8s.io/v1", "APIService")
            .withName(API_SERVICE)
            .get();
    if (service == null) {
      return Optional.empty();
    }
    Object conditions =
        service.getAdditionalProperties().get("status") instanceof Map<?, ?> status
            ? status.get("conditions")
            : null;
    if (!(conditions instanceof List<?> list)) {
      return Optional.empty();
    }
    return list.stream()
        .filter(c -> c instanceof Map<?, ?>)
        .map(c -> (Map<?, ?>) c)
        .filter(c -> "Available".equals(c.get("type")))
        .findFirst()
        .map(
            c ->
                new Available(
                    String.valueOf(c.get("status")),
                    String.valueOf(c.get("reason")),
                    String.valueOf(c.get("message"))));
  }

  /**
   * metrics-server's manifests ({@code manifests/base} of its module), but for a user of the
   * cluster CA instead of a ServiceAccount, and with the Service pointed at this process.
   */
  private static ByteArrayInputStream manifests(String address, int port, LocalControlPlane plane) {
    String caBundle =
        Base64.getEncoder()
            .encodeToString(
                plane.certificateAuthority().certificatePem().getBytes(StandardCharsets.UTF_8));
    String yaml =
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: system:aggregated-metrics-reader
          labels:
            rbac.authorization.k8s.io/aggregate-to-view: "true"
            rbac.authorization.k8s.io/aggregate-to-edit: "true"
            rbac.authorization.k8s.io/aggregate-to-admin: "true"
        rules:
        - apiGroups: ["metrics.k8s.io"]
          resources: ["pods", "nodes"]
          verbs: ["get", "list", "watch"]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: metrics-server-auth-reader
          namespace: kube-system
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: Role
          name: extension-apiserver-authentication-reader
        subjects:
        - apiGroup: rbac.authorization.k8s.io
          kind: User
          name: USER
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: metrics-server:system:auth-delegator
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: system:auth-delegator
        subjects:
        - apiGroup: rbac.authorization.k8s.io
          kind: User
          name: USER
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: system:metrics-server
        rules:
        - apiGroups: [""]
          resources: ["nodes/metrics"]
          verbs: ["get"]
        - apiGroups: [""]
          resources: ["pods", "nodes"]
          verbs: ["get", "list", "watch"]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: system:metrics-server
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: system:metrics-server
        subjects:
        - apiGroup: rbac.authorization.k8s.io
          kind: User
          name: USER
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: metrics-server
          namespace: kube-system
        spec:
          ports:
          - name: https
            port: 443
            protocol: TCP
            targetPort: PORT
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: metrics-server-local
          namespace: kube-system
          labels:
            kubernetes.io/service-name: metrics-server
            endpointslice.kubernetes.io/managed-by: e2e.acivirtualnode.github.io
        addressType: IPv4
        endpoints:
        - addresses: ["ADDRESS"]
          conditions:
            ready: true
        ports:
        - name: https
          port: PORT
          protocol: TCP
        ---
        apiVersion: apiregistration.k8s.io/v1
        kind: APIService
        metadata:
          name: v1beta1.metrics.k8s.io
        spec:
          service:
            name: metrics-server
            namespace: kube-system
            port: 443
          group: metrics.k8s.io
          version: v1beta1
          caBundle: CA_BUNDLE
          groupPriorityMinimum: 100
          versionPriority: 100
        """
            .replace("USER", USER)
            .replace("PORT", Integer.toString(port))
            .replace("ADDRESS", address)
            .replace("CA_BUNDLE", caBundle);
    return new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * An IPv4 address of this machine that is not loopback nor link-local, on an interface that is
   * up: the API server accepts it as an endpoint and can dial it.
   */
  static InetAddress nonLoopbackAddress() {
    try {
      for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : nic.inetAddresses().toList()) {
          if (address instanceof Inet4Address
              && !address.isLoopbackAddress()
              && !address.isLinkLocalAddress()) {
            return address;
          }
        }
      }
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException(
        "this machine has no IPv4 address other than loopback and link-local on an interface that"
            + " is up; metrics-server needs one, since the API server refuses loopback addresses as"
            + " the endpoints of the metrics-server Service");
  }

  private static int freePort(String address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(address, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops metrics-server should this JVM die without running its shutdown hooks. */
  private static void watchdog(long pid) throws IOException {
    String script =
        "while kill -0 "
            + ProcessHandle.current().pid()
            + " 2>/dev/null && kill -0 "
            + pid
            + " 2>/dev/null; do sleep 1; done; kill "
            + pid
            + " 2>/dev/null; exit 0";
    new ProcessBuilder("bash", "-c", script)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for metrics-server", e);
    }
  }
}
