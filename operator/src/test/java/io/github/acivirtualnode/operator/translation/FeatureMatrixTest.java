package io.github.acivirtualnode.operator.translation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's feature matrix is {@link FeatureMatrix#markdown} of {@link PodField}, and the table
 * covers every field of the pod spec and of a container, its probes, lifecycle, security context,
 * environment and volume mounts, and of the volume kinds and their items. Run with {@code
 * -Davn.featureMatrix.write=true} to write the generated table into the README.
 */
class FeatureMatrixTest {
  private static final Path README = Path.of("README.md").toAbsolutePath();
  private static final String BEGIN =
      "<!-- feature-matrix: generated from PodField, checked by FeatureMatrixTest -->\n";
  private static final String END = "<!-- end of feature-matrix -->";

  @Test
  void theReadmeShowsTheGeneratedMatrix() throws IOException {
    String readme = Files.readString(README);
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertThat(begin).as("README.md has the feature matrix markers").isNotNegative();
    assertThat(end).isGreaterThan(begin);
    String generated = FeatureMatrix.markdown();
    if (Boolean.getBoolean("avn.featureMatrix.write")) {
      readme = readme.substring(0, begin + BEGIN.length()) + generated + readme.substring(end);
      Files.writeString(README, readme);
      return;
    }
    assertThat(readme.substring(begin + BEGIN.length(), end))
        .as("the matrix in README.md; regenerate with -Davn.featureMatrix.write=true")
        .isEqualTo(generated);
  }

  @Test
  void everyContainerFieldHasARow() {
    assertThat(unlisted(Container.class, "containers[].")).isEmpty();
  }

  @Test
  void everyProbeFieldHasARow() {
    assertThat(unlisted(Probe.class, "containers[].*Probe.")).isEmpty();
  }

  @Test
  void everyLifecycleFieldHasARow() {
    assertThat(unlisted(Lifecycle.class, "containers[].lifecycle.")).isEmpty();
  }

  @Test
  void everySecurityContextFieldHasARow() {
    assertThat(unlisted(SecurityContext.class, "containers[].securityContext.")).isEmpty();
  }

  @Test
  void everyPodSecurityContextFieldHasARowOfItsOwnOrInheritedByContainers() {
    Set<String> missing = new TreeSet<>();
    for (String p : properties(PodSecurityContext.class)) {
      boolean own = listed("spec.securityContext.", p);
      boolean inherited =
          Arrays.stream(PodField.values())
              .anyMatch(
                  f ->
                      f.field().equals("containers[].securityContext." + p)
                          && f.when().contains("the pod's"));
      if (!own && !inherited) {
        missing.add(p);
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void everyVolumeKindHasARow() {
    Set<String> missing = unlisted(Volume.class, "spec.volumes[].");
    missing.remove("name");
    assertThat(missing).isEmpty();
  }

  @Test
  void everyProjectedSourceHasARow() {
    assertThat(unlisted(VolumeProjection.class, "spec.volumes[].projected.sources[].")).isEmpty();
  }

  @Test
  void everyPodSpecFieldHasARow() {
    assertThat(unlisted(PodSpec.class, "spec.")).isEmpty();
  }

  @Test
  void everyEnvironmentFieldHasARow() {
    Set<String> env = unlisted(EnvVar.class, "containers[].env[].");
    env.remove("name");
    assertThat(env).isEmpty();
    assertThat(unlisted(EnvVarSource.class, "containers[].env[].valueFrom.")).isEmpty();
    assertThat(unlisted(EnvFromSource.class, "containers[].envFrom[].")).isEmpty();
  }

  @Test
  void everyVolumeMountAndItemFieldHasARow() {
    assertThat(unlisted(VolumeMount.class, "containers[].volumeMounts[].")).isEmpty();
    assertThat(unlisted(KeyToPath.class, "spec.volumes[].*.items[].")).isEmpty();
    assertThat(unlisted(DownwardAPIVolumeFile.class, "spec.volumes[].downwardAPI.items[]."))
        .isEmpty();
  }

  @Test
  void everyRowHasAReasonAndRowsOfOneFieldTheirConditions() {
    for (PodField f : PodField.values()) {
      assertThat(f.reason()).as(f.name()).isNotBlank().doesNotEndWith(".");
      long unconditional =
          Arrays.stream(PodField.values())
              .filter(o -> o.field().equals(f.field()) && o.when().isEmpty())
              .count();
      assertThat(unconditional).as(f.field() + ": rows without a condition").isLessThanOrEqualTo(1);
    }
  }

  /**
   * The translators of the matrix's fields report refusals and notices only through their rows (the
   * init container parts of ContainerTranslator and ResourceTranslator have their own README
   * table).
   */
  @Test
  void theMatrixTranslatorsReportOnlyThroughTheTable() throws IOException {
    Path sources = Path.of("src/main/java/io/github/acivirtualnode/operator/translation");
    for (String file :
        List.of(
            "PodTranslator.java",
            "ProbeTranslator.java",
            "SecurityTranslator.java",
            "GpuOffering.java",
            "VolumeTranslator.java",
            "DownwardApiFiles.java",
            "AzureFileVolumes.java",
            "NetworkSettings.java",
            "GroupSettings.java",
            "EnvTranslator.java",
            "RegistryCredentialTranslator.java")) {
      assertThat(Files.readString(sources.resolve(file)))
          .as(file)
          .doesNotContain("findings.unsupported(")
          .doesNotContain("findings.notice(");
    }
    String container = Files.readString(sources.resolve("ContainerTranslator.java"));
    int initStart = container.indexOf("static InitContainerDefinition translateInit(");
    int initEnd = container.indexOf("/** The fields no ACI container, app or init, has. */");
    assertThat(initStart).isPositive();
    assertThat(initEnd).isGreaterThan(initStart);
    assertThat(container.substring(0, initStart) + container.substring(initEnd))
        .as("ContainerTranslator outside translateInit")
        .doesNotContain("findings.unsupported(")
        .doesNotContain("findings.notice(");
  }

  private static Set<String> unlisted(Class<?> type, String prefix) {
    Set<String> missing = new TreeSet<>();
    for (String p : properties(type)) {
      if (!listed(prefix, p)) {
        missing.add(p);
      }
    }
    return missing;
  }

  /** A row names the field, a part of it, or lists it in its condition (its parent's row). */
  private static boolean listed(String prefix, String property) {
    String parent = prefix.substring(0, prefix.length() - 1);
    Pattern word = Pattern.compile("\\b" + Pattern.quote(property) + "\\b");
    return Arrays.stream(PodField.values())
        .anyMatch(
            f ->
                f.field().equals(prefix + property)
                    || f.field().startsWith(prefix + property + ".")
                    || f.field().startsWith(prefix + property + "[")
                    || (f.field().startsWith(parent) && word.matcher(f.when()).find()));
  }

  private static List<String> properties(Class<?> type) {
    JsonPropertyOrder order = type.getAnnotation(JsonPropertyOrder.class);
    assertThat(order).as(type + " names its properties").isNotNull();
    return List.of(order.value());
  }
}
