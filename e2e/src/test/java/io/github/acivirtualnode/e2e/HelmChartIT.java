package io.github.acivirtualnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.acivirtualnode.controlplane.ControlPlaneBinaries;
import io.github.acivirtualnode.controlplane.KubernetesCluster;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Helm chart in deploy/helm/aci-virtual-node, checked with helm itself (built from its Go
 * module): lint, the objects it renders against the kustomize base's, the API server's dry run of
 * what it renders, and its refusal of bad values.
 */
@ExtendWith(KubernetesClusterExtension.class)
class HelmChartIT {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final Path CHART = REPO.resolve("deploy/helm/aci-virtual-node");
  private static final Path GENERATED_CRDS = REPO.resolve("deploy/crds");
  private static final String RELEASE = "aci-virtual-node";
  private static final String NAMESPACE = "aci-virtual-node";

  /** The labels Helm's conventions add, the only difference allowed from the kustomize base. */
  private static final Set<String> HELM_LABELS =
      Set.of(
          "helm.sh/chart",
          "app.kubernetes.io/managed-by",
          "app.kubernetes.io/instance",
          "app.kubernetes.io/version");

  private static final String TENANT = "44444444-4444-4444-4444-444444444444";
  private static final String CLIENT_ID = "55555555-5555-5555-5555-555555555555";
  private static final String CLIENT_SECRET = "helm-test-secret";

  private static Path work;
  private static Helm helm;
  private static boolean clusterPrepared;

  @BeforeAll
  static void setUp() throws IOException {
    work = Files.createTempDirectory("avn-helm");
    helm = new Helm(REPO, work.resolve("helm-home"));
  }

  @Test
  void helmLintStrictFindsNothing() throws IOException {
    GoTool.Result lint = helm.run("lint", "--strict", CHART.toString());
    assertThat(lint.exit()).as(lint.both()).isZero();
    assertThat(lint.out()).contains("1 chart(s) linted, 0 chart(s) failed");
    assertThat(lint.out() + lint.err()).doesNotContain("[WARNING]").doesNotContain("[ERROR]");
    // The same with every optional part switched on.
    GoTool.Result full =
        helm.run("lint", "--strict", CHART.toString(), "-f", fullValues().toString());
    assertThat(full.exit()).as(full.both()).isZero();
    assertThat(full.out() + full.err()).doesNotContain("[WARNING]").doesNotContain("[ERROR]");
  }

  @Test
  void theChartsCrdsAreTheGeneratedOnesByteForByte() throws IOException {
    List<String> generated = fileNames(GENERATED_CRDS);
    assertThat(generated).isNotEmpty();
    assertThat(fileNames(CHART.resolve("crds")))
        .as("deploy/helm/aci-virtual-node/crds/ holds exactly the files of deploy/crds/")
        .isEqualTo(generated);
    for (String name : generated) {
      assertThat(Files.mismatch(GENERATED_CRDS.resolve(name), CHART.resolve("crds").resolve(name)))
          .as(
              "the chart's copy of %s differs from the generated one; the crds build regenerated"
                  + " it: cp deploy/crds/%s deploy/helm/aci-virtual-node/crds/",
              name, name)
          .isEqualTo(-1L);
    }
  }

  @Test
  void withDefaultValuesItRendersWhatKustomizeRendersBesidesHelmsLabels(KubernetesCluster cluster) {
    List<Map<String, Object>> kustomized =
        Manifests.parse(kubectl(cluster).ok("kustomize", REPO.resolve("deploy").toString()));
    List<Map<String, Object>> rendered = Manifests.parse(template());

    Map<String, Map<String, Object>> expected = Manifests.byId(kustomized);
    Map<String, Map<String, Object>> actual = Manifests.byId(rendered);
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    // Every object that differs is reported, not only the first.
    SoftAssertions softly = new SoftAssertions();
    for (Map.Entry<String, Map<String, Object>> e : actual.entrySet()) {
      Map<String, Object> helmObject = e.getValue();
      Map<String, Object> kustomizeObject = Manifests.copy(expected.get(e.getKey()));
      if ("CustomResourceDefinition".equals(helmObject.get("kind"))) {
        // Helm applies crds/ as they are, untemplated: neither Helm's labels nor kustomize's
        // part-of label can be on them. The CRD is the generated file itself (checked above).
        labels(kustomizeObject).remove("app.kubernetes.io/part-of");
        if (labels(kustomizeObject).isEmpty()) {
          Manifests.map(kustomizeObject, "metadata").remove("labels");
        }
      } else {
        softly
            .assertThat(labels(helmObject))
            .as("%s carries Helm's labels", e.getKey())
            .containsEntry("app.kubernetes.io/managed-by", "Helm")
            .containsEntry("app.kubernetes.io/instance", RELEASE)
            .containsKeys("helm.sh/chart", "app.kubernetes.io/version");
      }
      softly
          .assertThat(Manifests.canonical(withoutHelmLabels(helmObject)))
          .as("%s: helm template (actual) against kubectl kustomize deploy/ (expected)", e.getKey())
          .isEqualTo(Manifests.canonical(kustomizeObject));
    }
    softly.assertAll();
  }

