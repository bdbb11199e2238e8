package io.github.acivirtualnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.acivirtualnode.controlplane.ControlPlaneBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The OperatorHub bundle in deploy/olm, validated by the operator framework's own loader and
 * validators (the olm-validate harness on github.com/operator-framework/api), and checked against
 * deploy/ so that the two cannot drift: the CSV's Deployment and RBAC, the CRD, the other objects.
 */
class OlmBundleIT {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final Path DEPLOY = REPO.resolve("deploy");
  private static final Path BUNDLE = DEPLOY.resolve("olm");
  private static final Path MANIFESTS = BUNDLE.resolve("manifests");
  private static final Path CSV = MANIFESTS.resolve("aci-virtual-node.clusterserviceversion.yaml");
  private static final String NAMESPACE = "aci-virtual-node";
  private static final String SERVICE_ACCOUNT = "aci-virtual-node";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theOperatorFrameworksValidatorsFindNoErrorAndNoWarning() throws IOException {
    GoTool.Result result =
        GoTool.run(
            List.of(
                GoTool.binary(REPO, "olm-validate").toString(),
                BUNDLE.toString(),
                kubernetesMinorVersion()),
            Map.of());
    assertThat(result.exit()).as(result.both()).isZero();
    Map<String, Object> report = JSON.readValue(result.out(), new TypeReference<>() {});
    assertThat(report)
        .containsEntry("package", "aci-virtual-node")
        .containsEntry("channels", List.of("candidate"))
        .containsEntry("defaultChannel", "candidate")
        .containsEntry("csv", "aci-virtual-node.v0.1.0")
        .containsEntry("crds", List.of("virtualnodes.acivirtualnode.github.io"));
    // What the loader found in manifests/: every file, read as OLM reads it.
    assertThat(report.get("objects"))
        .isEqualTo(
            List.of(
                "ClusterServiceVersion/aci-virtual-node.v0.1.0",
                "CustomResourceDefinition/virtualnodes.acivirtualnode.github.io",
                "PodDisruptionBudget/aci-virtual-node",
                "Service/aci-virtual-node-kubelet",
                "Service/aci-virtual-node-metrics"));
    assertThat(report.get("findings")).as(result.out()).isEqualTo(List.of());
  }

  @Test
  void theBundlesCrdsAreTheGeneratedOnesByteForByte() throws IOException {
    try (var crds = Files.list(DEPLOY.resolve("crds"))) {
      for (Path crd : crds.toList()) {
        assertThat(Files.mismatch(crd, MANIFESTS.resolve(crd.getFileName())))
            .as(
                "the bundle's copy of %s differs from the generated one; the crds build"
                    + " regenerated it: cp deploy/crds/%s deploy/olm/manifests/",
                crd.getFileName(), crd.getFileName())
            .isEqualTo(-1L);
      }
    }
  }

  @Test
  void theInstallStrategyIsTheDeploymentOfDeploy() {
    Map<String, Object> deployment = Manifests.readOne(DEPLOY.resolve("deployment.yaml"));
    List<Map<String, Object>> deployments = Manifests.list(strategy(), "deployments");
    assertThat(deployments).hasSize(1);
    Map<String, Object> installed = deployments.get(0);
    assertThat(installed.get("name")).isEqualTo(Manifests.map(deployment, "metadata").get("name"));
    assertThat(installed.get("label")).isEqualTo(Manifests.path(deployment, "metadata", "labels"));
    assertThat(Manifests.canonical(installed.get("spec")))
        .as("the CSV's deployment spec against deploy/deployment.yaml's")
        .isEqualTo(Manifests.canonical(deployment.get("spec")));
    // The pod's ServiceAccount is the one the permissions are for, which OLM creates.
    assertThat(Manifests.path(deployment, "spec", "template", "spec"))
        .containsEntry("serviceAccountName", SERVICE_ACCOUNT);
  }

  @Test
  void permissionsAreTheRulesOfTheRolesDeployBindsInTheOperatorsNamespace() {
    assertThat(rulesOf(Manifests.list(strategy(), "permissions")))
        .as("CSV permissions against the Roles deploy/rbac.yaml binds in " + NAMESPACE)
        .isEqualTo(boundRules("RoleBinding", "Role", NAMESPACE));
  }

  @Test
  void clusterPermissionsAreTheRulesOfTheClusterRolesDeployBinds() {
    assertThat(rulesOf(Manifests.list(strategy(), "clusterPermissions")))
        .as("CSV clusterPermissions against the ClusterRoles deploy/rbac.yaml binds")
        .isEqualTo(boundRules("ClusterRoleBinding", "ClusterRole", null));
  }

