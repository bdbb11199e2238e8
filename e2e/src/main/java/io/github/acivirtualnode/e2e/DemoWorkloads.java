package io.github.acivirtualnode.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The sample workloads of the local demo, shared with the end-to-end test so that the test proves
 * exactly what the demo shows: which files from {@code samples/} are applied, and when they count
 * as running.
 */
public final class DemoWorkloads {
  /** Applied in this order, with kubectl, as they are in the repository. */
  public static final List<String> SAMPLES = List.of("samples/pod.yaml", "samples/nginx.yaml");

  public static final String NAMESPACE = "default";
  public static final String POD = "hello-aci";
  public static final String DEPLOYMENT = "nginx";
  public static final String SERVICE = "nginx";

  public static final String VIRTUAL_NODE_SAMPLE = "samples/virtualnode.yaml";
  private static final String REGION_LINE = "    region: westeurope\n";

  private DemoWorkloads() {}

  /**
   * Writes {@code samples/virtualnode.yaml} pointed at an ARM endpoint (the emulator) into {@code
   * dir} and returns the file. The sample itself names no endpoint: a user's points at Azure.
   */
  public static Path virtualNodePointedAt(Path repo, String endpoint, Path dir) throws IOException {
    String sample = Files.readString(repo.resolve(VIRTUAL_NODE_SAMPLE));
    if (!sample.contains(REGION_LINE)) {
      throw new IllegalStateException(
          VIRTUAL_NODE_SAMPLE + " has no '" + REGION_LINE.strip() + "' to add the endpoint after");
    }
    Path pointed = dir.resolve("virtualnode.yaml");
    Files.writeString(
        pointed, sample.replace(REGION_LINE, REGION_LINE + "    endpoint: " + endpoint + "\n"));
    return pointed;
  }

  /** {@code kubectl apply -f} of every file of {@link #SAMPLES}. */
  public static void apply(Kubectl kubectl, Path repo) {
    for (String sample : SAMPLES) {
      kubectl.ok("apply", "-f", repo.resolve(sample).toString());
    }
  }

