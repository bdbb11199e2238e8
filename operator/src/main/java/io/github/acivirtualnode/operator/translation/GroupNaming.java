package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.fabric8.kubernetes.api.model.Pod;
import io.github.acivirtualnode.operator.node.ContainerGroupTags;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A pod's container group name and tags: what lets the operator find a pod's group, and rebuild its
 * state from ACI alone after a restart, without a duplicate create.
 *
 * <p>The name is {@code <namespace>-<name>} (lowercased, other characters turned into hyphens,
 * shortened to 30 characters) followed by a hyphen and the 32 hex digits of the pod's UID: valid
 * for ACI (1 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter
 * or digit), readable, and unique per pod UID. A UID that is not a UUID is replaced by the first 32
 * hex digits of its SHA-256.
 */
public final class GroupNaming {
  /** The pod's namespace. */
  public static final String POD_NAMESPACE = "k8s-pod-namespace";

  /** The pod's name. */
  public static final String POD_NAME = "k8s-pod-name";

  /**
   * The pod's UID: a group is a pod's only if this matches (a new pod of the same name differs).
   */
  public static final String POD_UID = "k8s-pod-uid";

  /** ACI's longest container group name. */
  public static final int MAX_NAME_LENGTH = 63;

  /** What every name this class makes matches. */
  public static final Pattern VALID_NAME = Pattern.compile("[a-z0-9](-?[a-z0-9])*");

  private static final int UID_LENGTH = 32;
  private static final int PREFIX_LENGTH = MAX_NAME_LENGTH - UID_LENGTH - 1;
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private GroupNaming() {}

  /** The pod's group name: the same for the same UID, always, and valid for ACI. */
  public static String groupName(Pod pod) {
    var meta = pod.getMetadata();
    return groupName(meta.getNamespace(), meta.getName(), meta.getUid());
  }

  static String groupName(String namespace, String name, String uid) {
    if (Lists.isBlank(uid)) {
      throw new IllegalArgumentException("a pod without a UID has no container group name");
    }
    String prefix =
        sanitize((namespace == null ? "" : namespace) + "-" + (name == null ? "" : name));
    if (prefix.length() > PREFIX_LENGTH) {
      prefix = trimHyphens(prefix.substring(0, PREFIX_LENGTH));
    }
    String id = uidHex(uid);
    return prefix.isEmpty() ? id : prefix + "-" + id;
  }

  /**
   * The group's tags: the cluster's identity and the node ({@link ContainerGroupTags}), and the
   * pod's namespace, name and UID.
   */
  public static Map<String, String> tags(Pod pod, NodeContext node) {
    var meta = pod.getMetadata();
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(ContainerGroupTags.CLUSTER, node.clusterId());
    tags.put(ContainerGroupTags.NODE, node.nodeName());
    tags.put(POD_NAMESPACE, meta.getNamespace());
    tags.put(POD_NAME, meta.getName());
    tags.put(POD_UID, meta.getUid());
    return tags;
  }

  /**
   * The pod a group stands for, from its tags alone.
   *
   * @param namespace the pod's namespace
   * @param name the pod's name
   * @param uid the pod's UID
   */
  public record PodIdentity(String namespace, String name, String uid) {}

  /** The pod a group was made for, or empty if its tags do not name one. */
  public static Optional<PodIdentity> podOf(ContainerGroupInner group) {
    Map<String, String> tags = group.tags();
    if (tags == null
        || Lists.isBlank(tags.get(POD_NAMESPACE))
        || Lists.isBlank(tags.get(POD_NAME))
        || Lists.isBlank(tags.get(POD_UID))) {
      return Optional.empty();
    }
    return Optional.of(
        new PodIdentity(tags.get(POD_NAMESPACE), tags.get(POD_NAME), tags.get(POD_UID)));
  }

  /** Whether the group is the one made for this very pod (same UID, not merely the same name). */
  public static boolean isGroupOf(ContainerGroupInner group, Pod pod) {
    return podOf(group).map(p -> p.uid().equals(pod.getMetadata().getUid())).orElse(false);
  }

  private static String sanitize(String s) {
    String lower = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return trimHyphens(lower);
  }

  private static String trimHyphens(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '-') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '-') {
      end--;
    }
    return s.substring(start, end);
  }

  private static String uidHex(String uid) {
    if (UUID.matcher(uid).matches()) {
      return uid.replace("-", "").toLowerCase(Locale.ROOT);
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(uid.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, UID_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
