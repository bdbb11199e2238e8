package io.github.acivirtualnode.operator.pod;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.github.acivirtualnode.aciemulator.ArmRequestCount;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.controlplane.TestNamespace;
import io.github.acivirtualnode.operator.translation.PodStatusTranslator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * A corpus of invalid and hostile pods ({@code src/test/resources/bad-input/pods/}, each file's
 * first line says what must happen to it) sent to the real API server with the operator running:
 * each is refused by the API server naming the field, or fails with {@code ProviderFailed} and a
 * message naming it, or waits with {@code CreateContainerConfigError} naming what is missing. None
 * gets a container group, and only those that ACI alone can judge (its own limits) cost a PUT, one;
 * afterwards the operator stays quiet (no status rewritten, no ARM write), stays alive, and the
 * Secret value the pods point at is in no Event, status or log line. The VirtualNode side of the
 * corpus is crds' {@code manifests/invalid/} (VirtualNodeCrdIT) and the credential cases of
 * VirtualNodeIT.
 */
@ExtendWith(KubernetesClusterExtension.class)
class BadInputIT {
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000dd";
  private static final Pattern EXPECT =
      Pattern.compile("# expect: (refused|failed|waiting) (?:(CreateContainerConfigError) )?(.+)");
  private static final Pattern BIG = Pattern.compile("BIG:(\\d+)");
  private static final String PLANTED = "planted-" + UUID.randomUUID();

  /** Long enough for several status lists, probes and retries of a waiting pod. */
  private static final Duration QUIET = Duration.ofSeconds(12);

  private static PodFixture fx;
  private static KubernetesClient client;
  private static final ListAppender<ILoggingEvent> LOGGED = new ListAppender<>();

  record Case(String file, String kind, String reason, String fragment, String yaml) {}

  /** What became of a case. */
  record Outcome(String kind, String reason, String message) {
    @Override
    public String toString() {
      return kind + (reason == null ? "" : " " + reason) + ": " + message;
    }
  }

  @BeforeAll
  static void start(KubernetesClient kubernetes) {
    client = kubernetes;
    LOGGED.start();
    root().addAppender(LOGGED);
    fx = PodFixture.start(kubernetes, SUBSCRIPTION, 100);
  }

  @AfterAll
  static void stop() {
    try {
      if (fx != null) {
        fx.close();
      }
    } finally {
      root().detachAppender(LOGGED);
    }
  }

  @Test
  void everyBadPodIsRefusedOrAnsweredWithAClearReasonAndTheOperatorStaysCalm(TestNamespace ns)
      throws Exception {
    client
        .secrets()
        .inNamespace(ns.name())
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("planted")
                .endMetadata()
                .addToStringData("password", PLANTED)
                .build())
        .create();
    client
        .configMaps()
        .inNamespace(ns.name())
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("cfg")
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();
    List<Case> corpus = corpus();
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(50);

    Map<Case, Outcome> outcomes = new LinkedHashMap<>();
    Map<Case, Pod> created = new LinkedHashMap<>();
    for (Case c : corpus) {
      try {
        Pod pod = Serialization.unmarshal(c.yaml(), Pod.class);
        created.put(c, client.pods().inNamespace(ns.name()).resource(pod).create());
      } catch (KubernetesClientException e) {
        outcomes.put(c, new Outcome("refused", String.valueOf(e.getCode()), e.getMessage()));
      }
    }
    PodFixture.awaitTrue(
        "every created pod has failed or waits with a reason",
        () -> {
          created.forEach((c, pod) -> outcome(pod).ifPresent(o -> outcomes.put(c, o)));
          return outcomes.size() == corpus.size();
        });

    List<String> wrong = new ArrayList<>();
    for (Case c : corpus) {
      Outcome o = outcomes.get(c);
      boolean ok =
          o.kind().equals(c.kind())
              && o.message() != null
              && o.message().contains(c.fragment())
              && switch (c.kind()) {
                // Invalid (422), or forbidden by an admission plugin (403).
                case "refused" -> o.reason().equals("422") || o.reason().equals("403");
                case "failed" -> o.reason().equals(PodStatusTranslator.PROVIDER_FAILED);
                default -> o.reason().equals(c.reason());
              };
      if (!ok) {
        wrong.add(c.file() + ": expected " + c.kind() + " naming '" + c.fragment() + "', got " + o);
      }
    }
    assertThat(wrong).as("cases answered otherwise than their file says").isEmpty();

    // Each pod the operator failed has a Warning Event saying why, and no pod got a group.
    List<Event> events = client.v1().events().inNamespace(ns.name()).list().getItems();
    created.forEach(
        (c, pod) -> {
          if (c.kind().equals("failed")) {
            assertThat(events)
                .as("%s: a Warning Event", c.file())
                .anyMatch(
                    e ->
                        pod.getMetadata().getUid().equals(e.getInvolvedObject().getUid())
                            && "Warning".equals(e.getType())
                            && PodStatusTranslator.PROVIDER_FAILED.equals(e.getReason()));
          }
          assertThat(fx.groupsOf(pod.getMetadata().getUid())).as(c.file()).isEmpty();
        });

