package io.github.acivirtualnode.operator.pod;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.fabric8.kubernetes.api.model.Pod;
import io.github.acivirtualnode.operator.translation.PodStatusTranslator;
import io.github.acivirtualnode.operator.translation.StatusObservation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status sync: a pod's status from the last GET of its group (written only on change), ACI's
 * events forwarded, and the pod failed when its group vanished.
 */
final class PodStatusSync {
  private static final Logger LOG = LoggerFactory.getLogger(PodStatusSync.class);

  private final PodScope scope;
  private final KnownGroups groups;
  private final AciEventForwarder events;

  PodStatusSync(PodScope scope, KnownGroups groups, AciEventForwarder events) {
    this.scope = scope;
    this.groups = groups;
    this.events = events;
  }

  void observe(Pod pod, String groupName) {
    ContainerGroupInner group = groups.observedGroup(groupName);
    if (group == null) {
      // Listed or just created, not read yet: a new pod shows that it is being created; an adopted
      // one keeps what it had until the observer's GET.
      if (pod.getStatus() == null
          || pod.getStatus().getContainerStatuses() == null
          || pod.getStatus().getContainerStatuses().isEmpty()) {
        scope.writeStatus(
            pod,
            PodStatusTranslator.waiting(
                pod,
                PodStatuses.CONTAINER_CREATING,
                "creating ACI container group " + groupName,
                scope.now()));
      }
      return;
    }
    StatusObservation observation =
        PodStatusTranslator.observe(pod, group, scope.nodeContext(), scope.now());
    observation.status().ifPresent(s -> scope.writeStatus(pod, s));
    observation.recheckAt().ifPresent(at -> scope.subscription().recheck(groupName, at));
    events.forward(pod, observation.events(), scope.now());
  }

  void vanished(Pod pod, String groupName) {
    LOG.info(
        "container group {} of pod {}/{} vanished",
        groupName,
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName());
    scope.writeStatus(pod, PodStatusTranslator.vanished(pod, groupName, scope.now()));
    scope
        .ctx()
        .events()
        .warning(
            pod,
            PodStatusTranslator.GROUP_VANISHED,
            "the ACI container group " + groupName + " was deleted outside Kubernetes");
  }
}
