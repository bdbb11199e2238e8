package io.github.acivirtualnode.operator.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.controlplane.TestNamespace;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Projected and downwardAPI volumes end to end: the files the container group's secret volumes hold
 * in the emulator, decoded, and the projected token one the API server issued for the pod's service
 * account (checked with a TokenReview). Azure Files shares from inline, CSI and claimed volumes,
 * with the keys that reached ACI and that ARM does not return.
 */
@ExtendWith(KubernetesClusterExtension.class)
class PodVolumesIT {
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000cf";
  private static final String AUDIENCE = "avn-volumes-it";

  private static PodFixture fx;
  private static KubernetesClient client;

  @BeforeAll
  static void start(KubernetesClient kubernetes) {
    client = kubernetes;
    fx = PodFixture.start(kubernetes, SUBSCRIPTION, 100);
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void projectedAndDownwardApiVolumesReachTheGroupFileByFile(TestNamespace ns) {
    client
        .secrets()
        .inNamespace(ns.name())
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("creds")
                .endMetadata()
                .addToStringData("user", "alice")
                .addToStringData("unused", "not projected")
                .build())
        .create();
    client
        .configMaps()
        .inNamespace(ns.name())
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .endMetadata()
                .addToData("mode", "fast")
                .build())
        .create();
    client
        .serviceAccounts()
        .inNamespace(ns.name())
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("volumes-sa")
                .endMetadata()
                .build())
        .create();
    Pod pod =
        new PodBuilder(fx.pod("vols", ns.name()))
            .editMetadata()
            .addToLabels("app", "vols")
            .addToLabels("tier", "back")
            .addToAnnotations("note", "say \"hi\"")
            .endMetadata()
            .editSpec()
            .withServiceAccountName("volumes-sa")
            .withAutomountServiceAccountToken(false)
            .addNewVolume()
            .withName("all")
            .withNewProjected()
            .addNewSource()
            .withNewSecret()
            .withName("creds")
            .addNewItem("user", null, "user.txt")
            .endSecret()
            .endSource()
            .addNewSource()
            .withNewConfigMap()
            .withName("settings")
            .endConfigMap()
            .endSource()
            .addNewSource()
            .withNewDownwardAPI()
            .addNewItem()
            .withPath("podname")
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endItem()
            .endDownwardAPI()
            .endSource()
            .addNewSource()
            .withNewServiceAccountToken()
            .withAudience(AUDIENCE)
            .withExpirationSeconds(7200L)
            .withPath("token")
            .endServiceAccountToken()
            .endSource()
            .endProjected()
            .endVolume()
            .addNewVolume()
            .withName("info")
            .withNewDownwardAPI()
            .addNewItem()
            .withPath("labels")
            .withNewFieldRef()
            .withFieldPath("metadata.labels")
            .endFieldRef()
            .endItem()
            .addNewItem()
            .withPath("annotations")
            .withNewFieldRef()
            .withFieldPath("metadata.annotations")
            .endFieldRef()
            .endItem()
            .addNewItem()
            .withPath("uid")
            .withNewFieldRef()
            .withFieldPath("metadata.uid")
            .endFieldRef()
            .endItem()
            .addNewItem()
            .withPath("mem-limit-mi")
            .withNewResourceFieldRef()
            .withContainerName("main")
            .withResource("limits.memory")
            .withDivisor(new Quantity("1Mi"))
            .endResourceFieldRef()
            .endItem()
            .endDownwardAPI()
            .endVolume()
            .editFirstContainer()
            .withNewResources()
            .addToRequests("memory", new Quantity("512Mi"))
            .addToLimits("memory", new Quantity("512Mi"))
            .endResources()
            .addNewVolumeMount()
            .withName("all")
            .withMountPath("/etc/all")
            .withReadOnly(true)
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("info")
            .withMountPath("/etc/podinfo")
            .endVolumeMount()
            .endContainer()
            .endSpec()
            .build();
    pod = client.resource(pod).create();
    Pod running = fx.awaitPod(pod, PodFixture::running);

    String group = GroupNaming.groupName(running);
    JsonNode volumes =
        fx.emulator.storedVolumes(SUBSCRIPTION, PodFixture.RESOURCE_GROUP, group).orElseThrow();
    assertThat(volumes).hasSize(2);
    Map<String, String> all = files(volumes, "all");
    assertThat(all.keySet()).containsExactlyInAnyOrder("user.txt", "mode", "podname", "token");
    assertThat(all).containsEntry("user.txt", "alice");
    assertThat(all).containsEntry("mode", "fast");
    assertThat(all).containsEntry("podname", "vols");

    Map<String, String> info = files(volumes, "info");
    assertThat(info.keySet())
        .containsExactlyInAnyOrder("labels", "annotations", "uid", "mem-limit-mi");
    // Every label of the pod as the API server holds it (admission may add some), sorted.
    Map<String, String> labels = new TreeMap<>(running.getMetadata().getLabels());
    assertThat(labels).containsEntry("app", "vols").containsEntry("tier", "back");
    StringBuilder expected = new StringBuilder();
    labels.forEach(
        (k, v) -> expected.append(expected.isEmpty() ? "" : "\n").append(k + "=\"" + v + "\""));
    assertThat(info).containsEntry("labels", expected.toString());
    assertThat(info.get("labels")).startsWith("app=\"vols\"\n").contains("\ntier=\"back\"");
    assertThat(info).containsEntry("annotations", "note=\"say \\\"hi\\\"\"");
    assertThat(info).containsEntry("uid", running.getMetadata().getUid());
    assertThat(info).containsEntry("mem-limit-mi", "512");

    var mounts = fx.aci.get(group).orElseThrow().containers().get(0).volumeMounts();
    assertThat(mounts)
        .extracting(m -> m.name() + ":" + m.mountPath() + ":" + m.readOnly())
        .containsExactly("all:/etc/all:true", "info:/etc/podinfo:false");

    // The token is the API server's own, for the pod's service account, the audience and the pod.
    TokenReview review =
        client
            .resource(
                new TokenReviewBuilder()
                    .withNewSpec()
                    .withToken(all.get("token"))
                    .withAudiences(AUDIENCE)
                    .endSpec()
                    .build())
            .create();
    assertThat(review.getStatus().getAuthenticated()).isTrue();
    assertThat(review.getStatus().getAudiences()).containsExactly(AUDIENCE);
    assertThat(review.getStatus().getUser().getUsername())
        .isEqualTo("system:serviceaccount:" + ns.name() + ":volumes-sa");
    assertThat(review.getStatus().getUser().getExtra())
        .containsEntry("authentication.kubernetes.io/pod-name", java.util.List.of("vols"))
        .containsEntry(
            "authentication.kubernetes.io/pod-uid",
            java.util.List.of(running.getMetadata().getUid()));
    TokenReview otherAudience =
        client
            .resource(
                new TokenReviewBuilder()
                    .withNewSpec()
                    .withToken(all.get("token"))
                    .withAudiences("someone-else")
                    .endSpec()
                    .build())
            .create();
    assertThat(otherAudience.getStatus().getAuthenticated()).isNotEqualTo(Boolean.TRUE);

    // ACI cannot refresh the file: the pod says so with a Warning, without the token in it.
    PodFixture.awaitTrue(
        "a Warning ProviderNotice about the token",
        () ->
            client.v1().events().inNamespace(ns.name()).list().getItems().stream()
                .anyMatch(
                    e ->
                        "ProviderNotice".equals(e.getReason())
                            && "Warning".equals(e.getType())
                            && e.getMessage().contains("never refreshed")
                            && !e.getMessage().contains(all.get("token"))));

    fx.deleteAndAwaitGone(running);
  }

  @Test
  void azureFilesSharesReachTheGroupWithTheirKeysWhichArmNeverReturns(TestNamespace ns) {
    String storageNamespace = "avn-storage-" + UUID.randomUUID().toString().substring(0, 6);
    String pvName = "orders-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(storageNamespace)
                .endMetadata()
                .build())
        .create();
    try {
      client
          .resource(storageSecret(ns.name(), "inline-key", "inlinefiles", "aW5saW5lLWtleQ=="))
          .create();
      client.resource(storageSecret(ns.name(), "csi-key", "csifiles", "Y3NpLWtleQ==")).create();
      // A PersistentVolume's Secret may live in another namespace, as its administrator chose.
      client.resource(storageSecret(storageNamespace, "pv-key", "pvfiles", "cHYta2V5")).create();
      Pod pod =
          new PodBuilder(fx.pod("shares", ns.name()))
              .editSpec()
              .withAutomountServiceAccountToken(false)
              .addNewVolume()
              .withName("inline")
              .withNewAzureFile()
              .withShareName("inline-share")
              .withSecretName("inline-key")
              .withReadOnly(true)
              .endAzureFile()
              .endVolume()
              .addNewVolume()
              .withName("csi")
              .withNewCsi()
              .withDriver("file.csi.azure.com")
              .withVolumeAttributes(Map.of("shareName", "csi-share"))
              .withNewNodePublishSecretRef("csi-key")
              .endCsi()
              .endVolume()
              .addNewVolume()
              .withName("claimed")
              .withNewPersistentVolumeClaim("orders-claim", false)
              .endVolume()
              .editFirstContainer()
              .addNewVolumeMount()
              .withName("inline")
              .withMountPath("/mnt/inline")
              .endVolumeMount()
              .addNewVolumeMount()
              .withName("csi")
              .withMountPath("/mnt/csi")
              .endVolumeMount()
              .addNewVolumeMount()
              .withName("claimed")
              .withMountPath("/mnt/orders")
              .endVolumeMount()
              .endContainer()
              .endSpec()
              .build();
      pod = client.resource(pod).create();

      // No claim yet: the pod waits, as on a kubelet, saying for what.
      Pod waiting =
          fx.awaitPod(
              pod,
              p ->
                  p.getStatus().getContainerStatuses() != null
                      && p.getStatus().getContainerStatuses().stream()
                          .anyMatch(
                              c ->
                                  c.getState().getWaiting() != null
                                      && GroupCreator.CREATE_CONFIG_ERROR.equals(
                                          c.getState().getWaiting().getReason())
                                      && c.getState()
                                          .getWaiting()
                                          .getMessage()
                                          .contains("PersistentVolumeClaim \"orders-claim\"")));
      assertThat(waiting.getStatus().getPhase()).isEqualTo("Pending");
      assertThat(fx.groupsOf(waiting.getMetadata().getUid())).isEmpty();

      client
          .persistentVolumes()
          .resource(
              new PersistentVolumeBuilder()
                  .withNewMetadata()
                  .withName(pvName)
                  .endMetadata()
                  .withNewSpec()
                  .addToCapacity("storage", new Quantity("5Gi"))
                  .withAccessModes("ReadWriteMany")
                  .withStorageClassName("")
                  .withPersistentVolumeReclaimPolicy("Retain")
                  .withNewClaimRef()
                  .withNamespace(ns.name())
                  .withName("orders-claim")
                  .endClaimRef()
                  .withNewCsi()
                  .withDriver("file.csi.azure.com")
                  .withVolumeHandle("rg-storage#pvfiles#orders-share##" + pvName)
                  .withReadOnly(true)
                  .withNewNodeStageSecretRef("pv-key", storageNamespace)
                  .endCsi()
                  .endSpec()
                  .build())
          .create();
      client
          .persistentVolumeClaims()
          .inNamespace(ns.name())
          .resource(
              new PersistentVolumeClaimBuilder()
                  .withNewMetadata()
                  .withName("orders-claim")
                  .endMetadata()
                  .withNewSpec()
                  .withAccessModes("ReadWriteMany")
                  .withStorageClassName("")
                  .withVolumeName(pvName)
                  .withNewResources()
                  .addToRequests("storage", new Quantity("5Gi"))
                  .endResources()
                  .endSpec()
                  .build())
          .create();

      Pod running = fx.awaitPod(pod, PodFixture::running);
      String group = GroupNaming.groupName(running);
      JsonNode stored =
          fx.emulator.storedVolumes(SUBSCRIPTION, PodFixture.RESOURCE_GROUP, group).orElseThrow();
      Map<String, String> shares = new TreeMap<>();
      stored.forEach(
          v ->
              shares.put(
                  v.path("name").asText(),
                  v.path("azureFile").path("shareName").asText()
                      + " "
                      + v.path("azureFile").path("storageAccountName").asText()
                      + " "
                      + v.path("azureFile").path("storageAccountKey").asText()
                      + " "
                      + v.path("azureFile").path("readOnly").asBoolean()));
      assertThat(shares)
          .containsExactly(
              Map.entry("claimed", "orders-share pvfiles cHYta2V5 true"),
              Map.entry("csi", "csi-share csifiles Y3NpLWtleQ== false"),
              Map.entry("inline", "inline-share inlinefiles aW5saW5lLWtleQ== true"));

      // ARM returns the shares without their keys.
      var fromArm = fx.aci.get(group).orElseThrow();
      assertThat(fromArm.volumes())
          .extracting(
              v ->
                  v.name()
                      + " "
                      + v.azureFile().shareName()
                      + " "
                      + v.azureFile().storageAccountKey())
          .containsExactlyInAnyOrder(
              "inline inline-share null", "csi csi-share null", "claimed orders-share null");
      assertThat(fromArm.containers().get(0).volumeMounts())
          .extracting(m -> m.name() + ":" + m.mountPath())
          .containsExactly("inline:/mnt/inline", "csi:/mnt/csi", "claimed:/mnt/orders");
      fx.deleteAndAwaitGone(running);
    } finally {
      client.persistentVolumes().withName(pvName).delete();
      client.namespaces().withName(storageNamespace).delete();
    }
  }

  private static Secret storageSecret(String namespace, String name, String account, String key) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .addToStringData("azurestorageaccountname", account)
        .addToStringData("azurestorageaccountkey", key)
        .build();
  }

  /** A secret volume's files, decoded. */
  private static Map<String, String> files(JsonNode volumes, String name) {
    for (JsonNode volume : volumes) {
      if (volume.path("name").asText().equals(name)) {
        assertThat(volume.path("secret").isObject()).as(name + " is a secret volume").isTrue();
        Map<String, String> files = new TreeMap<>();
        volume
            .get("secret")
            .properties()
            .forEach(
                e ->
                    files.put(
                        e.getKey(),
                        new String(
                            Base64.getDecoder().decode(e.getValue().asText()),
                            StandardCharsets.UTF_8)));
        return files;
      }
    }
    throw new AssertionError("no volume " + name + " in " + volumes);
  }
}
