package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.models.AzureFileVolume;
import com.azure.resourcemanager.containerinstance.models.GitRepoVolume;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import com.azure.resourcemanager.containerinstance.models.Volume;
import com.azure.resourcemanager.containerinstance.models.VolumeMount;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pod volumes and container mounts, each decision a {@link PodField} row. ACI has {@code emptyDir},
 * {@code gitRepo}, {@code azureFile} and {@code secret} volumes (a flat map of file name to base64
 * content that travels in the group's spec, which ARM never returns); {@code configMap}, {@code
 * downwardAPI} and {@code projected} volumes therefore become secret volumes, their contents fixed
 * when the group is created. A missing optional Secret or ConfigMap gives an empty directory, as
 * the kubelet does. ACI mounts volumes only into Linux containers.
 *
 * <p>The projected volume the API server adds to every pod for its service account token ({@code
 * kube-api-access-*}) is left out with a notice: the operator sets up no network path from ACI to
 * the API server. Tokens a pod projects itself are mounted, issued once (see {@link PodField}).
 */
final class VolumeTranslator {
  /** The file mode the API server defaults secret and configMap volumes to (0644). */
  static final int DEFAULT_MODE = 0644;

  private static final String API_ACCESS_PREFIX = "kube-api-access-";

  private VolumeTranslator() {}

  /**
   * The group's volumes.
   *
   * @param aci the volumes to send
   * @param names the pod volume names containers may mount
   * @param omitted pod volumes deliberately left out (their mounts are left out too)
   */
  record Volumes(List<Volume> aci, Set<String> names, Set<String> omitted) {}

  static Volumes translate(Pod pod, PodReferences refs, NodeContext node, Findings findings) {
    List<Volume> result = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    Set<String> omitted = new LinkedHashSet<>();
    var volumes = Lists.of(pod.getSpec().getVolumes());
    for (int i = 0; i < volumes.size(); i++) {
      var v = volumes.get(i);
      String path = "spec.volumes[" + i + "]";
      names.add(v.getName());
      if (isServiceAccountVolume(v)) {
        omitted.add(v.getName());
        findings.apply(
            PodField.VOLUME_API_ACCESS,
            path,
            "the service account token volume \""
                + v.getName()
                + "\" is "
                + PodField.VOLUME_API_ACCESS.reason());
        continue;
      }
      if (node.osType() == OperatingSystemTypes.WINDOWS) {
        findings.apply(PodField.VOLUMES_WINDOWS, path);
        continue;
      }
      Volume aci = new Volume().withName(v.getName());
      if (v.getEmptyDir() != null) {
        if (v.getEmptyDir().getMedium() != null && !v.getEmptyDir().getMedium().isEmpty()) {
          findings.apply(
              PodField.VOLUME_EMPTY_DIR_MEDIUM,
              path + ".emptyDir.medium",
              "ACI emptyDir volumes are disk-backed; medium \""
                  + v.getEmptyDir().getMedium()
                  + "\" cannot be honoured");
        }
        if (v.getEmptyDir().getSizeLimit() != null) {
          findings.apply(PodField.VOLUME_EMPTY_DIR_SIZE_LIMIT, path + ".emptyDir.sizeLimit");
        }
        result.add(aci.withEmptyDir(Map.of()));
      } else if (v.getSecret() != null) {
        var src = v.getSecret();
        checkMode(src.getDefaultMode(), path + ".secret.defaultMode", findings);
        result.add(
            filesVolume(
                aci,
                secretFiles(
                    src.getSecretName(),
                    src.getItems(),
                    src.getOptional(),
                    path + ".secret",
                    refs,
                    findings)));
      } else if (v.getConfigMap() != null) {
        var src = v.getConfigMap();
        checkMode(src.getDefaultMode(), path + ".configMap.defaultMode", findings);
        result.add(
            filesVolume(
                aci,
                configMapFiles(
                    src.getName(),
                    src.getItems(),
                    src.getOptional(),
                    path + ".configMap",
                    refs,
                    findings)));
      } else if (v.getDownwardAPI() != null) {
        var src = v.getDownwardAPI();
        checkMode(src.getDefaultMode(), path + ".downwardAPI.defaultMode", findings);
        result.add(
            filesVolume(
                aci,
                DownwardApiFiles.files(
                    pod, src.getItems(), path + ".downwardAPI", node, findings)));
      } else if (v.getProjected() != null) {
        result.add(filesVolume(aci, projected(pod, v, path, refs, node, findings)));
      } else if (v.getGitRepo() != null) {
        var src = v.getGitRepo();
        if (Lists.isBlank(src.getRepository())) {
          findings.invalid(path + ".gitRepo.repository", "a gitRepo volume needs a repository");
        }
        String dir = src.getDirectory();
        if (dir != null && (dir.startsWith("..") || dir.contains("/..") || dir.startsWith("/"))) {
          findings.invalid(
              path + ".gitRepo.directory",
              "directory \"" + dir + "\" must not be absolute, contain or start with '..'");
        }
        result.add(
            aci.withGitRepo(
                new GitRepoVolume()
                    .withRepository(src.getRepository())
                    .withDirectory(Lists.isBlank(dir) ? null : dir)
                    .withRevision(Lists.isBlank(src.getRevision()) ? null : src.getRevision())));
      } else if (v.getAzureFile() != null) {
        addShare(
            result,
            aci,
            AzureFileVolumes.inline(v.getAzureFile(), path + ".azureFile", refs, findings));
      } else if (v.getCsi() != null) {
        addShare(
            result,
            aci,
            AzureFileVolumes.csi(
                v.getCsi(), pod.getMetadata().getNamespace(), path + ".csi", refs, findings));
      } else if (v.getPersistentVolumeClaim() != null) {
        addShare(
            result,
            aci,
            AzureFileVolumes.claim(
                v.getPersistentVolumeClaim(),
                pod.getMetadata().getNamespace(),
                path + ".persistentVolumeClaim",
                refs,
                findings));
      } else {
        String kind = kind(v);
        findings.apply(
            PodField.VOLUME_OTHER,
            kind == null ? path : path + "." + kind,
            "volume \""
                + v.getName()
                + "\" is "
                + (kind == null ? "of no kind ACI knows" : "a " + kind + " volume")
                + ": "
                + PodField.VOLUME_OTHER.reason());
      }
    }
    return new Volumes(result, names, omitted);
  }

