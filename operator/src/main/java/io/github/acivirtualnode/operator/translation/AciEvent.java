package io.github.acivirtualnode.operator.translation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One ACI event of a container group or of one of its containers, to be forwarded as a Kubernetes
 * Event on the pod.
 *
 * <p>ACI aggregates its events as Kubernetes does: the same event again raises {@code count} and
 * {@code lastTimestamp}. {@code key} names the aggregated event and depends only on what ACI
 * reports (pod UID, container, reason, message, first timestamp), so a caller that names the
 * Kubernetes Event after it ({@code <pod>.<key>}) forwards each event once, also across operator
 * restarts: create it when the name is new, update its count when {@code count} grew, and do
 * nothing otherwise.
 *
 * @param key 16 hex digits, stable for the same aggregated ACI event
 * @param container the container the event is about, or null for the group
 * @param type {@code Normal} or {@code Warning}
 * @param reason ACI's event name ({@code Pulling}, {@code Started}, {@code Killing}, ...)
 * @param message ACI's message
 * @param count how many times it happened
 * @param firstTimestamp when first, or null when ACI does not say
 * @param lastTimestamp when last, or null when ACI does not say
 */
public record AciEvent(
    String key,
    String container,
    String type,
    String reason,
    String message,
    int count,
    Instant firstTimestamp,
    Instant lastTimestamp) {

  /** The field path of the container in the pod, for the Event's involvedObject, or null. */
  public String fieldPath() {
    return container == null ? null : "spec.containers{" + container + "}";
  }

  static String keyOf(
      String podUid, String container, String reason, String message, Instant first) {
    String identity =
        String.join(
            "\u0000",
            podUid == null ? "" : podUid,
            container == null ? "" : container,
            reason == null ? "" : reason,
            message == null ? "" : message,
            first == null ? "" : first.toString());
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
