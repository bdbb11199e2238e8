package io.github.acivirtualnode.operator.translation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files of a downwardAPI volume or projection, base64-encoded for an ACI secret volume, with
 * the contents the kubelet writes: a single field as its value, {@code metadata.labels} and {@code
 * metadata.annotations} as {@code key="value"} lines sorted by key (the value quoted as Go's {@code
 * %q} quotes it), a resource as ceil(amount / divisor). The values are those when the group is
 * created: ACI cannot rewrite a mounted file.
 */
final class DownwardApiFiles {
  private DownwardApiFiles() {}

  static Map<String, String> files(
      Pod pod,
      List<DownwardAPIVolumeFile> items,
      String path,
      NodeContext node,
      Findings findings) {
    Map<String, String> files = new LinkedHashMap<>();
    var list = Lists.of(items);
    for (int i = 0; i < list.size(); i++) {
      DownwardAPIVolumeFile item = list.get(i);
      String itemPath = path + ".items[" + i + "]";
      VolumeTranslator.checkMode(item.getMode(), itemPath + ".mode", findings);
      if (!VolumeTranslator.isFileName(item.getPath())) {
        findings.apply(
            PodField.VOLUME_ITEM_DIRECTORY,
            itemPath + ".path",
            "ACI secret volumes hold plain file names; \"" + item.getPath() + "\" is not one");
        continue;
      }
      String value = value(pod, item, itemPath, node, findings);
      if (value != null) {
        files.put(item.getPath(), SecretData.encode(value));
      }
    }
    return files;
  }

  private static String value(
      Pod pod, DownwardAPIVolumeFile item, String path, NodeContext node, Findings findings) {
    if (item.getFieldRef() != null) {
      String field = item.getFieldRef().getFieldPath();
      var meta = pod.getMetadata();
      if ("metadata.labels".equals(field)) {
        return formatMap(Lists.of(meta.getLabels()));
      }
      if ("metadata.annotations".equals(field)) {
        return formatMap(Lists.of(meta.getAnnotations()));
      }
      if ("status.podIP".equals(field) || "status.podIPs".equals(field)) {
        findings.apply(PodField.VOLUME_DOWNWARD_API_POD_IP, path + ".fieldRef");
        return null;
      }
      return EnvTranslator.fieldRef(pod, item.getFieldRef(), path + ".fieldRef", node, findings);
    }
    if (item.getResourceFieldRef() != null) {
      String name = item.getResourceFieldRef().getContainerName();
      Container target = container(pod, name);
      if (target == null) {
        findings.invalid(
            path + ".resourceFieldRef.containerName",
            Lists.isBlank(name)
                ? "a downwardAPI volume's resourceFieldRef must name a container"
                : "no container named \"" + name + "\"");
        return null;
      }
      // The container's own resource findings are reported where the container is translated.
      var resources = ResourceTranslator.translate(target, "", node.defaults(), new Findings());
      return EnvTranslator.resourceFieldRef(
          pod, target, item.getResourceFieldRef(), path + ".resourceFieldRef", resources, findings);
    }
    findings.invalid(path, "a downwardAPI item needs a fieldRef or a resourceFieldRef");
    return null;
  }

  private static Container container(Pod pod, String name) {
    if (Lists.isBlank(name)) {
      return null;
    }
    List<Container> all = new ArrayList<>(Lists.of(pod.getSpec().getContainers()));
    all.addAll(Lists.of(pod.getSpec().getInitContainers()));
    return all.stream().filter(c -> name.equals(c.getName())).findFirst().orElse(null);
  }

  /** The kubelet's fieldpath.FormatMap: sorted {@code key="value"} lines, no final newline. */
  static String formatMap(Map<String, String> map) {
    StringBuilder out = new StringBuilder();
    for (var e : new TreeMap<>(map).entrySet()) {
      if (!out.isEmpty()) {
        out.append('\n');
      }
      out.append(e.getKey()).append('=').append(goQuote(e.getValue()));
    }
    return out.toString();
  }

  /** A string quoted as Go's {@code %q} quotes it (printable Unicode kept, the rest escaped). */
  static String goQuote(String value) {
    StringBuilder out = new StringBuilder("\"");
    String s = value == null ? "" : value;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case 0x07 -> out.append("\\a");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case 0x0b -> out.append("\\v");
        default -> {
          if (cp < 0x20 || cp == 0x7f) {
            out.append(String.format("\\x%02x", cp));
          } else if (isPrintable(cp)) {
            out.appendCodePoint(cp);
          } else if (cp < 0x10000) {
            out.append(String.format("\\u%04x", cp));
          } else {
            out.append(String.format("\\U%08x", cp));
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static boolean isPrintable(int cp) {
    if (cp == ' ') {
      return true;
    }
    int type = Character.getType(cp);
    return Character.isDefined(cp)
        && !Character.isWhitespace(cp)
        && type != Character.CONTROL
        && type != Character.FORMAT
        && type != Character.SURROGATE
        && type != Character.PRIVATE_USE
        && type != Character.UNASSIGNED
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR
        && type != Character.SPACE_SEPARATOR;
  }
}