  static List<VolumeMount> mounts(
      Container container, String path, Volumes volumes, Findings findings) {
    List<VolumeMount> result = new ArrayList<>();
    var mounts = Lists.of(container.getVolumeMounts());
    for (int i = 0; i < mounts.size(); i++) {
      var m = mounts.get(i);
      String mountPath = path + ".volumeMounts[" + i + "]";
      if (volumes.omitted().contains(m.getName())) {
        continue;
      }
      if (!volumes.names().contains(m.getName())) {
        findings.invalid(mountPath + ".name", "no volume named \"" + m.getName() + "\"");
        continue;
      }
      if (!Lists.isBlank(m.getSubPath())) {
        findings.apply(
            PodField.MOUNT_SUB_PATH,
            mountPath + ".subPath",
            "ACI mounts whole volumes only; subPath cannot be honoured");
      }
      if (!Lists.isBlank(m.getSubPathExpr())) {
        findings.apply(
            PodField.MOUNT_SUB_PATH,
            mountPath + ".subPathExpr",
            "ACI mounts whole volumes only; subPathExpr cannot be honoured");
      }
      if (m.getMountPropagation() != null && !"None".equals(m.getMountPropagation())) {
        findings.apply(PodField.MOUNT_PROPAGATION, mountPath + ".mountPropagation");
      }
      if ("Enabled".equals(m.getRecursiveReadOnly())) {
        findings.apply(PodField.MOUNT_RECURSIVE_READ_ONLY, mountPath + ".recursiveReadOnly");
      }
      if (m.getMountPath() == null || m.getMountPath().contains(":")) {
        findings.invalid(
            mountPath + ".mountPath", "ACI mount paths must be set and must not contain ':'");
        continue;
      }
      result.add(
          new VolumeMount()
              .withName(m.getName())
              .withMountPath(m.getMountPath())
              .withReadOnly(Lists.isTrue(m.getReadOnly()) ? Boolean.TRUE : Boolean.FALSE));
    }
    return result;
  }

  /** A share the findings refused is left out: the pod fails or waits for the reason given. */
  private static void addShare(List<Volume> result, Volume aci, AzureFileVolume share) {
    if (share != null) {
      result.add(aci.withAzureFile(share));
    }
  }

