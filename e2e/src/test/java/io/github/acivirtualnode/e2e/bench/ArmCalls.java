package io.github.acivirtualnode.e2e.bench;

import io.github.acivirtualnode.aciemulator.ArmRequestCount;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ARM requests one scenario sent, from the emulator's own counts (the server's side), kept to
 * the scenario's subscription: each scenario has a subscription of its own, so its counts need no
 * difference with an earlier snapshot except inside a scenario (a steady-state window). Pure.
 */
public final class ArmCalls {
  public static final String PUT = "ContainerGroups_CreateOrUpdate";
  public static final String DELETE = "ContainerGroups_Delete";

  private final List<ArmRequestCount> counts;

  private ArmCalls(List<ArmRequestCount> counts) {
    this.counts = List.copyOf(counts);
  }

  /** The counts of one subscription (ARM paths are case-insensitive, the emulator lower-cases). */
  public static ArmCalls of(List<ArmRequestCount> all, String subscriptionId) {
    String sub = subscriptionId.toLowerCase(Locale.ROOT);
    return new ArmCalls(all.stream().filter(c -> sub.equals(c.subscriptionId())).toList());
  }

  /** What was counted after {@code earlier} was: per operation, resource and status. */
  public ArmCalls since(ArmCalls earlier) {
    Map<String, Long> before = new HashMap<>();
    earlier.counts.forEach(c -> before.merge(key(c), c.count(), Long::sum));
    return new ArmCalls(
        counts.stream()
            .map(
                c ->
                    new ArmRequestCount(
                        c.operation(),
                        c.subscriptionId(),
                        c.resourceGroup(),
                        c.name(),
                        c.status(),
                        c.count() - before.getOrDefault(key(c), 0L)))
            .filter(c -> c.count() > 0)
            .toList());
  }

  private static String key(ArmRequestCount c) {
    return c.operation() + "|" + c.resourceGroup() + "|" + c.name() + "|" + c.status();
  }

  /** Requests per operation, whatever they were answered. */
  public Map<String, Long> byOperation() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach(c -> out.merge(c.operation(), c.count(), Long::sum));
    return out;
  }

  /** Requests per operation divided by a number of pods. */
  public Map<String, Double> perPod(int pods) {
    Map<String, Double> out = new TreeMap<>();
    byOperation().forEach((op, n) -> out.put(op, pods == 0 ? 0 : n / (double) pods));
    return out;
  }

  public long total() {
    return counts.stream().mapToLong(ArmRequestCount::count).sum();
  }

  /** Reads: the operations an HTTP GET serves (gets, lists, operation status polls). */
  public long reads() {
    return counts.stream()
        .filter(c -> isRead(c.operation()))
        .mapToLong(ArmRequestCount::count)
        .sum();
  }

  static boolean isRead(String operation) {
    String verb = operation.substring(operation.indexOf('_') + 1);
    return verb.startsWith("Get")
        || verb.startsWith("List")
        || verb.equals("OperationStatus")
        || verb.equals("OperationResult")
        || verb.equals("CheckExistence");
  }

  /** Requests of one operation per container group name, whatever they were answered. */
  public Map<String, Long> perGroup(String operation) {
    Map<String, Long> out = new TreeMap<>();
    counts.stream()
        .filter(c -> operation.equals(c.operation()) && !c.name().isEmpty())
        .forEach(c -> out.merge(c.name(), c.count(), Long::sum));
    return out;
  }

  /** Requests answered with that status. */
  public long answered(int status) {
    return counts.stream()
        .filter(c -> c.status() == status)
        .mapToLong(ArmRequestCount::count)
        .sum();
  }
}
