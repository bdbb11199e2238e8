package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.b64;
import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.errors;
import static io.github.acivirtualnode.operator.translation.Fixtures.podBuilder;
import static io.github.acivirtualnode.operator.translation.Fixtures.refs;
import static io.github.acivirtualnode.operator.translation.Fixtures.translated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryCredentialTest {
  private static Secret pull(String name, String type, String key, String json) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withType(type)
        .withData(Map.of(key, b64(json)))
        .build();
  }

  private static Pod pod(String image, String... secrets) {
    var b = podBuilder(container("app").withImage(image).build()).editSpec();
    for (String s : secrets) {
      b.addNewImagePullSecret(s);
    }
    return b.endSpec().build();
  }

  @Test
  void dockerConfigJsonGivesServerUserAndPassword() {
    var s =
        pull(
            "reg",
            "kubernetes.io/dockerconfigjson",
            ".dockerconfigjson",
            "{\"auths\":{\"https://myreg.azurecr.io/v1/\":{\"username\":\"u\",\"password\":\"p\\\"w\"},"
                + "\"other.example\":{\"username\":\"x\",\"password\":\"y\"}}}");
    var creds =
        translated(pod("myreg.azurecr.io/app:1", "reg"), refs(s))
            .group()
            .imageRegistryCredentials();
    assertThat(creds)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.server()).isEqualTo("myreg.azurecr.io");
              assertThat(c.username()).isEqualTo("u");
              assertThat(c.password()).isEqualTo("p\"w");
            });
  }

  @Test
  void authFieldAndDockerHubAliases() {
    var s =
        pull(
            "hub",
            "kubernetes.io/dockerconfigjson",
            ".dockerconfigjson",
            "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("me:pa:ss") + "\"}}}");
    var creds =
        translated(pod("library/nginx:1", "hub"), refs(s)).group().imageRegistryCredentials();
    assertThat(creds)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.server()).isEqualTo("index.docker.io");
              assertThat(c.username()).isEqualTo("me");
              assertThat(c.password()).isEqualTo("pa:ss");
            });
  }

  @Test
  void legacyDockerCfg() {
    var s =
        pull(
            "old",
            "kubernetes.io/dockercfg",
            ".dockercfg",
            "{\"localhost:5000\":{\"username\":\"u\",\"password\":\"p\"}}");
    assertThat(
            translated(pod("localhost:5000/app", "old"), refs(s))
                .group()
                .imageRegistryCredentials())
        .extracting(c -> c.server())
        .containsExactly("localhost:5000");
  }

  @Test
  void noPullSecretsNoCredentials() {
    assertThat(translated(pod("nginx")).group().imageRegistryCredentials()).isNull();
  }

  @Test
  void aMissingPullSecretIsANotice() {
    var t = translated(pod("nginx", "gone"));
    assertThat(t.notices())
        .extracting(TranslationNotice::fieldPath)
        .containsExactly("spec.imagePullSecrets[0]");
  }

  @Test
  void malformedPullSecretsAreErrors() {
    List<Secret> bad =
        List.of(
            pull("a", "Opaque", ".dockerconfigjson", "{}"),
            pull("b", "kubernetes.io/dockerconfigjson", ".dockerconfigjson", "{not json"),
            pull("c", "kubernetes.io/dockerconfigjson", ".dockerconfigjson", "{\"nope\":{}}"),
            pull(
                "d",
                "kubernetes.io/dockerconfigjson",
                ".dockerconfigjson",
                "{\"auths\":{\"docker.io\":{\"auth\":\"" + b64("nocolon") + "\"}}}"),
            pull(
                "e",
                "kubernetes.io/dockerconfigjson",
                ".dockerconfigjson",
                "{\"auths\":{\"docker.io\":{\"identitytoken\":\"t\"}}}"),
            pull("f", "kubernetes.io/dockerconfigjson", ".other", "{}"));
    var errors = errors(pod("nginx", "a", "b", "c", "d", "e", "f"), refs(bad, List.of()));
    assertThat(errors)
        .extracting(TranslationError::fieldPath)
        .containsExactly(
            "spec.imagePullSecrets[0]",
            "spec.imagePullSecrets[1]",
            "spec.imagePullSecrets[2]",
            "spec.imagePullSecrets[3]",
            "spec.imagePullSecrets[4]",
            "spec.imagePullSecrets[5]");
    assertThat(errors)
        .allSatisfy(e -> assertThat(e.kind()).isEqualTo(TranslationError.Kind.INVALID));
    assertThat(errors.get(4).reason()).contains("identity tokens");
  }

  @Test
  void registryOfImages() {
    assertThat(RegistryCredentialTranslator.registryOf("nginx")).isEqualTo("docker.io");
    assertThat(RegistryCredentialTranslator.registryOf("library/nginx")).isEqualTo("docker.io");
    assertThat(RegistryCredentialTranslator.registryOf("registry.example.com/o/i:1"))
        .isEqualTo("registry.example.com");
    assertThat(RegistryCredentialTranslator.registryOf("localhost/i")).isEqualTo("localhost");
    assertThat(RegistryCredentialTranslator.registryOf("index.docker.io/i")).isEqualTo("docker.io");
  }

  @Test
  void jsonReaderIsStrict() {
    assertThat(Json.parse(" {\"a\": [1, true, null, \"\\u0041\\n\"]} "))
        .isEqualTo(Map.of("a", java.util.Arrays.asList(1.0, true, null, "A\n")));
    for (String bad : new String[] {"", "{", "{\"a\"}", "[1,]", "\"x", "{} x", "tru"}) {
      assertThatThrownBy(() -> Json.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