  @Test
  void withDefaultValuesTheRenderedManifestsPassAServerSideDryRun(KubernetesCluster cluster)
      throws IOException {
    List<Map<String, Object>> objects = dryRun(cluster, template());
    assertThat(objects).extracting(o -> o.get("kind")).doesNotContain("Secret", "VirtualNode");
  }

  @Test
  void virtualNodesAndChartMadeCredentialsRenderValidObjects(KubernetesCluster cluster)
      throws IOException {
    List<Map<String, Object>> objects =
        dryRun(cluster, template("-f", fullValues().toString(), "--set", "replicas=1"));
    Map<String, Map<String, Object>> byId = Manifests.byId(objects);

    // The Secret README's quickstart creates by hand, with the keys the operator reads.
    Map<String, Object> secret = byId.get("v1 Secret " + NAMESPACE + "/aci-credentials");
    assertThat(secret).as("the credentials Secret").isNotNull();
    assertThat(decoded(Manifests.map(secret, "data")))
        .isEqualTo(
            Map.of("tenantId", TENANT, "clientId", CLIENT_ID, "clientSecret", CLIENT_SECRET));

    // A VirtualNode without credentials names that Secret; one with its own keeps them.
    Map<String, Object> westeurope =
        byId.get("acivirtualnode.github.io/v1alpha1 VirtualNode -/aci-helm-westeurope");
    assertThat(Manifests.path(westeurope, "spec", "azure", "credentials"))
        .isEqualTo(Map.of("secretRef", Map.of("name", "aci-credentials")));
    assertThat(Manifests.path(westeurope, "metadata", "labels")).containsEntry("team", "burst");
    assertThat(Manifests.path(westeurope, "spec", "capacity"))
        .isEqualTo(Map.of("cpu", "100", "memory", "400Gi", "pods", "500"));
    Map<String, Object> windows =
        byId.get("acivirtualnode.github.io/v1alpha1 VirtualNode -/aci-helm-windows");
    assertThat(Manifests.path(windows, "spec", "azure", "credentials"))
        .isEqualTo(
            Map.of("workloadIdentity", Map.of("clientId", "22222222-2222-2222-2222-222222222222")));
    assertThat(Manifests.path(windows, "metadata", "annotations"))
        .isEqualTo(Map.of("example.com/owner", "platform"));

    // The Deployment: one replica, so no PodDisruptionBudget (it would block every drain); the
    // image, pull policy, pull Secret, ARM endpoints and extra settings from the values.
    assertThat(byId)
        .doesNotContainKey("policy/v1 PodDisruptionBudget " + NAMESPACE + "/" + RELEASE);
    Map<String, Object> deployment = byId.get("apps/v1 Deployment " + NAMESPACE + "/" + RELEASE);
    assertThat(Manifests.map(deployment, "spec")).containsEntry("replicas", 1);
    Map<String, Object> pod = Manifests.path(deployment, "spec", "template", "spec");
    assertThat(Manifests.list(pod, "imagePullSecrets"))
        .isEqualTo(List.of(Map.of("name", "registry-login")));
    Map<String, Object> container = Manifests.list(pod, "containers").get(0);
    assertThat(container)
        .containsEntry("image", "registry.example.com/avn/operator:1.2.3")
        .containsEntry("imagePullPolicy", "Always");
    assertThat(Manifests.list(container, "env"))
        .contains(
            Map.of(
                "name",
                "AVN_ALLOWED_ARM_ENDPOINTS",
                "value",
                "https://arm.example.com,https://management.private.example.com"),
            Map.of("name", "AVN_HEALTH_PROBE_SECONDS", "value", "30"));
    assertThat(Manifests.map(container, "resources"))
        .isEqualTo(
            Map.of(
                "requests",
                Map.of("cpu", "200m", "memory", "384Mi"),
                "limits",
                Map.of("memory", "768Mi")));
    // Without the pod references binding, its ClusterRole stays, unbound.
    assertThat(byId)
        .containsKey("rbac.authorization.k8s.io/v1 ClusterRole -/aci-virtual-node-pod-references")
        .doesNotContainKey(
            "rbac.authorization.k8s.io/v1 ClusterRoleBinding -/aci-virtual-node-pod-references");
  }

