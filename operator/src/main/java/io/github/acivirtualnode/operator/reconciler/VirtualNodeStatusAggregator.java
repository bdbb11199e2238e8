package io.github.acivirtualnode.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeStatus;
import io.github.acivirtualnode.operator.node.BackendHealth;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a VirtualNode's whole status from what its agent observed. The only writer of status: it
 * stamps observedGeneration, keeps a condition's transition time while its status holds, and lets
 * the caller skip the patch when nothing changed (equal statuses).
 */
public final class VirtualNodeStatusAggregator {
  public static final String READY = "Ready";
  public static final String NODE_REGISTERED = "NodeRegistered";
  public static final String BACKEND_REACHABLE = "BackendReachable";

  private VirtualNodeStatusAggregator() {}

  /**
   * What the agent knows; a value so that the aggregation is pure.
   *
   * @param registrationReason why the Node is (not) registered, e.g. NodeNameConflict
   * @param appliedGeneration the VirtualNode generation applied to the Node, null when unknown
   */
  public record Observation(
      String nodeName,
      boolean registered,
      String registrationReason,
      String registrationMessage,
      Long appliedGeneration,
      BackendHealth.Snapshot health,
      int pods,
      int groups) {

    public Observation(
        String nodeName, boolean registered, BackendHealth.Snapshot health, int pods, int groups) {
      this(
          nodeName,
          registered,
          registered ? "Registered" : "Registering",
          registered
              ? "Node " + nodeName + " is registered and its Lease renewed"
              : "registering Node " + nodeName,
          null,
          health,
          pods,
          groups);
    }
  }

  public static VirtualNodeStatus aggregate(VirtualNode vn, Observation seen, Instant now) {
    // observedGeneration says which spec the Node reflects: the one the agent applied.
    long generation =
        seen.appliedGeneration() != null
            ? seen.appliedGeneration()
            : vn.getMetadata().getGeneration() == null ? 0 : vn.getMetadata().getGeneration();
    List<Condition> previous = vn.getStatus() == null ? List.of() : vn.getStatus().getConditions();
    BackendHealth.Snapshot health = seen.health();
    List<Condition> conditions = new ArrayList<>();
    boolean ready = seen.registered() && health.ready();
    conditions.add(
        condition(
            READY,
            ready ? "True" : "False",
            !seen.registered()
                ? ("Registering".equals(seen.registrationReason())
                    ? "NodeNotRegistered"
                    : seen.registrationReason())
                : health.ready() ? "NodeReady" : health.notReadyReason(),
            !seen.registered()
                ? seen.registrationMessage()
                : health.ready()
                    ? "Node " + seen.nodeName() + " is Ready"
                    : health.notReadyMessage(),
            generation,
            previous,
            now));
    conditions.add(
        condition(
            NODE_REGISTERED,
            seen.registered() ? "True" : "False",
            seen.registrationReason(),
            seen.registrationMessage(),
            generation,
            previous,
            now));
    conditions.add(
        condition(
            BACKEND_REACHABLE,
            switch (health.reachable()) {
              case TRUE -> "True";
              case FALSE -> "False";
              case UNKNOWN -> "Unknown";
            },
            health.reason(),
            health.message(),
            generation,
            previous,
            now));
    VirtualNodeStatus status = new VirtualNodeStatus();
    status.setObservedGeneration(generation);
    status.setNodeName(seen.nodeName());
    status.setConditions(conditions);
    status.setPods(seen.pods());
    status.setContainerGroups(seen.groups());
    return status;
  }

  private static Condition condition(
      String type,
      String status,
      String reason,
      String message,
      long generation,
      List<Condition> previous,
      Instant now) {
    String transition =
        previous.stream()
            .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .findFirst()
            .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(transition)
        .build();
  }
}
