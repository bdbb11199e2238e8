package io.github.acivirtualnode.operator.sharding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Names and labels of the sharding Leases in the operator's namespace: one member Lease per
 * replica, one Lease per VirtualNode. Names stay readable (prefix and the original name) and are
 * cut to 63 characters with a hash of the whole original when longer or when the original is no
 * valid name, so that two VirtualNodes or replicas never share a Lease.
 */
public final class ShardLeaseNames {
  /** On every member Lease; live members are listed by it. */
  public static final String MEMBER_LABEL = "acivirtualnode.github.io/member";

  /** On every VirtualNode Lease. */
  public static final String VIRTUAL_NODE_LEASE_LABEL = "acivirtualnode.github.io/shard";

  /** On every VirtualNode Lease: the VirtualNode's full name (a label value holds only 63). */
  public static final String VIRTUAL_NODE_ANNOTATION = "acivirtualnode.github.io/virtual-node";

  static final String MEMBER_PREFIX = "avn-member-";
  static final String VIRTUAL_NODE_PREFIX = "avn-shard-";
  static final int MAX_LENGTH = 63;
  private static final int HASH_CHARS = 10;

  private ShardLeaseNames() {}

  /** The member Lease of the replica {@code identity} (HOSTNAME: a pod name, or anything). */
  public static String member(String identity) {
    return fit(MEMBER_PREFIX, identity);
  }

  /** The Lease of the VirtualNode {@code virtualNodeName}. */
  public static String virtualNode(String virtualNodeName) {
    return fit(VIRTUAL_NODE_PREFIX, virtualNodeName);
  }

  private static String fit(String prefix, String original) {
    if (original == null || original.isEmpty()) {
      throw new IllegalArgumentException("a Lease needs a non-empty name to derive from");
    }
    String sanitized = sanitize(original);
    String name = prefix + sanitized;
    if (sanitized.equals(original) && name.length() <= MAX_LENGTH) {
      return name;
    }
    String hash = hash(original);
    int room = MAX_LENGTH - prefix.length() - 1 - HASH_CHARS;
    String kept = sanitized.substring(0, Math.min(room, sanitized.length()));
    kept = kept.replaceAll("[-.]+$", "");
    return kept.isEmpty() ? prefix + hash : prefix + kept + "-" + hash;
  }

  /** Lower case; what a DNS-1123 subdomain cannot hold becomes '-'; no '-' or '.' runs at edges. */
  private static String sanitize(String original) {
    String lower = original.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    // '.' separates DNS labels, each starting and ending alphanumeric: fold odd runs into '-'.
    return lower.replaceAll("\\.(?=[-.])|(?<=[-.])\\.", "-").replaceAll("^[-.]+|[-.]+$", "");
  }

  private static String hash(String original) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(original.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