  /**
   * Waits until the workloads run on {@code nodeName}: every pod Running there with an IP and
   * Ready, the Deployment's replicas all available, no pod beyond them (a terminating one
   * included), the Service's EndpointSlices listing exactly the replicas' IPs as ready, and the
   * container groups exactly one per pod.
   *
   * @param containerGroups the names of the container groups there are now
   * @return what was seen when everything held
   * @throws IllegalStateException after {@code timeout}, naming what did not hold
   */
  public static Snapshot awaitRunning(
      KubernetesClient client,
      String nodeName,
      Supplier<Set<String>> containerGroups,
      Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      Snapshot seen = Snapshot.take(client, containerGroups);
      List<String> problems = seen.problems(nodeName);
      if (problems.isEmpty()) {
        return seen;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "the demo workloads do not run after " + timeout + ": " + String.join("; ", problems));
      }
      Thread.sleep(1000);
    }
  }

  /** The container groups' names in the emulator, from its {@code az container list} table. */
  public static Set<String> containerGroupNames(AciEmulator emulator) {
    // The first two lines are the header and its rule; names never contain spaces.
    return emulator
        .table()
        .lines()
        .skip(2)
        .map(line -> line.split("\\s+", 2)[0])
        .filter(name -> !name.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The workloads' state at one moment.
   *
   * @param pod the sample pod, null if absent
   * @param deployment the sample Deployment, null if absent
   * @param replicas every pod the Deployment selects, terminating ones included
   * @param endpointSlices the Service's EndpointSlices
   * @param containerGroups the names of the container groups there are
   */
  public record Snapshot(
      Pod pod,
      Deployment deployment,
      List<Pod> replicas,
      List<EndpointSlice> endpointSlices,
      Set<String> containerGroups) {

    static Snapshot take(KubernetesClient client, Supplier<Set<String>> containerGroups) {
      Set<String> groups = containerGroups.get();
      Pod pod = client.pods().inNamespace(NAMESPACE).withName(POD).get();
      Deployment deployment =
          client.apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT).get();
      Map<String, String> selector =
          deployment == null ? Map.of() : deployment.getSpec().getSelector().getMatchLabels();
      List<Pod> replicas =
          selector.isEmpty()
              ? List.of()
              : client.pods().inNamespace(NAMESPACE).withLabels(selector).list().getItems();
      List<EndpointSlice> slices =
          client
              .discovery()
              .v1()
              .endpointSlices()
              .inNamespace(NAMESPACE)
              .withLabel("kubernetes.io/service-name", SERVICE)
              .list()
              .getItems();
      return new Snapshot(pod, deployment, replicas, slices, groups);
    }

    /** The sample pod and the replicas. */
    public List<Pod> pods() {
      return Stream.concat(Stream.ofNullable(pod), replicas.stream()).toList();
    }

    /** The IPs the Service's EndpointSlices list as ready. */
    public Set<String> readyEndpointAddresses() {
      return endpointSlices.stream()
          // A slice without endpoints comes back without the list.
          .flatMap(s -> s.getEndpoints() == null ? Stream.empty() : s.getEndpoints().stream())
          .filter(
              e -> e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady()))
          .flatMap(e -> addresses(e).stream())
          .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The replicas' pod IPs. */
    public Set<String> replicaIps() {
      return replicas.stream()
          .map(p -> p.getStatus() == null ? null : p.getStatus().getPodIP())
          .filter(Objects::nonNull)
          .collect(Collectors.toCollection(TreeSet::new));
    }

    /** One container group per pod, by the operator's naming. */
    public Set<String> expectedContainerGroups() {
      return pods().stream()
          .map(GroupNaming::groupName)
          .collect(Collectors.toCollection(TreeSet::new));
    }

    /** What keeps the workloads from counting as running on {@code nodeName}; empty when none. */
    public List<String> problems(String nodeName) {
      List<String> problems = new ArrayList<>();
      if (pod == null) {
        problems.add("pod " + POD + " does not exist");
      }
      if (deployment == null) {
        problems.add("deployment " + DEPLOYMENT + " does not exist");
      } else {
        int desired = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
        var status = deployment.getStatus();
        int available =
            status == null ? 0 : Objects.requireNonNullElse(status.getAvailableReplicas(), 0);
        long observed =
            status == null ? 0 : Objects.requireNonNullElse(status.getObservedGeneration(), 0L);
        if (observed < deployment.getMetadata().getGeneration()) {
          problems.add("deployment " + DEPLOYMENT + " not yet observed at its generation");
        }
        if (available != desired) {
          problems.add(
              "deployment " + DEPLOYMENT + ": " + available + " of " + desired + " available");
        }
        if (replicas.size() != desired) {
          problems.add(
              "deployment " + DEPLOYMENT + ": " + replicas.size() + " pods for " + desired);
        }
      }
      for (Pod p : pods()) {
        String problem = podProblem(p, nodeName);
        if (problem != null) {
          problems.add("pod " + p.getMetadata().getName() + " " + problem);
        }
      }
      if (!readyEndpointAddresses().equals(replicaIps())) {
        problems.add(
            "service "
                + SERVICE
                + " lists "
                + readyEndpointAddresses()
                + " as ready, the replicas have "
                + replicaIps());
      }
      if (!containerGroups.equals(expectedContainerGroups())) {
        problems.add(
            "container groups "
                + containerGroups
                + ", one per pod would be "
                + expectedContainerGroups());
      }
      return problems;
    }

    private static String podProblem(Pod p, String nodeName) {
      if (p.getMetadata().getDeletionTimestamp() != null) {
        return "is terminating";
      }
      if (!nodeName.equals(p.getSpec().getNodeName())) {
        return "is on node " + p.getSpec().getNodeName() + ", not " + nodeName;
      }
      var status = p.getStatus();
      if (status == null || !"Running".equals(status.getPhase())) {
        return "is "
            + (status == null ? "without status" : status.getPhase())
            + (status == null || status.getReason() == null ? "" : " (" + status.getReason() + ")");
      }
      if (status.getPodIP() == null || status.getPodIP().isBlank()) {
        return "has no IP";
      }
      boolean ready =
          status.getConditions() != null
              && status.getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      return ready ? null : "is not Ready";
    }

    private static List<String> addresses(Endpoint endpoint) {
      return endpoint.getAddresses() == null ? List.of() : endpoint.getAddresses();
    }
  }
}
