package io.github.acivirtualnode.operator.pod;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.operator.LogContext;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciException;
import io.github.acivirtualnode.operator.gc.OrphanGroupCollector;
import io.github.acivirtualnode.operator.node.AgentContext;
import io.github.acivirtualnode.operator.observe.GroupListener;
import io.github.acivirtualnode.operator.observe.GroupObservers;
import io.github.acivirtualnode.operator.observe.ObserverKey;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods of one virtual node: a watch of the pods bound to it ({@code spec.nodeName}), a keyed,
 * rate-limited {@link WorkQueue}, and workers that decide ({@link PodDecision}) and hand each pod
 * to the create path ({@link GroupCreator}), the status sync ({@link PodStatusSync}) or the delete
 * path ({@link PodTermination}). What the shared observer ({@link GroupObservers}) reports is kept
 * in {@link KnownGroups}. Workers never wait on ARM's long-running operations: a PUT or DELETE
 * returns once ARM has accepted it, and the observer sees what follows.
 *
 * <p>State is rebuilt from the API server (the pods, their status) and from ACI (groups listed with
 * their tags) at every start: a pod whose group exists is adopted, never created again, and a pod
 * that ran but whose group is gone is failed, once a GET has confirmed it.
 *
 * <p>Throttling and transient ARM errors never fail a pod: it stays Pending, its containers waiting
 * with a reason that says what for, and is retried after Retry-After (throttling) or its back-off.
 * A pod ACI cannot run fails once with {@code ProviderFailed}, a Warning event, and no retry.
 */
