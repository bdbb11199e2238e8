package io.github.acivirtualnode.operator.translation;

import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an observed container group says about its pod.
 *
 * @param status the pod status it implies, or empty when the observation tells nothing new (a list
 *     answer, which carries no instance view); patch the pod only if it differs
 * @param events the group's and its containers' ACI events, to forward each once ({@link
 *     AciEvent#key})
 * @param recheckAt when the status would change with no news from ACI (a readiness probe's first
 *     possible success, or the end of a failure's effect), or empty; an observer may look again
 *     then, or simply let its next refresh pick it up
 */
public record StatusObservation(
    Optional<PodStatus> status, List<AciEvent> events, Optional<Instant> recheckAt) {
  public StatusObservation {
    events = List.copyOf(events);
  }

  static StatusObservation nothingNew() {
    return new StatusObservation(Optional.empty(), List.of(), Optional.empty());
  }
}
