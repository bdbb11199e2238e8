package io.github.acivirtualnode.aciemulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A standby container group pool: its accepted resource body and the moments its standby instances
 * began provisioning. An instance is handed out once it is provisioned (the caller decides with the
 * profile's simulation); every instance handed out is replaced at once (refill policy {@code
 * always}) unless refilling is paused through the admin API. Nothing runs on a timer: readiness is
 * a function of the clock.
 */
public final class StandbyPoolRecord {
  public static final String TYPE = "Microsoft.StandbyPool/standbyContainerGroupPools";

  private final String subscriptionId;
  private final String resourceGroup;
  private final String name;
  private ObjectNode body;
  private final List<Instant> instances = new ArrayList<>();
  private boolean refillPaused;

  public StandbyPoolRecord(String subscriptionId, String resourceGroup, String name) {
    this.subscriptionId = subscriptionId;
    this.resourceGroup = resourceGroup;
    this.name = name;
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

  public String id() {
    return "/subscriptions/"
        + subscriptionId
        + "/resourceGroups/"
        + resourceGroup
        + "/providers/"
        + TYPE
        + "/"
        + name;
  }

  public synchronized ObjectNode body() {
    return body;
  }

  public synchronized JsonNode profileReference() {
    return body.path("properties").path("containerGroupProperties").path("containerGroupProfile");
  }

  public synchronized int maxReadyCapacity() {
    return body.path("properties").path("elasticityProfile").path("maxReadyCapacity").asInt();
  }

  /**
   * Takes a new body (PUT or merged PATCH). A changed profile drains the pool and provisions every
   * instance anew, as the documentation says; a changed capacity adds or removes instances.
   */
  public synchronized void update(ObjectNode newBody, Instant now) {
    boolean profileChanged = body == null || !profileReference().equals(profileOf(newBody));
    body = newBody;
    if (profileChanged) {
      instances.clear();
    }
    topUp(now);
    while (instances.size() > maxReadyCapacity()) {
      instances.remove(instances.size() - 1);
    }
  }

  private static JsonNode profileOf(JsonNode body) {
    return body.path("properties").path("containerGroupProperties").path("containerGroupProfile");
  }

  private void topUp(Instant now) {
    while (!refillPaused && instances.size() < maxReadyCapacity()) {
      instances.add(now);
    }
  }

  /**
   * Hands out the oldest provisioned instance and refills.
   *
   * @param provisioned whether an instance that began at the given moment is ready now
   * @return when the instance began provisioning, or null when none is ready
   */
  public synchronized Instant take(Instant now, Predicate<Instant> provisioned) {
    for (int i = 0; i < instances.size(); i++) {
      Instant began = instances.get(i);
      if (provisioned.test(began)) {
        instances.remove(i);
        topUp(now);
        return began;
      }
    }
    return null;
  }

  /** How many instances are provisioned (Running) and still provisioning (Creating). */
  public synchronized int[] counts(Predicate<Instant> provisioned) {
    int ready = (int) instances.stream().filter(provisioned).count();
    return new int[] {ready, instances.size() - ready};
  }

  /** Admin: every instance provisioned now (as if it had begun long ago). */
  public synchronized void fill(Instant now) {
    topUp(now);
    instances.replaceAll(i -> now.minus(Duration.ofDays(1)));
  }

  /** Admin: every instance gone; refilling (unless paused) begins now. */
  public synchronized void drain(Instant now) {
    instances.clear();
    topUp(now);
  }

  /** Admin: stop or resume replacing instances that were handed out. */
  public synchronized void pauseRefill(boolean paused, Instant now) {
    refillPaused = paused;
    topUp(now);
  }
}
