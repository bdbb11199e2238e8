package io.github.acivirtualnode.operator.pod;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A keyed work queue in the manner of client-go's: a key waits in the queue at most once (adding it
 * again while it waits keeps its place), is handed to one worker at a time (a key added while a
 * worker has it is handed out again when that worker is {@link #done}), and can be added after a
 * delay or after a per-key exponential {@link Backoff} that {@link #forget} resets.
 *
 * <p>Workers {@link #take} keys in the order they were first added, so that pods held back (a
 * throttled create) proceed in order. Delays run on the given scheduler; a key with a delayed add
 * pending keeps only the earliest. Nothing here blocks except {@link #take}.
 *
 * @param <K> the key, with equals and hashCode
 */
public final class WorkQueue<K> implements AutoCloseable {
  private final ScheduledExecutorService timers;
  private final Backoff backoff;
  private final LinkedHashSet<K> queue = new LinkedHashSet<>();
  private final Set<K> processing = new HashSet<>();
  private final Set<K> dirty = new HashSet<>();
  private final Map<K, Integer> failures = new HashMap<>();
  private final Map<K, Delayed> delayed = new HashMap<>();
  private boolean closed;

  // Workers on demand (serveOnDemand): how many may run, how many do, how many wait in poll.
  private Runnable startWorker;
  private int maxWorkers;
  private int workers;
  private int waiting;

  /** A pending delayed add; {@code backoff} when it is a back-off's, not a chosen delay. */
  private record Delayed(long dueNanos, ScheduledFuture<?> future, boolean backoff) {}

  public WorkQueue(ScheduledExecutorService timers, Backoff backoff) {
    this.timers = timers;
    this.backoff = backoff;
  }

  /**
   * Workers started on demand, each of which {@link #poll}s until it idles out: one more whenever a
   * key waits and no waiting worker is free for it, at most {@code max} at once. So a node with
   * nothing to do holds no worker thread, and a burst gets {@code max}.
   *
   * @param startWorker starts one worker (a thread that polls, handles and hands back keys)
   */
  public synchronized void serveOnDemand(int max, Runnable startWorker) {
    this.maxWorkers = max;
    this.startWorker = startWorker;
  }

  /** Adds the key now. */
  public void add(K key) {
    boolean start;
    synchronized (this) {
      if (closed) {
        return;
      }
      if (processing.contains(key)) {
        dirty.add(key);
        return;
      }
      if (!queue.add(key)) {
        return;
      }
      notifyAll();
      start = workerWanted();
    }
    if (start) {
      startWorker.run();
    }
  }

  /** Under the monitor: counts a new worker in when keys outnumber the free workers. */
  private boolean workerWanted() {
    if (startWorker == null || workers >= maxWorkers || queue.size() <= waiting) {
      return false;
    }
    workers++;
    return true;
  }

  /** Adds the key once the delay has passed (at once for a delay of zero or less). */
  public void addAfter(K key, Duration delay) {
    addAfter(key, delay, false);
  }

  private void addAfter(K key, Duration delay, boolean backoff) {
    if (delay.isZero() || delay.isNegative()) {
      add(key);
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      long due = System.nanoTime() + delay.toNanos();
      Delayed pending = delayed.get(key);
      if (pending != null && pending.dueNanos() - due <= 0) {
        return; // an earlier add is already on its way
      }
      if (pending != null) {
        pending.future().cancel(false);
      }
      ScheduledFuture<?> future =
          timers.schedule(() -> fire(key, due), delay.toNanos(), TimeUnit.NANOSECONDS);
      delayed.put(key, new Delayed(due, future, backoff));
    }
  }

  private void fire(K key, long due) {
    synchronized (this) {
      Delayed pending = delayed.get(key);
      if (pending != null && pending.dueNanos() == due) {
        delayed.remove(key);
      }
    }
    add(key);
  }

  /**
   * Adds the key after its back-off: one more failure in a row for it.
   *
   * @return the delay chosen
   */
  public Duration addRateLimited(K key) {
    Duration delay;
    synchronized (this) {
      delay = backoff.delay(failures.merge(key, 1, Integer::sum));
    }
    addAfter(key, delay, true);
    return delay;
  }

  /**
   * Adds now every key waiting out a back-off (not those waiting a delay chosen for them, such as
   * ARM's Retry-After): what they failed on has just come back. Their failure counts stay, so a key
   * that fails again backs off further.
   *
   * @return how many keys were brought forward
   */
  public int expediteBackoffs() {
    List<K> due = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return 0;
      }
      for (var it = delayed.entrySet().iterator(); it.hasNext(); ) {
        var entry = it.next();
        if (entry.getValue().backoff()) {
          entry.getValue().future().cancel(false);
          it.remove();
          due.add(entry.getKey());
        }
      }
    }
    due.forEach(this::add);
    return due.size();
  }

  /** The key succeeded: its next failure starts the back-off afresh. */
  public synchronized void forget(K key) {
    failures.remove(key);
  }

  /** Failures in a row of the key since it was last forgotten. */
  public synchronized int failures(K key) {
    return failures.getOrDefault(key, 0);
  }

  /**
   * The next key, which the caller must hand back with {@link #done}; waits for one.
   *
   * @return the key, or null once the queue is closed
   */
  public synchronized K take() throws InterruptedException {
    while (queue.isEmpty() && !closed) {
      wait();
    }
    return closed ? null : handOut();
  }

  /** Under the monitor, with a key waiting: the first one, now being processed. */
  private K handOut() {
    Iterator<K> it = queue.iterator();
    K key = it.next();
    it.remove();
    processing.add(key);
    return key;
  }

  /**
   * The next key, which the caller must hand back with {@link #done}, waiting for one at most
   * {@code idle}; null when none came (the worker is then counted out of {@link #serveOnDemand}'s
   * and must end) or the queue is closed.
   */
  public synchronized K poll(Duration idle) throws InterruptedException {
    long deadline = System.nanoTime() + idle.toNanos();
    while (queue.isEmpty() && !closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        // Decided under the monitor: an add after this sees one worker fewer and starts another.
        workers--;
        return null;
      }
      waiting++;
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } finally {
        waiting--;
      }
    }
    if (closed) {
      workers--;
      return null;
    }
    return handOut();
  }

  /** Workers counted in by {@link #serveOnDemand} and not yet idled out. */
  public synchronized int workers() {
    return workers;
  }

  /** The worker is done with the key; if it was added meanwhile it waits in the queue again. */
  public synchronized void done(K key) {
    processing.remove(key);
    if (dirty.remove(key) && !closed) {
      queue.add(key);
      notifyAll();
    }
  }

  /** Keys waiting now (not those with a delayed add, nor those being processed). */
  public synchronized int size() {
    return queue.size();
  }

  /** Wakes every worker with null; later adds are ignored. */
  @Override
  public synchronized void close() {
    closed = true;
    delayed.values().forEach(d -> d.future().cancel(false));
    delayed.clear();
    queue.clear();
    notifyAll();
  }
}
