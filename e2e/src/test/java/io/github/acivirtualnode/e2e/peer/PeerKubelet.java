package io.github.acivirtualnode.e2e.peer;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.pki.CertificateAuthority;
import io.github.acivirtualnode.pki.IssuedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reference implementation, virtual-kubelet/azure-aci v1.6.4, unmodified, as a local process
 * against the local control plane and the ACI emulator: built from its Go module on first use
 * ({@code e2e/src/test/go/peer-azure-aci/build.sh}), reaching the emulator as {@code
 * management.azure.com:443} through a loopback {@link ConnectProxy} (it knows only Azure's named
 * clouds), trusting the emulator's CA through {@code SSL_CERT_FILE}, authenticated with the
 * emulator's App Service style managed identity. See e2e/README.md, "The peer".
 */
public final class PeerKubelet implements AutoCloseable {
  /** The host the peer always calls; the emulator's certificate must name it. */
  public static final String ARM_HOST = "management.azure.com";

  /** The taint the peer puts on its Node (its defaults). */
  public static final String TAINT_KEY = "virtual-kubelet.io/provider";

  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private final String nodeName;
  private final Process process;
  private final Path log;
  private final ConnectProxy proxy;
  private final Map<String, String> environment;

  private PeerKubelet(
      String nodeName,
      Process process,
      Path log,
      ConnectProxy proxy,
      Map<String, String> environment) {
    this.nodeName = nodeName;
    this.process = process;
    this.log = log;
    this.proxy = proxy;
    this.environment = environment;
  }

  /** What the peer is started with. */
  public record Settings(
      String nodeName,
      String subscriptionId,
      String tenantId,
      String resourceGroup,
      String region,
      String identityClientId) {}

  /**
   * Builds the peer (or reuses the cached binary; about 5 minutes the first time), starts it and
   * returns at once; {@link #awaitReady} waits for its Node. The emulator must have been built with
   * {@code extraServerNames(List.of(ARM_HOST))} and know the resource group.
   */
  public static PeerKubelet start(
      Path repo, Path workDir, Path kubeconfig, AciEmulator emulator, Settings settings) {
    Path binary = build(repo);
    try {
      Files.createDirectories(workDir);
      // The kubelet API's serving certificate, which the API server does not verify here.
      CertificateAuthority ca = CertificateAuthority.create("peer-kubelet-ca");
      IssuedCertificate serving =
          ca.issueServer(settings.nodeName(), List.of("localhost"), List.of("127.0.0.1"));
      Path cert = workDir.resolve("kubelet.crt");
      Path key = workDir.resolve("kubelet.key");
      Files.writeString(cert, serving.certificatePem(), StandardCharsets.US_ASCII);
      Files.writeString(key, serving.privateKeyPem(), StandardCharsets.US_ASCII);
      Path log = workDir.resolve("virtual-kubelet.log");

      ConnectProxy proxy =
          ConnectProxy.start(
              Map.of(
                  ARM_HOST + ":443",
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), emulator.port())));
      Map<String, String> env = new LinkedHashMap<>();
      env.put("HTTPS_PROXY", proxy.url());
      // The API server, the managed identity endpoint: loopback, never through the proxy (Go
      // skips the proxy for loopback anyway; said here so that it does not depend on that).
      env.put("NO_PROXY", "127.0.0.1,localhost");
      env.put("SSL_CERT_FILE", emulator.caCertificateFile().toString());
      env.put("IDENTITY_ENDPOINT", emulator.managedIdentityEndpoint());
      env.put("IDENTITY_HEADER", emulator.managedIdentityHeader());
      env.put("VIRTUALNODE_USER_IDENTITY_CLIENTID", settings.identityClientId());
      env.put("AZURE_SUBSCRIPTION_ID", settings.subscriptionId());
      env.put("AZURE_TENANT_ID", settings.tenantId());
      env.put("ACI_RESOURCE_GROUP", settings.resourceGroup());
      env.put("ACI_REGION", settings.region());
      // Required although no subnet is set (so no VNet call is made).
      env.put("ACI_VNET_NAME", "peer-vnet");
      env.put("ACI_VNET_RESOURCE_GROUP", settings.resourceGroup());
      env.put("KUBECONFIG", kubeconfig.toString());
      env.put("KUBELET_PORT", Integer.toString(freePort()));
      env.put("VKUBELET_POD_IP", "127.0.0.1");
      env.put("APISERVER_CERT_LOCATION", cert.toString());
      env.put("APISERVER_KEY_LOCATION", key.toString());

      List<String> command = new ArrayList<>();
      command.add(binary.toString());
      command.add("--nodename");
      command.add(settings.nodeName());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .directory(workDir.toFile());
      // Nothing of this JVM's Azure or proxy settings leaks in: the peer sees only what is above.
      builder.environment().keySet().removeIf(PeerKubelet::azureOrProxyVariable);
      builder.environment().putAll(env);
      Process process = builder.start();
      return new PeerKubelet(settings.nodeName(), process, log, proxy, Map.copyOf(env));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean azureOrProxyVariable(String name) {
    String upper = name.toUpperCase(java.util.Locale.ROOT);
    return upper.startsWith("AZURE_")
        || upper.startsWith("ACI_")
        || upper.startsWith("IDENTITY_")
        || upper.startsWith("MSI_")
        || upper.endsWith("_PROXY")
        || upper.equals("KUBECONFIG");
  }

  /** The peer's binary, built by its build script on first use (progress on stderr). */
  public static Path build(Path repo) {
    Path script = repo.resolve("e2e/src/test/go/peer-azure-aci/build.sh");
    try {
      Process p =
          new ProcessBuilder("bash", script.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(script + " failed (its output is above)");
      }
      List<String> lines = out.strip().lines().toList();
      Path built = Path.of(lines.get(lines.size() - 1));
      if (!Files.isExecutable(built)) {
        throw new IllegalStateException(script + " printed " + built + ", not an executable");
      }
      return built;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the peer", e);
    }
  }

  /**
   * Waits until the peer's Node is Ready; fails with the tail of its log if the process exits or
   * the time runs out.
   */
  public Node awaitReady(KubernetesClient client, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the peer exited with status " + process.exitValue() + "; its log:\n" + logTail(60));
      }
      Node node = client.nodes().withName(nodeName).get();
      if (node != null && ready(node)) {
        return node;
      }
      sleep(Duration.ofMillis(500));
    }
    throw new IllegalStateException(
        "the peer's Node "
            + nodeName
            + " was not Ready in "
            + timeout
            + "; its log:\n"
            + logTail(60));
  }

  private static boolean ready(Node node) {
    return node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public String nodeName() {
    return nodeName;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** The environment it was started with (nothing secret in it: the emulator's values). */
  public Map<String, String> environment() {
    return environment;
  }

  public ConnectProxy proxy() {
    return proxy;
  }

  /** The last lines of its log, for failure messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * SIGINT (the peer stops on os.Interrupt only; SIGTERM would kill it without its shutdown), then
   * SIGKILL after a grace period; then the proxy.
   */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        interrupt(process.pid());
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      proxy.close();
    }
  }

  private static void interrupt(long pid) throws InterruptedException {
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
