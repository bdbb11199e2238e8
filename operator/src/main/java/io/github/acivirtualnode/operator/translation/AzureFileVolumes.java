package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.models.AzureFileVolume;
import io.fabric8.kubernetes.api.model.AzureFileVolumeSource;
import io.fabric8.kubernetes.api.model.CSIPersistentVolumeSource;
import io.fabric8.kubernetes.api.model.CSIVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Locale;
import java.util.Map;

/**
 * Azure Files shares, the one kind of network storage ACI mounts, from each way a pod can name one:
 * an inline {@code azureFile} volume, an inline CSI volume of the Azure Files driver ({@code
 * file.csi.azure.com}), and a PersistentVolumeClaim bound to a PersistentVolume of either kind. ACI
 * wants the share, the storage account's name and its key; the key comes from a Secret with the
 * keys the kubelet's Azure Files plugin and the CSI driver read ({@code azurestorageaccountname},
 * {@code azurestorageaccountkey}). The operator never fetches a key with an Azure identity of its
 * own: a share without a Secret is refused.
 *
 * <p>Inline volumes read their Secret in the pod's namespace only, as a kubelet does; a
 * PersistentVolume, made by a cluster administrator, may name a Secret in another namespace.
 */
final class AzureFileVolumes {
  static final String CSI_DRIVER = "file.csi.azure.com";
  static final String ACCOUNT_NAME_KEY = "azurestorageaccountname";
  static final String ACCOUNT_KEY_KEY = "azurestorageaccountkey";

  private AzureFileVolumes() {}

  static boolean isAzureFileCsi(CSIVolumeSource csi) {
    return csi != null && CSI_DRIVER.equals(csi.getDriver());
  }

  /** The Secret an inline CSI volume names: nodePublishSecretRef, else its attributes. */
  static String inlineSecretName(CSIVolumeSource csi) {
    if (csi.getNodePublishSecretRef() != null
        && !Lists.isBlank(csi.getNodePublishSecretRef().getName())) {
      return csi.getNodePublishSecretRef().getName();
    }
    return attributeSecretName(Lists.of(csi.getVolumeAttributes()));
  }

  /**
   * The Secret a PersistentVolume's share needs, or null when it names none (or is no Azure Files
   * volume). Without a namespace of its own, the Secret is looked for in the claim's (the pod's).
   */
  static PodReferences.SecretRef secretOf(PersistentVolume pv, String podNamespace) {
    var spec = pv.getSpec();
    if (spec == null) {
      return null;
    }
    if (spec.getAzureFile() != null) {
      String name = spec.getAzureFile().getSecretName();
      return Lists.isBlank(name)
          ? null
          : new PodReferences.SecretRef(
              orDefault(spec.getAzureFile().getSecretNamespace(), podNamespace), name);
    }
    CSIPersistentVolumeSource csi = spec.getCsi();
    if (csi == null || !CSI_DRIVER.equals(csi.getDriver())) {
      return null;
    }
    if (csi.getNodeStageSecretRef() != null
        && !Lists.isBlank(csi.getNodeStageSecretRef().getName())) {
      return new PodReferences.SecretRef(
          orDefault(csi.getNodeStageSecretRef().getNamespace(), podNamespace),
          csi.getNodeStageSecretRef().getName());
    }
    Map<String, String> attributes = Lists.of(csi.getVolumeAttributes());
    String name = attributeSecretName(attributes);
    return name == null
        ? null
        : new PodReferences.SecretRef(
            orDefault(attribute(attributes, "secretNamespace"), podNamespace), name);
  }

  /** An inline {@code azureFile} volume. */
  static AzureFileVolume inline(
      AzureFileVolumeSource src, String path, PodReferences refs, Findings findings) {
    if (Lists.isBlank(src.getShareName())) {
      findings.invalid(path + ".shareName", "an azureFile volume needs a shareName");
      return null;
    }
    if (Lists.isBlank(src.getSecretName())) {
      findings.invalid(path + ".secretName", "an azureFile volume needs a secretName");
      return null;
    }
    findings.apply(PodField.VOLUME_AZURE_FILE, path);
    Secret secret = refs.secret(src.getSecretName());
    if (secret == null) {
      findings.missing(path + ".secretName", "Secret \"" + src.getSecretName() + "\" not found");
      return null;
    }
    return share(
        src.getShareName(),
        null,
        Lists.isTrue(src.getReadOnly()),
        secret,
        "Secret \"" + src.getSecretName() + "\"",
        path + ".secretName",
        findings);
  }

