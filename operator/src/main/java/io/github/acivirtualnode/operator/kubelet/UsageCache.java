package io.github.acivirtualnode.operator.kubelet;

import io.github.acivirtualnode.operator.aci.AciBackend.ContainerUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The container groups' last CPU and memory figures, and when each may be read again. Azure
 * Monitor's figures are one-minute averages, so a group is read at most once per {@link #REFRESH}
 * whatever the scrape rate; a scrape reads at most {@code maxReadsPerScrape} groups (the others
 * serve what they had and are read by a later scrape), and a failed or throttled read keeps the
 * last figures. Pure: the reads are the caller's.
 */
final class UsageCache {
  /** Azure Monitor's grain for container groups. */
  static final Duration REFRESH = Duration.ofMinutes(1);

  private record Entry(List<ContainerUsage> figures, Instant readAt, boolean failed) {}

  private final int maxReadsPerScrape;
  private final Map<String, Entry> groups = new HashMap<>();

  UsageCache(int maxReadsPerScrape) {
    this.maxReadsPerScrape = maxReadsPerScrape;
  }

  /**
   * The groups to read for this scrape, oldest figures first, at most {@code maxReadsPerScrape};
   * each is claimed (counted as read now), so a concurrent scrape does not read it too.
   */
  synchronized List<String> claim(Collection<String> wanted, Instant now) {
    List<String> due = new ArrayList<>();
    for (String group : wanted) {
      Entry e = groups.get(group);
      if (e == null || !e.readAt().plus(REFRESH).isAfter(now)) {
        due.add(group);
      }
    }
    due.sort(
        java.util.Comparator.comparing(
            g -> groups.containsKey(g) ? groups.get(g).readAt() : Instant.MIN));
    List<String> claimed = List.copyOf(due.subList(0, Math.min(due.size(), maxReadsPerScrape)));
    for (String group : claimed) {
      Entry e = groups.get(group);
      groups.put(group, new Entry(e == null ? null : e.figures(), now, false));
    }
    return claimed;
  }

  synchronized void store(String group, List<ContainerUsage> figures, Instant now) {
    groups.put(group, new Entry(List.copyOf(figures), now, false));
  }

  /** The read failed (throttled, ARM down): the last figures stay, the group waits its minute. */
  synchronized void failed(String group, Instant now) {
    Entry e = groups.get(group);
    groups.put(group, new Entry(e == null ? null : e.figures(), now, true));
  }

  /** The last figures read, if any. */
  synchronized Optional<List<ContainerUsage>> figures(String group) {
    Entry e = groups.get(group);
    return e == null ? Optional.empty() : Optional.ofNullable(e.figures());
  }

  /** Whether the group's last read failed. */
  synchronized boolean lastReadFailed(String group) {
    Entry e = groups.get(group);
    return e != null && e.failed();
  }

  /** Forgets groups no longer asked for (their pods went). */
  synchronized void retain(Collection<String> current) {
    groups.keySet().retainAll(java.util.Set.copyOf(current));
  }
}
