package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.b64;
import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.errors;
import static io.github.acivirtualnode.operator.translation.Fixtures.pod;
import static io.github.acivirtualnode.operator.translation.Fixtures.translated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.azure.resourcemanager.containerinstance.models.ContainerGroupPriority;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupSku;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import com.azure.resourcemanager.containerinstance.models.ResourceIdentityType;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GroupSettingsTest {
  private static final String IDENTITY =
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-1/providers/"
          + "Microsoft.ManagedIdentity/userAssignedIdentities/web-identity";
  private static final String POLICY = b64("package policy\nallow_all := true");

  private static Pod annotated(Map<String, String> annotations) {
    return new PodBuilder(pod()).editMetadata().addToAnnotations(annotations).endMetadata().build();
  }

  private static String path(String annotation) {
    return "metadata.annotations[" + annotation + "]";
  }

  private static List<TranslationError> errorsOn(Pod pod, NodeContext node) {
    return ((TranslationResult.Rejected) PodTranslator.translate(pod, PodReferences.none(), node))
        .errors();
  }

  @Test
  void withoutAnnotationsTheGroupHasNoneOfTheSettings() {
    var group = translated(pod()).group();
    assertThat(group.priority()).isNull();
    assertThat(group.sku()).isNull();
    assertThat(group.confidentialComputeProperties()).isNull();
    assertThat(group.zones()).isNull();
    assertThat(group.identity()).isNull();
  }

  @ParameterizedTest
  @CsvSource({"Spot, Spot", "spot, Spot", "Regular, Regular", "' Regular ', Regular"})
  void priorityIsTheGroups(String value, String expected) {
    var group = translated(annotated(Map.of(GroupSettings.PRIORITY, value))).group();
    assertThat(group.priority()).isEqualTo(ContainerGroupPriority.fromString(expected));
  }

  @Test
  void aSpotNodeMakesSpotGroupsUnlessThePodSaysRegular() {
    var spotNode =
        Fixtures.NODE.withGroupDefaults(
            new NodeContext.GroupDefaults(ContainerGroupPriority.SPOT, null));
    var spot =
        (TranslationResult.Translated)
            PodTranslator.translate(pod(), PodReferences.none(), spotNode);
    assertThat(spot.group().priority()).isEqualTo(ContainerGroupPriority.SPOT);
    var regular =
        (TranslationResult.Translated)
            PodTranslator.translate(
                annotated(Map.of(GroupSettings.PRIORITY, "Regular")),
                PodReferences.none(),
                spotNode);
    assertThat(regular.group().priority()).isEqualTo(ContainerGroupPriority.REGULAR);
  }

  @Test
  void aSpotNodesLimitsApplyToItsPods() {
    var spotNode =
        Fixtures.NODE.withGroupDefaults(
            new NodeContext.GroupDefaults(ContainerGroupPriority.SPOT, null));
    Pod pod = annotated(Map.of(GroupSettings.SKU, "Confidential"));
    assertThat(errorsOn(pod, spotNode))
        .extracting(TranslationError::reason)
        .containsExactly(PodField.SPOT_CONFIDENTIAL.reason());
  }

  @Test
  void aConfidentialNodeMakesConfidentialGroupsAndTakesThePodsPolicy() {
    var node =
        Fixtures.NODE.withGroupDefaults(
            new NodeContext.GroupDefaults(null, ContainerGroupSku.CONFIDENTIAL));
    var t =
        (TranslationResult.Translated)
            PodTranslator.translate(
                annotated(Map.of(GroupSettings.CCE_POLICY, POLICY)), PodReferences.none(), node);
    assertThat(t.group().sku()).isEqualTo(ContainerGroupSku.CONFIDENTIAL);
    assertThat(t.group().confidentialComputeProperties().ccePolicy()).isEqualTo(POLICY);
  }

  @Test
  void anUnknownPriorityIsInvalid() {
    assertThat(errors(annotated(Map.of(GroupSettings.PRIORITY, "Low"))))
        .extracting(TranslationError::kind, TranslationError::fieldPath, TranslationError::reason)
        .containsExactly(
            tuple(
                TranslationError.Kind.INVALID,
                path(GroupSettings.PRIORITY),
                "'Low' is not a priority: Regular or Spot"));
  }

  @Test
  void spotWithConfidentialIsRefused() {
    Pod pod = annotated(Map.of(GroupSettings.PRIORITY, "Spot", GroupSettings.SKU, "Confidential"));
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath, TranslationError::reason)
        .containsExactly(tuple(path(GroupSettings.PRIORITY), PodField.SPOT_CONFIDENTIAL.reason()));
  }

  @Test
  void spotWithContainerPortsIsRefusedAsItWouldNeedAPublicIp() {
    Pod pod =
        new PodBuilder(
                pod(
                    container("web")
                        .withPorts(new ContainerPortBuilder().withContainerPort(80).build())
                        .build()))
            .editMetadata()
            .addToAnnotations(GroupSettings.PRIORITY, "Spot")
            .endMetadata()
            .build();
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath, TranslationError::reason)
        .containsExactly(tuple(path(GroupSettings.PRIORITY), PodField.SPOT_PUBLIC_IP.reason()));
  }

  @Test
  void spotOnAVnetNodeIsRefused() {
    var vnet =
        new NodeContext(
            OperatingSystemTypes.LINUX,
            "westeurope",
            "cluster-uid",
            "vn-1",
            null,
            java.util.List.of(Fixtures.SUBNET_ID),
            NodeContext.ResourceDefaults.ACI,
            NodeContext.GroupDefaults.ACI);
    assertThat(errorsOn(annotated(Map.of(GroupSettings.PRIORITY, "Spot")), vnet))
        .extracting(TranslationError::fieldPath, TranslationError::reason)
        .containsExactly(tuple(path(GroupSettings.PRIORITY), PodField.SPOT_VNET.reason()));
  }

  @Test
  void spotOutsideItsRegionsIsRefusedNamingThem() {
    var node =
        NodeContext.of(OperatingSystemTypes.LINUX, "northeurope", "cluster-uid", "vn-1", null);
    assertThat(errorsOn(annotated(Map.of(GroupSettings.PRIORITY, "Spot")), node))
        .extracting(TranslationError::reason)
        .containsExactly(
            "ACI offers Spot container groups only in eastus2, westeurope, westus, not in"
                + " northeurope");
  }

  @ParameterizedTest
  @CsvSource({"4.5, 2Gi", "1, 17G"})
  void spotAboveFourCpuOrSixteenGbIsRefused(String cpu, String memory) {
    Pod pod =
        new PodBuilder(
                pod(
                    container("app")
                        .withNewResources()
                        .addToRequests("cpu", new Quantity(cpu))
                        .addToRequests("memory", new Quantity(memory))
                        .endResources()
                        .build()))
            .editMetadata()
            .addToAnnotations(GroupSettings.PRIORITY, "Spot")
            .endMetadata()
            .build();
    assertThat(errors(pod))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.fieldPath()).isEqualTo(path(GroupSettings.PRIORITY));
              assertThat(e.reason())
                  .startsWith("a Spot container group has at most 4 vCPU and 16 GB");
            });
  }

  @Test
  void spotAtExactlyFourCpuAndSixteenGbIsAccepted() {
    Pod pod =
        new PodBuilder(
                pod(
                    container("app")
                        .withNewResources()
                        .addToRequests("cpu", new Quantity("4"))
                        .addToRequests("memory", new Quantity("16G"))
                        .endResources()
                        .build()))
            .editMetadata()
            .addToAnnotations(GroupSettings.PRIORITY, "Spot")
            .endMetadata()
            .build();
    assertThat(translated(pod).group().priority()).isEqualTo(ContainerGroupPriority.SPOT);
  }

  @Test
  void confidentialCarriesItsPolicy() {
    var group =
        translated(
                annotated(
                    Map.of(GroupSettings.SKU, "Confidential", GroupSettings.CCE_POLICY, POLICY)))
            .group();
    assertThat(group.sku()).isEqualTo(ContainerGroupSku.CONFIDENTIAL);
    assertThat(group.confidentialComputeProperties().ccePolicy()).isEqualTo(POLICY);
  }

  @Test
  void confidentialWithoutAPolicyLeavesItToAci() {
    var group = translated(annotated(Map.of(GroupSettings.SKU, "confidential"))).group();
    assertThat(group.sku()).isEqualTo(ContainerGroupSku.CONFIDENTIAL);
    assertThat(group.confidentialComputeProperties()).isNull();
  }

  @Test
  void standardSkuIsTheGroups() {
    assertThat(translated(annotated(Map.of(GroupSettings.SKU, "Standard"))).group().sku())
        .isEqualTo(ContainerGroupSku.STANDARD);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dedicated", "Premium", ""})
  void otherSkusAreInvalid(String sku) {
    assertThat(errors(annotated(Map.of(GroupSettings.SKU, sku))))
        .extracting(TranslationError::kind, TranslationError::fieldPath)
        .containsExactly(tuple(TranslationError.Kind.INVALID, path(GroupSettings.SKU)));
  }

  @Test
  void aPolicyWithoutConfidentialIsRefused() {
    assertThat(errors(annotated(Map.of(GroupSettings.CCE_POLICY, POLICY))))
        .extracting(TranslationError::fieldPath, TranslationError::reason)
        .containsExactly(
            tuple(
                path(GroupSettings.CCE_POLICY), PodField.CCE_POLICY_WITHOUT_CONFIDENTIAL.reason()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not base64!", "  "})
  void aPolicyThatIsNotBase64IsInvalid(String policy) {
    assertThat(
            errors(
                annotated(
                    Map.of(GroupSettings.SKU, "Confidential", GroupSettings.CCE_POLICY, policy))))
        .extracting(TranslationError::kind, TranslationError::fieldPath)
        .containsExactly(tuple(TranslationError.Kind.INVALID, path(GroupSettings.CCE_POLICY)));
  }

  @Test
  void confidentialOnWindowsIsRefused() {
    var windows =
        NodeContext.of(OperatingSystemTypes.WINDOWS, "westeurope", "cluster-uid", "vn-1", null);
    assertThat(errorsOn(annotated(Map.of(GroupSettings.SKU, "Confidential")), windows))
        .extracting(TranslationError::fieldPath, TranslationError::reason)
        .containsExactly(tuple(path(GroupSettings.SKU), PodField.CONFIDENTIAL_WINDOWS.reason()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "2", " 3 "})
  void aZoneIsTheGroupsOnlyZone(String zone) {
    assertThat(translated(annotated(Map.of(GroupSettings.ZONE, zone))).group().zones())
        .containsExactly(zone.trim());
  }

  @ParameterizedTest
  @ValueSource(strings = {"1,2", "4", "westeurope-1", ""})
  void anythingButOneZoneIsInvalid(String zone) {
    assertThat(errors(annotated(Map.of(GroupSettings.ZONE, zone))))
        .extracting(TranslationError::kind, TranslationError::fieldPath)
        .containsExactly(tuple(TranslationError.Kind.INVALID, path(GroupSettings.ZONE)));
  }

  @Test
  void managedIdentitiesAreUserAssignedIdentitiesOfTheGroup() {
    String second = IDENTITY.replace("web-identity", "db-reader");
    var identity =
        translated(annotated(Map.of(GroupSettings.MANAGED_IDENTITIES, IDENTITY + ", " + second)))
            .group()
            .identity();
    assertThat(identity.type()).isEqualTo(ResourceIdentityType.USER_ASSIGNED);
    assertThat(identity.userAssignedIdentities()).containsOnlyKeys(IDENTITY, second);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "web-identity",
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-1/providers/"
            + "Microsoft.Compute/virtualMachines/vm-1",
        ",",
      })
  void anIdentityThatIsNotAUserAssignedIdentityIdIsInvalid(String ids) {
    assertThat(errors(annotated(Map.of(GroupSettings.MANAGED_IDENTITIES, ids))))
        .extracting(TranslationError::kind, TranslationError::fieldPath)
        .containsExactly(
            tuple(TranslationError.Kind.INVALID, path(GroupSettings.MANAGED_IDENTITIES)));
  }

  @Test
  void everySettingTogetherOnAnAcceptedSpotPod() {
    var group =
        translated(
                annotated(
                    Map.of(
                        GroupSettings.PRIORITY, "Spot",
                        GroupSettings.ZONE, "2",
                        GroupSettings.MANAGED_IDENTITIES, IDENTITY)))
            .group();
    assertThat(group.priority()).isEqualTo(ContainerGroupPriority.SPOT);
    assertThat(group.zones()).containsExactly("2");
    assertThat(group.identity().userAssignedIdentities()).containsOnlyKeys(IDENTITY);
    assertThat(group.ipAddress()).isNull();
  }
}
