package io.github.acivirtualnode.aciemulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every ARM request the emulator answered, counted by operation, resource and status. Counts, not a
 * log: memory grows with the number of resources, not of requests, so a long demo stays small.
 */
final class ArmRequestCounts {
  /** A request's identity before its answer is known. */
  record Request(String operation, String subscriptionId, String resourceGroup, String name) {
    Request {
      // ARM paths are case-insensitive: one resource, one count, however a client spells it.
      subscriptionId = lower(subscriptionId);
      resourceGroup = lower(resourceGroup);
      name = lower(name);
    }

    private static String lower(String s) {
      return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
  }

  private record Key(Request request, int status) {}

  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

  void record(Request request, int status) {
    counts.computeIfAbsent(new Key(request, status), k -> new LongAdder()).increment();
  }

  List<ArmRequestCount> snapshot() {
    List<ArmRequestCount> out = new ArrayList<>();
    counts.forEach(
        (k, n) ->
            out.add(
                new ArmRequestCount(
                    k.request().operation(),
                    k.request().subscriptionId(),
                    k.request().resourceGroup(),
                    k.request().name(),
                    k.status(),
                    n.sum())));
    out.sort(
        Comparator.comparing(ArmRequestCount::operation)
            .thenComparing(ArmRequestCount::subscriptionId)
            .thenComparing(ArmRequestCount::resourceGroup)
            .thenComparing(ArmRequestCount::name)
            .thenComparingInt(ArmRequestCount::status));
    return out;
  }

  void reset() {
    counts.clear();
  }
}
