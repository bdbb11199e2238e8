package io.github.acivirtualnode.operator.translation;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Restart counts that outlive a container group. When a group is replaced for its pod (an image
 * change), every container of the pod restarts, but ACI counts the new group's restarts from zero.
 * The counts the pod had, plus one for each container that had run, go with the new group as a tag,
 * and the status adds ACI's count to them: the count survives an operator restart with the group,
 * as a kubelet's survives its own.
 *
 * <p>The tag holds one number per container of the group, in its order ({@link
 * InitContainers#groupContainers}: app containers, then sidecars; a pod's containers cannot be
 * added, removed or reordered), comma-separated, which keeps it within ARM's 256 characters for any
 * pod ACI can run (at most 60 containers). A value that does not fit is left out: the status then
 * only keeps its count from going back.
 */
public final class ContainerRestarts {
  /** The tag with the restart counts a group starts from. */
  public static final String TAG = "k8s-restart-base";

  static final int MAX_TAG_VALUE = 256;

  private ContainerRestarts() {}

  /**
   * What each container's count starts from in a group that replaces the pod's current one: its
   * count so far, plus one if it had run (it is restarted), in pod spec order.
   */
  public static List<Integer> afterReplacement(Pod pod) {
    List<ContainerStatus> statuses = new ArrayList<>();
    if (pod.getStatus() != null) {
      // Sidecars are reported among the init containers; they cannot share an app's name.
      statuses.addAll(Lists.of(pod.getStatus().getContainerStatuses()));
      statuses.addAll(Lists.of(pod.getStatus().getInitContainerStatuses()));
    }
    List<Integer> bases = new ArrayList<>();
    for (Container c : InitContainers.groupContainers(pod)) {
      ContainerStatus s =
          statuses.stream().filter(x -> c.getName().equals(x.getName())).findFirst().orElse(null);
      int count = s == null || s.getRestartCount() == null ? 0 : s.getRestartCount();
      bases.add(count + (ran(s) ? 1 : 0));
    }
    return bases;
  }

  /** Whether the status shows that the container ran (now, or before). */
  public static boolean ran(ContainerStatus s) {
    return s != null
        && (ranIn(s.getState())
            || (s.getLastState() != null && s.getLastState().getTerminated() != null));
  }

  private static boolean ranIn(ContainerState state) {
    return state != null && (state.getRunning() != null || state.getTerminated() != null);
  }

  /** The group with the counts as its tag (a copy of its tags; the group itself is changed). */
  public static ContainerGroupInner withBase(ContainerGroupInner group, List<Integer> bases) {
    Map<String, String> tags =
        group.tags() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(group.tags());
    String value = encode(bases);
    if (bases.stream().allMatch(b -> b == 0) || value.length() > MAX_TAG_VALUE) {
      tags.remove(TAG);
    } else {
      tags.put(TAG, value);
    }
    return group.withTags(tags);
  }

  /** The count the container at that spec index starts from in this group: 0 without a tag. */
  static int base(ContainerGroupInner group, int index) {
    List<Integer> bases = decode(group.tags() == null ? null : group.tags().get(TAG));
    return index < bases.size() ? bases.get(index) : 0;
  }

  static String encode(List<Integer> bases) {
    return bases.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  /** The counts of a tag value; an unreadable value (edited by hand) counts as none. */
  static List<Integer> decode(String value) {
    if (Lists.isBlank(value)) {
      return List.of();
    }
    List<Integer> bases = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      try {
        bases.add(Math.max(0, Integer.parseInt(part.trim())));
      } catch (NumberFormatException e) {
        return List.of();
      }
    }
    return bases;
  }
}
