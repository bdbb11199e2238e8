package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.b64;
import static io.github.acivirtualnode.operator.translation.Fixtures.configMap;
import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.errors;
import static io.github.acivirtualnode.operator.translation.Fixtures.podBuilder;
import static io.github.acivirtualnode.operator.translation.Fixtures.refs;
import static io.github.acivirtualnode.operator.translation.Fixtures.secret;
import static io.github.acivirtualnode.operator.translation.Fixtures.translated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.VolumeProjectionBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VolumeTranslationTest {
  private static final PodReferences REFS =
      refs(
          List.of(secret("tls", Map.of("tls.crt", "CERT", "tls.key", "KEY"))),
          List.of(configMap("cfg", Map.of("app.conf", "a=1"))));

  private static Pod pod(Volume volume, VolumeMount... mounts) {
    return podBuilder(container("app").withVolumeMounts(mounts).build())
        .editSpec()
        .withVolumes(volume)
        .endSpec()
        .build();
  }

  private static VolumeMount mount(String name, String path) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).build();
  }

  @Test
  void emptyDirWithReadOnlyMount() {
    var pod =
        pod(
            new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build(),
            new VolumeMountBuilder()
                .withName("scratch")
                .withMountPath("/tmp/x")
                .withReadOnly(true)
                .build());
    var group = translated(pod).group();
    assertThat(group.volumes())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.name()).isEqualTo("scratch");
              assertThat(v.emptyDir()).isNotNull();
            });
    var m = group.containers().get(0).volumeMounts().get(0);
    assertThat(m.name()).isEqualTo("scratch");
    assertThat(m.mountPath()).isEqualTo("/tmp/x");
    assertThat(m.readOnly()).isTrue();
  }

  @Test
  void emptyDirMemoryAndSizeLimitAreErrors() {
    var pod =
        pod(
            new VolumeBuilder()
                .withName("s")
                .withNewEmptyDir()
                .withMedium("Memory")
                .withSizeLimit(new Quantity("1Gi"))
                .endEmptyDir()
                .build());
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath)
        .containsExactly("spec.volumes[0].emptyDir.medium", "spec.volumes[0].emptyDir.sizeLimit");
  }

  @Test
  void secretVolumeCarriesBase64ValuesOnlyInTheSecretVolume() {
    var pod =
        pod(
            new VolumeBuilder()
                .withName("certs")
                .withNewSecret()
                .withSecretName("tls")
                .withDefaultMode(0644)
                .endSecret()
                .build(),
            mount("certs", "/etc/tls"));
    var group = translated(pod, REFS).group();
    assertThat(group.volumes().get(0).secret())
        .containsExactlyInAnyOrderEntriesOf(Map.of("tls.crt", b64("CERT"), "tls.key", b64("KEY")));
    assertThat(group.containers().get(0).environmentVariables()).isEmpty();
  }

  @Test
  void itemsSelectKeysAndNameFiles() {
    var pod =
        pod(
            new VolumeBuilder()
                .withName("certs")
                .withNewSecret()
                .withSecretName("tls")
                .addNewItem()
                .withKey("tls.crt")
                .withPath("server.pem")
                .endItem()
                .endSecret()
                .build());
    assertThat(translated(pod, REFS).group().volumes().get(0).secret())
        .containsExactly(Map.entry("server.pem", b64("CERT")));
  }

  @Test
  void itemPathsWithDirectoriesModesAndMissingKeysAreErrors() {
    var pod =
        pod(
            new VolumeBuilder()
                .withName("certs")
                .withNewSecret()
                .withSecretName("tls")
                .withDefaultMode(0400)
                .addNewItem()
                .withKey("tls.crt")
                .withPath("sub/server.pem")
                .endItem()
                .addNewItem()
                .withKey("tls.key")
                .withPath("k")
                .withMode(0600)
                .endItem()
                .addNewItem()
                .withKey("nope")
                .withPath("n")
                .endItem()
                .endSecret()
                .build());
    assertThat(errors(pod, REFS))
        .extracting(TranslationError::fieldPath)
        .containsExactly(
            "spec.volumes[0].secret.defaultMode",
            "spec.volumes[0].secret.items[0].path",
            "spec.volumes[0].secret.items[1].mode",
            "spec.volumes[0].secret.items[2].key");
  }

  @Test
  void configMapVolumeBecomesASecretVolume() {
    var cm =
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder(
                configMap("cfg", Map.of("app.conf", "a=1")))
            .withBinaryData(Map.of("logo.png", b64("PNG")))
            .build();
    var pod =
        pod(
            new VolumeBuilder()
                .withName("conf")
                .withNewConfigMap()
                .withName("cfg")
                .endConfigMap()
                .build(),
            mount("conf", "/etc/app"));
    var volume = translated(pod, refs(List.of(), List.of(cm))).group().volumes().get(0);
    assertThat(volume.secret())
        .containsExactlyInAnyOrderEntriesOf(Map.of("app.conf", b64("a=1"), "logo.png", b64("PNG")));
  }

  @Test
  void missingRequiredSourcesAreRetriableAndOptionalOnesEmpty() {
    var required =
        pod(
            new VolumeBuilder()
                .withName("c")
                .withNewConfigMap()
                .withName("nope")
                .endConfigMap()
                .build());
    assertThat(errors(required))
        .extracting(TranslationError::kind)
        .containsExactly(TranslationError.Kind.MISSING_REFERENCE);
    var requiredSecret =
        pod(
            new VolumeBuilder()
                .withName("s")
                .withNewSecret()
                .withSecretName("nope")
                .endSecret()
                .build());
    assertThat(errors(requiredSecret))
        .extracting(TranslationError::fieldPath)
        .containsExactly("spec.volumes[0].secret");
    var optional =
        pod(
            new VolumeBuilder()
                .withName("s")
                .withNewSecret()
                .withSecretName("nope")
                .withOptional(true)
                .endSecret()
                .build(),
            mount("s", "/s"));
    var v = translated(optional).group().volumes().get(0);
    assertThat(v.secret()).isNull();
    assertThat(v.emptyDir()).isNotNull();
  }

  @Test
  void otherVolumeKindsAreTypedErrorsNamingTheVolumeAndItsKind() {
    var otherCsi =
        pod(new VolumeBuilder().withName("h").withNewCsi().withDriver("d").endCsi().build());
    assertThat(errors(otherCsi))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.fieldPath()).isEqualTo("spec.volumes[0].csi.driver");
              assertThat(e.kind()).isEqualTo(TranslationError.Kind.UNSUPPORTED);
              assertThat(e.reason()).startsWith("CSI driver \"d\": ACI mounts Azure Files");
            });
    Map<String, Volume> others =
        Map.of(
            "hostPath",
            new VolumeBuilder()
                .withName("h")
                .withNewHostPath()
                .withPath("/var")
                .endHostPath()
                .build(),
            "nfs",
            new VolumeBuilder()
                .withName("h")
                .withNewNfs()
                .withServer("n")
                .withPath("/x")
                .endNfs()
                .build(),
            "iscsi",
            new VolumeBuilder()
                .withName("h")
                .withNewIscsi()
                .withTargetPortal("p")
                .withIqn("i")
                .withLun(0)
                .endIscsi()
                .build(),
            "ephemeral",
            new VolumeBuilder()
                .withName("h")
                .withNewEphemeral()
                .withNewVolumeClaimTemplate()
                .endVolumeClaimTemplate()
                .endEphemeral()
                .build(),
            "image",
            new VolumeBuilder().withName("h").withNewImage().withReference("x").endImage().build());
    others.forEach(
        (kind, volume) ->
            assertThat(errors(pod(volume)))
                .as(kind)
                .singleElement()
                .satisfies(
                    e -> {
                      assertThat(e.fieldPath()).isEqualTo("spec.volumes[0]." + kind);
                      assertThat(e.kind()).isEqualTo(TranslationError.Kind.UNSUPPORTED);
                      assertThat(e.reason()).contains("\"h\"", "a " + kind + " volume");
                    }));
    var none = pod(new VolumeBuilder().withName("x").build());
    assertThat(errors(none))
        .extracting(TranslationError::fieldPath)
        .containsExactly("spec.volumes[0]");
  }

  @Test
  void theServiceAccountVolumeIsLeftOutWithANotice() {
    var sa =
        new VolumeBuilder()
            .withName("kube-api-access-x7k2p")
            .withNewProjected()
            .addNewSource()
            .withNewServiceAccountToken()
            .withPath("token")
            .withExpirationSeconds(3607L)
            .endServiceAccountToken()
            .endSource()
            .addNewSource()
            .withNewConfigMap()
            .withName("kube-root-ca.crt")
            .endConfigMap()
            .endSource()
            .endProjected()
            .build();
    var pod =
        pod(
            sa,
            new VolumeMountBuilder()
                .withName("kube-api-access-x7k2p")
                .withMountPath("/var/run/secrets/kubernetes.io/serviceaccount")
                .withReadOnly(true)
                .build());
    var t = translated(pod);
    assertThat(t.group().volumes()).isNull();
    assertThat(t.group().containers().get(0).volumeMounts()).isEmpty();
    assertThat(t.notices())
        .extracting(TranslationNotice::fieldPath)
        .containsExactly("spec.volumes[0]");
  }

  @Test
  void mountOptionsAciLacksAreErrors() {
    var pod =
        pod(
            new VolumeBuilder().withName("s").withNewEmptyDir().endEmptyDir().build(),
            new VolumeMountBuilder().withName("s").withMountPath("/a").withSubPath("x").build(),
            new VolumeMountBuilder()
                .withName("s")
                .withMountPath("/b")
                .withSubPathExpr("$(POD)")
                .build(),
            new VolumeMountBuilder()
                .withName("s")
                .withMountPath("/c")
                .withMountPropagation("HostToContainer")
                .build(),
            new VolumeMountBuilder()
                .withName("s")
                .withMountPath("/d")
                .withRecursiveReadOnly("Enabled")
                .withReadOnly(true)
                .build(),
            new VolumeMountBuilder().withName("s").withMountPath("C:/e").build(),
            new VolumeMountBuilder().withName("unknown").withMountPath("/f").build());
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath)
        .containsExactly(
            "spec.containers[0].volumeMounts[0].subPath",
            "spec.containers[0].volumeMounts[1].subPathExpr",
            "spec.containers[0].volumeMounts[2].mountPropagation",
            "spec.containers[0].volumeMounts[3].recursiveReadOnly",
            "spec.containers[0].volumeMounts[4].mountPath",
            "spec.containers[0].volumeMounts[5].name");
  }

  @Test
  void windowsNodesMountNoVolumes() {
    var node = NodeContext.of(OperatingSystemTypes.WINDOWS, "r", "c", "vn-1", null);
    var pod = pod(new VolumeBuilder().withName("s").withNewEmptyDir().endEmptyDir().build());
    var result =
        (TranslationResult.Rejected) PodTranslator.translate(pod, PodReferences.none(), node);
    assertThat(result.errors())
        .extracting(TranslationError::fieldPath)
        .containsExactly("spec.volumes[0]");
  }

  private static final PodReferences.TokenKey TOKEN_KEY = new PodReferences.TokenKey("vault", 7200);

  private static PodReferences refsWithToken() {
    return new PodReferences(REFS.secrets(), REFS.configMaps(), Map.of(TOKEN_KEY, "eyJ.token"));
  }

  private static Volume projected(VolumeProjection... sources) {
    return new VolumeBuilder()
        .withName("all")
        .withNewProjected()
        .withSources(sources)
        .endProjected()
        .build();
  }

  @Test
  void projectedVolumeMergesItsSourcesIntoOneSecretVolume() {
    var pod =
        pod(
            projected(
                new VolumeProjectionBuilder()
                    .withNewSecret()
                    .withName("tls")
                    .addNewItem("tls.crt", null, "server.pem")
                    .endSecret()
                    .build(),
                new VolumeProjectionBuilder()
                    .withNewConfigMap()
                    .withName("cfg")
                    .endConfigMap()
                    .build(),
                new VolumeProjectionBuilder()
                    .withNewDownwardAPI()
                    .addNewItem()
                    .withPath("name")
                    .withNewFieldRef()
                    .withFieldPath("metadata.name")
                    .endFieldRef()
                    .endItem()
                    .endDownwardAPI()
                    .build(),
                new VolumeProjectionBuilder()
                    .withNewServiceAccountToken()
                    .withAudience("vault")
                    .withExpirationSeconds(7200L)
                    .withPath("token")
                    .endServiceAccountToken()
                    .build()),
            mount("all", "/etc/all"));
    var t = translated(pod, refsWithToken());
    assertThat(t.group().volumes())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.name()).isEqualTo("all");
              assertThat(v.emptyDir()).isNull();
              assertThat(v.secret())
                  .containsExactly(
                      Map.entry("server.pem", b64("CERT")),
                      Map.entry("app.conf", b64("a=1")),
                      Map.entry("name", b64("web-0")),
                      Map.entry("token", b64("eyJ.token")));
            });
    assertThat(t.group().containers().get(0).volumeMounts().get(0).mountPath())
        .isEqualTo("/etc/all");
    assertThat(t.notices())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.fieldPath())
                  .isEqualTo("spec.volumes[0].projected.sources[3].serviceAccountToken");
              assertThat(n.warning()).isTrue();
              assertThat(n.message()).contains("never refreshed", "7200 s").doesNotContain("eyJ");
            });
  }

  @Test
  void referencedByNamesTheProjectedSourcesAndTokens() {
    var pod =
        pod(
            projected(
                new VolumeProjectionBuilder().withNewSecret().withName("s1").endSecret().build(),
                new VolumeProjectionBuilder()
                    .withNewConfigMap()
                    .withName("c1")
                    .endConfigMap()
                    .build(),
                new VolumeProjectionBuilder()
                    .withNewServiceAccountToken()
                    .withPath("t")
                    .endServiceAccountToken()
                    .build(),
                new VolumeProjectionBuilder()
                    .withNewServiceAccountToken()
                    .withAudience("vault")
                    .withExpirationSeconds(7200L)
                    .withPath("t2")
                    .endServiceAccountToken()
                    .build()));
    var names = PodReferences.referencedBy(pod);
    assertThat(names.secrets()).containsExactly("s1");
    assertThat(names.configMaps()).containsExactly("c1");
    assertThat(names.tokens())
        .containsExactlyInAnyOrder(
            new PodReferences.TokenKey("", PodReferences.DEFAULT_TOKEN_EXPIRATION_SECONDS),
            TOKEN_KEY);
    var apiAccess =
        podBuilder(container("app").build())
            .editSpec()
            .withVolumes(
                new VolumeBuilder()
                    .withName("kube-api-access-abcde")
                    .withNewProjected()
                    .addNewSource()
                    .withNewServiceAccountToken()
                    .withPath("token")
                    .endServiceAccountToken()
                    .endSource()
                    .endProjected()
                    .build())
            .endSpec()
            .build();
    assertThat(PodReferences.referencedBy(apiAccess).tokens()).isEmpty();
  }

  @Test
  void aTokenThatCouldNotBeIssuedIsRetriable() {
    var pod =
        pod(
            projected(
                new VolumeProjectionBuilder()
                    .withNewServiceAccountToken()
                    .withPath("token")
                    .endServiceAccountToken()
                    .build()));
    assertThat(errors(pod))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(TranslationError.Kind.MISSING_REFERENCE);
              assertThat(e.fieldPath())
                  .isEqualTo("spec.volumes[0].projected.sources[0].serviceAccountToken");
              assertThat(e.reason()).contains("\"web-sa\"", "3600");
            });
  }

  @Test
  void projectedRefusalsNameTheirSource() {
    var pod =
        pod(
            new VolumeBuilder()
                .withName("all")
                .withNewProjected()
                .withDefaultMode(0400)
                .addNewSource()
                .withNewServiceAccountToken()
                .withAudience("vault")
                .withExpirationSeconds(7200L)
                .withPath("dir/token")
                .endServiceAccountToken()
                .endSource()
                .addNewSource()
                .withNewClusterTrustBundle()
                .withName("b")
                .withPath("ca.pem")
                .endClusterTrustBundle()
                .endSource()
                .addNewSource()
                .withNewSecret()
                .withName("tls")
                .addNewItem("tls.crt", null, "x")
                .endSecret()
                .endSource()
                .addNewSource()
                .withNewConfigMap()
                .withName("cfg")
                .addNewItem("app.conf", null, "x")
                .endConfigMap()
                .endSource()
                .addNewSource()
                .withNewSecret()
                .withName("absent")
                .endSecret()
                .endSource()
                .addNewSource()
                .withNewSecret()
                .withName("absent-ok")
                .withOptional(true)
                .endSecret()
                .endSource()
                .endProjected()
                .build());
    assertThat(errors(pod, refsWithToken()))
        .extracting(TranslationError::fieldPath, TranslationError::kind)
        .containsExactly(
            tuple("spec.volumes[0].projected.defaultMode", TranslationError.Kind.UNSUPPORTED),
            tuple(
                "spec.volumes[0].projected.sources[0].serviceAccountToken.path",
                TranslationError.Kind.UNSUPPORTED),
            tuple(
                "spec.volumes[0].projected.sources[1].clusterTrustBundle",
                TranslationError.Kind.UNSUPPORTED),
            tuple("spec.volumes[0].projected.sources[3]", TranslationError.Kind.INVALID),
            tuple(
                "spec.volumes[0].projected.sources[4].secret",
                TranslationError.Kind.MISSING_REFERENCE));
  }

  @Test
  void anEmptyProjectionIsAnEmptyDirectory() {
    var pod =
        pod(
            projected(
                new VolumeProjectionBuilder()
                    .withNewSecret()
                    .withName("absent")
                    .withOptional(true)
                    .endSecret()
                    .build()),
            mount("all", "/a"));
    var v = translated(pod).group().volumes().get(0);
    assertThat(v.secret()).isNull();
    assertThat(v.emptyDir()).isNotNull();
  }

  @Test
  void gitRepoBecomesAciGitRepo() {
    var pod =
        pod(
            new VolumeBuilder()
                .withName("src")
                .withNewGitRepo()
                .withRepository("https://example.invalid/app.git")
                .withDirectory(".")
                .withRevision("0123abcd")
                .endGitRepo()
                .build(),
            mount("src", "/src"));
    var v = translated(pod).group().volumes().get(0);
    assertThat(v.gitRepo().repository()).isEqualTo("https://example.invalid/app.git");
    assertThat(v.gitRepo().directory()).isEqualTo(".");
    assertThat(v.gitRepo().revision()).isEqualTo("0123abcd");
    assertThat(v.secret()).isNull();
    assertThat(v.emptyDir()).isNull();
    var bare =
        pod(
            new VolumeBuilder()
                .withName("src")
                .withNewGitRepo()
                .withRepository("https://example.invalid/app.git")
                .endGitRepo()
                .build());
    var b = translated(bare).group().volumes().get(0).gitRepo();
    assertThat(b.directory()).isNull();
    assertThat(b.revision()).isNull();
  }

  @Test
  void gitRepoWithoutRepositoryOrWithAnEscapingDirectoryIsInvalid() {
    var pod =
        pod(
            new VolumeBuilder()
                .withName("src")
                .withNewGitRepo()
                .withDirectory("../up")
                .endGitRepo()
                .build());
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath, TranslationError::kind)
        .containsExactly(
            tuple("spec.volumes[0].gitRepo.repository", TranslationError.Kind.INVALID),
            tuple("spec.volumes[0].gitRepo.directory", TranslationError.Kind.INVALID));
  }
}
