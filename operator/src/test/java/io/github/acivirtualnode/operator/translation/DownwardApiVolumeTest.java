package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.b64;
import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.errors;
import static io.github.acivirtualnode.operator.translation.Fixtures.podBuilder;
import static io.github.acivirtualnode.operator.translation.Fixtures.translated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFileBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DownwardApiVolumeTest {
  private static Pod pod(DownwardAPIVolumeFile... items) {
    return podBuilder(
            container("app")
                .withNewResources()
                .addToRequests("cpu", new Quantity("250m"))
                .addToRequests("memory", new Quantity("64Mi"))
                .addToLimits("cpu", new Quantity("1500m"))
                .addToLimits("memory", new Quantity("128Mi"))
                .endResources()
                .addNewVolumeMount()
                .withName("info")
                .withMountPath("/etc/podinfo")
                .endVolumeMount()
                .build())
        .editMetadata()
        .addToLabels("tier", "front")
        .addToAnnotations("note", "say \"hi\"\n\tünïcode\\")
        .endMetadata()
        .editSpec()
        .withVolumes(
            new VolumeBuilder()
                .withName("info")
                .withNewDownwardAPI()
                .withItems(items)
                .endDownwardAPI()
                .build())
        .endSpec()
        .build();
  }

  private static DownwardAPIVolumeFile field(String path, String fieldPath) {
    return new DownwardAPIVolumeFileBuilder()
        .withPath(path)
        .withNewFieldRef()
        .withFieldPath(fieldPath)
        .endFieldRef()
        .build();
  }

  private static DownwardAPIVolumeFile resource(
      String path, String containerName, String resource, String divisor) {
    return new DownwardAPIVolumeFileBuilder()
        .withPath(path)
        .withNewResourceFieldRef()
        .withContainerName(containerName)
        .withResource(resource)
        .withDivisor(divisor == null ? null : new Quantity(divisor))
        .endResourceFieldRef()
        .build();
  }

  private static Map<String, String> files(Pod pod) {
    return translated(pod).group().volumes().get(0).secret();
  }

  @Test
  void metadataFieldsAreWrittenAsTheirValues() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("name", b64("web-0"));
    expected.put("namespace", b64("shop"));
    expected.put("uid", b64(Fixtures.UID));
    expected.put("tier", b64("front"));
    expected.put("team", b64("blue"));
    expected.put("absent", b64(""));
    assertThat(
            files(
                pod(
                    field("name", "metadata.name"),
                    field("namespace", "metadata.namespace"),
                    field("uid", "metadata.uid"),
                    field("tier", "metadata.labels['tier']"),
                    field("team", "metadata.annotations['team']"),
                    field("absent", "metadata.labels['nope']"))))
        .containsExactlyEntriesOf(expected);
  }

  @Test
  void labelsAndAnnotationsAreSortedQuotedLinesAsTheKubeletWritesThem() {
    var files =
        files(
            pod(field("labels", "metadata.labels"), field("annotations", "metadata.annotations")));
    assertThat(files.get("labels")).isEqualTo(b64("app=\"web\"\ntier=\"front\""));
    assertThat(files.get("annotations"))
        .isEqualTo(b64("note=\"say \\\"hi\\\"\\n\\tünïcode\\\\\"\nteam=\"blue\""));
  }

  @Test
  void goQuoteEscapesAsGoDoes() {
    assertThat(DownwardApiFiles.goQuote("")).isEqualTo("\"\"");
    assertThat(DownwardApiFiles.goQuote("a b")).isEqualTo("\"a b\"");
    assertThat(DownwardApiFiles.goQuote("\u0001\u007f\r")).isEqualTo("\"\\x01\\x7f\\r\"");
    assertThat(DownwardApiFiles.goQuote("\u00a0\u200b")).isEqualTo("\"\\u00a0\\u200b\"");
    assertThat(DownwardApiFiles.goQuote("日本")).isEqualTo("\"日本\"");
    assertThat(DownwardApiFiles.formatMap(Map.of())).isEmpty();
  }

  @Test
  void specFieldsAreWrittenToo() {
    var files = files(pod(field("node", "spec.nodeName"), field("sa", "spec.serviceAccountName")));
    assertThat(files)
        .containsExactlyInAnyOrderEntriesOf(Map.of("node", b64("vn-1"), "sa", b64("web-sa")));
  }

  @Test
  void resourcesAreCeilOfAmountOverDivisor() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("cpu-limit", b64("2"));
    expected.put("cpu-limit-milli", b64("1500"));
    expected.put("cpu-request-milli", b64("250"));
    expected.put("mem-limit-mi", b64("128"));
    expected.put("mem-request", b64(String.valueOf(64 * 1024 * 1024)));
    assertThat(
            files(
                pod(
                    resource("cpu-limit", "app", "limits.cpu", null),
                    resource("cpu-limit-milli", "app", "limits.cpu", "1m"),
                    resource("cpu-request-milli", "app", "requests.cpu", "1m"),
                    resource("mem-limit-mi", "app", "limits.memory", "1Mi"),
                    resource("mem-request", "app", "requests.memory", "1"))))
        .containsExactlyEntriesOf(expected);
  }

  @Test
  void refusalsNameTheItem() {
    var bad =
        pod(
            field("ip", "status.podIP"),
            resource("r", null, "limits.cpu", null),
            resource("r2", "other", "limits.cpu", null),
            resource("r3", "app", "limits.cpu", "0"),
            field("sub/dir", "metadata.name"),
            new DownwardAPIVolumeFileBuilder()
                .withPath("m")
                .withMode(0600)
                .withNewFieldRef()
                .withFieldPath("metadata.name")
                .endFieldRef()
                .build(),
            new DownwardAPIVolumeFileBuilder().withPath("nothing").build());
    assertThat(errors(bad))
        .extracting(TranslationError::fieldPath, TranslationError::kind)
        .containsExactly(
            tuple(
                "spec.volumes[0].downwardAPI.items[0].fieldRef", TranslationError.Kind.UNSUPPORTED),
            tuple(
                "spec.volumes[0].downwardAPI.items[1].resourceFieldRef.containerName",
                TranslationError.Kind.INVALID),
            tuple(
                "spec.volumes[0].downwardAPI.items[2].resourceFieldRef.containerName",
                TranslationError.Kind.INVALID),
            tuple(
                "spec.volumes[0].downwardAPI.items[3].resourceFieldRef.divisor",
                TranslationError.Kind.INVALID),
            tuple("spec.volumes[0].downwardAPI.items[4].path", TranslationError.Kind.UNSUPPORTED),
            tuple("spec.volumes[0].downwardAPI.items[5].mode", TranslationError.Kind.UNSUPPORTED),
            tuple("spec.volumes[0].downwardAPI.items[6]", TranslationError.Kind.INVALID));
  }

  @Test
  void aDefaultModeOtherThan0644IsRefused() {
    var pod =
        new io.fabric8.kubernetes.api.model.PodBuilder(pod(field("n", "metadata.name")))
            .editSpec()
            .editFirstVolume()
            .editDownwardAPI()
            .withDefaultMode(0444)
            .endDownwardAPI()
            .endVolume()
            .endSpec()
            .build();
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath)
        .containsExactly("spec.volumes[0].downwardAPI.defaultMode");
  }
}
