package io.github.acivirtualnode.aciemulator.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stored container group: the accepted spec (secrets included, they are stripped only when
 * rendered) and the moments that drive its simulation.
 */
public final class ContainerGroupRecord {
  /** The provisioning state after a PUT or a start, until the group is placed. */
  public static final String PENDING = "Pending";

  /** The provisioning state after a restart, until every container runs again. */
  public static final String UPDATING = "Updating";

  private final String subscriptionId;
  private final String resourceGroup;
  private final String name;
  private final int ordinal;
  private ObjectNode spec;
  private Instant provisioningStart;
  private Instant putAt;
  private String transitionalState = PENDING;
  private Instant runBegin;
  private Instant stoppedAt;
  private Instant evictedAt;
  private final Map<String, List<ContainerSimulation.Kill>> kills = new HashMap<>();
  private boolean createdFromStandbyPool;

  public ContainerGroupRecord(
      String subscriptionId,
      String resourceGroup,
      String name,
      int ordinal,
      ObjectNode spec,
      Instant provisioningStart,
      Instant runBegin) {
    this.subscriptionId = subscriptionId;
    this.resourceGroup = resourceGroup;
    this.name = name;
    this.ordinal = ordinal;
    this.spec = spec;
    this.provisioningStart = provisioningStart;
    this.putAt = provisioningStart;
    this.runBegin = runBegin;
  }

  public String subscriptionId() {
    return subscriptionId;
  }

  public String resourceGroup() {
    return resourceGroup;
  }

  public String name() {
    return name;
  }

  /** A per-emulator sequence number, used to hand out distinct IP addresses. */
  public int ordinal() {
    return ordinal;
  }

  public String id() {
    return "/subscriptions/"
        + subscriptionId
        + "/resourceGroups/"
        + resourceGroup
        + "/providers/Microsoft.ContainerInstance/containerGroups/"
        + name;
  }

  public String location() {
    return spec.path("location").asText();
  }

  /** Whether a standby pool handed this group out (it was placed before its PUT). */
  public synchronized boolean createdFromStandbyPool() {
    return createdFromStandbyPool;
  }

  public synchronized void markCreatedFromStandbyPool() {
    createdFromStandbyPool = true;
  }

  public synchronized ObjectNode spec() {
    return spec;
  }

  /** When the PUT that created or last replaced this group arrived. */
  public synchronized Instant putAt() {
    return putAt;
  }

  public synchronized void putArrived(Instant at) {
    putAt = at;
  }

  public synchronized Instant provisioningStart() {
    return provisioningStart;
  }

  /** Pending (after a PUT or start) or Updating (after a restart) while provisioning lasts. */
  public synchronized String transitionalState() {
    return transitionalState;
  }

  public synchronized Instant runBegin() {
    return runBegin;
  }

  public synchronized Instant stoppedAt() {
    return stoppedAt;
  }

  /** When ACI evicted this Spot group (it is stopped from then on), or null. */
  public synchronized Instant evictedAt() {
    return evictedAt;
  }

  public synchronized List<ContainerSimulation.Kill> kills(String container) {
    return List.copyOf(kills.getOrDefault(container, List.of()));
  }

  /** A PUT on an existing group replaces the spec and provisions again. */
  public synchronized void replace(ObjectNode newSpec, Instant provisioning, Instant begin) {
    this.spec = newSpec;
    reprovision(PENDING, provisioning, begin);
  }

  public synchronized void updateTags(ObjectNode tags) {
    spec.set("tags", tags);
  }

  /** Start (of a stopped group): provisioned again, Pending, every container from its pull. */
  public synchronized void start(Instant at, Instant begin) {
    reprovision(PENDING, at, begin);
  }

  /** Restart: provisioning Updating, every container again from its image pull. */
  public synchronized void restart(Instant at, Instant begin) {
    reprovision(UPDATING, at, begin);
  }

  private void reprovision(String transitional, Instant at, Instant begin) {
    this.transitionalState = transitional;
    this.provisioningStart = at;
    this.runBegin = begin;
    this.stoppedAt = null;
    this.evictedAt = null;
    kills.clear();
  }

  public synchronized void stop(Instant at) {
    if (stoppedAt == null) {
      stoppedAt = at;
    }
  }

  /**
   * A Spot eviction: ACI takes the capacity back and deallocates the group, as a stop does, and
   * says why in the group's events.
   */
  public synchronized void evict(Instant at) {
    if (stoppedAt == null) {
      stoppedAt = at;
      evictedAt = at;
    }
  }

  /** Whether the group asked for Spot priority (only such a group can be evicted). */
  public synchronized boolean spot() {
    return "Spot".equalsIgnoreCase(spec.path("properties").path("priority").asText());
  }

  public synchronized void kill(String container, Instant at, int exitCode) {
    kills
        .computeIfAbsent(container, c -> new ArrayList<>())
        .add(new ContainerSimulation.Kill(at, exitCode));
  }
}