  @Test
  void anExistingSecretIsNamedByTheVirtualNodesAndNoneIsCreated() {
    List<Map<String, Object>> objects =
        Manifests.parse(
            template(
                "--set",
                "credentials.existingSecret=my-service-principal",
                "--set",
                "virtualNodes[0].name=aci-helm-existing",
                "--set",
                "virtualNodes[0].spec.azure.region=westeurope"));
    assertThat(objects).extracting(o -> o.get("kind")).doesNotContain("Secret");
    Map<String, Object> node =
        objects.stream().filter(o -> "VirtualNode".equals(o.get("kind"))).findFirst().orElseThrow();
    assertThat(Manifests.path(node, "spec", "azure"))
        .isEqualTo(
            Map.of(
                "region",
                "westeurope",
                "credentials",
                Map.of("secretRef", Map.of("name", "my-service-principal"))));
  }

  @Test
  void anotherNamespaceMovesEveryObjectAndSubjectButTheRolesThatMustBeElsewhere() {
    List<Map<String, Object>> objects =
        Manifests.parse(template("--set", "namespace.create=false", "--set", "namespace.name=ops"));
    assertThat(objects).extracting(o -> o.get("kind")).doesNotContain("Namespace");
    for (Map<String, Object> o : objects) {
      Object namespace = Manifests.map(o, "metadata").get("namespace");
      String name = (String) Manifests.map(o, "metadata").get("name");
      if (namespace != null) {
        assertThat(namespace)
            .as(Manifests.id(o))
            .isEqualTo(
                name.equals("aci-virtual-node-client-ca")
                    ? "kube-system"
                    : name.equals("aci-virtual-node-node-leases") ? "kube-node-lease" : "ops");
      }
      for (Map<String, Object> subject : Manifests.list(o, "subjects")) {
        assertThat(subject)
            .as(Manifests.id(o))
            .isEqualTo(
                Map.of("kind", "ServiceAccount", "name", "aci-virtual-node", "namespace", "ops"));
      }
    }
  }

  @Test
  void badValuesFailHelmTemplateWithAMessageNamingThem() {
    assertRefused(List.of("--set", "replicas=0"), "at '/replicas': minimum: got 0, want 1");
    assertRefused(
        List.of(
            "--set",
            "credentials.existingSecret=mine",
            "--set",
            "credentials.tenantId=" + TENANT,
            "--set",
            "credentials.clientId=" + CLIENT_ID,
            "--set",
            "credentials.clientSecret=" + CLIENT_SECRET),
        "credentials: set either existingSecret (mine) or tenantId, clientId and clientSecret,"
            + " not both");
    assertRefused(
        List.of("--set", "credentials.tenantId=" + TENANT),
        "credentials: tenantId, clientId and clientSecret go together; clientId, clientSecret"
            + " missing");
    assertRefused(
        List.of("--set", "allowedArmEndpoints[0]=http://arm.example.com"),
        "at '/allowedArmEndpoints/0': 'http://arm.example.com' does not match pattern");
    assertRefused(List.of("--set", "replica=3"), "additional properties 'replica' not allowed");
    assertRefused(
        List.of("--set", "image.pullPolicy=Sometimes"),
        "at '/image/pullPolicy': value must be one of '', 'Always', 'IfNotPresent', 'Never'");
    assertRefused(
        List.of("--set", "virtualNodes[0].name=no-spec"),
        "at '/virtualNodes/0': missing property 'spec'");
    assertRefused(
        List.of("--set", "virtualNodes[0].name=Not_A_Name", "--set", "virtualNodes[0].spec.os=x"),
        "at '/virtualNodes/0/name'",
        "'Not_A_Name' does not match pattern");
  }

  private static void assertRefused(List<String> args, String... messageParts) {
    List<String> command = new ArrayList<>(List.of("template", RELEASE, CHART.toString()));
    command.addAll(args);
    GoTool.Result result = helm.run(command.toArray(String[]::new));
    assertThat(result.exit()).as("helm template %s: %s", args, result.both()).isNotZero();
    assertThat(result.out()).as("nothing is rendered").isEmpty();
    for (String part : messageParts) {
      assertThat(result.err()).as("helm template %s", args).contains(part);
    }
  }

