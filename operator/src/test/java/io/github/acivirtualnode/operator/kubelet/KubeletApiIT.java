package io.github.acivirtualnode.operator.kubelet;

import static io.github.acivirtualnode.operator.kubelet.KubeletCallers.trusting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.ConfigurationBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.api.v1alpha1.AzureCredentials;
import io.github.acivirtualnode.api.v1alpha1.AzureSettings;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeCrd;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeSpec;
import io.github.acivirtualnode.controlplane.ControlPlaneBinaries;
import io.github.acivirtualnode.controlplane.KubernetesCluster;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.operator.VirtualNodeOperator;
import io.github.acivirtualnode.operator.aci.AzureCredentialFactory;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The kubelet API end to end: the real API server asks the operator's kubelet endpoint for a
 * virtual-node pod's log (as kubectl logs does), with its client certificate, and runs kubectl exec
 * and attach through it (the API server speaks SPDY to the kubelet API, translating kubectl's
 * WebSocket); direct requests show what is refused and why. Against the real control plane and the
 * ACI emulator.
 */
@ExtendWith(KubernetesClusterExtension.class)
class KubeletApiIT {
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000dd";
  private static final String TENANT = "11111111-1111-1111-1111-111111111111";
  private static final String CLIENT_ID = "22222222-2222-2222-2222-222222222222";
  private static final String SECRET_VALUE = "kubelet-api-it-secret";
  private static final String RESOURCE_GROUP = "rg-kubelet";
  private static final long TIMEOUT = 180;
  private static final Pattern HEARTBEAT = Pattern.compile("main: heartbeat (\\d+) \\(run \\d+\\)");

  private static AciEmulator emulator;
  private static KubernetesClient client;
  private static String namespace;
  private static KubeletServer kubelet;
  private static VirtualNodeOperator operator;
  private static VirtualNode node;
  private static Pod pod;
  private static HttpClient direct;
  private static SSLContext kubeletTrust;
  private static Path kubeconfig;

