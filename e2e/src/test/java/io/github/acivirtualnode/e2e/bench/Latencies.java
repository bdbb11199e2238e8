package io.github.acivirtualnode.e2e.bench;

import io.github.acivirtualnode.aciemulator.GroupTimes;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins the harness's pod times with the emulator's group times by pod UID (the group's tag, which
 * each subject names its own way): bound to PUT arrival, and group Running in ACI to pod Running in
 * the API server. Pure.
 */
public final class Latencies {
  private Latencies() {}

  private static Map<String, GroupTimes> byPodUid(List<GroupTimes> groups, String uidTag) {
    Map<String, GroupTimes> out = new HashMap<>();
    for (GroupTimes g : groups) {
      String uid = g.tags().get(uidTag);
      if (uid != null) {
        out.put(uid, g);
      }
    }
    return out;
  }

  static Instant firstRunning(GroupTimes g) {
    if (g == null) {
      return null;
    }
    Instant a = g.containersRunningSince();
    Instant b = g.runningSince();
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return a.isBefore(b) ? a : b;
  }

  /** For each pod with a group: from the moment it was bound to its group's PUT arrival. */
  public static List<Duration> boundToPut(List<PodTimes> pods, List<GroupTimes> groups) {
    return boundToPut(pods, groups, GroupNaming.POD_UID);
  }

  /**
   * As {@link #boundToPut(List, List)}, for groups whose pod UID is in another tag (the peer's).
   */
  public static List<Duration> boundToPut(
      List<PodTimes> pods, List<GroupTimes> groups, String uidTag) {
    Map<String, GroupTimes> byUid = byPodUid(groups, uidTag);
    List<Duration> out = new ArrayList<>();
    for (PodTimes pod : pods) {
      GroupTimes g = byUid.get(pod.uid());
      if (g != null && pod.boundAt() != null && g.putAt() != null) {
        out.add(Duration.between(pod.boundAt(), g.putAt()));
      }
    }
    return out;
  }

  /**
   * For each pod seen Running whose group ACI reports running: from the first moment ACI reports it
   * so (its containers running, or the group's state Running, whichever came first) to the pod's
   * Running in the API server, as the harness's informer saw it.
   */
  public static List<Duration> groupRunningToPodRunning(
      List<PodTimes> pods, List<GroupTimes> groups) {
    return groupRunningToPodRunning(pods, groups, GroupNaming.POD_UID);
  }

  /** As {@link #groupRunningToPodRunning(List, List)}, with the pod UID in another tag. */
  public static List<Duration> groupRunningToPodRunning(
      List<PodTimes> pods, List<GroupTimes> groups, String uidTag) {
    Map<String, GroupTimes> byUid = byPodUid(groups, uidTag);
    List<Duration> out = new ArrayList<>();
    for (PodTimes pod : pods) {
      GroupTimes g = byUid.get(pod.uid());
      Instant aciRunning = firstRunning(g);
      if (aciRunning != null && pod.runningAt() != null) {
        out.add(Duration.between(aciRunning, pod.runningAt()));
      }
    }
    return out;
  }
}
