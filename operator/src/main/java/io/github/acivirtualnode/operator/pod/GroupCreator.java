package io.github.acivirtualnode.operator.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.github.acivirtualnode.operator.aci.AciException;
import io.github.acivirtualnode.operator.translation.ContainerRestarts;
import io.github.acivirtualnode.operator.translation.PodStatusTranslator;
import io.github.acivirtualnode.operator.translation.PodTranslator;
import io.github.acivirtualnode.operator.translation.TranslationError;
import io.github.acivirtualnode.operator.translation.TranslationNotice;
import io.github.acivirtualnode.operator.translation.TranslationResult;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The create path: reads what the pod references, translates it and PUTs its group. Throttling and
 * transient ARM errors leave the pod Pending with a reason saying what it waits for; a pod ACI
 * cannot run fails once with {@code ProviderFailed} and a Warning event.
 */
final class GroupCreator {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCreator.class);
  static final String CREATE_CONFIG_ERROR = "CreateContainerConfigError";
  static final String THROTTLED = "ProviderThrottled";
  static final String UNAVAILABLE = "ProviderUnavailable";

  /** What came of a create. */
  enum Outcome {
    /** ARM accepted the PUT. */
    CREATED,
    /** Not possible yet (a missing Secret or ConfigMap): try again after the back-off. */
    RETRY,
    /** The pod cannot run: it failed, for good. */
    FAILED
  }

  private final PodScope scope;
  private final KnownGroups groups;
  private final ReferenceReader references;

  GroupCreator(PodScope scope, KnownGroups groups) {
    this.scope = scope;
    this.groups = groups;
    this.references = new ReferenceReader(scope.ctx().client());
  }

  /**
   * Creates the pod's group.
   *
   * @throws AciException when ARM throttles or fails for now (retry after Retry-After or back-off)
   */
  Outcome create(PodWork.Pod key, Pod pod, String groupName) {
    TranslationResult result =
        PodTranslator.translate(pod, references.read(pod), scope.nodeContext());
    if (result instanceof TranslationResult.Rejected rejected) {
      if (rejected.retriable()) {
        // As a kubelet: wait for the Secret or ConfigMap to appear.
        scope.writeStatus(
            pod,
            PodStatusTranslator.waiting(pod, CREATE_CONFIG_ERROR, rejected.message(), scope.now()));
        return Outcome.RETRY;
      }
      fail(pod, rejected);
      return Outcome.FAILED;
    }
    TranslationResult.Translated translated = (TranslationResult.Translated) result;
    try {
      scope.backend().create(translated.groupName(), translated.group());
    } catch (AciException e) {
      if (e.kind() == AciException.Kind.INVALID_REQUEST) {
        fail(pod, refusedByAci(e));
        return Outcome.FAILED;
      }
      scope.writeStatus(
          pod, PodStatusTranslator.waiting(pod, waitingReason(e), waitingMessage(e), scope.now()));
      throw e; // retried after Retry-After or the back-off
    }
    groups.created(groupName);
    scope.subscription().expect(groupName);
    LOG.info("created container group {} for pod {} on {}", groupName, key, scope.nodeName());
    for (TranslationNotice notice : translated.notices()) {
      if (notice.warning()) {
        scope.ctx().events().warning(pod, "ProviderNotice", notice.toString());
      } else {
        scope.ctx().events().normal(pod, "ProviderNotice", notice.toString());
      }
    }
    scope.writeStatus(
        pod,
        PodStatusTranslator.waiting(
            pod,
            PodStatuses.CONTAINER_CREATING,
            "creating ACI container group " + groupName,
            scope.now()));
    return Outcome.CREATED;
  }

  /**
   * Replaces the pod's group with one made from its spec now (its containers' images changed): one
   * PUT under the same name, which ACI takes as an update of the group that restarts all its
   * containers. So there is never a second group for the pod, nor a moment without one that could
   * pass for a vanished group after an operator restart. The new group carries the restart counts
   * so far ({@link ContainerRestarts}). A throttled or failing PUT leaves the old group running and
   * is retried; a spec ACI refuses fails the pod, as at creation.
   *
   * @throws AciException when ARM throttles or fails for now (retry after Retry-After or back-off)
   */
  Outcome replace(PodWork.Pod key, Pod pod, String groupName) {
    TranslationResult result =
        PodTranslator.translate(pod, references.read(pod), scope.nodeContext());
    if (result instanceof TranslationResult.Rejected rejected) {
      if (rejected.retriable()) {
        LOG.debug("pod {} waits to replace its group: {}", key, rejected.message());
        return Outcome.RETRY; // the old group runs on meanwhile
      }
      fail(pod, rejected);
      return Outcome.FAILED;
    }
    TranslationResult.Translated translated = (TranslationResult.Translated) result;
    try {
      scope
          .backend()
          .create(
              translated.groupName(),
              ContainerRestarts.withBase(
                  translated.group(), ContainerRestarts.afterReplacement(pod)));
    } catch (AciException e) {
      if (e.kind() == AciException.Kind.INVALID_REQUEST) {
        fail(pod, refusedByAci(e));
        return Outcome.FAILED;
      }
      throw e;
    }
    groups.replaced(groupName, PodDecision.images(pod));
    scope.subscription().expect(groupName);
    LOG.info(
        "replacing container group {} of pod {} on {}: new image",
        groupName,
        key,
        scope.nodeName());
    scope
        .ctx()
        .events()
        .normal(
            pod,
            "ContainerGroupReplaced",
            "the container image changed: ACI container group "
                + groupName
                + " is replaced and its containers restart");
    scope.writeStatus(pod, PodStatuses.replacing(pod, groupName, scope.now()));
    return Outcome.CREATED;
  }

  private static TranslationResult.Rejected refusedByAci(AciException e) {
    return new TranslationResult.Rejected(
        List.of(
            new TranslationError(
                TranslationError.Kind.INVALID,
                "spec",
                "ACI refused the container group (" + e.code() + "): " + e.getMessage())));
  }

  private static String waitingReason(AciException e) {
    return switch (e.kind()) {
      case THROTTLED -> THROTTLED;
      default -> UNAVAILABLE;
    };
  }

  /** A stable message (no times, no request ids): a retry that changes nothing patches nothing. */
  private static String waitingMessage(AciException e) {
    return switch (e.kind()) {
      case THROTTLED ->
          "waiting for the subscription's ACI budget: the container group is created when ARM"
              + " allows";
      case TRANSIENT -> "ARM is unavailable for now (" + e.code() + "): retrying";
      default -> "ACI cannot create the container group now (" + e.code() + "): retrying";
    };
  }

  private void fail(Pod pod, TranslationResult.Rejected rejected) {
    LOG.info(
        "pod {}/{} cannot run on {}: {}",
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(),
        scope.nodeName(),
        rejected.message());
    scope.ctx().metrics().translationError(rejected.errors().get(0).kind());
    scope.writeStatus(pod, PodStatusTranslator.rejected(pod, rejected, scope.now()));
    scope.ctx().events().warning(pod, PodStatusTranslator.PROVIDER_FAILED, rejected.message());
  }
}
