package io.github.acivirtualnode.operator.observe;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a container group, as a GET answers it, has settled: nothing about it will change without
 * an outside cause (a crash, a restart, a deletion), so that it need not be read briskly. Pure.
 */
public final class GroupSettling {
  private static final Set<String> FINAL_PROVISIONING = Set.of("succeeded", "failed");
  private static final Set<String> SETTLED_CONTAINER = Set.of("running", "terminated");

  private GroupSettling() {}

  /**
   * Settled: the provisioning operation is over, the group is no longer Pending and every container
   * runs or has terminated (a container still waiting, pulling or backing off is not settled).
   */
  public static boolean settled(ContainerGroupInner group) {
    if (group.provisioningState() == null
        || !FINAL_PROVISIONING.contains(group.provisioningState().toLowerCase(Locale.ROOT))) {
      return false;
    }
    if ("failed".equalsIgnoreCase(group.provisioningState())) {
      return true;
    }
    if (group.instanceView() == null
        || group.instanceView().state() == null
        || "pending".equalsIgnoreCase(group.instanceView().state())) {
      return false;
    }
    List<Container> containers = group.containers() == null ? List.of() : group.containers();
    for (Container c : containers) {
      if (c.instanceView() == null
          || c.instanceView().currentState() == null
          || c.instanceView().currentState().state() == null
          || !SETTLED_CONTAINER.contains(
              c.instanceView().currentState().state().toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }
}
