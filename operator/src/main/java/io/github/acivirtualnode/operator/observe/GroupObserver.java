package io.github.acivirtualnode.operator.observe;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciException;
import io.github.acivirtualnode.operator.node.ContainerGroupTags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observes the container groups of one resource group for every virtual node that uses it: one list
 * per interval, and instance-view GETs only where {@link RefreshSchedule} says state can have
 * changed. What it learns goes to the node the group is tagged for ({@link GroupListener}).
 *
 * <p>Between lists, every {@code briskInterval}, only the groups whose state is changing are read
 * ({@link RefreshSchedule#dueBetweenLists}): a list costs a read per page of groups, however few
 * change.
 *
 * <p>Runs on the probe threads (it waits on ARM), one tick at a time. The list and the GETs go
 * through the backend of any subscribed node that has one: they share the subscription's budgets. A
 * failed or throttled call ends the tick; what was due stays due.
 */
final class GroupObserver {
  private static final Logger LOG = LoggerFactory.getLogger(GroupObserver.class);

  private final ObserverKey key;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final Duration interval;
  private final Duration briskInterval;
  private final String clusterId;
  private final RefreshSchedule schedule;
  private final SharedGroupLists lists;
  private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
  private final java.util.concurrent.locks.ReentrantLock ticking =
      new java.util.concurrent.locks.ReentrantLock();
  private ScheduledFuture<?> task;
  private ScheduledFuture<?> briskTask;

  /** A list tick found a brisk round reading: the next brisk tick lists instead. */
  private final java.util.concurrent.atomic.AtomicBoolean listMissed =
      new java.util.concurrent.atomic.AtomicBoolean();

  record Subscriber(String node, Supplier<AciBackend> backend, GroupListener listener) {}

  GroupObserver(
      ObserverKey key,
      ScheduledExecutorService executor,
      Clock clock,
      Duration interval,
      Duration briskInterval,
      Duration briskWindow,
      Duration settledRefresh,
      String clusterId,
      SharedGroupLists lists) {
    this.key = key;
    this.lists = lists;
    this.executor = executor;
    this.clock = clock;
    this.interval = interval;
    this.briskInterval = briskInterval;
    this.clusterId = clusterId;
    this.schedule = new RefreshSchedule(briskWindow, settledRefresh);
  }

  synchronized void add(Subscriber subscriber) {
    subscribers.put(subscriber.node(), subscriber);
    if (task == null) {
      task =
          executor.scheduleWithFixedDelay(
              this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
      if (briskInterval.compareTo(interval) < 0) {
        briskTask =
            executor.scheduleWithFixedDelay(
                this::briskTick,
                briskInterval.toMillis(),
                briskInterval.toMillis(),
                TimeUnit.MILLISECONDS);
      }
    } else {
      executor.execute(this::tick); // the new node learns what exists without waiting
    }
  }

  /**
   * @return whether no node is left
   */
  synchronized boolean remove(String node, Subscriber subscriber) {
    subscribers.remove(node, subscriber);
    schedule.forgetNode(node);
    if (subscribers.isEmpty() && task != null) {
      task.cancel(false);
      task = null;
      if (briskTask != null) {
        briskTask.cancel(false);
        briskTask = null;
      }
    }
    return subscribers.isEmpty();
  }

  RefreshSchedule schedule() {
    return schedule;
  }

  /** One list, then the GETs that are due. Never throws: a scheduled task that throws stops. */
  void tick() {
    if (!exclusively(this::observe)) {
      // A brisk round is reading: the list is made by the next brisk tick, not skipped.
      listMissed.set(true);
    }
  }

  /** Between lists, the GETs of groups whose state is changing; nothing at all when none is. */
  void briskTick() {
    exclusively(
        () -> {
          if (listMissed.getAndSet(false)) {
            observe();
          } else {
            observeChanging();
          }
        });
  }

  /**
   * @return false if another tick was running, so this one did nothing
   */
  private boolean exclusively(Runnable observation) {
    // Never under the monitor: add and remove (called from heartbeat threads) must not wait on ARM.
    if (!ticking.tryLock()) {
      return false;
    }
    try {
      synchronized (this) {
        if (task == null) {
          return true;
        }
      }
      observation.run();
    } catch (Throwable e) {
      LOG.error("observation of {} failed unexpectedly", key, e);
    } finally {
      ticking.unlock();
    }
    return true;
  }

  private void observeChanging() {
    List<String> due = schedule.dueBetweenLists(clock.instant());
    if (due.isEmpty() || subscribers.isEmpty()) {
      return;
    }
    backend().ifPresent(aci -> read(aci, due));
  }

  private void observe() {
    if (subscribers.isEmpty()) {
      return;
    }
    Optional<AciBackend> backend = backend();
    if (backend.isEmpty()) {
      return;
    }
    AciBackend aci = backend.get();
    // A list a probe made moments ago serves this tick too (the probes share the lists).
    SharedGroupLists.Outcome outcome = lists.list(aci, interval.dividedBy(2));
    if (outcome.failure() != null) {
      LOG.debug("list of {} failed: {}", key, outcome.failure().getMessage());
      return;
    }
    Instant startedAt = outcome.startedAt();
    List<ContainerGroupInner> all = outcome.groups();
    Map<String, List<ContainerGroupInner>> byNode = new HashMap<>();
    Map<String, RefreshSchedule.Listed> listed = new HashMap<>();
    for (ContainerGroupInner g : all) {
      String node = g.tags() == null ? null : g.tags().get(ContainerGroupTags.NODE);
      if (node != null
          && subscribers.containsKey(node)
          && ContainerGroupTags.ours(g, clusterId, java.util.Set.of(node))) {
        byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(g);
        listed.put(g.name(), new RefreshSchedule.Listed(node, g.provisioningState()));
      }
    }
    schedule.listed(listed, startedAt);
    for (Subscriber s : subscribers.values()) {
      s.listener().listed(byNode.getOrDefault(s.node(), List.of()), startedAt);
    }
    List<String> due = schedule.due(clock.instant());
    LOG.trace(
        "{}: {} groups listed for {} nodes, {} to read",
        key,
        listed.size(),
        byNode.size(),
        due.size());
    read(aci, due);
  }

  /** GETs each group and tells its node; a failed or throttled GET leaves the rest due. */
  private void read(AciBackend aci, List<String> due) {
    for (String name : due) {
      try {
        Optional<ContainerGroupInner> group = aci.get(name);
        // A node may forget a group (it deleted it) while the round reads it: then nobody is told.
        if (group.isPresent()) {
          schedule.observed(name, GroupSettling.settled(group.get()), clock.instant());
          subscriber(schedule.nodeOf(name)).ifPresent(s -> s.listener().observed(group.get()));
        } else {
          subscriber(schedule.gone(name)).ifPresent(s -> s.listener().gone(name));
        }
      } catch (AciException e) {
        LOG.debug("GET of {} in {} failed: {}", name, key, e.getMessage());
        return; // throttled or failing: the rest stays due
      }
    }
  }

  private Optional<Subscriber> subscriber(String node) {
    return node == null ? Optional.empty() : Optional.ofNullable(subscribers.get(node));
  }

  private Optional<AciBackend> backend() {
    for (Subscriber s : subscribers.values()) {
      try {
        return Optional.of(s.backend().get());
      } catch (AciException e) {
        // this node has no backend now (credentials); another may
      }
    }
    return Optional.empty();
  }
}