  @Test
  void theRbacOutsideTheInstallNamespaceIsDeploysAndShippedBesideTheBundle() {
    List<Map<String, Object>> expected =
        Manifests.read(DEPLOY.resolve("rbac.yaml")).stream()
            .filter(o -> isRbacElsewhere(o))
            .toList();
    assertThat(expected).isNotEmpty();
    assertThat(
            Manifests.read(BUNDLE.resolve("rbac-outside-install-namespace.yaml")).stream()
                .map(Manifests::canonical)
                .toList())
        .isEqualTo(expected.stream().map(Manifests::canonical).toList());
  }

  /**
   * Every object of the kustomize base reaches an OLM install one way or another, so that an object
   * added to deploy/ fails here until the bundle (or its README) has it.
   */
  @Test
  void everyObjectOfTheKustomizeBaseIsAccountedFor() throws IOException {
    List<Map<String, Object>> base = new ArrayList<>();
    for (String resource : kustomizeResources()) {
      base.addAll(Manifests.read(DEPLOY.resolve(resource)));
    }
    Map<String, Map<String, Object>> bundled = new LinkedHashMap<>();
    try (var files = Files.list(MANIFESTS)) {
      for (Path file : files.sorted().toList()) {
        Map<String, Object> o = Manifests.readOne(file);
        bundled.put(o.get("kind") + "/" + Manifests.map(o, "metadata").get("name"), o);
      }
    }
    List<String> permissions =
        Manifests.list(strategy(), "permissions").stream()
            .map(p -> (String) p.get("serviceAccountName"))
            .toList();
    for (Map<String, Object> o : base) {
      String kind = (String) o.get("kind");
      Map<String, Object> metadata = Manifests.map(o, "metadata");
      String name = (String) metadata.get("name");
      switch (kind) {
        // The user creates the install namespace (bundle README); OLM creates no Namespace.
        case "Namespace" -> assertThat(name).isEqualTo(NAMESPACE);
        case "ServiceAccount" -> assertThat(permissions).as("OLM creates %s", name).contains(name);
        case "Deployment" ->
            assertThat(Manifests.list(strategy(), "deployments"))
                .extracting(d -> d.get("name"))
                .contains(name);
        case "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding" -> {
          // As rules of permissions and clusterPermissions (checked above), or beside the bundle.
          if (isRbacElsewhere(o)) {
            assertThat(
                    Manifests.read(BUNDLE.resolve("rbac-outside-install-namespace.yaml")).stream()
                        .map(Manifests::id))
                .contains(Manifests.id(o));
          } else {
            assertThat(kind.startsWith("Cluster") || NAMESPACE.equals(metadata.get("namespace")))
                .as("%s %s", kind, name)
                .isTrue();
          }
        }
        case "CustomResourceDefinition" -> assertThat(bundled).containsKey(kind + "/" + name);
        default -> {
          // Anything else is in manifests/ as it is in deploy/, less its namespace (OLM sets it).
          Map<String, Object> expected = Manifests.copy(o);
          Manifests.map(expected, "metadata").remove("namespace");
          assertThat(bundled)
              .as("%s %s in deploy/olm/manifests", kind, name)
              .containsKey(kind + "/" + name);
          assertThat(Manifests.canonical(bundled.get(kind + "/" + name)))
              .as("%s %s in the bundle against deploy/", kind, name)
              .isEqualTo(Manifests.canonical(expected));
        }
      }
    }
  }

  @Test
  void theExampleIsTheSampleVirtualNodeAndTheImageIsTheDeployments() throws IOException {
    Map<String, Object> csv = Manifests.readOne(CSV);
    Map<String, Object> annotations = Manifests.path(csv, "metadata", "annotations");
    List<Map<String, Object>> examples =
        JSON.readValue((String) annotations.get("alm-examples"), new TypeReference<>() {});
    assertThat(examples.stream().map(Manifests::canonical).toList())
        .isEqualTo(
            Manifests.read(REPO.resolve("samples/virtualnode.yaml")).stream()
                .map(Manifests::canonical)
                .toList());
    String image =
        (String)
            Manifests.list(
                    Manifests.path(
                        Manifests.readOne(DEPLOY.resolve("deployment.yaml")),
                        "spec",
                        "template",
                        "spec"),
                    "containers")
                .get(0)
                .get("image");
    assertThat(annotations).containsEntry("containerImage", image);
    assertThat(Manifests.list(Manifests.map(csv, "spec"), "relatedImages"))
        .isEqualTo(List.of(Map.of("name", "operator", "image", image)));
    // The owned CRD is the generated one's group, version and kind.
    Map<String, Object> crd =
        Manifests.readOne(MANIFESTS.resolve("virtualnodes.acivirtualnode.github.io-v1.yml"));
    List<Map<String, Object>> owned =
        Manifests.list(Manifests.path(csv, "spec", "customresourcedefinitions"), "owned");
    assertThat(owned).hasSize(1);
    assertThat(owned.get(0))
        .containsEntry("name", Manifests.map(crd, "metadata").get("name"))
        .containsEntry("kind", Manifests.path(crd, "spec", "names").get("kind"))
        .containsEntry(
            "version", Manifests.list(Manifests.map(crd, "spec"), "versions").get(0).get("name"));
  }

