package io.github.acivirtualnode.aciemulator.model;

import java.time.Instant;

/** An instance-view event; repeated events are aggregated with a count, as ACI does. */
public record ContainerEvent(
    String name, String type, String message, int count, Instant first, Instant last) {

  ContainerEvent again(Instant at) {
    return new ContainerEvent(name, type, message, count + 1, first, at);
  }
}
