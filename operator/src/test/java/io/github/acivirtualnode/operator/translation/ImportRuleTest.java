package io.github.acivirtualnode.operator.translation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The translation stays pure: its sources import no client, no SDK client, no I/O. */
class ImportRuleTest {
  private static final Path SOURCES =
      Path.of("src/main/java/io/github/acivirtualnode/operator/translation");
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?;", Pattern.MULTILINE);
  private static final List<String> ALLOWED_PREFIXES =
      List.of(
          "java.util.",
          "java.time.",
          "java.math.",
          "java.security.MessageDigest",
          "java.security.NoSuchAlgorithmException",
          "java.nio.charset.",
          "io.fabric8.kubernetes.api.model.",
          "com.azure.resourcemanager.containerinstance.models.",
          "com.azure.resourcemanager.containerinstance.fluent.models.",
          "io.github.acivirtualnode.operator.node.ContainerGroupTags");
  private static final List<String> FORBIDDEN =
      List.of(
          "io.fabric8.kubernetes.client",
          "com.azure.resourcemanager.containerinstance.ContainerInstanceManager",
          "com.azure.resourcemanager.containerinstance.fluent.ContainerGroupsClient",
          "com.azure.resourcemanager.containerinstance.implementation",
          "com.azure.resourcemanager.containerinstance.models.ContainerGroups",
          "com.azure.core.http",
          "java.io",
          "java.net",
          "java.nio.file",
          "org.slf4j");

  @Test
  void everyImportIsAModelOrThePlainJdk() throws IOException {
    List<String> violations = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(SOURCES)) {
      files = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(files).hasSizeGreaterThan(10);
    for (Path file : files) {
      String text = Files.readString(file);
      Matcher m = IMPORT.matcher(text);
      while (m.find()) {
        String imported = m.group(1);
        boolean forbidden = FORBIDDEN.stream().anyMatch(imported::startsWith);
        boolean allowed = ALLOWED_PREFIXES.stream().anyMatch(imported::startsWith);
        if (forbidden || !allowed) {
          violations.add(file.getFileName() + ": " + imported);
        }
      }
      for (String f : FORBIDDEN) {
        if (text.contains(f + ".") && !text.contains("\"" + f)) {
          violations.add(file.getFileName() + ": uses " + f + " by its full name");
        }
      }
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void theRuleCatchesAForbiddenImport() {
    String sample = "package x;\nimport io.fabric8.kubernetes.client.KubernetesClient;\n";
    Matcher m = IMPORT.matcher(sample);
    assertThat(m.find()).isTrue();
    assertThat(FORBIDDEN.stream().anyMatch(m.group(1)::startsWith)).isTrue();
  }
}