  @Test
  void theBundleImagesLabelsAreTheAnnotationsFile() throws IOException {
    Map<String, Object> annotations =
        Manifests.map(
            Manifests.readOne(BUNDLE.resolve("metadata/annotations.yaml")), "annotations");
    Map<String, String> labels = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("(?m)^LABEL (\\S+)=(\\S+)$")
            .matcher(Files.readString(BUNDLE.resolve("bundle.Dockerfile")));
    while (m.find()) {
      labels.put(m.group(1), m.group(2));
    }
    assertThat(labels).isEqualTo(annotations);
  }

  /** The CSV's install strategy spec (permissions, clusterPermissions, deployments). */
  private static Map<String, Object> strategy() {
    Map<String, Object> install = Manifests.path(Manifests.readOne(CSV), "spec", "install");
    assertThat(install).containsEntry("strategy", "deployment");
    return Manifests.map(install, "spec");
  }

  /** The rules of permissions entries, all for the operator's ServiceAccount. */
  private static List<Object> rulesOf(List<Map<String, Object>> permissions) {
    assertThat(permissions)
        .extracting(p -> p.get("serviceAccountName"))
        .containsOnly(SERVICE_ACCOUNT);
    return permissions.stream()
        .flatMap(p -> ((List<?>) p.get("rules")).stream())
        .map(r -> (Object) r)
        .toList();
  }

  /**
   * The rules of the roles that bindings of deploy/rbac.yaml give the operator's ServiceAccount, in
   * the file's order of the bindings: in {@code namespace}, or cluster-wide when null.
   */
  private static List<Object> boundRules(String bindingKind, String roleKind, String namespace) {
    List<Map<String, Object>> rbac = Manifests.read(DEPLOY.resolve("rbac.yaml"));
    List<Object> rules = new ArrayList<>();
    for (Map<String, Object> binding : rbac) {
      Map<String, Object> metadata = Manifests.map(binding, "metadata");
      if (!bindingKind.equals(binding.get("kind"))
          || (namespace != null && !namespace.equals(metadata.get("namespace")))) {
        continue;
      }
      assertThat(Manifests.list(binding, "subjects"))
          .isEqualTo(
              List.of(
                  Map.of(
                      "kind", "ServiceAccount", "name", SERVICE_ACCOUNT, "namespace", NAMESPACE)));
      Map<String, Object> ref = Manifests.map(binding, "roleRef");
      assertThat(ref.get("kind")).isEqualTo(roleKind);
      Map<String, Object> role =
          rbac.stream()
              .filter(o -> roleKind.equals(o.get("kind")))
              .filter(o -> ref.get("name").equals(Manifests.map(o, "metadata").get("name")))
              .filter(
                  o ->
                      namespace == null
                          || namespace.equals(Manifests.map(o, "metadata").get("namespace")))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no " + roleKind + " " + ref.get("name")));
      rules.addAll((List<?>) role.get("rules"));
    }
    assertThat(rules).isNotEmpty();
    return rules;
  }

  /** Roles and RoleBindings of deploy/rbac.yaml in other namespaces than the operator's. */
  private static boolean isRbacElsewhere(Map<String, Object> o) {
    Object namespace = Manifests.map(o, "metadata").get("namespace");
    return Set.of("Role", "RoleBinding").contains(o.get("kind"))
        && namespace != null
        && !NAMESPACE.equals(namespace);
  }

  /** The files deploy/kustomization.yaml lists. */
  @SuppressWarnings("unchecked")
  private static List<String> kustomizeResources() {
    return (List<String>) Manifests.readOne(DEPLOY.resolve("kustomization.yaml")).get("resources");
  }

  /** The Kubernetes version (major.minor) of the control plane's kubectl, the tested one. */
  private static String kubernetesMinorVersion() throws IOException {
    GoTool.Result version =
        GoTool.run(
            List.of(
                ControlPlaneBinaries.binary("kubectl").toString(),
                "version",
                "--client",
                "-o=json"),
            Map.of());
    assertThat(version.exit()).as(version.both()).isZero();
    Map<String, Object> client =
        Manifests.map(JSON.readValue(version.out(), new TypeReference<>() {}), "clientVersion");
    return client.get("major") + "." + client.get("minor");
  }
}
