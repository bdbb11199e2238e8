package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.errors;
import static io.github.acivirtualnode.operator.translation.Fixtures.podBuilder;
import static io.github.acivirtualnode.operator.translation.Fixtures.secret;
import static io.github.acivirtualnode.operator.translation.Fixtures.translated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.azure.resourcemanager.containerinstance.models.AzureFileVolume;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Azure Files shares from inline azureFile and CSI volumes and from PersistentVolumeClaims. */
class AzureFileVolumeTest {
  private static final String KEY = "c2VjcmV0LXN0b3JhZ2Uta2V5PT0=";
  private static final Secret STORAGE =
      secret(
          "storage",
          Map.of(
              AzureFileVolumes.ACCOUNT_NAME_KEY,
              "shopfiles",
              AzureFileVolumes.ACCOUNT_KEY_KEY,
              KEY));

  private static Pod pod(Volume volume, boolean readOnlyMount) {
    return podBuilder(
            Fixtures.container("app")
                .addNewVolumeMount()
                .withName(volume.getName())
                .withMountPath("/data")
                .withReadOnly(readOnlyMount)
                .endVolumeMount()
                .build())
        .editSpec()
        .addToVolumes(volume)
        .endSpec()
        .build();
  }

  private static Pod pod(Volume volume) {
    return pod(volume, false);
  }

  private static AzureFileVolume share(Pod pod, PodReferences refs) {
    var group = translated(pod, refs).group();
    assertThat(group.volumes()).hasSize(1);
    assertThat(group.containers().get(0).volumeMounts())
        .extracting(m -> m.name() + " " + m.mountPath())
        .containsExactly("data /data");
    return group.volumes().get(0).azureFile();
  }

  private static Volume inline(String secretName, Boolean readOnly) {
    return new VolumeBuilder()
        .withName("data")
        .withNewAzureFile()
        .withShareName("orders")
        .withSecretName(secretName)
        .withReadOnly(readOnly)
        .endAzureFile()
        .build();
  }

  private static Volume csi(Map<String, String> attributes, String publishSecret) {
    var b =
        new VolumeBuilder()
            .withName("data")
            .withNewCsi()
            .withDriver(AzureFileVolumes.CSI_DRIVER)
            .withVolumeAttributes(attributes);
    if (publishSecret != null) {
      b.withNewNodePublishSecretRef(publishSecret);
    }
    return b.endCsi().build();
  }

  @Test
  void anInlineAzureFileVolumeCarriesTheShareAndTheSecretsAccount() {
    AzureFileVolume share = share(pod(inline("storage", true)), Fixtures.refs(STORAGE));
    assertThat(share.shareName()).isEqualTo("orders");
    assertThat(share.storageAccountName()).isEqualTo("shopfiles");
    assertThat(share.storageAccountKey()).isEqualTo(KEY);
    assertThat(share.readOnly()).isTrue();
    assertThat(share(pod(inline("storage", null)), Fixtures.refs(STORAGE)).readOnly()).isFalse();
    assertThat(PodReferences.referencedBy(pod(inline("storage", null))).secrets())
        .containsExactly("storage");
  }

  @Test
  void anInlineVolumeWithoutItsSecretOrKeysWaitsForThem() {
    assertThat(errors(pod(inline("storage", null)), PodReferences.none()))
        .extracting(TranslationError::fieldPath, TranslationError::kind, TranslationError::reason)
        .containsExactly(
            tuple(
                "spec.volumes[0].azureFile.secretName",
                TranslationError.Kind.MISSING_REFERENCE,
                "Secret \"storage\" not found"));
    Secret noKey = secret("storage", Map.of(AzureFileVolumes.ACCOUNT_NAME_KEY, "shopfiles"));
    assertThat(errors(pod(inline("storage", null)), Fixtures.refs(noKey)))
        .extracting(TranslationError::kind, TranslationError::reason)
        .containsExactly(
            tuple(
                TranslationError.Kind.MISSING_REFERENCE,
                "key \"azurestorageaccountkey\" not found in Secret \"storage\""));
  }

