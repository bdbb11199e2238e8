package io.github.acivirtualnode.operator.observe;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import java.time.Instant;
import java.util.List;

/**
 * What a virtual node hears from its observer. Called on the observer's thread: implementations
 * only record and enqueue, they never wait.
 */
public interface GroupListener {
  /**
   * A list of the resource group has been answered.
   *
   * @param groups the groups tagged for this cluster and this node, as the list gives them (no
   *     instance view: only existence, tags and provisioning state)
   * @param startedAt when the list was sent: a group created after it may be missing
   */
  void listed(List<ContainerGroupInner> groups, Instant startedAt);

  /** A GET of one of the node's groups, with its instance view. */
  void observed(ContainerGroupInner group);

  /** A GET confirmed that a group the node expected is not there. */
  void gone(String groupName);
}
