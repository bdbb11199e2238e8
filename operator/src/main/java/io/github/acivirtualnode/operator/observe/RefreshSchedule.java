package io.github.acivirtualnode.operator.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which container groups deserve an instance-view GET after a list: the whole of the observer's
 * economy, pure and clock-free (every method is told the time).
 *
 * <p>A group is read when
 *
 * <ul>
 *   <li>it is new (never read), or a virtual node expects it (it just created the group),
 *   <li>its provisioning state in the list differs from the last list's,
 *   <li>it has not settled ({@link GroupSettling}) and became active less than {@code briskWindow}
 *       ago: at every list, until it settles,
 *   <li>a recheck it asked for is due (a readiness probe's first possible success),
 *   <li>its last read is {@code settledRefresh} old (container restarts do not show in the list),
 *   <li>it was expected or listed before and a list that started later lacks it: one GET confirms
 *       that it is gone before anyone acts on its absence.
 * </ul>
 *
 * Everything else is left alone: a settled pod costs one GET per {@code settledRefresh}.
 */
public final class RefreshSchedule {
  private final Duration briskWindow;
  private final Duration settledRefresh;
  private final Map<String, Entry> entries = new HashMap<>();

  /** Groups their node deleted: not read again, even while a list still shows them going. */
  private final java.util.Set<String> forgotten = new java.util.HashSet<>();

  private static final class Entry {
    final String node;
    String provisioningState;
    Instant lastGet;
    boolean settled;
    Instant activeSince;
    Instant expectedAt;
    Instant recheckAt;
    boolean getNow = true;
    boolean confirmAbsence;

    Entry(String node, Instant since) {
      this.node = node;
      this.activeSince = since;
    }
  }

  /** What a list says about one group. */
  public record Listed(String node, String provisioningState) {}

  public RefreshSchedule(Duration briskWindow, Duration settledRefresh) {
    this.briskWindow = briskWindow;
    this.settledRefresh = settledRefresh;
  }

  /** A node just created the group: read it briskly from the next list on. */
  public synchronized void expect(String name, String node, Instant now) {
    forgotten.remove(name);
    Entry e = entries.computeIfAbsent(name, n -> new Entry(node, now));
    e.expectedAt = now;
    e.activeSince = now;
    e.settled = false;
    e.getNow = true;
  }

  /** Read the group again at that time (at the first list after it). */
  public synchronized void recheck(String name, Instant at) {
    Entry e = entries.get(name);
    if (e != null && (e.recheckAt == null || at.isBefore(e.recheckAt))) {
      e.recheckAt = at;
    }
  }

  /**
   * The group is no concern any more (deleted by its node): it is not read again while lists still
   * show it being deleted, nor confirmed gone.
   */
  public synchronized void forget(String name) {
    entries.remove(name);
    forgotten.add(name);
  }

  /** A node left: its groups are no concern of this schedule any more. */
  public synchronized void forgetNode(String node) {
    entries.values().removeIf(e -> e.node.equals(node));
  }

  /** Takes in a list that was sent at {@code startedAt}: every group it gave, by name. */
  public synchronized void listed(Map<String, Listed> groups, Instant startedAt) {
    forgotten.retainAll(groups.keySet());
    groups.forEach(
        (name, listed) -> {
          if (forgotten.contains(name)) {
            return;
          }
          Entry e = entries.get(name);
          if (e == null) {
            e = new Entry(listed.node(), startedAt);
            entries.put(name, e);
          } else if (e.provisioningState != null
              && !Objects.equals(e.provisioningState, listed.provisioningState())) {
            e.getNow = true;
            e.settled = false;
            e.activeSince = startedAt;
          }
          e.provisioningState = listed.provisioningState();
          e.expectedAt = null;
          e.confirmAbsence = false;
        });
    for (var entry : entries.entrySet()) {
      Entry e = entry.getValue();
      boolean tooNew = e.expectedAt != null && e.expectedAt.isAfter(startedAt);
      if (!groups.containsKey(entry.getKey()) && !tooNew) {
        e.confirmAbsence = true;
      }
    }
  }

  /**
   * The groups to GET now, most telling first ({@link #byUrgency}): a round that runs out of ARM's
   * read budget ends early, so the order decides which groups wait.
   */
  public synchronized List<String> due(Instant now) {
    List<String> due = new ArrayList<>();
    for (var entry : entries.entrySet()) {
      Entry e = entry.getValue();
      boolean brisk = !e.settled && Duration.between(e.activeSince, now).compareTo(briskWindow) < 0;
      if (e.confirmAbsence
          || e.getNow
          || e.lastGet == null
          || brisk
          || (e.recheckAt != null && !e.recheckAt.isAfter(now))
          || Duration.between(e.lastGet, now).compareTo(settledRefresh) >= 0) {
        due.add(entry.getKey());
      }
    }
    due.sort(byUrgency(now));
    return due;
  }

  /**
   * First the groups whose state is known to have changed or never been read (new, expected, a
   * provisioning state that moved in the list, an absence to confirm), then rechecks that are due,
   * then the rest, least recently read first; names break ties. So under a read budget a group that
   * just started is read before one read two seconds ago, and none waits for ever behind names that
   * sort before it.
   */
  private java.util.Comparator<String> byUrgency(Instant now) {
    return java.util.Comparator.<String>comparingInt(name -> urgency(entries.get(name), now))
        .thenComparing(
            name -> entries.get(name).lastGet,
            java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()))
        .thenComparing(java.util.Comparator.naturalOrder());
  }

  private static int urgency(Entry e, Instant now) {
    if (e.confirmAbsence || e.getNow || e.lastGet == null) {
      return 0;
    }
    if (e.recheckAt != null && !e.recheckAt.isAfter(now)) {
      return 1;
    }
    return 2;
  }

  /**
   * The groups to GET between two lists, most telling first: those whose state is changing (new,
   * expected, unsettled in the brisk window, a recheck due), so that a pod's Running lands soon
   * after ACI reports it while lists, which cost a read per page, stay rare. The settled refresh
   * and the confirmation of an absence wait for the next list.
   */
  public synchronized List<String> dueBetweenLists(Instant now) {
    List<String> due = new ArrayList<>();
    for (var entry : entries.entrySet()) {
      Entry e = entry.getValue();
      boolean brisk = !e.settled && Duration.between(e.activeSince, now).compareTo(briskWindow) < 0;
      if (!e.confirmAbsence
          && (e.getNow || brisk || (e.recheckAt != null && !e.recheckAt.isAfter(now)))) {
        due.add(entry.getKey());
      }
    }
    due.sort(byUrgency(now));
    return due;
  }

  /** A GET answered the group. */
  public synchronized void observed(String name, boolean settled, Instant now) {
    Entry e = entries.get(name);
    if (e == null) {
      return;
    }
    if (e.settled && !settled) {
      e.activeSince = now;
    }
    e.settled = settled;
    e.lastGet = now;
    e.getNow = false;
    e.confirmAbsence = false;
    if (e.recheckAt != null && !e.recheckAt.isAfter(now)) {
      e.recheckAt = null;
    }
  }

  /**
   * A GET found the group gone: it is forgotten.
   *
   * @return the node it was for, or null if it was not known
   */
  public synchronized String gone(String name) {
    Entry e = entries.remove(name);
    return e == null ? null : e.node;
  }

  /** The node a known group is for, or null. */
  public synchronized String nodeOf(String name) {
    Entry e = entries.get(name);
    return e == null ? null : e.node;
  }

  public synchronized int size() {
    return entries.size();
  }
}