  @Test
  void anInlineVolumeNeedsAShareAndASecretName() {
    Volume noShare =
        new VolumeBuilder()
            .withName("data")
            .withNewAzureFile()
            .withSecretName("s")
            .endAzureFile()
            .build();
    assertThat(errors(pod(noShare), Fixtures.refs(STORAGE)))
        .extracting(TranslationError::fieldPath, TranslationError::kind)
        .containsExactly(
            tuple("spec.volumes[0].azureFile.shareName", TranslationError.Kind.INVALID));
    Volume noSecret =
        new VolumeBuilder()
            .withName("data")
            .withNewAzureFile()
            .withShareName("s")
            .endAzureFile()
            .build();
    assertThat(errors(pod(noSecret), Fixtures.refs(STORAGE)))
        .extracting(TranslationError::fieldPath)
        .containsExactly("spec.volumes[0].azureFile.secretName");
  }

  @Test
  void theCsiDriversInlineVolumeTakesItsSecretFromPublishRefOrAttributes() {
    AzureFileVolume byRef = share(pod(csi(Map.of("shareName", "orders"), "storage")), refsOf());
    assertThat(byRef.shareName()).isEqualTo("orders");
    assertThat(byRef.storageAccountKey()).isEqualTo(KEY);
    // Attribute names are case-insensitive, as the driver reads them.
    Volume byAttribute = csi(Map.of("ShareName", "orders", "secretname", "storage"), null);
    assertThat(share(pod(byAttribute), refsOf()).storageAccountName()).isEqualTo("shopfiles");
    assertThat(PodReferences.referencedBy(pod(byAttribute)).secrets()).containsExactly("storage");
    // Without a secretName, the driver's default name for the storage account.
    Volume byDefault = csi(Map.of("shareName", "orders", "storageAccount", "shopfiles"), null);
    assertThat(PodReferences.referencedBy(pod(byDefault)).secrets())
        .containsExactly("azure-storage-account-shopfiles-secret");
    Secret keyOnly =
        secret(
            "azure-storage-account-shopfiles-secret",
            Map.of(AzureFileVolumes.ACCOUNT_KEY_KEY, KEY));
    AzureFileVolume fromDefault = share(pod(byDefault), Fixtures.refs(keyOnly));
    assertThat(fromDefault.storageAccountName()).isEqualTo("shopfiles");
    assertThat(fromDefault.storageAccountKey()).isEqualTo(KEY);
  }

  @Test
  void csiVolumesThatAciCannotMountAreRefusedNamingTheAttribute() {
    assertThat(
            errors(
                pod(csi(Map.of("shareName", "o", "secretNamespace", "kube-system"), "storage")),
                refsOf()))
        .extracting(TranslationError::fieldPath, TranslationError::kind)
        .containsExactly(
            tuple(
                "spec.volumes[0].csi.volumeAttributes.secretNamespace",
                TranslationError.Kind.UNSUPPORTED));
    // The pod's own namespace is no other namespace.
    assertThat(
            share(
                pod(csi(Map.of("shareName", "o", "secretNamespace", "shop"), "storage")), refsOf()))
        .isNotNull();
    assertThat(errors(pod(csi(Map.of("shareName", "o", "protocol", "nfs"), "storage")), refsOf()))
        .extracting(TranslationError::fieldPath, TranslationError::reason)
        .containsExactly(
            tuple(
                "spec.volumes[0].csi.volumeAttributes",
                "protocol \"nfs\": " + PodField.VOLUME_AZURE_FILE_PROTOCOL.reason()));
    assertThat(errors(pod(csi(Map.of(), "storage")), refsOf()))
        .extracting(TranslationError::fieldPath, TranslationError::kind)
        .containsExactly(
            tuple("spec.volumes[0].csi.volumeAttributes", TranslationError.Kind.INVALID));
    assertThat(errors(pod(csi(Map.of("shareName", "o"), null)), refsOf()))
        .extracting(TranslationError::kind, TranslationError::reason)
        .singleElement()
        .satisfies(e -> assertThat(e.toList().get(1).toString()).contains("needs a Secret"));
  }

  @Test
  void mountOptionsAreIgnoredWithAWarning() {
    var t =
        translated(
            pod(csi(Map.of("shareName", "o", "mountOptions", "dir_mode=0777"), "storage")),
            refsOf());
    assertThat(t.notices())
        .extracting(TranslationNotice::fieldPath)
        .contains("spec.volumes[0].csi.volumeAttributes.mountOptions");
  }

  // --- PersistentVolumeClaims ---

  private static Volume claimVolume(boolean readOnly) {
    return new VolumeBuilder()
        .withName("data")
        .withNewPersistentVolumeClaim("orders-claim", readOnly)
        .build();
  }

