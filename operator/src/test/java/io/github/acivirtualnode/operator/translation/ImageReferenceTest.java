package io.github.acivirtualnode.operator.translation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "busybox",
        "busybox:1.36",
        "library/busybox:latest",
        "docker.io/library/nginx:1.27-alpine",
        "mcr.microsoft.com/windows/servercore:ltsc2022",
        "myregistry.azurecr.io/team/app_v2__x:2024.01.05",
        "localhost:5000/app",
        "10.0.0.4:5000/a/b/c:TAG_1",
        "[fd00::2]:5000/app:1",
        "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "a-b--c.d/e"
      })
  void wellFormedReferencesPass(String image) {
    assertThat(ImageReference.problem(image)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "busybox;rm -rf /",
        "busybox$(id)",
        "busybox`id`",
        "busybox && curl evil",
        "Busybox",
        "busybox:",
        "busybox:-tag",
        "busybox:tag_of_129_characters_01234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456",
        "nginx@sha256:short",
        "nginx@",
        "/busybox",
        "busybox/",
        "a//b",
        "a/../b",
        "registry.example.com/",
        "bad host/app",
        "app:1\n",
        "\u00e9mage"
      })
  void malformedReferencesAreRefusedQuotingThem(String image) {
    assertThat(ImageReference.problem(image))
        .hasValueSatisfying(reason -> assertThat(reason).contains("not a valid image reference"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " "})
  void aMissingImageIsSaidSo(String image) {
    assertThat(ImageReference.problem(image)).contains("a container needs an image");
  }

  @org.junit.jupiter.api.Test
  void aHostileMegabyteOfComponentsIsRefusedWithoutRunningThePattern() {
    String hostile = "a.".repeat(512 * 1024) + "a";
    assertThat(ImageReference.problem(hostile))
        .hasValueSatisfying(r -> assertThat(r).contains("1048577 characters long"));
  }

  @org.junit.jupiter.api.Test
  void anOverlongNameIsRefusedAndAnOverlongReferenceQuotedShort() {
    String longName = "a".repeat(256);
    assertThat(ImageReference.problem(longName))
        .hasValueSatisfying(r -> assertThat(r).contains("255"));
    assertThat(ImageReference.problem(longName + ";x"))
        .hasValueSatisfying(
            r -> assertThat(r).doesNotContain(longName).contains("a".repeat(120) + "..."));
  }
}
