package io.github.acivirtualnode.operator.sharding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Optional;

/**
 * Rendezvous (highest random weight) hashing: the owner of a key is the member with the highest
 * weight for that key. A member joining takes only the keys it now wins; a member leaving gives
 * only its own keys to the others, each to its runner-up. The weight is a SHA-256 of member and
 * key, so every replica, whatever its JVM, computes the same owner from the same members.
 */
public final class Rendezvous {
  private Rendezvous() {}

  /** The desired owner of {@code key} among {@code members}; empty when there is none. */
  public static Optional<String> owner(String key, Collection<String> members) {
    String best = null;
    long bestWeight = 0;
    for (String member : members) {
      long weight = weight(member, key);
      // Ties (practically never) go to the smaller name, so the choice does not depend on order.
      if (best == null
          || Long.compareUnsigned(weight, bestWeight) > 0
          || (weight == bestWeight && member.compareTo(best) < 0)) {
        best = member;
        bestWeight = weight;
      }
    }
    return Optional.ofNullable(best);
  }

  static long weight(String member, String key) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    sha256.update(member.getBytes(StandardCharsets.UTF_8));
    // A separator no name contains, so ("ab", "c") and ("a", "bc") weigh differently.
    sha256.update((byte) 0);
    byte[] digest = sha256.digest(key.getBytes(StandardCharsets.UTF_8));
    long weight = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      weight = (weight << 8) | (digest[i] & 0xff);
    }
    return weight;
  }
}
