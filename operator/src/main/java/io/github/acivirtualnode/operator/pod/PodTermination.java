package io.github.acivirtualnode.operator.pod;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.fabric8.kubernetes.api.model.Pod;
import io.github.acivirtualnode.operator.gc.OrphanGroupCollector;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import io.github.acivirtualnode.operator.translation.PodStatusTranslator;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delete path: a deleted pod's group goes first, then the kubelet's last steps (final status,
 * the pod deleted with grace 0); groups of pods removed without us (force deletion) and orphaned
 * groups go too.
 */
final class PodTermination {
  private static final Logger LOG = LoggerFactory.getLogger(PodTermination.class);

  private final PodScope scope;
  private final KnownGroups groups;
  private final OrphanGroupCollector orphans;
  private final AciEventForwarder events;
  private final BiFunction<String, String, Optional<String>> podUid;

  /**
   * @param podUid the UID of the live pod of that namespace and name, if there is one
   */
  PodTermination(
      PodScope scope,
      KnownGroups groups,
      OrphanGroupCollector orphans,
      AciEventForwarder events,
      BiFunction<String, String, Optional<String>> podUid) {
    this.scope = scope;
    this.groups = groups;
    this.orphans = orphans;
    this.events = events;
    this.podUid = podUid;
  }

  /** DELETEs the group (returns once ARM accepted it) and reads it no more. */
  void deleteGroup(String groupName) {
    scope.backend().delete(groupName);
    groups.deleteRequested(groupName);
    orphans.deleted(groupName);
    scope.subscription().forget(groupName);
    LOG.info("deleting container group {} on {}", groupName, scope.nodeName());
  }

  /**
   * A pod past its activeDeadlineSeconds: its group goes (a kubelet kills the containers) and the
   * pod fails with reason DeadlineExceeded, staying in the API server as a kubelet leaves it.
   */
  void deadlineExceeded(Pod pod, String groupName) {
    if (!groups.isDeleteRequested(groupName)) {
      deleteGroup(groupName);
    }
    scope.writeStatus(pod, PodStatusTranslator.deadlineExceeded(pod, scope.now()));
    scope
        .ctx()
        .events()
        .warning(
            pod,
            PodStatusTranslator.DEADLINE_EXCEEDED,
            "Pod was active on the node longer than the specified deadline: container group "
                + groupName
                + " deleted");
  }

  /** The kubelet's last steps: the final status, then the pod object deleted with grace 0. */
  void remove(Pod pod, String groupName) {
    scope.writeStatus(pod, PodStatuses.terminated(pod, scope.now()));
    scope
        .ctx()
        .client()
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .withGracePeriod(0)
        .delete();
    groups.forget(groupName);
    events.forget(pod);
  }

  /** A pod removed from the API server without us (force deletion): its groups go now. */
  void deleteGroupsOfRemovedPod(PodWork.Pod key) {
    if (!groups.hasListed()) {
      return; // the next list enqueues every pod; GC covers the rest
    }
    for (ContainerGroupInner g : groups.allListed()) {
      Optional<GroupNaming.PodIdentity> of = GroupNaming.podOf(g);
      if (of.isPresent()
          && of.get().namespace().equals(key.namespace())
          && of.get().name().equals(key.name())
          && !groups.isDeleteRequested(g.name())) {
        deleteGroup(g.name());
        groups.forget(g.name());
      }
    }
  }

  /** An orphan the collector named: deleted unless it is not ours after all or its pod is back. */
  void collect(PodWork.Orphan key) {
    ContainerGroupInner g = groups.listedGroup(key.groupName());
    if (g == null || groups.isDeleteRequested(key.groupName())) {
      return;
    }
    Optional<GroupNaming.PodIdentity> of = GroupNaming.podOf(g);
    if (of.isEmpty()
        || podUid
            .apply(of.get().namespace(), of.get().name())
            .map(of.get().uid()::equals)
            .orElse(false)) {
      return; // not made by us, or its pod is back
    }
    LOG.info(
        "deleting orphaned container group {} of node {}: pod {}/{} (UID {}) is gone",
        key.groupName(),
        scope.nodeName(),
        of.get().namespace(),
        of.get().name(),
        of.get().uid());
    deleteGroup(key.groupName());
    groups.forget(key.groupName());
  }
}
