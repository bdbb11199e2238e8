package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.errors;
import static io.github.acivirtualnode.operator.translation.Fixtures.first;
import static io.github.acivirtualnode.operator.translation.Fixtures.pod;
import static io.github.acivirtualnode.operator.translation.Fixtures.translated;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceTranslationTest {
  private static com.azure.resourcemanager.containerinstance.models.Container withResources(
      String reqCpu, String reqMem, String limCpu, String limMem) {
    var b = container("app").withNewResources();
    if (reqCpu != null) {
      b.addToRequests("cpu", new Quantity(reqCpu));
    }
    if (reqMem != null) {
      b.addToRequests("memory", new Quantity(reqMem));
    }
    if (limCpu != null) {
      b.addToLimits("cpu", new Quantity(limCpu));
    }
    if (limMem != null) {
      b.addToLimits("memory", new Quantity(limMem));
    }
    return first(pod(b.endResources().build()));
  }

  @ParameterizedTest(name = "cpu {0} -> {1} cores")
  @CsvSource({
    "1,1.0",
    "250m,0.25",
    "100m,0.1",
    "1001m,1.01",
    "1m,0.01",
    "0,0.01",
    "2.5,2.5",
    "333m,0.34"
  })
  void cpuIsRoundedUpToHundredths(String cpu, double cores) {
    assertThat(withResources(cpu, "1Gi", null, null).resources().requests().cpu()).isEqualTo(cores);
  }

  @ParameterizedTest(name = "memory {0} -> {1} GB")
  @CsvSource({
    "1Gi,1.1",
    "1G,1.0",
    "512Mi,0.6",
    "128Mi,0.2",
    "1.5G,1.5",
    "1500M,1.5",
    "1500000001,1.6",
    "1,0.1",
    "4Gi,4.3"
  })
  void memoryIsRoundedUpToTenthsOfAGigabyte(String memory, double gb) {
    assertThat(withResources("1", memory, null, null).resources().requests().memoryInGB())
        .isEqualTo(gb);
  }

  @Test
  void roundingNeverGivesLessThanAsked() {
    for (String q : new String[] {"1Gi", "999Mi", "1234567891", "3.3G", "77Ki"}) {
      double gb = withResources("1", q, null, null).resources().requests().memoryInGB();
      BigDecimal asked = Quantity.getAmountInBytes(new Quantity(q));
      assertThat(BigDecimal.valueOf(gb).multiply(ResourceTranslator.BYTES_PER_GB))
          .isGreaterThanOrEqualTo(asked);
    }
  }

  @Test
  void noResourcesGiveTheNodeDefaults() {
    var r = first(pod()).resources();
    assertThat(r.requests().cpu()).isEqualTo(1.0);
    assertThat(r.requests().memoryInGB()).isEqualTo(1.5);
    assertThat(r.limits()).isNull();
  }

  @Test
  void nodeDefaultsCanBeChosen() {
    var node =
        new NodeContext(
            OperatingSystemTypes.LINUX,
            "r",
            "c",
            "vn-1",
            null,
            java.util.List.of(),
            new NodeContext.ResourceDefaults(new BigDecimal("0.5"), new BigDecimal("0.75")),
            NodeContext.GroupDefaults.ACI);
    var t =
        (TranslationResult.Translated) PodTranslator.translate(pod(), PodReferences.none(), node);
    var r = t.group().containers().get(0).resources().requests();
    assertThat(r.cpu()).isEqualTo(0.5);
    assertThat(r.memoryInGB()).isEqualTo(0.8);
  }

  @Test
  void limitsAreSentAndStandInForMissingRequests() {
    var r = withResources(null, null, "2", "2Gi").resources();
    assertThat(r.requests().cpu()).isEqualTo(2.0);
    assertThat(r.requests().memoryInGB()).isEqualTo(2.2);
    assertThat(r.limits().cpu()).isEqualTo(2.0);
    assertThat(r.limits().memoryInGB()).isEqualTo(2.2);
  }

  @Test
  void requestsAndLimitsApart() {
    var r = withResources("500m", "256Mi", "1500m", null).resources();
    assertThat(r.requests().cpu()).isEqualTo(0.5);
    assertThat(r.requests().memoryInGB()).isEqualTo(0.3);
    assertThat(r.limits().cpu()).isEqualTo(1.5);
    assertThat(r.limits().memoryInGB()).isNull();
  }

  @Test
  void oneResourceMissingTakesTheDefaultForThatOne() {
    var r = withResources("250m", null, null, null).resources();
    assertThat(r.requests().cpu()).isEqualTo(0.25);
    assertThat(r.requests().memoryInGB()).isEqualTo(1.5);
  }

  @Test
  void gpuIsAnError() {
    var pod =
        pod(
            container("app")
                .withNewResources()
                .addToLimits("nvidia.com/gpu", new Quantity("1"))
                .endResources()
                .build());
    assertThat(errors(pod))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.fieldPath())
                  .isEqualTo("spec.containers[0].resources.limits[nvidia.com/gpu]");
              assertThat(e.reason()).contains("GPU");
            });
  }

  @Test
  void aGpuRequestIsRefusedWithTheRetirement() {
    var pod =
        pod(
            container("app")
                .withNewResources()
                .addToRequests("nvidia.com/gpu", new Quantity("2"))
                .addToLimits("nvidia.com/gpu", new Quantity("2"))
                .endResources()
                .build());
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath, TranslationError::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "spec.containers[0].resources.requests[nvidia.com/gpu]",
                PodField.RESOURCE_GPU.reason()),
            org.assertj.core.groups.Tuple.tuple(
                "spec.containers[0].resources.limits[nvidia.com/gpu]",
                PodField.RESOURCE_GPU.reason()));
    assertThat(PodField.RESOURCE_GPU.reason()).contains("retired").contains("July 2025");
  }

  @Test
  void aZeroGpuAsksForNothing() {
    var t =
        Fixtures.translated(
            pod(
                container("app")
                    .withNewResources()
                    .addToLimits("nvidia.com/gpu", new Quantity("0"))
                    .endResources()
                    .build()));
    assertThat(t.group().containers().get(0).resources().requests().gpu()).isNull();
  }

  @Test
  void otherExtendedResourcesAreErrors() {
    var pod =
        pod(
            container("app")
                .withNewResources()
                .addToRequests("example.com/foo", new Quantity("1"))
                .endResources()
                .build());
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath)
        .containsExactly("spec.containers[0].resources.requests[example.com/foo]");
  }

  @Test
  void ephemeralStorageIsANotice() {
    var pod =
        pod(
            container("app")
                .withNewResources()
                .addToRequests("ephemeral-storage", new Quantity("1Gi"))
                .endResources()
                .build());
    assertThat(translated(pod).notices())
        .extracting(TranslationNotice::fieldPath)
        .containsExactly("spec.containers[0].resources.requests[ephemeral-storage]");
  }

  @Test
  void podLevelResourcesAreAnError() {
    var pod =
        new io.fabric8.kubernetes.api.model.PodBuilder(pod())
            .editSpec()
            .withNewResources()
            .addToLimits("cpu", new Quantity("1"))
            .endResources()
            .endSpec()
            .build();
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath)
        .containsExactly("spec.resources");
  }
}
