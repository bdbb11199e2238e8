package io.github.acivirtualnode.operator.observe;

import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * One {@link GroupObserver} per subscription and resource group, shared by every virtual node of
 * the operator that uses it; an observer starts with its first node and stops with its last.
 */
public final class GroupObservers {
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final OperatorConfig.PodSettings settings;
  private final String clusterId;
  private final SharedGroupLists lists;
  private final Map<ObserverKey, GroupObserver> observers = new HashMap<>();

  /**
   * @param executor threads that may wait on ARM (the probe threads)
   * @param clusterId the cluster's identity: only groups tagged with it are observed
   */
  public GroupObservers(
      ScheduledExecutorService executor,
      Clock clock,
      OperatorConfig.PodSettings settings,
      String clusterId) {
    this.executor = executor;
    this.clock = clock;
    this.settings = settings;
    this.clusterId = clusterId;
    this.lists = new SharedGroupLists(clock);
  }

  /** The lists of resource groups, shared with the nodes' health probes. */
  public SharedGroupLists lists() {
    return lists;
  }

  /**
   * Observes the node's groups in the resource group of the key until the subscription is closed.
   *
   * @param backend the node's backend (may throw an AciException when it has none now)
   */
  public synchronized Subscription subscribe(
      ObserverKey key, String node, Supplier<AciBackend> backend, GroupListener listener) {
    GroupObserver observer =
        observers.computeIfAbsent(
            key,
            k ->
                new GroupObserver(
                    k,
                    executor,
                    clock,
                    settings.listInterval(),
                    settings.briskReadInterval(),
                    settings.briskWindow(),
                    settings.settledRefresh(),
                    clusterId,
                    lists));
    GroupObserver.Subscriber subscriber = new GroupObserver.Subscriber(node, backend, listener);
    observer.add(subscriber);
    return new Subscription(key, observer, subscriber);
  }

  private synchronized void unsubscribe(Subscription s) {
    if (s.observer.remove(s.subscriber.node(), s.subscriber)) {
      observers.remove(s.key, s.observer);
    }
  }

  /** Observers running now (one per resource group in use). */
  public synchronized int size() {
    return observers.size();
  }

  /** A node's hold on its observer, and how it tells the observer what to read. */
  public final class Subscription implements AutoCloseable {
    private final ObserverKey key;
    private final GroupObserver observer;
    private final GroupObserver.Subscriber subscriber;

    private Subscription(
        ObserverKey key, GroupObserver observer, GroupObserver.Subscriber subscriber) {
      this.key = key;
      this.observer = observer;
      this.subscriber = subscriber;
    }

    public ObserverKey key() {
      return key;
    }

    /** The node just created the group: it is read briskly from the next list on. */
    public void expect(String groupName) {
      observer.schedule().expect(groupName, subscriber.node(), clock.instant());
    }

    /** Read the group again at that time. */
    public void recheck(String groupName, Instant at) {
      observer.schedule().recheck(groupName, at);
    }

    /** The node deleted the group: no more reads. */
    public void forget(String groupName) {
      observer.schedule().forget(groupName);
    }

    @Override
    public void close() {
      unsubscribe(this);
    }
  }
}
