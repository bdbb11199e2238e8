package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import com.azure.resourcemanager.containerinstance.models.Volume;
import com.azure.resourcemanager.containerinstance.models.VolumeMount;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pod volumes and container mounts. ACI has {@code emptyDir} and {@code secret} volumes (files
 * whose base64 contents travel in the group's spec, which ARM never returns); a {@code configMap}
 * volume therefore becomes a secret volume too. A missing optional Secret or ConfigMap gives an
 * empty directory, as the kubelet does. ACI mounts volumes only into Linux containers.
 *
 * <p>The projected volume the API server adds to every pod for its service account token ({@code
 * kube-api-access-*}) is left out with a notice: a group cannot refresh the token, and the operator
 * sets up no network path from ACI to the API server.
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
        findings.notice(
            path,
            "the service account token volume \""
                + v.getName()
                + "\" is not mounted: a container group cannot refresh the token (set"
                + " automountServiceAccountToken: false to say it is not needed)");
        continue;
      }
      if (node.osType() == OperatingSystemTypes.WINDOWS) {
        findings.unsupported(path, "ACI mounts volumes only into Linux containers");
        continue;
      }
      Volume aci = new Volume().withName(v.getName());
      if (v.getEmptyDir() != null) {
        if (v.getEmptyDir().getMedium() != null && !v.getEmptyDir().getMedium().isEmpty()) {
          findings.unsupported(
              path + ".emptyDir.medium",
              "ACI emptyDir volumes are disk-backed; medium \""
                  + v.getEmptyDir().getMedium()
                  + "\" cannot be honoured");
        }
        if (v.getEmptyDir().getSizeLimit() != null) {
          findings.unsupported(
              path + ".emptyDir.sizeLimit", "ACI emptyDir volumes have no size limit");
        }
        result.add(aci.withEmptyDir(Map.of()));
      } else if (v.getSecret() != null) {
        var src = v.getSecret();
        checkMode(src.getDefaultMode(), path + ".secret.defaultMode", findings);
        Secret secret = refs.secret(src.getSecretName());
        Map<String, String> files = null;
        if (secret == null) {
          if (!Lists.isTrue(src.getOptional())) {
            findings.missing(path + ".secret", "Secret \"" + src.getSecretName() + "\" not found");
          }
        } else {
          files =
              select(
                  SecretData.base64(secret, path + ".secret", findings),
                  src.getItems(),
                  Lists.isTrue(src.getOptional()),
                  "Secret \"" + src.getSecretName() + "\"",
                  path + ".secret",
                  findings);
        }
        result.add(
            files == null || files.isEmpty() ? aci.withEmptyDir(Map.of()) : aci.withSecret(files));
      } else if (v.getConfigMap() != null) {
        var src = v.getConfigMap();
        checkMode(src.getDefaultMode(), path + ".configMap.defaultMode", findings);
        ConfigMap cm = refs.configMap(src.getName());
        Map<String, String> files = null;
        if (cm == null) {
          if (!Lists.isTrue(src.getOptional())) {
            findings.missing(path + ".configMap", "ConfigMap \"" + src.getName() + "\" not found");
          }
        } else {
          files =
              select(
                  SecretData.base64(cm),
                  src.getItems(),
                  Lists.isTrue(src.getOptional()),
                  "ConfigMap \"" + src.getName() + "\"",
                  path + ".configMap",
                  findings);
        }
        result.add(
            files == null || files.isEmpty() ? aci.withEmptyDir(Map.of()) : aci.withSecret(files));
      } else {
        findings.unsupported(
            path,
            "volume \""
                + v.getName()
                + "\" is of a kind ACI cannot mount yet (only emptyDir, secret and configMap are"
                + " supported)");
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
        findings.unsupported(
            mountPath + ".subPath", "ACI mounts whole volumes only; subPath cannot be honoured");
      }
      if (!Lists.isBlank(m.getSubPathExpr())) {
        findings.unsupported(
            mountPath + ".subPathExpr",
            "ACI mounts whole volumes only; subPathExpr cannot be honoured");
      }
      if (m.getMountPropagation() != null && !"None".equals(m.getMountPropagation())) {
        findings.unsupported(
            mountPath + ".mountPropagation", "ACI has no mount propagation between containers");
      }
      if ("Enabled".equals(m.getRecursiveReadOnly())) {
        findings.unsupported(
            mountPath + ".recursiveReadOnly", "ACI cannot make mounts recursively read-only");
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
      if (item.getPath() == null || item.getPath().isEmpty() || item.getPath().contains("/")) {
        findings.unsupported(
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

  private static void checkMode(Integer mode, String path, Findings findings) {
    if (mode != null && mode != DEFAULT_MODE) {
      findings.unsupported(
          path,
          "ACI sets the file mode of secret volumes itself; mode 0"
              + Integer.toOctalString(mode)
              + " cannot be honoured (only the default 0644 is accepted)");
    }
  }
}