  /** Values that switch every optional part on. */
  private static Path fullValues() throws IOException {
    Path values = work.resolve("full-values.yaml");
    Files.writeString(
        values,
        String.join(
            "\n",
            "image:",
            "  repository: registry.example.com/avn/operator",
            "  tag: 1.2.3",
            "  pullPolicy: Always",
            "imagePullSecrets: [registry-login]",
            "resources:",
            "  requests: {cpu: 200m, memory: 384Mi}",
            "  limits: {memory: 768Mi}",
            "allowedArmEndpoints:",
            "- https://arm.example.com",
            "- https://management.private.example.com",
            "env:",
            "- {name: AVN_HEALTH_PROBE_SECONDS, value: \"30\"}",
            "credentials:",
            "  tenantId: " + TENANT,
            "  clientId: " + CLIENT_ID,
            "  clientSecret: " + CLIENT_SECRET,
            "rbac:",
            "  podReferences: false",
            "virtualNodes:",
            "- name: aci-helm-westeurope",
            "  labels: {team: burst}",
            "  spec:",
            "    os: Linux",
            "    azure:",
            "      subscriptionId: 00000000-0000-0000-0000-000000000000",
            "      resourceGroup: rg-virtual-nodes",
            "      region: westeurope",
            "    capacity: {cpu: \"100\", memory: 400Gi, pods: \"500\"}",
            "- name: aci-helm-windows",
            "  annotations: {example.com/owner: platform}",
            "  spec:",
            "    nodeName: virtual-node-aci-helm-windows",
            "    os: Windows",
            "    azure:",
            "      subscriptionId: 00000000-0000-0000-0000-000000000000",
            "      resourceGroup: rg-virtual-nodes",
            "      region: northeurope",
            "      credentials:",
            "        workloadIdentity: {clientId: 22222222-2222-2222-2222-222222222222}",
            ""));
    return values;
  }

  /** helm template of the chart with its CRDs, as a user pipes it to kubectl apply. */
  private static String template(String... args) {
    List<String> command =
        new ArrayList<>(List.of("template", RELEASE, CHART.toString(), "--include-crds"));
    command.addAll(List.of(args));
    GoTool.Result result = helm.run(command.toArray(String[]::new));
    assertThat(result.exit()).as("helm %s: %s", command, result.both()).isZero();
    assertThat(result.err()).as("helm template's warnings").isEmpty();
    return result.out();
  }

  /**
   * A server-side dry run of the rendered objects: accepted, without warnings, each of them. The
   * CRD and the namespace must exist for real before the objects in them can be dry-run; they are
   * created as the kustomize base creates them.
   */
  private static List<Map<String, Object>> dryRun(KubernetesCluster cluster, String rendered)
      throws IOException {
    prepareCluster(cluster);
    List<Map<String, Object>> objects = Manifests.parse(rendered);
    Path file = Files.createTempFile(work, "rendered", ".yaml");
    Files.writeString(file, rendered);
    Kubectl.Result dryRun =
        kubectl(cluster).run("apply", "--dry-run=server", "-f", file.toString());
    assertThat(dryRun.exit()).as(dryRun.output()).isZero();
    // A PodSecurity, deprecation or unknown-field warning would show here (stderr is included).
    assertThat(dryRun.output()).doesNotContainIgnoringCase("warning");
    List<String> lines = dryRun.output().strip().lines().toList();
    assertThat(lines).hasSameSizeAs(objects).allMatch(l -> l.endsWith("(server dry run)"));
    for (Map<String, Object> o : objects) {
      String name = (String) Manifests.map(o, "metadata").get("name");
      assertThat(lines).as(Manifests.id(o)).anyMatch(l -> l.contains("/" + name + " "));
    }
    return objects;
  }

  private static synchronized void prepareCluster(KubernetesCluster cluster) throws IOException {
    if (clusterPrepared) {
      return;
    }
    Kubectl kubectl = kubectl(cluster);
    kubectl.ok("apply", "-f", REPO.resolve("deploy/namespace.yaml").toString());
    for (String crd : fileNames(GENERATED_CRDS)) {
      kubectl.ok("apply", "-f", GENERATED_CRDS.resolve(crd).toString());
    }
    kubectl.ok(
        "wait",
        "--for=condition=Established",
        "--timeout=60s",
        "crd/virtualnodes.acivirtualnode.github.io");
    clusterPrepared = true;
  }

  private static Map<String, Object> withoutHelmLabels(Map<String, Object> object) {
    Map<String, Object> copy = Manifests.copy(object);
    labels(copy).keySet().removeAll(HELM_LABELS);
    Map<String, Object> template = Manifests.path(copy, "spec", "template");
    if (!template.isEmpty()) {
      labels(template).keySet().removeAll(HELM_LABELS);
    }
    return copy;
  }

  /** The object's labels, to edit in place (an empty map not in the object when it has none). */
  private static Map<String, Object> labels(Map<String, Object> object) {
    return Manifests.path(object, "metadata", "labels").isEmpty()
        ? new java.util.HashMap<>()
        : Manifests.map(Manifests.map(object, "metadata"), "labels");
  }

  private static Map<String, String> decoded(Map<String, Object> data) {
    Map<String, String> decoded = new java.util.TreeMap<>();
    data.forEach(
        (k, v) ->
            decoded.put(
                k, new String(Base64.getDecoder().decode((String) v), StandardCharsets.UTF_8)));
    return decoded;
  }

  private static List<String> fileNames(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static Kubectl kubectl(KubernetesCluster cluster) {
    return new Kubectl(ControlPlaneBinaries.binary("kubectl"), cluster.kubeconfigFile());
  }
}