  /** Files become a secret volume; no files (a missing optional source) an empty directory. */
  private static Volume filesVolume(Volume aci, Map<String, String> files) {
    return files == null || files.isEmpty() ? aci.withEmptyDir(Map.of()) : aci.withSecret(files);
  }

  private static Map<String, String> secretFiles(
      String name,
      List<KeyToPath> items,
      Boolean optional,
      String path,
      PodReferences refs,
      Findings findings) {
    Secret secret = refs.secret(name);
    if (secret == null) {
      if (!Lists.isTrue(optional)) {
        findings.missing(path, "Secret \"" + name + "\" not found");
      }
      return null;
    }
    return select(
        SecretData.base64(secret, path, findings),
        items,
        Lists.isTrue(optional),
        "Secret \"" + name + "\"",
        path,
        findings);
  }

  private static Map<String, String> configMapFiles(
      String name,
      List<KeyToPath> items,
      Boolean optional,
      String path,
      PodReferences refs,
      Findings findings) {
    ConfigMap cm = refs.configMap(name);
    if (cm == null) {
      if (!Lists.isTrue(optional)) {
        findings.missing(path, "ConfigMap \"" + name + "\" not found");
      }
      return null;
    }
    return select(
        SecretData.base64(cm),
        items,
        Lists.isTrue(optional),
        "ConfigMap \"" + name + "\"",
        path,
        findings);
  }

  /**
   * A projected volume's files: those of every source in one flat map, as the kubelet writes them
   * into one directory. Two sources writing the same file is refused, as the kubelet refuses it.
   */
  private static Map<String, String> projected(
      Pod pod,
      io.fabric8.kubernetes.api.model.Volume v,
      String path,
      PodReferences refs,
      NodeContext node,
      Findings findings) {
    var src = v.getProjected();
    checkMode(src.getDefaultMode(), path + ".projected.defaultMode", findings);
    Map<String, String> files = new LinkedHashMap<>();
    var sources = Lists.of(src.getSources());
    for (int j = 0; j < sources.size(); j++) {
      VolumeProjection source = sources.get(j);
      String sourcePath = path + ".projected.sources[" + j + "]";
      Map<String, String> part = null;
      if (source.getSecret() != null) {
        var s = source.getSecret();
        part =
            secretFiles(
                s.getName(), s.getItems(), s.getOptional(), sourcePath + ".secret", refs, findings);
      } else if (source.getConfigMap() != null) {
        var c = source.getConfigMap();
        part =
            configMapFiles(
                c.getName(),
                c.getItems(),
                c.getOptional(),
                sourcePath + ".configMap",
                refs,
                findings);
      } else if (source.getDownwardAPI() != null) {
        part =
            DownwardApiFiles.files(
                pod,
                source.getDownwardAPI().getItems(),
                sourcePath + ".downwardAPI",
                node,
                findings);
      } else if (source.getServiceAccountToken() != null) {
        part = token(pod, source.getServiceAccountToken(), sourcePath, refs, findings);
      } else {
        String kind = source.getClusterTrustBundle() != null ? "clusterTrustBundle" : null;
        if (source.getPodCertificate() != null) {
          kind = "podCertificate";
        }
        findings.apply(
            PodField.VOLUME_PROJECTED_OTHER, kind == null ? sourcePath : sourcePath + "." + kind);
      }
      for (var file : Lists.of(part).entrySet()) {
        if (files.putIfAbsent(file.getKey(), file.getValue()) != null) {
          findings.invalid(
              sourcePath,
              "file \""
                  + file.getKey()
                  + "\" of volume \""
                  + v.getName()
                  + "\" is also written by an earlier source");
        }
      }
    }
    return files;
  }