public final class PodController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodController.class);
  private static final Duration NOT_OURS_RETRY = Duration.ofSeconds(10);
  private static final Duration LIST_WAIT = Duration.ofSeconds(1);
  private static final Duration RESYNC = Duration.ofMinutes(5);

  /** How long a worker waits for a key before its thread is given back. */
  private static final Duration WORKER_IDLE = Duration.ofSeconds(60);

  private final AgentContext ctx;
  private final String nodeName;
  private final Supplier<Set<String>> ownedNames;
  private final ObserverKey observerKey;
  private final PodScope scope;
  private final KnownGroups groups = new KnownGroups();
  private final OrphanGroupCollector orphans;
  private final GroupCreator creator;
  private final PodStatusSync status;
  private final PodTermination termination;
  private final ScheduledExecutorService timers;
  private final ExecutorService workers;
  private final WorkQueue<PodWork> queue;

  private volatile SharedIndexInformer<Pod> informer;
  private Runnable removePhaseGauges = () -> {};
  private volatile GroupObservers.Subscription subscription;
  private volatile boolean closed;

  /**
   * @param initial the VirtualNode as the controller starts: its Node name and resource group are
   *     the controller's for good ({@link #outdatedBy})
   * @param virtualNode the latest VirtualNode (region, OS)
   * @param backend the node's backend, or throws an AciException saying why there is none
   * @param ownedNames the Node names that are the agent's: nothing is done for a Node of that name
   *     that is someone else's (NodeNameConflict)
   */
  public PodController(
      AgentContext ctx,
      VirtualNode initial,
      Supplier<VirtualNode> virtualNode,
      Supplier<AciBackend> backend,
      Supplier<Set<String>> ownedNames) {
    this.ctx = ctx;
    this.nodeName = initial.nodeName();
    this.observerKey = ObserverKey.of(initial.getSpec().getAzure());
    this.ownedNames = ownedNames;
    this.scope = new PodScope(ctx, nodeName, virtualNode, backend);
    this.orphans = new OrphanGroupCollector(ctx.config().pods().orphanGracePeriod());
    AciEventForwarder events = new AciEventForwarder(ctx.client(), nodeName);
    this.creator = new GroupCreator(scope, groups);
    this.status = new PodStatusSync(scope, groups, events);
    this.termination = new PodTermination(scope, groups, orphans, events, this::podUid);
    this.timers = Executors.newSingleThreadScheduledExecutor(daemon("pod-timer-" + nodeName));
    // Threads only while there is work: an idle node holds none, a burst gets AVN_POD_WORKERS.
    this.workers = Executors.newCachedThreadPool(daemon("pod-worker-" + nodeName));
    this.queue = new WorkQueue<>(timers, Backoff.DEFAULT);
    queue.serveOnDemand(ctx.config().pods().workers(), this::startWorker);
  }

  /** Starts the pod watch and the observation of the node's groups; returns at once. */
  public synchronized void start() {
    if (closed || informer != null) {
      return;
    }
    // The informer exists (unstarted) before the observer reports: callbacks and workers find it.
    informer =
        ctx.client()
            .pods()
            .inAnyNamespace()
            .withField("spec.nodeName", nodeName)
            .runnableInformer(RESYNC.toMillis());
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            queue.add(PodWork.Pod.of(pod));
          }

          @Override
          public void onUpdate(Pod before, Pod after) {
            queue.add(PodWork.Pod.of(after));
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {
            queue.add(PodWork.Pod.of(pod));
          }
        });
    subscription =
        ctx.observers().subscribe(observerKey, nodeName, scope.backendSupplier(), new Listener());
    scope.subscription(subscription);
    removePhaseGauges = ctx.metrics().podPhases(nodeName, this::podsByPhase);
    informer.start();
  }

  /** The bound pods by phase, as the watch has them (no status yet: Pending). */
  private Map<String, Long> podsByPhase() {
    SharedIndexInformer<Pod> pods = informer;
    if (pods == null) {
      return Map.of();
    }
    return pods.getStore().list().stream()
        .collect(
            Collectors.groupingBy(
                p ->
                    p.getStatus() == null || p.getStatus().getPhase() == null
                        ? "Pending"
                        : p.getStatus().getPhase(),
                Collectors.counting()));
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    removePhaseGauges.run();
    queue.close();
    if (informer != null) {
      informer.close();
    }
    if (subscription != null) {
      subscription.close();
    }
    workers.shutdown();
    timers.shutdownNow();
  }

  /**
   * ARM answers again (or the backend became usable): pods backing off from a failed create or
   * delete try now rather than after the rest of their back-off, which an outage made long.
   */
  public void backendRecovered() {
    int woken = queue.expediteBackoffs();
    if (woken > 0) {
      LOG.info("ACI usable again for node {}: retrying {} pods now", nodeName, woken);
    }
  }

  /** How many pods are bound to the node, as the watch has them; empty until it has synced. */
  public OptionalInt boundPods() {
    SharedIndexInformer<Pod> pods = informer;
    return pods != null && pods.hasSynced()
        ? OptionalInt.of(pods.getStore().listKeys().size())
        : OptionalInt.empty();
  }

  public String nodeName() {
    return nodeName;
  }

  /**
   * Whether the VirtualNode moved away from this controller: another Node name or another resource
   * group. Its owner then replaces it with a new one.
   */
  public boolean outdatedBy(VirtualNode vn) {
    return !vn.nodeName().equals(nodeName)
        || !ObserverKey.of(vn.getSpec().getAzure()).equals(observerKey);
  }

  // --- what the observer reports (on its thread: record and enqueue only) ---

  private final class Listener implements GroupListener {
    @Override
    public void listed(List<ContainerGroupInner> listed, Instant startedAt) {
      boolean first = !groups.hasListed();
      groups.listed(listed, startedAt).forEach(PodController.this::enqueueGroup);
      SharedIndexInformer<Pod> pods = informer;
      if (first && pods != null) {
        pods.getStore().list().forEach(p -> queue.add(PodWork.Pod.of(p)));
      }
      if (pods != null && pods.hasSynced() && owned()) {
        for (String name :
            orphans.collect(listed, PodController.this::podUid, ctx.clock().instant())) {
          queue.add(new PodWork.Orphan(name));
        }
      }
    }

    @Override
    public void observed(ContainerGroupInner group) {
      groups.observed(group);
      enqueueGroup(group.name());
    }

    @Override
    public void gone(String groupName) {
      groups.gone(groupName);
      enqueueGroup(groupName);
    }
  }

  private void enqueueGroup(String groupName) {
    groups.podOf(groupName).ifPresent(queue::add);
  }

  private Optional<String> podUid(String namespace, String name) {
    Pod pod = informer.getStore().getByKey(namespace + "/" + name);
    return pod == null ? Optional.empty() : Optional.of(pod.getMetadata().getUid());
  }

  private boolean owned() {
    return ownedNames.get().contains(nodeName);
  }

  // --- the workers ---

  private void startWorker() {
    try {
      workers.execute(this::work);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed: the queue is closed too, nothing is left to do.
    }
  }

  private void work() {
    // A worker thread serves this node only: its log context is the node's for good.
    LogContext.inNode(nodeName, this::workLoop);
  }

  private void workLoop() {
    while (true) {
      PodWork key;
      try {
        key = queue.poll(WORKER_IDLE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (key == null) {
        return;
      }
      try {
        if (!owned()) {
          queue.addAfter(key, NOT_OURS_RETRY);
        } else if (key instanceof PodWork.Pod pod) {
          LogContext.inPod(pod.namespace(), pod.name(), () -> syncPod(pod));
        } else if (key instanceof PodWork.Orphan orphan) {
          termination.collect(orphan);
        }
      } catch (AciException e) {
        retry(key, e);
      } catch (KubernetesClientException e) {
        LOG.debug("{} on {}: the API server said {}", key, nodeName, e.getMessage());
        if (e.getCode() == 409) {
          queue.addAfter(key, Duration.ofMillis(200)); // a newer version: the watch brings it
        } else {
          queue.addRateLimited(key);
        }
      } catch (Throwable e) {
        LOG.error("{} on {} failed unexpectedly", key, nodeName, e);
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  }

  private void retry(PodWork key, AciException e) {
    if (e.kind() == AciException.Kind.THROTTLED && e.retryAfter().isPresent()) {
      queue.addAfter(key, e.retryAfter().get());
    } else {
      queue.addRateLimited(key);
    }
  }

  private void syncPod(PodWork.Pod key) {
    if (!informer.hasSynced()) {
      // An unsynced store would say that live pods are gone (and their groups orphans).
      queue.addAfter(key, LIST_WAIT);
      return;
    }
    Pod pod = informer.getStore().getByKey(key.storeKey());
    if (pod == null) {
      termination.deleteGroupsOfRemovedPod(key);
      queue.forget(key);
      return;
    }
    String groupName = GroupNaming.groupName(pod);
    groups.bind(groupName, key);
    Optional<Instant> deadline = PodStatuses.deadline(pod);
    PodDecision.Facts facts =
        new PodDecision.Facts(
            pod.getMetadata().getDeletionTimestamp() != null,
            PodStatuses.terminal(pod),
            groups.hasListed(),
            groups.exists(groupName),
            groups.isCreated(groupName),
            groups.isGone(groupName),
            PodStatuses.started(pod),
            groups.isDeleteRequested(groupName),
            PodDecision.imageChanged(pod, groups.imageAccounts(groupName)),
            deadline.isPresent() && !ctx.clock().instant().isBefore(deadline.get()));
    PodDecision.Action action = PodDecision.decide(facts);
    LOG.trace("{} on {}: {} -> {}", key, nodeName, facts, action);
    switch (action) {
      case WAIT_FOR_LIST -> queue.addAfter(key, LIST_WAIT);
      case CREATE -> {
        switch (creator.create(key, pod, groupName)) {
          case CREATED -> queue.forget(key);
          case RETRY -> queue.addRateLimited(key);
          case FAILED -> {}
        }
      }
      case OBSERVE -> status.observe(pod, groupName);
      case REPLACE -> {
        switch (creator.replace(key, pod, groupName)) {
          case CREATED -> queue.forget(key);
          case RETRY -> queue.addRateLimited(key);
          case FAILED -> {}
        }
      }
      case CONFIRM_ABSENCE -> subscription.expect(groupName);
      case VANISHED -> status.vanished(pod, groupName);
      case DELETE_GROUP -> {
        termination.deleteGroup(groupName);
        termination.remove(pod, groupName);
      }
      case REMOVE_POD -> termination.remove(pod, groupName);
      case DEADLINE_EXCEEDED -> termination.deadlineExceeded(pod, groupName);
      case NOTHING -> {}
    }
    // A kubelet checks the deadline on every sync; here the pod comes back when it is due.
    PodDecision.deadlineRecheck(facts, deadline, ctx.clock().instant())
        .ifPresent(delay -> queue.addAfter(key, delay));
    if (action != PodDecision.Action.WAIT_FOR_LIST
        && action != PodDecision.Action.CREATE
        && action != PodDecision.Action.REPLACE) {
      queue.forget(key);
    }
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