  @BeforeAll
  static void start(KubernetesClient kubernetes, KubernetesCluster cluster) throws Exception {
    client = kubernetes;
    kubeconfig = cluster.kubeconfigFile();
    VirtualNodeCrd.install(client);
    emulator = AciEmulator.builder().requireAuthentication(true).build().start();
    emulator.addResourceGroup(SUBSCRIPTION, RESOURCE_GROUP, "westeurope");
    emulator.addServicePrincipal(TENANT, CLIENT_ID, SECRET_VALUE);
    namespace = "avn-kubelet-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("aci-credentials")
                .endMetadata()
                .addToStringData(
                    Map.of(
                        AzureCredentialFactory.TENANT_ID, TENANT,
                        AzureCredentialFactory.CLIENT_ID, CLIENT_ID,
                        AzureCredentialFactory.CLIENT_SECRET, SECRET_VALUE))
                .build())
        .create();
    OperatorConfig config =
        new OperatorConfig(
            namespace,
            "127.0.0.1",
            0,
            emulator.authorityHost(),
            null,
            Duration.ofSeconds(5),
            Duration.ofSeconds(2),
            2,
            0,
            List.of(emulator.baseUrl()),
            false);
    config =
        config.withKubelet(new OperatorConfig.KubeletSettings(true, null, Duration.ofSeconds(1)));
    kubelet = KubeletServer.start(client, config, emulator.sslContext());
    operator =
        new VirtualNodeOperator(
                client,
                config.withKubeletPort(kubelet.port()),
                emulator.sslContext(),
                new ConfigurationBuilder().build(),
                new SimpleMeterRegistry())
            .start();
    kubelet.serve(operator::backendOfNode);
    node = client.resource(virtualNode()).create();
    client
        .nodes()
        .withName(node.nodeName())
        .waitUntilCondition(
            n ->
                n != null
                    && n.getStatus() != null
                    && n.getStatus().getConditions() != null
                    && n.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())),
            TIMEOUT,
            TimeUnit.SECONDS);
    pod =
        client
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("talker")
                    .withNamespace(namespace)
                    .endMetadata()
                    .withNewSpec()
                    .withNodeName(node.nodeName())
                    .addNewToleration()
                    .withKey("virtual-kubelet.io/provider")
                    .withOperator("Exists")
                    .endToleration()
                    .addNewContainer()
                    .withName("main")
                    .withImage("busybox:1.36")
                    .withCommand("sh", "-c")
                    .withArgs("echo hello; echo 'a  b'; sleep 3600")
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    client
        .resource(pod)
        .waitUntilCondition(
            p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()),
            TIMEOUT,
            TimeUnit.SECONDS);
    kubeletTrust = trusting(kubelet.servingCaPem());
    direct = HttpClient.newBuilder().sslContext(kubeletTrust).build();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      client.resources(VirtualNode.class).withName(node.getMetadata().getName()).delete();
      client
          .resources(VirtualNode.class)
          .withName(node.getMetadata().getName())
          .waitUntilCondition(v -> v == null, TIMEOUT, TimeUnit.SECONDS);
    }
    if (operator != null) {
      operator.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void theApiServerGetsTheLogFromTheVirtualNodeWithItsTextExact() {
    String log = podLog().getLog();

    assertThat(log).startsWith("hello\na  b\n");
  }

  @Test
  void tailLinesAndTimestampsAreHonoured() {
    String last = podLog().tailingLines(1).getLog();
    String stamped = podLog().usingTimestamps().getLog();

    assertThat(last.split("\n")).hasSize(1);
    assertThat(stamped.split("\n")[0]).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z hello");
  }

  @Test
  void aFollowedLogStreamsNewLinesAsTheyComeAndNeverResendsOne() throws Exception {
    List<Integer> beats = new ArrayList<>();
    int before;
    try (LogWatch watch = podLog().watchLog();
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
      String line;
      before = heartbeatsSoFar();
      while (beats.size() < before + 3 && (line = lines.readLine()) != null) {
        Matcher m = HEARTBEAT.matcher(line);
        if (m.matches()) {
          beats.add(Integer.valueOf(m.group(1)));
        }
      }
    }
    // Heartbeats 1, 2, 3, ... each once and in order, including those written while following.
    for (int i = 0; i < beats.size(); i++) {
      assertThat(beats.get(i)).isEqualTo(beats.get(0) + i);
    }
    assertThat(beats)
        .as("new lines arrived while following")
        .hasSizeGreaterThanOrEqualTo(before + 3);
  }

  @Test
  void previousLogsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> podLog().terminated().getLog())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("keeps only the log of a container's current run");
  }

  @Test
  void aRequestWithoutCredentialsIsUnauthorized() throws Exception {
    HttpResponse<String> answer = get("/containerLogs/" + namespace + "/talker/main", null);

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.body()).contains("client certificate").contains("bearer token");
  }

  @Test
  void aTokenWithoutNodesProxyIsForbiddenAndTheAnswerSaysWhatWasMissing() throws Exception {
    String token = tokenOf(serviceAccount("nobody", false));

    HttpResponse<String> answer = get("/containerLogs/" + namespace + "/talker/main", token);

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body())
        .contains("system:serviceaccount:" + namespace + ":nobody")
        .contains("subresource=proxy")
        .contains("name=" + node.nodeName());
  }

  @Test
  void aTokenWithNodesProxyReadsTheLogAndPortForwardSaysWhyItCannot() throws Exception {
    String token = tokenOf(serviceAccount("reader", true));

    HttpResponse<String> log =
        get("/containerLogs/" + namespace + "/talker/main?tailLines=1", token);
    HttpResponse<String> forward = get("/portForward/" + namespace + "/talker", token);
    HttpResponse<String> elsewhere = get("/containerLogs/" + namespace + "/nosuchpod/main", token);

    assertThat(log.statusCode()).isEqualTo(200);
    assertThat(log.body().split("\n")).hasSize(1);
    assertThat(forward.statusCode()).isEqualTo(400);
    assertThat(forward.body()).contains("Azure Container Instances cannot forward a port");
    assertThat(elsewhere.statusCode()).isEqualTo(404);
  }

  @Test
  void badQueryValuesAndTraversalGetA400() throws Exception {
    String token = tokenOf(serviceAccount("prober", true));

    HttpResponse<String> bad =
        get("/containerLogs/" + namespace + "/talker/main?tailLines=-3", token);
    HttpResponse<String> traversal =
        get("/containerLogs/" + namespace + "/..%2F..%2Fetc/main", token);

    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("tailLines");
    assertThat(traversal.statusCode()).isEqualTo(400);
  }

  @Test
  void kubectlPortForwardEndsWithTheReasonAciCannotForward() throws Exception {
    java.nio.file.Path output = java.nio.file.Files.createTempFile("port-forward", ".log");
    Process process =
        new ProcessBuilder(
                ControlPlaneBinaries.binary("kubectl").toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "-n",
                namespace,
                "port-forward",
                "pod/talker",
                "0:80")
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean ended = process.waitFor(TIMEOUT, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    String said = java.nio.file.Files.readString(output);

    assertThat(ended).as("kubectl port-forward ended; it said: %s", said).isTrue();
    assertThat(process.exitValue()).as(said).isNotZero();
    assertThat(said).contains("Azure Container Instances cannot forward a port");
  }

  @Test
  void kubectlExecRunsACommandWithItsArgumentsAsGiven() throws Exception {
    Run run = kubectl(null, "exec", "talker", "-c", "main", "--", "echo", "a  b", "it's");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo("a  b it's\n");
  }

  @Test
  void kubectlExecExitsWithTheCommandsExitCodeAndStderrIsInTheOutput() throws Exception {
    Run run = kubectl(null, "exec", "talker", "--", "ls", "/no/such/dir");

    assertThat(run.exit()).as(run.toString()).isEqualTo(2);
    assertThat(run.out())
        .isEqualTo("ls: cannot access '/no/such/dir': No such file or directory\n");
    assertThat(run.err()).contains("command terminated with exit code 2");
  }

  @Test
  void aBareProgramIsWhatAciIsAskedToRunOverSpdyAndWebSocket() throws Exception {
    int before = emulator.execRequests().size();

    Run run = kubectl(null, "exec", "talker", "--", "pwd");
    String out;
    try (ExecWatch watch = podLog().inContainer("main").redirectingOutput().exec("hostname")) {
      out = new String(watch.getOutput().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(watch.exitCode().get(TIMEOUT, TimeUnit.SECONDS)).isZero();
    }

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo("/\n");
    // The emulated container's hostname is its group's name.
    assertThat(out).isEqualTo(emulator.execRequests().get(before).containerGroup() + "\n");
    assertThat(commandsSince(before)).containsExactly("pwd", "hostname");
  }

  @Test
  void argumentsAndASingleArgumentWithASpaceGoThroughTheShell() throws Exception {
    int before = emulator.execRequests().size();

    Run args = kubectl(null, "exec", "talker", "--", "echo", "a  b");
    Run spaced = kubectl(null, "exec", "talker", "--", "echo hi");

    assertThat(args.exit()).as(args.toString()).isZero();
    assertThat(args.out()).isEqualTo("a  b\n");
    // As on a kubelet, the program is the one named exactly "echo hi", which does not exist.
    assertThat(spaced.exit()).as(spaced.toString()).isEqualTo(127);
    assertThat(spaced.out()).contains("echo hi: not found");
    assertThat(commandsSince(before)).containsExactly("/bin/sh", "/bin/sh");
  }

  @Test
  void aBareProgramTheImageDoesNotHaveFailsWithAcisReason() throws Exception {
    int before = emulator.execRequests().size();

    Run run = kubectl(null, "exec", "talker", "--", "nosuch");

    assertThat(run.exit()).as(run.toString()).isNotZero();
    assertThat(run.out()).as("the runtime's error is the error, not output").isEmpty();
    assertThat(run.err())
        .contains("ACI's exec could not start nosuch in container main")
        .contains("executable file not found");
    assertThat(commandsSince(before)).containsExactly("nosuch");
  }

  @Test
  void kubectlExecWithStdinPipedInEndsWithTheCommand() throws Exception {
    Run run = kubectl("some input\nmore\n", "exec", "-i", "talker", "--", "hostname");

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).isNotBlank().doesNotContain("some input").endsWith("\n");
  }

  @Test
  void anArgumentATerminalCannotCarryIsRefusedWithTheReason() throws Exception {
    Run run = kubectl(null, "exec", "talker", "--", "echo", "a\tb");

    assertThat(run.exit()).as(run.toString()).isNotZero();
    assertThat(run.err()).contains("control character");
  }

  @Test
  void kubectlExecIntoAContainerThePodDoesNotHaveIsRefused() throws Exception {
    Run run = kubectl(null, "exec", "talker", "-c", "nosuch", "--", "ls");

    assertThat(run.exit()).as(run.toString()).isNotZero();
    assertThat(run.err()).contains("nosuch");
  }

  @Test
  void kubectlAttachStreamsTheContainersNewOutput() throws Exception {
    Process attach =
        new ProcessBuilder(
                ControlPlaneBinaries.binary("kubectl").toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "-n",
                namespace,
                "attach",
                "talker",
                "-c",
                "main")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(attach.getInputStream(), StandardCharsets.UTF_8))) {
      int before = heartbeatsSoFar();
      String line = lines.readLine();

      assertThat(line).as("a line of output after attaching").isNotNull().matches(HEARTBEAT);
      Matcher m = HEARTBEAT.matcher(line);
      assertThat(m.matches()).isTrue();
      assertThat(Integer.parseInt(m.group(1))).as("only output from now on").isGreaterThan(before);
    } finally {
      attach.destroy();
      attach.waitFor(TIMEOUT, TimeUnit.SECONDS);
    }
  }

  @Test
  void anInteractiveShellOnARealTerminalRunsWhatIsTypedIntoIt() throws Exception {
    int before = emulator.execRequests().size();
    // kubectl gets a real terminal from util-linux's script, sized first; it sets it raw once the
    // session is up, so the test types only after the shell's prompt has come.
    String kubectl =
        String.join(
            " ",
            ShellLine.quote(ControlPlaneBinaries.binary("kubectl").toString()),
            "--kubeconfig",
            ShellLine.quote(kubeconfig.toString()),
            "-n",
            ShellLine.quote(namespace),
            "exec",
            "-it",
            "talker",
            "--",
            "sh");
    Process terminal =
        new ProcessBuilder(
                "/usr/bin/script",
                "-q",
                "-e",
                "-c",
                "stty rows 33 cols 111; exec " + kubectl,
                "/dev/null")
            .redirectErrorStream(true)
            .start();
    java.io.ByteArrayOutputStream screen = new java.io.ByteArrayOutputStream();
    try (var keys = terminal.getOutputStream()) {
      readUntil(terminal.getInputStream(), screen, "# ");
      keys.write("echo typed on a tty\r".getBytes(StandardCharsets.UTF_8));
      keys.flush();
      readUntil(terminal.getInputStream(), screen, "typed on a tty\r\n# ");
      keys.write("exit\r".getBytes(StandardCharsets.UTF_8));
      keys.flush();
      terminal.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      assertThat(terminal.waitFor(TIMEOUT, TimeUnit.SECONDS)).as("kubectl ended").isTrue();
    } finally {
      terminal.destroy();
    }

    assertThat(terminal.exitValue()).as(screen.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(screen.toString(StandardCharsets.UTF_8))
        .contains("# echo typed on a tty\r\ntyped on a tty\r\n# ");
    List<io.github.acivirtualnode.aciemulator.ExecRequest> all = emulator.execRequests();
    assertThat(all.subList(before, all.size()))
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.command()).as("the real shell, no marker line").isEqualTo("sh");
              assertThat(request.rows()).as("kubectl's terminal size").isEqualTo(33);
              assertThat(request.cols()).isEqualTo(111);
            });
  }

  @Test
  void fabric8AttachOverWebSocketStreamsTheContainersNewOutput() throws Exception {
    // fabric8 offers v4.channel.k8s.io: the API server passes the attach through as a WebSocket.
    int before = heartbeatsSoFar();
    try (ExecWatch watch = podLog().inContainer("main").redirectingOutput().attach();
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
      String line = lines.readLine();

      assertThat(line).as("a line of output after attaching").isNotNull().matches(HEARTBEAT);
      Matcher m = HEARTBEAT.matcher(line);
      assertThat(m.matches()).isTrue();
      assertThat(Integer.parseInt(m.group(1))).as("only output from now on").isGreaterThan(before);
    }
  }

  /** The kubelet API's share of the bad-input corpus: hostile requests, each a clear 4xx. */
  @Test
  void hostileRequestsGetAClear4xxAndTheServerKeepsServing() throws Exception {
    String token = tokenOf(serviceAccount("hostile", true));
    String logs = "/containerLogs/" + namespace + "/talker/main";

    // Exec without credentials, or with a token the API server does not know.
    assertThat(upgrade("/exec/" + namespace + "/talker/main?command=sh&output=1", null, true))
        .startsWith("HTTP/1.1 401");
    assertThat(get(logs, "not-a-token").statusCode()).isEqualTo(401);
    // Traversal and names that are not Kubernetes names, plain and encoded, in every endpoint.
    for (String path :
        List.of(
            "/containerLogs/" + namespace + "/talker/..%2F..%2Fetc%2Fpasswd",
            "/containerLogs/%2e%2e/talker/main",
            "/containerLogs/" + namespace + "/talker/main/extra",
            "/exec/" + namespace + "/..%2Ftalker/main?command=ls&output=1",
            "/attach/" + namespace + "/talker/Main?output=1",
            "/portForward/" + namespace + "/talker/not-a-uid!",
            "/containerLogs/" + namespace + "/" + "p".repeat(300) + "/main",
            "/nosuchendpoint")) {
      HttpResponse<String> answer = get(path, token);
      assertThat(answer.statusCode()).as(path).isEqualTo(400);
      assertThat(answer.body()).as(path).isNotBlank();
    }
    // Bad query values name their parameter.
    for (String query :
        List.of(
            "sinceSeconds=abc",
            "limitBytes=-1",
            "tailLines=99999999999999999999",
            "sinceTime=yesterday",
            "sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z")) {
      HttpResponse<String> answer = get(logs + "?" + query, token);
      assertThat(answer.statusCode()).as(query).isEqualTo(400);
      assertThat(answer.body()).as(query).contains(query.replaceFirst("=.*", ""));
    }
    // An oversized header is refused by Jetty before any handler (431), and a huge URI likewise.
    HttpResponse<String> bigHeader =
        direct.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + kubelet.port() + logs))
                .header("Authorization", "Bearer " + token)
                .header("X-Padding", "x".repeat(64 * 1024))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(bigHeader.statusCode()).isEqualTo(431);
    assertThat(get(logs + "?tailLines=1&x=" + "y".repeat(64 * 1024), token).statusCode())
        .isBetween(400, 431);

    // And the server still answers as before.
    HttpResponse<String> after = get(logs + "?tailLines=1", token);
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.body().split("\n")).hasSize(1);
  }

  @Test
  void execRefusalsBeforeTheUpgradeSayWhyInAStatus() throws Exception {
    String token = tokenOf(serviceAccount("executor", true));
    String base = "/exec/" + namespace + "/talker/";

    String noContainer = upgrade(base + "nosuch?command=ls&output=1", token, true);
    String noCommand = upgrade(base + "main?output=1", token, true);
    String noStream = upgrade(base + "main?command=ls", token, true);
    String notSpdy = upgrade(base + "main?command=ls&output=1", token, false);
    String attachStdin =
        upgrade("/attach/" + namespace + "/talker/main?input=1&output=1", token, true);

    assertThat(noContainer)
        .startsWith("HTTP/1.1 404")
        .contains("\"kind\":\"Status\"")
        .contains("container nosuch not found in pod " + namespace + "/talker");
    assertThat(noCommand).startsWith("HTTP/1.1 400").contains("at least one command");
    assertThat(noStream).startsWith("HTTP/1.1 400").contains("at least 1 of stdin, stdout, stderr");
    assertThat(notSpdy).startsWith("HTTP/1.1 400").contains("missing upgrade headers");
    assertThat(attachStdin).startsWith("HTTP/1.1 400").contains("output only");
  }

  @Test
  void anUpgradeWithoutACommonProtocolIsForbidden() throws Exception {
    String token = tokenOf(serviceAccount("old-client", true));

    String answer =
        upgrade(
            "/exec/" + namespace + "/talker/main?command=ls&output=1",
            token,
            true,
            "channel.k8s.io");

    assertThat(answer).startsWith("HTTP/1.1 403").contains("unable to negotiate protocol");
  }

  // fabric8 offers only v4.channel.k8s.io: the API server translates only v5, so it passes these
  // through to the kubelet API as a WebSocket upgrade (Javalin answered 404 before it was served).

  @Test
  void fabric8ExecOverWebSocketRunsACommandWithItsArgumentsAsGiven() throws Exception {
    try (ExecWatch watch =
        podLog().inContainer("main").redirectingOutput().exec("echo", "a  b", "it's")) {
      String out = new String(watch.getOutput().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(out).isEqualTo("a  b it's\n");
      assertThat(watch.exitCode().get(TIMEOUT, TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void fabric8ExecOverWebSocketReportsANonZeroExitCodeWithStderrInTheOutput() throws Exception {
    // A redirected output fails its reader on a non-zero exit (fabric8's choice): written instead,
    // and read once the WebSocket has closed (every message before the close has been handled).
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    try (ExecWatch watch =
        podLog()
            .inContainer("main")
            .writingOutput(out)
            .usingListener(
                new io.fabric8.kubernetes.client.dsl.ExecListener() {
                  @Override
                  public void onClose(int code, String reason) {
                    closed.countDown();
                  }
                })
            .exec("ls", "/no/such/dir")) {

      assertThat(watch.exitCode().get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(2);
      assertThat(closed.await(TIMEOUT, TimeUnit.SECONDS)).as("the WebSocket closed").isTrue();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .isEqualTo("ls: cannot access '/no/such/dir': No such file or directory\n");
    }
  }

  @Test
  void fabric8ExecOverWebSocketWithStdinGivesTheSameOutputAsKubectlOverSpdy() throws Exception {
    Run spdy = kubectl("some input\n", "exec", "-i", "talker", "--", "hostname");
    try (ExecWatch watch =
        podLog().inContainer("main").redirectingInput().redirectingOutput().exec("hostname")) {
      watch.getInput().write("some input\n".getBytes(StandardCharsets.UTF_8));
      watch.getInput().flush();
      String out = new String(watch.getOutput().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(watch.exitCode().get(TIMEOUT, TimeUnit.SECONDS)).isZero();
      assertThat(spdy.exit()).as(spdy.toString()).isZero();
      assertThat(out).isNotBlank().doesNotContain("some input").isEqualTo(spdy.out());
    }
  }

  @Test
  void fabric8ExecWithATerminalKeepsItsCrLfAndTakesAResize() throws Exception {
    try (ExecWatch watch =
        podLog().inContainer("main").redirectingOutput().withTTY().exec("echo", "a  b")) {
      // The first size is what ACI's terminal is opened with; ACI cannot resize later.
      watch.resize(100, 40);
      String out = new String(watch.getOutput().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(out).isEqualTo("a  b\r\n");
      assertThat(watch.exitCode().get(TIMEOUT, TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void theFirstTerminalSizeIsTheOneAciIsAskedForAndLaterResizesAreIgnored() throws Exception {
    int before = emulator.execRequests().size();
    try (ExecWatch watch =
        podLog().inContainer("main").redirectingOutput().withTTY().exec("echo", "sized")) {
      watch.resize(111, 33); // columns, rows
      watch.resize(50, 10); // ACI cannot resize a session: no second request, no error
      String out = new String(watch.getOutput().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(out).isEqualTo("sized\r\n");
      assertThat(watch.exitCode().get(TIMEOUT, TimeUnit.SECONDS)).isZero();
    }

    List<io.github.acivirtualnode.aciemulator.ExecRequest> all = emulator.execRequests();
    assertThat(all.subList(before, all.size()))
        .singleElement()
        .satisfies(
            request -> {
              assertThat(request.rows()).isEqualTo(33);
              assertThat(request.cols()).isEqualTo(111);
            });
  }

  @Test
  void aBase64WebSocketClientGetsTheOutputAsText() throws Exception {
    String token = tokenOf(serviceAccount("base64-client", true));
    List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.CompletableFuture<Integer> closed =
        new java.util.concurrent.CompletableFuture<>();
    StringBuilder partial = new StringBuilder();

    java.net.http.WebSocket socket =
        direct
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + token)
            .subprotocols("nonsense", "base64.channel.k8s.io", "v4.channel.k8s.io")
            .buildAsync(
                URI.create(
                    "wss://127.0.0.1:"
                        + kubelet.port()
                        + "/exec/"
                        + namespace
                        + "/talker/main?command=echo&command=a%20%20b&output=1&error=1"),
                new java.net.http.WebSocket.Listener() {
                  @Override
                  public java.util.concurrent.CompletionStage<?> onText(
                      java.net.http.WebSocket ws, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                      messages.add(partial.toString());
                      partial.setLength(0);
                    }
                    ws.request(1);
                    return null;
                  }

                  @Override
                  public java.util.concurrent.CompletionStage<?> onClose(
                      java.net.http.WebSocket ws, int status, String reason) {
                    closed.complete(status);
                    return null;
                  }

                  @Override
                  public void onError(java.net.http.WebSocket ws, Throwable error) {
                    closed.completeExceptionally(error);
                  }
                })
            .get(TIMEOUT, TimeUnit.SECONDS);

    assertThat(socket.getSubprotocol()).isEqualTo("base64.channel.k8s.io");
    assertThat(closed.get(TIMEOUT, TimeUnit.SECONDS)).isEqualTo(1000);
    StringBuilder stdout = new StringBuilder();
    StringBuilder error = new StringBuilder();
    for (String m : messages) {
      String data =
          new String(java.util.Base64.getDecoder().decode(m.substring(1)), StandardCharsets.UTF_8);
      (m.charAt(0) == '1' ? stdout : error).append(data);
    }
    assertThat(messages.get(0)).as("the opening: an empty message on stdout").isEqualTo("1");
    assertThat(stdout.toString()).isEqualTo("a  b\n");
    assertThat(error.toString()).as("the older protocols say nothing on success").isEmpty();
  }

  @Test
  void webSocketRefusalsBeforeTheUpgradeSayWhyInAStatus() throws Exception {
    String token = tokenOf(serviceAccount("ws-executor", true));
    String base = "/exec/" + namespace + "/talker/";

    String unknownProtocol =
        webSocketUpgrade(base + "main?command=ls&output=1", token, "v3.channel.k8s.io");
    String noContainer =
        webSocketUpgrade(base + "nosuch?command=ls&output=1", token, "v4.channel.k8s.io");
    String noStream = webSocketUpgrade(base + "main?command=ls", token, "v4.channel.k8s.io");
    String forbidden =
        webSocketUpgrade(
            base + "main?command=ls&output=1",
            tokenOf(serviceAccount("ws-nobody", false)),
            "v4.channel.k8s.io");

    assertThat(unknownProtocol)
        .startsWith("HTTP/1.1 403")
        .contains("\"kind\":\"Status\"")
        .contains("unable to negotiate protocol")
        .contains("v4.channel.k8s.io");
    assertThat(noContainer)
        .startsWith("HTTP/1.1 404")
        .contains("container nosuch not found in pod " + namespace + "/talker");
    assertThat(noStream).startsWith("HTTP/1.1 400").contains("at least 1 of stdin, stdout, stderr");
    assertThat(forbidden).startsWith("HTTP/1.1 403").contains("subresource=proxy");
  }

  private record Run(int exit, String out, String err) {}

  private static Run kubectl(String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ControlPlaneBinaries.binary("kubectl").toString());
    command.add("--kubeconfig");
    command.add(kubeconfig.toString());
    command.add("-n");
    command.add(namespace);
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    try (var in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    var err =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    String out = readAll(process.getInputStream());
    assertThat(process.waitFor(TIMEOUT, TimeUnit.SECONDS)).as("kubectl ended").isTrue();
    return new Run(process.exitValue(), out, err.get(TIMEOUT, TimeUnit.SECONDS));
  }

  private static String readAll(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String upgrade(String path, String token, boolean spdy) throws Exception {
    return upgrade(path, token, spdy, "v5.channel.k8s.io");
  }

  /** A raw upgrade request (the JDK's client does not send Upgrade): the answer's head and body. */
  private static String upgrade(String path, String token, boolean spdy, String protocol)
      throws Exception {
    try (SSLSocket socket =
        (SSLSocket) kubeletTrust.getSocketFactory().createSocket("127.0.0.1", kubelet.port())) {
      socket.setSoTimeout(30_000);
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
              + token
              + "\r\n"
              + (spdy ? "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\n" : "")
              + "X-Stream-Protocol-Version: "
              + protocol
              + "\r\nContent-Length: 0\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      int n;
      while ((n = socket.getInputStream().read(buffer)) > 0) {
        answer.write(buffer, 0, n);
        String sofar = answer.toString(StandardCharsets.UTF_8);
        int head = sofar.indexOf("\r\n\r\n");
        Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(sofar);
        if (head >= 0
            && length.find()
            && answer.size() >= head + 4 + Integer.parseInt(length.group(1))) {
          break;
        }
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  /** A raw WebSocket upgrade request: the answer's head and body. */
  private static String webSocketUpgrade(String path, String token, String protocol)
      throws Exception {
    try (SSLSocket socket =
        (SSLSocket) kubeletTrust.getSocketFactory().createSocket("127.0.0.1", kubelet.port())) {
      socket.setSoTimeout(30_000);
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
              + token
              + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: "
              + protocol
              + "\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      int n;
      while ((n = socket.getInputStream().read(buffer)) > 0) {
        answer.write(buffer, 0, n);
        String sofar = answer.toString(StandardCharsets.UTF_8);
        int head = sofar.indexOf("\r\n\r\n");
        Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(sofar);
        if (head >= 0
            && length.find()
            && answer.size() >= head + 4 + Integer.parseInt(length.group(1))) {
          break;
        }
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  /** Reads a terminal's output into screen until it holds text (or the stream ends). */
  private static void readUntil(
      java.io.InputStream in, java.io.ByteArrayOutputStream screen, String text) throws Exception {
    java.util.concurrent.CompletableFuture.runAsync(
            () -> {
              try {
                int b;
                while (!screen.toString(StandardCharsets.UTF_8).contains(text)
                    && (b = in.read()) >= 0) {
                  screen.write(b);
                }
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })
        .get(TIMEOUT, TimeUnit.SECONDS);
    assertThat(screen.toString(StandardCharsets.UTF_8)).as("the terminal showed it").contains(text);
  }

  /** The commands ACI was asked to run since the first {@code before} exec requests. */
  private static List<String> commandsSince(int before) {
    List<io.github.acivirtualnode.aciemulator.ExecRequest> all = emulator.execRequests();
    return all.subList(before, all.size()).stream()
        .map(io.github.acivirtualnode.aciemulator.ExecRequest::command)
        .toList();
  }

  private static io.fabric8.kubernetes.client.dsl.PodResource podLog() {
    return client.pods().inNamespace(namespace).withName("talker");
  }

  private static int heartbeatsSoFar() {
    return (int) podLog().getLog().lines().filter(l -> HEARTBEAT.matcher(l).matches()).count();
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + kubelet.port() + path))
            .timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return direct.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String serviceAccount(String name, boolean mayProxy) {
    return KubeletCallers.serviceAccount(
        client,
        namespace,
        name,
        mayProxy ? List.of("nodes/proxy") : List.of(),
        List.of("get", "create"));
  }

  private static String tokenOf(String serviceAccount) {
    return KubeletCallers.tokenOf(client, namespace, serviceAccount);
  }

  private static VirtualNode virtualNode() {
    VirtualNode vn = new VirtualNode();
    vn.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("it-kubelet-" + UUID.randomUUID().toString().substring(0, 6))
            .build());
    AzureSettings azure = new AzureSettings();
    azure.setSubscriptionId(SUBSCRIPTION);
    azure.setResourceGroup(RESOURCE_GROUP);
    azure.setRegion("westeurope");
    azure.setEndpoint(emulator.baseUrl());
    AzureCredentials credentials = new AzureCredentials();
    AzureCredentials.SecretReference ref = new AzureCredentials.SecretReference();
    ref.setName("aci-credentials");
    credentials.setSecretRef(ref);
    azure.setCredentials(credentials);
    VirtualNodeSpec spec = new VirtualNodeSpec();
    spec.setAzure(azure);
    vn.setSpec(spec);
    return vn;
  }
}