  private static PersistentVolumeClaim claim(String volumeName, String phase) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withNamespace("shop")
        .withName("orders-claim")
        .withUid("claim-uid")
        .endMetadata()
        .withNewSpec()
        .withVolumeName(volumeName)
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .endStatus()
        .build();
  }

  private static PersistentVolumeBuilder boundVolume(String claimNamespace, String claimName) {
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName("orders-pv")
        .endMetadata()
        .withNewSpec()
        .withClaimRef(
            new ObjectReferenceBuilder()
                .withNamespace(claimNamespace)
                .withName(claimName)
                .withUid("claim-uid")
                .build())
        .endSpec();
  }

  private static PersistentVolume azureFilePv(String secretNamespace, Boolean readOnly) {
    return boundVolume("shop", "orders-claim")
        .editSpec()
        .withNewAzureFile()
        .withShareName("orders")
        .withSecretName("storage")
        .withSecretNamespace(secretNamespace)
        .withReadOnly(readOnly)
        .endAzureFile()
        .endSpec()
        .build();
  }

  private static PersistentVolume csiPv(Map<String, String> attributes, boolean withStageRef) {
    var csi =
        boundVolume("shop", "orders-claim")
            .editSpec()
            .withNewCsi()
            .withDriver(AzureFileVolumes.CSI_DRIVER)
            .withVolumeHandle("rg#shopfiles#orders-share##uuid")
            .withVolumeAttributes(attributes);
    if (withStageRef) {
      csi.withNewNodeStageSecretRef("storage", "storage-ns");
    }
    return csi.endCsi().endSpec().build();
  }

  private static PodReferences refs(
      PersistentVolumeClaim claim,
      PersistentVolume pv,
      PodReferences.SecretRef secretRef,
      Secret secret) {
    Map<PodReferences.SecretRef, Secret> secrets = new HashMap<>();
    if (secretRef != null && secret != null) {
      secrets.put(secretRef, secret);
    }
    return new PodReferences(
        Map.of(),
        Map.of(),
        Map.of(),
        claim == null ? Map.of() : Map.of("orders-claim", claim),
        pv == null ? Map.of() : Map.of(pv.getMetadata().getName(), pv),
        secrets);
  }

  private static PodReferences refsOf() {
    return Fixtures.refs(STORAGE);
  }

  @Test
  void aClaimBoundToAnAzureFilePersistentVolumeMountsItsShare() {
    PersistentVolume pv = azureFilePv("storage-ns", true);
    PodReferences.SecretRef ref = PodReferences.secretOf(pv, "shop");
    assertThat(ref).isEqualTo(new PodReferences.SecretRef("storage-ns", "storage"));
    AzureFileVolume share =
        share(pod(claimVolume(false)), refs(claim("orders-pv", "Bound"), pv, ref, STORAGE));
    assertThat(share.shareName()).isEqualTo("orders");
    assertThat(share.storageAccountName()).isEqualTo("shopfiles");
    assertThat(share.storageAccountKey()).isEqualTo(KEY);
    assertThat(share.readOnly()).isTrue();
    assertThat(PodReferences.referencedBy(pod(claimVolume(false))).claims())
        .containsExactly("orders-claim");
    // Without a secretNamespace, the claim's.
    assertThat(PodReferences.secretOf(azureFilePv(null, null), "shop"))
        .isEqualTo(new PodReferences.SecretRef("shop", "storage"));
  }

  @Test
  void aClaimBoundToACsiPersistentVolumeTakesTheShareFromAttributesOrHandle() {
    PersistentVolume fromHandle = csiPv(Map.of(), true);
    PodReferences.SecretRef ref = PodReferences.secretOf(fromHandle, "shop");
    assertThat(ref).isEqualTo(new PodReferences.SecretRef("storage-ns", "storage"));
    Secret keyOnly = secret("storage", Map.of(AzureFileVolumes.ACCOUNT_KEY_KEY, KEY));
    AzureFileVolume share =
        share(pod(claimVolume(true)), refs(claim("orders-pv", "Bound"), fromHandle, ref, keyOnly));
    assertThat(share.shareName()).isEqualTo("orders-share");
    assertThat(share.storageAccountName()).isEqualTo("shopfiles");
    assertThat(share.readOnly()).isTrue();

    PersistentVolume fromAttributes =
        csiPv(Map.of("shareName", "orders", "secretName", "storage"), false);
    PodReferences.SecretRef attributeRef = PodReferences.secretOf(fromAttributes, "shop");
    assertThat(attributeRef).isEqualTo(new PodReferences.SecretRef("shop", "storage"));
    AzureFileVolume attributed =
        share(
            pod(claimVolume(false)),
            refs(claim("orders-pv", "Bound"), fromAttributes, attributeRef, STORAGE));
    assertThat(attributed.shareName()).isEqualTo("orders");
    assertThat(attributed.readOnly()).isFalse();
  }

  @Test
  void aMissingOrUnboundClaimOrVolumeOrSecretMakesThePodWait() {
    PersistentVolume pv = azureFilePv(null, null);
    var ref = PodReferences.secretOf(pv, "shop");
    Map<String, PodReferences> cases =
        Map.of(
            "PersistentVolumeClaim \"orders-claim\" not found",
            refs(null, null, null, null),
            "PersistentVolumeClaim \"orders-claim\" is not bound yet",
            refs(claim(null, "Pending"), null, null, null),
            "PersistentVolume \"orders-pv\" of claim \"orders-claim\" not found",
            refs(claim("orders-pv", "Bound"), null, null, null),
            "Secret \"storage\" in namespace \"shop\" (of PersistentVolume \"orders-pv\") not found",
            refs(claim("orders-pv", "Bound"), pv, null, null),
            "PersistentVolume \"orders-pv\" is not bound to claim \"orders-claim\" (its claimRef"
                + " names another)",
            refs(
                claim("orders-pv", "Bound"),
                boundVolume("other", "orders-claim")
                    .editSpec()
                    .withNewAzureFile()
                    .withShareName("orders")
                    .withSecretName("storage")
                    .endAzureFile()
                    .endSpec()
                    .build(),
                ref,
                STORAGE));
    cases.forEach(
        (reason, refs) ->
            assertThat(errors(pod(claimVolume(false)), refs))
                .as(reason)
                .extracting(
                    TranslationError::fieldPath, TranslationError::kind, TranslationError::reason)
                .containsExactly(
                    tuple(
                        "spec.volumes[0].persistentVolumeClaim.claimName",
                        TranslationError.Kind.MISSING_REFERENCE,
                        reason)));
  }

  @Test
  void aClaimBoundToAnyOtherVolumeIsRefusedNamingIt() {
    PersistentVolume nfs =
        boundVolume("shop", "orders-claim")
            .editSpec()
            .withNewNfs()
            .withServer("n")
            .withPath("/x")
            .endNfs()
            .endSpec()
            .build();
    PersistentVolume block =
        new PersistentVolumeBuilder(azureFilePv(null, null))
            .editSpec()
            .withVolumeMode("Block")
            .endSpec()
            .build();
    PersistentVolume otherDriver =
        boundVolume("shop", "orders-claim")
            .editSpec()
            .withNewCsi()
            .withDriver("disk.csi.azure.com")
            .withVolumeHandle("h")
            .endCsi()
            .endSpec()
            .build();
    for (PersistentVolume pv : List.of(nfs, block, otherDriver)) {
      assertThat(
              errors(
                  pod(claimVolume(false)),
                  refs(
                      claim("orders-pv", "Bound"),
                      pv,
                      new PodReferences.SecretRef("shop", "storage"),
                      STORAGE)))
          .as(pv.getSpec().toString())
          .extracting(TranslationError::kind, TranslationError::reason)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.toList().get(0)).isEqualTo(TranslationError.Kind.UNSUPPORTED);
                assertThat(e.toList().get(1).toString())
                    .startsWith("PersistentVolume \"orders-pv\"")
                    .endsWith(PodField.VOLUME_CLAIM_OTHER.reason());
              });
    }
  }

  @Test
  void volumesOnWindowsNodesAreStillRefused() {
    var windows =
        NodeContext.of(
            com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes.WINDOWS,
            "westeurope",
            "c",
            "vn-1",
            null);
    var result = PodTranslator.translate(pod(inline("storage", null)), refsOf(), windows);
    assertThat(((TranslationResult.Rejected) result).errors())
        .extracting(TranslationError::reason)
        .contains(PodField.VOLUMES_WINDOWS.reason());
  }
}
