package io.github.acivirtualnode.operator.sharding;

import java.time.Instant;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The live replicas: the holders of unexpired member Leases. A replica that cannot renew its own
 * member Lease drops out of its own view too, so it hands over what it holds just as the others
 * start to take it.
 */
public final class Members {
  private Members() {}

  public static SortedSet<String> live(Collection<LeaseRecord> memberLeases, Instant now) {
    SortedSet<String> live = new TreeSet<>();
    for (LeaseRecord lease : memberLeases) {
      if (!lease.freeAt(now)) {
        live.add(lease.holder());
      }
    }
    return live;
  }
}