  /** An inline CSI volume: the Azure Files driver's, or a clear no for any other driver. */
  static AzureFileVolume csi(
      CSIVolumeSource src,
      String podNamespace,
      String path,
      PodReferences refs,
      Findings findings) {
    if (!isAzureFileCsi(src)) {
      findings.apply(
          PodField.VOLUME_CSI_OTHER,
          path + ".driver",
          "CSI driver \"" + src.getDriver() + "\": " + PodField.VOLUME_CSI_OTHER.reason());
      return null;
    }
    Map<String, String> attributes = Lists.of(src.getVolumeAttributes());
    String share = attribute(attributes, "shareName");
    if (Lists.isBlank(share)) {
      findings.invalid(
          path + ".volumeAttributes",
          "an inline " + CSI_DRIVER + " volume needs the shareName attribute");
      return null;
    }
    if (!checkProtocol(attributes, path + ".volumeAttributes", findings)) {
      return null;
    }
    String secretNamespace = attribute(attributes, "secretNamespace");
    if (!Lists.isBlank(secretNamespace) && !secretNamespace.equals(podNamespace)) {
      findings.apply(
          PodField.VOLUME_CSI_SECRET_NAMESPACE,
          path + ".volumeAttributes.secretNamespace",
          "secretNamespace \""
              + secretNamespace
              + "\": "
              + PodField.VOLUME_CSI_SECRET_NAMESPACE.reason());
      return null;
    }
    mountOptions(attributes, path + ".volumeAttributes.mountOptions", findings);
    findings.apply(PodField.VOLUME_CSI_AZURE_FILE, path);
    String secretName = inlineSecretName(src);
    if (secretName == null) {
      findings.invalid(path, noSecret());
      return null;
    }
    Secret secret = refs.secret(secretName);
    if (secret == null) {
      findings.missing(path, "Secret \"" + secretName + "\" not found");
      return null;
    }
    return share(
        share,
        attribute(attributes, "storageAccount"),
        Lists.isTrue(src.getReadOnly()),
        secret,
        "Secret \"" + secretName + "\"",
        path,
        findings);
  }

  /**
   * A PersistentVolumeClaim: the share of the Azure Files volume it is bound to. A claim that does
   * not exist or is not bound yet is missing (the pod waits, as on a kubelet); a volume of another
   * kind is refused.
   */
  static AzureFileVolume claim(
      PersistentVolumeClaimVolumeSource src,
      String podNamespace,
      String path,
      PodReferences refs,
      Findings findings) {
    String claimName = src.getClaimName();
    if (Lists.isBlank(claimName)) {
      findings.invalid(path + ".claimName", "a persistentVolumeClaim volume needs a claimName");
      return null;
    }
    PersistentVolumeClaim claim = refs.claim(claimName);
    if (claim == null) {
      findings.missing(
          path + ".claimName", "PersistentVolumeClaim \"" + claimName + "\" not found");
      return null;
    }
    String volumeName = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
    boolean bound = claim.getStatus() != null && "Bound".equals(claim.getStatus().getPhase());
    if (!bound || Lists.isBlank(volumeName)) {
      findings.missing(
          path + ".claimName", "PersistentVolumeClaim \"" + claimName + "\" is not bound yet");
      return null;
    }
    PersistentVolume pv = refs.persistentVolume(volumeName);
    if (pv == null || pv.getSpec() == null) {
      findings.missing(
          path + ".claimName",
          "PersistentVolume \"" + volumeName + "\" of claim \"" + claimName + "\" not found");
      return null;
    }
    // A claim names its volume itself: only a volume bound back to this claim is its volume.
    var claimRef = pv.getSpec().getClaimRef();
    if (claimRef == null
        || !podNamespace.equals(claimRef.getNamespace())
        || !claimName.equals(claimRef.getName())
        || (claimRef.getUid() != null
            && claim.getMetadata() != null
            && !claimRef.getUid().equals(claim.getMetadata().getUid()))) {
      findings.missing(
          path + ".claimName",
          "PersistentVolume \""
              + volumeName
              + "\" is not bound to claim \""
              + claimName
              + "\" (its claimRef names another)");
      return null;
    }
    String pvPath = "PersistentVolume \"" + volumeName + "\"";
    boolean readOnly = Lists.isTrue(src.getReadOnly());
    var spec = pv.getSpec();
    String share;
    String account = null;
    if (spec.getAzureFile() != null) {
      share = spec.getAzureFile().getShareName();
      readOnly |= Lists.isTrue(spec.getAzureFile().getReadOnly());
    } else if (spec.getCsi() != null && CSI_DRIVER.equals(spec.getCsi().getDriver())) {
      Map<String, String> attributes = Lists.of(spec.getCsi().getVolumeAttributes());
      if (!checkProtocol(attributes, path + ".claimName", findings)) {
        return null;
      }
      String[] handle = orDefault(spec.getCsi().getVolumeHandle(), "").split("#", -1);
      share = orDefault(attribute(attributes, "shareName"), handle.length > 2 ? handle[2] : null);
      account =
          orDefault(attribute(attributes, "storageAccount"), handle.length > 1 ? handle[1] : null);
      readOnly |= Lists.isTrue(spec.getCsi().getReadOnly());
      mountOptions(attributes, path + ".claimName", findings);
    } else {
      findings.apply(
          PodField.VOLUME_CLAIM_OTHER,
          path + ".claimName",
          pvPath + " of claim \"" + claimName + "\": " + PodField.VOLUME_CLAIM_OTHER.reason());
      return null;
    }
    if ("Block".equals(spec.getVolumeMode())) {
      findings.apply(
          PodField.VOLUME_CLAIM_OTHER,
          path + ".claimName",
          pvPath + " is a block volume: " + PodField.VOLUME_CLAIM_OTHER.reason());
      return null;
    }
    if (!Lists.of(spec.getMountOptions()).isEmpty()) {
      findings.apply(PodField.VOLUME_AZURE_FILE_MOUNT_OPTIONS, path + ".claimName");
    }
    if (Lists.isBlank(share)) {
      findings.invalid(path + ".claimName", pvPath + " names no share");
      return null;
    }
    findings.apply(PodField.VOLUME_CLAIM, path);
    PodReferences.SecretRef ref = secretOf(pv, podNamespace);
    if (ref == null) {
      findings.invalid(path + ".claimName", pvPath + ": " + noSecret());
      return null;
    }
    Secret secret = refs.volumeSecret(ref);
    String what = "Secret \"" + ref.name() + "\" in namespace \"" + ref.namespace() + "\"";
    if (secret == null) {
      findings.missing(path + ".claimName", what + " (of " + pvPath + ") not found");
      return null;
    }
    return share(share, account, readOnly, secret, what, path + ".claimName", findings);
  }