  private static Map<String, String> token(
      Pod pod,
      ServiceAccountTokenProjection projection,
      String sourcePath,
      PodReferences refs,
      Findings findings) {
    String path = sourcePath + ".serviceAccountToken";
    if (!isFileName(projection.getPath())) {
      findings.apply(
          PodField.VOLUME_ITEM_DIRECTORY,
          path + ".path",
          "ACI secret volumes hold plain file names; \"" + projection.getPath() + "\" is not one");
      return null;
    }
    var key = PodReferences.TokenKey.of(projection);
    String token = refs.token(key);
    if (token == null) {
      findings.missing(
          path,
          "no token could be issued for service account \""
              + (Lists.isBlank(pod.getSpec().getServiceAccountName())
                  ? "default"
                  : pod.getSpec().getServiceAccountName())
              + "\" (audience \""
              + key.audience()
              + "\", expirationSeconds "
              + key.expirationSeconds()
              + ")");
      return null;
    }
    findings.apply(
        PodField.VOLUME_SERVICE_ACCOUNT_TOKEN,
        path,
        "the token in \""
            + projection.getPath()
            + "\" is issued once and never refreshed: ACI cannot replace a mounted file, so it"
            + " stops working after "
            + key.expirationSeconds()
            + " s");
    return Map.of(projection.getPath(), SecretData.encode(token));
  }

  /** A file name ACI can hold in a secret volume: not empty, no directory, not . or ... */
  static boolean isFileName(String name) {
    return name != null
        && !name.isEmpty()
        && !name.contains("/")
        && !name.equals(".")
        && !name.equals("..");
  }

  /** The kind of a volume none of the translated branches took, by its field name. */
  private static String kind(io.fabric8.kubernetes.api.model.Volume v) {
    Map<String, Object> kinds = new LinkedHashMap<>();
    kinds.put("awsElasticBlockStore", v.getAwsElasticBlockStore());
    kinds.put("azureDisk", v.getAzureDisk());
    kinds.put("cephfs", v.getCephfs());
    kinds.put("cinder", v.getCinder());
    kinds.put("ephemeral", v.getEphemeral());
    kinds.put("fc", v.getFc());
    kinds.put("flexVolume", v.getFlexVolume());
    kinds.put("flocker", v.getFlocker());
    kinds.put("gcePersistentDisk", v.getGcePersistentDisk());
    kinds.put("glusterfs", v.getGlusterfs());
    kinds.put("hostPath", v.getHostPath());
    kinds.put("image", v.getImage());
    kinds.put("iscsi", v.getIscsi());
    kinds.put("nfs", v.getNfs());
    kinds.put("photonPersistentDisk", v.getPhotonPersistentDisk());
    kinds.put("portworxVolume", v.getPortworxVolume());
    kinds.put("quobyte", v.getQuobyte());
    kinds.put("rbd", v.getRbd());
    kinds.put("scaleIO", v.getScaleIO());
    kinds.put("storageos", v.getStorageos());
    kinds.put("vsphereVolume", v.getVsphereVolume());
    return kinds.entrySet().stream()
        .filter(e -> e.getValue() != null)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(null);
  }

  static boolean isServiceAccountVolume(io.fabric8.kubernetes.api.model.Volume v) {
    return v.getName() != null
        && v.getName().startsWith(API_ACCESS_PREFIX)
        && v.getProjected() != null
        && Lists.of(v.getProjected().getSources()).stream()
            .anyMatch(s -> s.getServiceAccountToken() != null);
  }

  /** The files of a volume: every key, or the items asked for, at their paths. */
  private static Map<String, String> select(
      Map<String, String> content,
      List<KeyToPath> items,
      boolean optional,
      String what,
      String path,
      Findings findings) {
    if (items == null || items.isEmpty()) {
      return content;
    }
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      KeyToPath item = items.get(i);
      String itemPath = path + ".items[" + i + "]";
      checkMode(item.getMode(), itemPath + ".mode", findings);
      if (!isFileName(item.getPath())) {
        findings.apply(
            PodField.VOLUME_ITEM_DIRECTORY,
            itemPath + ".path",
            "ACI secret volumes hold plain file names; \"" + item.getPath() + "\" is not one");
        continue;
      }
      String value = content.get(item.getKey());
      if (value == null) {
        if (!optional) {
          findings.missing(itemPath + ".key", "key \"" + item.getKey() + "\" not found in " + what);
        }
        continue;
      }
      files.put(item.getPath(), value);
    }
    return files;
  }

  static void checkMode(Integer mode, String path, Findings findings) {
    if (mode != null && mode != DEFAULT_MODE) {
      findings.apply(
          PodField.VOLUME_FILE_MODE,
          path,
          "ACI sets the file mode of secret volumes itself; mode 0"
              + Integer.toOctalString(mode)
              + " cannot be honoured (only the default 0644 is accepted)");
    }
  }
}
