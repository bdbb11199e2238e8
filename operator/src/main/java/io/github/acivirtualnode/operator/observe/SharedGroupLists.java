package io.github.acivirtualnode.operator.observe;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The latest list of a resource group per backend, shared by the observer and every node's health
 * probe: whoever needs a list no older than some age gets the last one if it is young enough, so a
 * probe adds no list of its own to the observer's. Keyed by backend (the credentials the list was
 * made with), because a list answered for one node's credentials says nothing about another's.
 *
 * <p>Callers wait on ARM (probe threads only). Two callers of one backend never list at once: the
 * second gets the first's answer.
 */
public final class SharedGroupLists {
  private final Clock clock;

  // Weak keys: a backend replaced by a new resolution (rotated Secret) takes its entry with it.
  private final Map<AciBackend, Entry> entries = Collections.synchronizedMap(new WeakHashMap<>());

  public SharedGroupLists(Clock clock) {
    this.clock = clock;
  }

  /**
   * What one list answered.
   *
   * @param startedAt when the list was sent: a group created after it may be missing
   * @param groups every group in the resource group (no instance view), empty when it failed
   * @param failure why the list failed, or null
   */
  public record Outcome(Instant startedAt, List<ContainerGroupInner> groups, AciException failure) {
    public List<ContainerGroupInner> groupsOrThrow() {
      if (failure != null) {
        throw failure;
      }
      return groups;
    }
  }

  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    volatile Outcome last;
  }

  /** The last list made with this backend if it started at most maxAge ago, else a new one. */
  public Outcome list(AciBackend backend, Duration maxAge) {
    Entry entry = entries.computeIfAbsent(backend, b -> new Entry());
    entry.lock.lock();
    try {
      Outcome last = entry.last;
      Instant now = clock.instant();
      if (last != null && !last.startedAt().isBefore(now.minus(maxAge))) {
        return last;
      }
      Outcome fresh;
      try {
        fresh = new Outcome(now, List.copyOf(backend.list()), null);
      } catch (AciException e) {
        fresh = new Outcome(now, List.of(), e);
      }
      entry.last = fresh;
      return fresh;
    } finally {
      entry.lock.unlock();
    }
  }
}