    // Quiet afterwards: no status rewritten, no container group written.
    Map<Case, String> versions = new LinkedHashMap<>();
    created.forEach((c, pod) -> versions.put(c, current(pod).getMetadata().getResourceVersion()));
    long writesBefore = armWrites();
    Thread.sleep(QUIET.toMillis());
    created.forEach(
        (c, pod) ->
            assertThat(current(pod).getMetadata().getResourceVersion())
                .as("%s: its status is not rewritten again and again", c.file())
                .isEqualTo(versions.get(c)));
    // One PUT for each pod only ACI could judge (its own limits), none for the others.
    long askedAci =
        outcomes.values().stream()
            .filter(o -> o.message().contains("ACI refused the container group"))
            .count();
    assertThat(askedAci).isPositive();
    assertThat(writesBefore).as("container group writes").isEqualTo(askedAci);
    assertThat(armWrites()).as("container group writes while quiet").isEqualTo(writesBefore);
    assertThat(fx.liveness().ok()).as("operator liveness: %s", fx.liveness().text()).isTrue();

    // The planted Secret value is nowhere a user or a log collector would see it.
    assertThat(client.v1().events().inNamespace(ns.name()).list().getItems())
        .extracting(Serialization::asJson)
        .noneMatch(json -> json.contains(PLANTED));
    created.values().stream()
        .map(BadInputIT::current)
        .map(p -> Serialization.asJson(p.getStatus()))
        .forEach(status -> assertThat(status).doesNotContain(PLANTED));
    assertThat(Serialization.asJson(current(fx.node()).getStatus())).doesNotContain(PLANTED);
    List<ILoggingEvent> logged;
    synchronized (LOGGED) {
      logged = List.copyOf(LOGGED.list);
    }
    assertThat(logged).isNotEmpty();
    assertThat(logged)
        .noneMatch(
            e ->
                e.getFormattedMessage().contains(PLANTED)
                    || (e.getThrowableProxy() != null
                        && ThrowableProxyUtil.asString(e.getThrowableProxy()).contains(PLANTED)));
  }

  /** Failed, or a container waiting with a reason that is not the ordinary ContainerCreating. */
  private static Optional<Outcome> outcome(Pod pod) {
    Pod now = current(pod);
    if (now == null || now.getStatus() == null) {
      return Optional.empty();
    }
    if ("Failed".equals(now.getStatus().getPhase())) {
      return Optional.of(
          new Outcome("failed", now.getStatus().getReason(), now.getStatus().getMessage()));
    }
    if ("Running".equals(now.getStatus().getPhase())) {
      return Optional.of(new Outcome("running", null, "a group was made"));
    }
    List<ContainerStatus> statuses = now.getStatus().getContainerStatuses();
    if (statuses == null) {
      return Optional.empty();
    }
    return statuses.stream()
        .filter(s -> s.getState() != null && s.getState().getWaiting() != null)
        .map(s -> s.getState().getWaiting())
        .filter(w -> w.getReason() != null && !w.getReason().equals("ContainerCreating"))
        .findFirst()
        .map(w -> new Outcome("waiting", w.getReason(), w.getMessage()));
  }

  private static <T extends HasMetadata> T current(T resource) {
    return client.resource(resource).get();
  }

  /** Container group PUTs and PATCHes the emulator received for this class's subscription. */
  private static long armWrites() {
    return fx.emulator.armRequests().stream()
        .filter(r -> SUBSCRIPTION.equals(r.subscriptionId()))
        .filter(
            r ->
                r.operation().equals("ContainerGroups_CreateOrUpdate")
                    || r.operation().equals("ContainerGroups_Update"))
        .mapToLong(ArmRequestCount::count)
        .sum();
  }

  private static List<Case> corpus() throws IOException, URISyntaxException {
    Path dir = Path.of(BadInputIT.class.getResource("/bad-input/pods").toURI());
    List<Case> cases = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Matcher expect = EXPECT.matcher(text.lines().findFirst().orElse(""));
        assertThat(expect.matches()).as("%s starts with '# expect: ...'", file).isTrue();
        String yaml = text.replace("nodeName: NODE", "nodeName: " + fx.node().nodeName());
        Matcher big = BIG.matcher(yaml);
        if (big.find()) {
          yaml = big.replaceFirst("x".repeat(Integer.parseInt(big.group(1))));
        }
        String name = file.getFileName().toString().replaceFirst("\\.yaml$", "");
        cases.add(new Case(name, expect.group(1), expect.group(2), expect.group(3), yaml));
      }
    }
    return cases;
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