  private static AzureFileVolume share(
      String share,
      String account,
      boolean readOnly,
      Secret secret,
      String what,
      String path,
      Findings findings) {
    String name = SecretData.decoded(secret, ACCOUNT_NAME_KEY, path, findings);
    String key = SecretData.decoded(secret, ACCOUNT_KEY_KEY, path, findings);
    String accountName = Lists.isBlank(name) ? account : name.trim();
    if (Lists.isBlank(accountName)) {
      findings.missing(path, "key \"" + ACCOUNT_NAME_KEY + "\" not found in " + what);
      return null;
    }
    if (Lists.isBlank(key)) {
      findings.missing(path, "key \"" + ACCOUNT_KEY_KEY + "\" not found in " + what);
      return null;
    }
    return new AzureFileVolume()
        .withShareName(share)
        .withStorageAccountName(accountName)
        .withStorageAccountKey(key.trim())
        .withReadOnly(readOnly);
  }

  /** ACI mounts shares over SMB; the driver's NFS protocol has no ACI counterpart. */
  private static boolean checkProtocol(
      Map<String, String> attributes, String path, Findings findings) {
    String protocol = attribute(attributes, "protocol");
    if (protocol != null && !"smb".equalsIgnoreCase(protocol.trim())) {
      findings.apply(
          PodField.VOLUME_AZURE_FILE_PROTOCOL,
          path,
          "protocol \"" + protocol + "\": " + PodField.VOLUME_AZURE_FILE_PROTOCOL.reason());
      return false;
    }
    return true;
  }

  private static void mountOptions(Map<String, String> attributes, String path, Findings findings) {
    if (!Lists.isBlank(attribute(attributes, "mountOptions"))) {
      findings.apply(PodField.VOLUME_AZURE_FILE_MOUNT_OPTIONS, path);
    }
  }

  private static String noSecret() {
    return "the share needs a Secret with "
        + ACCOUNT_NAME_KEY
        + " and "
        + ACCOUNT_KEY_KEY
        + " (the operator fetches no storage key with an Azure identity of its own)";
  }

  /**
   * The Secret named in a CSI volume's attributes: secretName, else the driver's default name for
   * the storageAccount attribute.
   */
  private static String attributeSecretName(Map<String, String> attributes) {
    String name = attribute(attributes, "secretName");
    if (!Lists.isBlank(name)) {
      return name;
    }
    String account = attribute(attributes, "storageAccount");
    return Lists.isBlank(account) ? null : "azure-storage-account-" + account + "-secret";
  }

  /** A CSI volume attribute: the driver reads their names case-insensitively. */
  private static String attribute(Map<String, String> attributes, String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return attributes.entrySet().stream()
        .filter(e -> e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(wanted))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  private static String orDefault(String value, String fallback) {
    return Lists.isBlank(value) ? fallback : value;
  }
}
