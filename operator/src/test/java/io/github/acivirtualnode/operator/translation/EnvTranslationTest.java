package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.configMap;
import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.errors;
import static io.github.acivirtualnode.operator.translation.Fixtures.first;
import static io.github.acivirtualnode.operator.translation.Fixtures.pod;
import static io.github.acivirtualnode.operator.translation.Fixtures.refs;
import static io.github.acivirtualnode.operator.translation.Fixtures.secret;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.models.EnvironmentVariable;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvTranslationTest {
  private static final PodReferences REFS =
      refs(
          List.of(secret("db", Map.of("password", "s3cret", "user", "admin"))),
          List.of(configMap("cfg", Map.of("MODE", "prod", "LEVEL", "debug"))));

  private static List<EnvironmentVariable> env(ContainerBuilder c, PodReferences refs) {
    return first(pod(c.build()), refs).environmentVariables();
  }

  private static EnvironmentVariable var(List<EnvironmentVariable> env, String name) {
    return env.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
  }

  private static EnvVar fieldRef(String name, String path) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef(null, path)
        .endValueFrom()
        .build();
  }

  @Test
  void literalValuesArePlainValues() {
    var env = env(container("app").addNewEnv().withName("A").withValue("1").endEnv(), REFS);
    assertThat(env)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.value()).isEqualTo("1");
              assertThat(e.secureValue()).isNull();
            });
  }

  @Test
  void anEmptyLiteralIsAnEmptyValue() {
    assertThat(env(container("app").addNewEnv().withName("A").endEnv(), REFS).get(0).value())
        .isEmpty();
  }

  @Test
  void configMapKeyRefIsAPlainValue() {
    var env =
        env(
            container("app")
                .addNewEnv()
                .withName("M")
                .withNewValueFrom()
                .withNewConfigMapKeyRef("MODE", "cfg", null)
                .endValueFrom()
                .endEnv(),
            REFS);
    assertThat(env.get(0).value()).isEqualTo("prod");
  }

  @Test
  void secretKeyRefIsAlwaysASecureValue() {
    var env =
        env(
            container("app")
                .addNewEnv()
                .withName("PW")
                .withNewValueFrom()
                .withNewSecretKeyRef("password", "db", null)
                .endValueFrom()
                .endEnv(),
            REFS);
    assertThat(env.get(0).secureValue()).isEqualTo("s3cret");
    assertThat(env.get(0).value()).isNull();
  }

  @Test
  void aLiteralExpandingASecretIsSecureToo() {
    var env =
        env(
            container("app")
                .addNewEnv()
                .withName("PW")
                .withNewValueFrom()
                .withNewSecretKeyRef("password", "db", null)
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("URL")
                .withValue("postgres://u:$(PW)@db")
                .endEnv(),
            REFS);
    assertThat(var(env, "URL").secureValue()).isEqualTo("postgres://u:s3cret@db");
    assertThat(var(env, "URL").value()).isNull();
  }

  @Test
  void envFromConfigMapAndSecretWithPrefix() {
    var env =
        env(
            container("app")
                .addNewEnvFrom()
                .withPrefix("CFG_")
                .withNewConfigMapRef("cfg", null)
                .endEnvFrom()
                .addNewEnvFrom()
                .withNewSecretRef("db", null)
                .endEnvFrom(),
            REFS);
    assertThat(var(env, "CFG_MODE").value()).isEqualTo("prod");
    assertThat(var(env, "CFG_LEVEL").value()).isEqualTo("debug");
    assertThat(var(env, "password").secureValue()).isEqualTo("s3cret");
    assertThat(var(env, "user").secureValue()).isEqualTo("admin");
  }

  @Test
  void envOverridesEnvFromAndLaterOverridesEarlier() {
    var env =
        env(
            container("app")
                .addNewEnvFrom()
                .withNewSecretRef("db", null)
                .endEnvFrom()
                .addNewEnv()
                .withName("user")
                .withValue("plain")
                .endEnv()
                .addNewEnv()
                .withName("X")
                .withValue("1")
                .endEnv()
                .addNewEnv()
                .withName("X")
                .withValue("2")
                .endEnv(),
            REFS);
    assertThat(var(env, "user").value()).isEqualTo("plain");
    assertThat(var(env, "user").secureValue()).isNull();
    assertThat(env.stream().filter(e -> e.name().equals("X")))
        .singleElement()
        .extracting(EnvironmentVariable::value)
        .isEqualTo("2");
  }

  @Test
  void expansionSeesEnvFromAndEarlierEntriesOnly() {
    var env =
        env(
            container("app")
                .addNewEnvFrom()
                .withNewConfigMapRef("cfg", null)
                .endEnvFrom()
                .addNewEnv()
                .withName("A")
                .withValue("$(MODE)-$(B)")
                .endEnv()
                .addNewEnv()
                .withName("B")
                .withValue("b")
                .endEnv()
                .addNewEnv()
                .withName("C")
                .withValue("$(A)$$(A)")
                .endEnv(),
            REFS);
    assertThat(var(env, "A").value()).isEqualTo("prod-$(B)");
    assertThat(var(env, "C").value()).isEqualTo("prod-$(B)$(A)");
  }

  @Test
  void missingRequiredReferencesAreRetriableErrors() {
    var pod =
        pod(
            container("app")
                .addNewEnv()
                .withName("A")
                .withNewValueFrom()
                .withNewConfigMapKeyRef("K", "nope", null)
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("B")
                .withNewValueFrom()
                .withNewSecretKeyRef("K", "nope", null)
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("C")
                .withNewValueFrom()
                .withNewConfigMapKeyRef("NOKEY", "cfg", null)
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("D")
                .withNewValueFrom()
                .withNewSecretKeyRef("nokey", "db", null)
                .endValueFrom()
                .endEnv()
                .addNewEnvFrom()
                .withNewConfigMapRef("nope", null)
                .endEnvFrom()
                .addNewEnvFrom()
                .withNewSecretRef("nope", null)
                .endEnvFrom()
                .build());
    var result = (TranslationResult.Rejected) PodTranslator.translate(pod, REFS, Fixtures.NODE);
    assertThat(result.errors())
        .extracting(TranslationError::fieldPath)
        .containsExactly(
            "spec.containers[0].envFrom[0].configMapRef",
            "spec.containers[0].envFrom[1].secretRef",
            "spec.containers[0].env[0].valueFrom.configMapKeyRef",
            "spec.containers[0].env[1].valueFrom.secretKeyRef",
            "spec.containers[0].env[2].valueFrom.configMapKeyRef",
            "spec.containers[0].env[3].valueFrom.secretKeyRef");
    assertThat(result.retriable()).isTrue();
    assertThat(result.errors())
        .allSatisfy(e -> assertThat(e.kind()).isEqualTo(TranslationError.Kind.MISSING_REFERENCE));
  }

  @Test
  void missingOptionalReferencesAreSkipped() {
    var env =
        env(
            container("app")
                .addNewEnv()
                .withName("A")
                .withNewValueFrom()
                .withNewConfigMapKeyRef("K", "nope", true)
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("B")
                .withNewValueFrom()
                .withNewSecretKeyRef("nokey", "db", true)
                .endValueFrom()
                .endEnv()
                .addNewEnvFrom()
                .withNewConfigMapRef("nope", true)
                .endEnvFrom()
                .addNewEnvFrom()
                .withNewSecretRef("nope", true)
                .endEnvFrom()
                .addNewEnv()
                .withName("Z")
                .withValue("z")
                .endEnv(),
            REFS);
    assertThat(env).extracting(EnvironmentVariable::name).containsExactly("Z");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "metadata.name,web-0",
    "metadata.namespace,shop",
    "metadata.uid," + Fixtures.UID,
    "metadata.labels['app'],web",
    "metadata.annotations['team'],blue",
    "metadata.labels['none'],''",
    "spec.nodeName,vn-1",
    "spec.serviceAccountName,web-sa",
    "status.hostIP,10.0.0.9",
    "status.hostIPs,10.0.0.9"
  })
  void fieldRefs(String path, String expected) {
    var env = env(container("app").withEnv(fieldRef("F", path)), REFS);
    assertThat(env.get(0).value()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"status.podIP", "status.podIPs", "metadata.labels", "spec.schedulerName"})
  void fieldRefsAciCannotHonourAreErrors(String path) {
    assertThat(errors(pod(container("app").withEnv(fieldRef("F", path)).build())))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.fieldPath())
                    .isEqualTo("spec.containers[0].env[0].valueFrom.fieldRef"));
  }

  @Test
  void podIpErrorSaysWhy() {
    var e = errors(pod(container("app").withEnv(fieldRef("F", "status.podIP")).build())).get(0);
    assertThat(e.reason()).contains("fixed when it is created");
  }

  private static String resource(String resource, String divisor) {
    var c =
        container("app")
            .withNewResources()
            .addToRequests("cpu", new Quantity("250m"))
            .addToRequests("memory", new Quantity("128Mi"))
            .addToLimits("memory", new Quantity("256Mi"))
            .endResources()
            .addNewEnv()
            .withName("R")
            .withNewValueFrom()
            .withNewResourceFieldRef()
            .withResource(resource)
            .withDivisor(divisor == null ? null : new Quantity(divisor))
            .endResourceFieldRef()
            .endValueFrom()
            .endEnv();
    return env(c, REFS).get(0).value();
  }

  @Test
  void resourceFieldRefsRoundUpLikeTheKubelet() {
    assertThat(resource("requests.cpu", null)).isEqualTo("1");
    assertThat(resource("requests.cpu", "1m")).isEqualTo("250");
    assertThat(resource("requests.memory", null)).isEqualTo("134217728");
    assertThat(resource("limits.memory", "1Mi")).isEqualTo("256");
    // No CPU limit: the container's ceiling in ACI is its request.
    assertThat(resource("limits.cpu", "1m")).isEqualTo("250");
  }

  @Test
  void resourceFieldRefsOfOtherContainersOrUnknownResourcesAreErrors() {
    var pod =
        pod(
            container("app")
                .addNewEnv()
                .withName("A")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withContainerName("other")
                .withResource("limits.cpu")
                .endResourceFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("B")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withResource("limits.hugepages-2Mi")
                .endResourceFieldRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName("C")
                .withNewValueFrom()
                .withNewResourceFieldRef()
                .withResource("limits.ephemeral-storage")
                .endResourceFieldRef()
                .endValueFrom()
                .endEnv()
                .build());
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath)
        .containsExactly(
            "spec.containers[0].env[0].valueFrom.resourceFieldRef.containerName",
            "spec.containers[0].env[1].valueFrom.resourceFieldRef",
            "spec.containers[0].env[2].valueFrom.resourceFieldRef");
  }

  @Test
  void malformedSecretDataIsInvalid() {
    var bad =
        new io.fabric8.kubernetes.api.model.SecretBuilder(secret("db", Map.of()))
            .withData(Map.of("password", "not base64!"))
            .build();
    var pod =
        pod(
            container("app")
                .addNewEnv()
                .withName("PW")
                .withNewValueFrom()
                .withNewSecretKeyRef("password", "db", null)
                .endValueFrom()
                .endEnv()
                .build());
    assertThat(errors(pod, refs(bad)))
        .extracting(TranslationError::kind)
        .contains(TranslationError.Kind.INVALID);
  }

  @Test
  void referencedByNamesWhatTheTranslationReads() {
    var pod =
        new io.fabric8.kubernetes.api.model.PodBuilder(
                pod(
                    container("app")
                        .addNewEnv()
                        .withName("A")
                        .withNewValueFrom()
                        .withNewConfigMapKeyRef("K", "cm-env", null)
                        .endValueFrom()
                        .endEnv()
                        .addNewEnv()
                        .withName("B")
                        .withNewValueFrom()
                        .withNewSecretKeyRef("K", "s-env", null)
                        .endValueFrom()
                        .endEnv()
                        .addNewEnvFrom()
                        .withNewConfigMapRef("cm-from", null)
                        .endEnvFrom()
                        .addNewEnvFrom()
                        .withNewSecretRef("s-from", null)
                        .endEnvFrom()
                        .build()))
            .editSpec()
            .addNewImagePullSecret("pull")
            .addNewVolume()
            .withName("v1")
            .withNewSecret()
            .withSecretName("s-vol")
            .endSecret()
            .endVolume()
            .addNewVolume()
            .withName("v2")
            .withNewConfigMap()
            .withName("cm-vol")
            .endConfigMap()
            .endVolume()
            .endSpec()
            .build();
    var names = PodReferences.referencedBy(pod);
    assertThat(names.secrets()).containsExactlyInAnyOrder("pull", "s-vol", "s-env", "s-from");
    assertThat(names.configMaps()).containsExactlyInAnyOrder("cm-vol", "cm-env", "cm-from");
  }
}
