package io.github.acivirtualnode.e2e.reliability;

import io.fabric8.kubernetes.api.model.Pod;
import io.github.acivirtualnode.aciemulator.ArmRequestCount;
import io.github.acivirtualnode.aciemulator.EmulatedGroup;
import io.github.acivirtualnode.operator.node.ContainerGroupTags;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What must hold after any fault, as counts and never times: each check returns the violations it
 * found, each a sentence naming the pod or group, so that the reliability suite can assert none and
 * a benchmark can report them. Pure: the caller gathers pods, groups and counts.
 */
public final class Invariants {
  /** The REST operation of a container-group PUT (create or replace). */
  public static final String CREATE = "ContainerGroups_CreateOrUpdate";

  private Invariants() {}

  /**
   * No pod lost and none failed by a transient fault: each pod is Running, or Failed with the
   * reason its name is expected to fail with (a reason its spec or the scenario explains).
   */
  public static List<String> podsRunningOrFailedAsExpected(
      List<Pod> pods, Map<String, String> expectedFailureReasons) {
    List<String> out = new ArrayList<>();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      String expected = expectedFailureReasons.get(name);
      if (expected == null && !"Running".equals(phase)) {
        out.add("pod " + name + " is " + phase + describe(pod) + ", not Running");
      } else if (expected != null
          && !("Failed".equals(phase) && expected.equals(pod.getStatus().getReason()))) {
        out.add("pod " + name + " is " + phase + describe(pod) + ", not Failed with " + expected);
      }
    }
    return out;
  }

  private static String describe(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getReason() == null) {
      return "";
    }
    return " (" + pod.getStatus().getReason() + ": " + pod.getStatus().getMessage() + ")";
  }

  /** At no sampled moment more than one group for one pod UID; no samples is a violation too. */
  public static List<String> atMostOneGroupPerPod(GroupSampler sampler) {
    List<String> out = new ArrayList<>();
    if (sampler.samples() == 0) {
      out.add("no sample of the container groups was taken");
    }
    sampler
        .podsWithMoreThanOneGroup()
        .forEach((uid, what) -> out.add("pod UID " + uid + ": " + what));
    return out;
  }

  /**
   * Orphans: groups tagged for the Node whose pod UID is not one of the live pods'. Groups without
   * the pod tags are not the operator's to collect and are not counted.
   */
  public static List<String> orphans(
      List<EmulatedGroup> groups, String nodeName, Set<String> livePodUids) {
    List<String> out = new ArrayList<>();
    for (EmulatedGroup group : groups) {
      String uid = group.tags().get(GroupNaming.POD_UID);
      if (uid != null
          && nodeName.equals(group.tags().get(ContainerGroupTags.NODE))
          && !livePodUids.contains(uid)) {
        out.add(
            "group "
                + group.name()
                + " of gone pod "
                + group.tags().get(GroupNaming.POD_NAMESPACE)
                + "/"
                + group.tags().get(GroupNaming.POD_NAME));
      }
    }
    return out;
  }

  /** The subscription's create and delete budgets were never exceeded: ARM refused none. */
  public static List<String> budgetsKept(long createRefusals, long deleteRefusals) {
    List<String> out = new ArrayList<>();
    if (createRefusals > 0) {
      out.add(createRefusals + " creates refused by the subscription's create budget");
    }
    if (deleteRefusals > 0) {
      out.add(deleteRefusals + " deletes refused by the subscription's delete budget");
    }
    return out;
  }

  /** No group created twice (ARM answered 201 to a PUT of it more than once) between two counts. */
  public static List<String> eachGroupCreatedAtMostOnce(
      List<ArmRequestCount> before, List<ArmRequestCount> after) {
    List<String> out = new ArrayList<>();
    creates(after, before)
        .forEach(
            (group, n) -> {
              if (n > 1) {
                out.add("group " + group + " created " + n + " times");
              }
            });
    return out;
  }

  /** Creates (PUTs answered 201) per group name between two counts of the emulator's requests. */
  public static Map<String, Long> creates(
      List<ArmRequestCount> after, List<ArmRequestCount> before) {
    Map<String, Long> out = new TreeMap<>();
    Map<String, Long> earlier = new HashMap<>();
    for (ArmRequestCount c : before) {
      if (CREATE.equals(c.operation()) && c.status() == 201) {
        earlier.merge(c.name(), c.count(), Long::sum);
      }
    }
    for (ArmRequestCount c : after) {
      if (CREATE.equals(c.operation()) && c.status() == 201) {
        long n = c.count() - earlier.getOrDefault(c.name(), 0L);
        if (n > 0) {
          out.merge(c.name(), n, Long::sum);
        }
      }
    }
    return out;
  }
}
