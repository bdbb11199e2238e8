package io.github.acivirtualnode.operator.pod;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.github.acivirtualnode.api.v1alpha1.OperatingSystem;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciException;
import io.github.acivirtualnode.operator.gc.OrphanGroupCollector;
import io.github.acivirtualnode.operator.node.AgentContext;
import io.github.acivirtualnode.operator.observe.GroupListener;
import io.github.acivirtualnode.operator.observe.GroupObservers;
import io.github.acivirtualnode.operator.observe.ObserverKey;
import io.github.acivirtualnode.operator.translation.AciEvent;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import io.github.acivirtualnode.operator.translation.NodeContext;
import io.github.acivirtualnode.operator.translation.PodStatusTranslator;
import io.github.acivirtualnode.operator.translation.PodTranslator;
import io.github.acivirtualnode.operator.translation.StatusObservation;
import io.github.acivirtualnode.operator.translation.TranslationError;
import io.github.acivirtualnode.operator.translation.TranslationNotice;
import io.github.acivirtualnode.operator.translation.TranslationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods of one virtual node: a watch of the pods bound to it ({@code spec.nodeName}), a keyed,
 * rate-limited {@link WorkQueue}, and workers that create and delete container groups and write pod
 * status from what the shared observer ({@link GroupObservers}) reports. Workers never wait on
 * ARM's long-running operations: a PUT or DELETE returns once ARM has accepted it, and the observer
 * sees what follows.
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
  static final String CONTAINER_CREATING = "ContainerCreating";
  static final String CREATE_CONFIG_ERROR = "CreateContainerConfigError";
  static final String THROTTLED = "ProviderThrottled";
  static final String UNAVAILABLE = "ProviderUnavailable";
  private static final Duration NOT_OURS_RETRY = Duration.ofSeconds(10);
  private static final Duration LIST_WAIT = Duration.ofSeconds(1);
  private static final Duration RESYNC = Duration.ofMinutes(5);

  private final AgentContext ctx;
  private final String nodeName;
  private final Supplier<VirtualNode> virtualNode;
  private final Supplier<AciBackend> backend;
  private final Supplier<Set<String>> ownedNames;
  private final GroupObservers observers;
  private final ObserverKey observerKey;
  private final ReferenceReader references;
  private final OrphanGroupCollector orphans;
  private final ScheduledExecutorService timers;
  private final ExecutorService workers;
  private final WorkQueue<PodWork> queue;

  private volatile SharedIndexInformer<Pod> informer;
  private volatile GroupObservers.Subscription subscription;
  private volatile boolean closed;

  /** Groups of the node as the last list gave them, and when that list was sent. */
  private volatile Map<String, ContainerGroupInner> listed = Map.of();

  private volatile Instant listedAt;
  private final Map<String, ContainerGroupInner> observed = new ConcurrentHashMap<>();
  private final Set<String> created = ConcurrentHashMap.newKeySet();
  private final Set<String> gone = ConcurrentHashMap.newKeySet();
  private final Set<String> deleteRequested = ConcurrentHashMap.newKeySet();
  private final Map<String, PodWork.Pod> podOfGroup = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Integer>> forwardedEvents = new ConcurrentHashMap<>();

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
    this.observers = ctx.observers();
    this.nodeName = initial.nodeName();
    this.observerKey = ObserverKey.of(initial.getSpec().getAzure());
    this.virtualNode = virtualNode;
    this.backend = backend;
    this.ownedNames = ownedNames;
    this.references = new ReferenceReader(ctx.client());
    this.orphans = new OrphanGroupCollector(ctx.config().pods().orphanGracePeriod());
    this.timers = Executors.newSingleThreadScheduledExecutor(daemon("pod-timer-" + nodeName));
    int n = ctx.config().pods().workers();
    this.workers = Executors.newFixedThreadPool(n, daemon("pod-worker-" + nodeName));
    this.queue = new WorkQueue<>(timers, Backoff.DEFAULT);
  }

  /** Starts the pod watch and the observation of the node's groups; returns at once. */
  public synchronized void start() {
    if (closed || informer != null) {
      return;
    }
    for (int i = 0; i < ctx.config().pods().workers(); i++) {
      workers.execute(this::work);
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
    subscription = observers.subscribe(observerKey, nodeName, backend, new Listener());
    informer.start();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
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
    public void listed(List<ContainerGroupInner> groups, Instant startedAt) {
      Map<String, ContainerGroupInner> before = listed;
      Map<String, ContainerGroupInner> now = new HashMap<>();
      for (ContainerGroupInner g : groups) {
        now.put(g.name(), g);
        GroupNaming.podOf(g)
            .ifPresent(p -> podOfGroup.put(g.name(), new PodWork.Pod(p.namespace(), p.name())));
        ContainerGroupInner old = before.get(g.name());
        if (old == null || !Objects.equals(old.provisioningState(), g.provisioningState())) {
          enqueueGroup(g.name());
        }
      }
      boolean first = listedAt == null;
      // A DELETE is remembered while the group is still listed (being deleted), not longer.
      deleteRequested.retainAll(now.keySet());
      listed = Map.copyOf(now);
      listedAt = startedAt;
      SharedIndexInformer<Pod> pods = informer;
      if (first && pods != null) {
        pods.getStore().list().forEach(p -> queue.add(PodWork.Pod.of(p)));
      }
      if (pods != null && pods.hasSynced() && owned()) {
        for (String name :
            orphans.collect(groups, PodController.this::podUid, ctx.clock().instant())) {
          queue.add(new PodWork.Orphan(name));
        }
      }
    }

    @Override
    public void observed(ContainerGroupInner group) {
      observed.put(group.name(), group);
      gone.remove(group.name());
      enqueueGroup(group.name());
    }

    @Override
    public void gone(String groupName) {
      observed.remove(groupName);
      gone.add(groupName);
      enqueueGroup(groupName);
    }
  }

  private void enqueueGroup(String groupName) {
    PodWork.Pod pod = podOfGroup.get(groupName);
    if (pod != null) {
      queue.add(pod);
    }
  }

  private Optional<String> podUid(String namespace, String name) {
    Pod pod = informer.getStore().getByKey(namespace + "/" + name);
    return pod == null ? Optional.empty() : Optional.of(pod.getMetadata().getUid());
  }

  private boolean owned() {
    return ownedNames.get().contains(nodeName);
  }

  // --- the workers ---

  private void work() {
    while (true) {
      PodWork key;
      try {
        key = queue.take();
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
          syncPod(pod);
        } else if (key instanceof PodWork.Orphan orphan) {
          collect(orphan);
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
      deleteGroupsOfRemovedPod(key);
      queue.forget(key);
      return;
    }
    String groupName = GroupNaming.groupName(pod);
    podOfGroup.put(groupName, key);
    boolean exists =
        !gone.contains(groupName)
            && (listed.containsKey(groupName) || observed.containsKey(groupName));
    PodDecision.Facts facts =
        new PodDecision.Facts(
            pod.getMetadata().getDeletionTimestamp() != null,
            PodStatuses.terminal(pod),
            listedAt != null,
            exists,
            created.contains(groupName),
            gone.contains(groupName),
            PodStatuses.started(pod),
            deleteRequested.contains(groupName));
    PodDecision.Action action = PodDecision.decide(facts);
    LOG.trace("{} on {}: {} -> {}", key, nodeName, facts, action);
    switch (action) {
      case WAIT_FOR_LIST -> queue.addAfter(key, LIST_WAIT);
      case CREATE -> create(key, pod, groupName);
      case OBSERVE -> observe(pod, groupName);
      case CONFIRM_ABSENCE -> subscription.expect(groupName);
      case VANISHED -> vanished(pod, groupName);
      case DELETE_GROUP -> {
        deleteGroup(groupName);
        remove(pod, groupName);
      }
      case REMOVE_POD -> remove(pod, groupName);
      case NOTHING -> {}
    }
    if (action != PodDecision.Action.WAIT_FOR_LIST && action != PodDecision.Action.CREATE) {
      queue.forget(key);
    }
  }

  private void create(PodWork.Pod key, Pod pod, String groupName) {
    VirtualNode vn = virtualNode.get();
    NodeContext node = nodeContext(vn);
    TranslationResult result = PodTranslator.translate(pod, references.read(pod), node);
    if (result instanceof TranslationResult.Rejected rejected) {
      if (rejected.retriable()) {
        // As a kubelet: wait for the Secret or ConfigMap to appear.
        writeStatus(
            pod, PodStatusTranslator.waiting(pod, CREATE_CONFIG_ERROR, rejected.message(), now()));
        queue.addRateLimited(key);
      } else {
        fail(pod, rejected);
      }
      return;
    }
    TranslationResult.Translated translated = (TranslationResult.Translated) result;
    AciBackend aci = backend.get();
    try {
      aci.create(translated.groupName(), translated.group());
    } catch (AciException e) {
      if (e.kind() == AciException.Kind.INVALID_REQUEST) {
        fail(
            pod,
            new TranslationResult.Rejected(
                List.of(
                    new TranslationError(
                        TranslationError.Kind.INVALID,
                        "spec",
                        "ACI refused the container group (" + e.code() + "): " + e.getMessage()))));
        return;
      }
      writeStatus(
          pod, PodStatusTranslator.waiting(pod, waitingReason(e), waitingMessage(e), now()));
      throw e; // retried after Retry-After or the back-off
    }
    created.add(groupName);
    subscription.expect(groupName);
    queue.forget(key);
    LOG.info("created container group {} for pod {} on {}", groupName, key, nodeName);
    for (TranslationNotice notice : translated.notices()) {
      ctx.events().normal(pod, "ProviderNotice", notice.toString());
    }
    writeStatus(
        pod,
        PodStatusTranslator.waiting(
            pod, CONTAINER_CREATING, "creating ACI container group " + groupName, now()));
  }

  private static String waitingReason(AciException e) {
    return switch (e.kind()) {
      case THROTTLED -> THROTTLED;
      default -> UNAVAILABLE;
    };
  }

  /** A stable message (no times, no request ids): a retry that changes nothing patches nothing. */
  private static String waitingMessage(AciException e) {
    return switch (e.kind()) {
      case THROTTLED ->
          "waiting for the subscription's ACI budget: the container group is created when ARM"
              + " allows";
      case TRANSIENT -> "ARM is unavailable for now (" + e.code() + "): retrying";
      default -> "ACI cannot create the container group now (" + e.code() + "): retrying";
    };
  }

  private void fail(Pod pod, TranslationResult.Rejected rejected) {
    LOG.info(
        "pod {}/{} cannot run on {}: {}",
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(),
        nodeName,
        rejected.message());
    writeStatus(pod, PodStatusTranslator.rejected(pod, rejected, now()));
    ctx.events().warning(pod, PodStatusTranslator.PROVIDER_FAILED, rejected.message());
  }

  private void observe(Pod pod, String groupName) {
    ContainerGroupInner group = observed.get(groupName);
    if (group == null) {
      // Listed or just created, not read yet: a new pod shows that it is being created; an adopted
      // one keeps what it had until the observer's GET.
      if (pod.getStatus() == null
          || pod.getStatus().getContainerStatuses() == null
          || pod.getStatus().getContainerStatuses().isEmpty()) {
        writeStatus(
            pod,
            PodStatusTranslator.waiting(
                pod, CONTAINER_CREATING, "creating ACI container group " + groupName, now()));
      }
      return;
    }
    StatusObservation observation =
        PodStatusTranslator.observe(pod, group, nodeContext(virtualNode.get()), now());
    observation.status().ifPresent(s -> writeStatus(pod, s));
    observation.recheckAt().ifPresent(at -> subscription.recheck(groupName, at));
    forward(pod, observation.events());
  }

  /** ACI events as Kubernetes Events, each once per operator run (and again when it recurs). */
  private void forward(Pod pod, List<AciEvent> events) {
    Map<String, Integer> done =
        forwardedEvents.computeIfAbsent(pod.getMetadata().getUid(), u -> new ConcurrentHashMap<>());
    for (AciEvent e : events) {
      Integer before = done.put(e.key(), e.count());
      if (before == null || before < e.count()) {
        if ("Warning".equals(e.type())) {
          ctx.events().warning(pod, e.reason(), e.message());
        } else {
          ctx.events().normal(pod, e.reason(), e.message());
        }
      }
    }
  }

  private void vanished(Pod pod, String groupName) {
    LOG.info(
        "container group {} of pod {}/{} vanished",
        groupName,
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName());
    writeStatus(pod, PodStatusTranslator.vanished(pod, groupName, now()));
    ctx.events()
        .warning(
            pod,
            PodStatusTranslator.GROUP_VANISHED,
            "the ACI container group " + groupName + " was deleted outside Kubernetes");
  }

  private void deleteGroup(String groupName) {
    backend.get().delete(groupName);
    deleteRequested.add(groupName);
    created.remove(groupName);
    observed.remove(groupName);
    orphans.deleted(groupName);
    subscription.forget(groupName);
    LOG.info("deleting container group {} on {}", groupName, nodeName);
  }

  /** The kubelet's last steps: the final status, then the pod object deleted with grace 0. */
  private void remove(Pod pod, String groupName) {
    writeStatus(pod, PodStatuses.terminated(pod, now()));
    ctx.client()
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .withGracePeriod(0)
        .delete();
    forget(groupName);
    forwardedEvents.remove(pod.getMetadata().getUid());
  }

  private void forget(String groupName) {
    created.remove(groupName);
    gone.remove(groupName);
    observed.remove(groupName);
    podOfGroup.remove(groupName);
    // deleteRequested stays until the group is no longer listed (see deleteGroupsOfRemovedPod)
  }

  /** A pod removed from the API server without us (force deletion): its groups go now. */
  private void deleteGroupsOfRemovedPod(PodWork.Pod key) {
    if (listedAt == null) {
      return; // the next list enqueues every pod; GC covers the rest
    }
    for (ContainerGroupInner g : listed.values()) {
      Optional<GroupNaming.PodIdentity> of = GroupNaming.podOf(g);
      if (of.isPresent()
          && of.get().namespace().equals(key.namespace())
          && of.get().name().equals(key.name())
          && !deleteRequested.contains(g.name())) {
        deleteGroup(g.name());
        forget(g.name());
      }
    }
  }

  private void collect(PodWork.Orphan key) {
    ContainerGroupInner g = listed.get(key.groupName());
    if (g == null || deleteRequested.contains(key.groupName())) {
      return;
    }
    Optional<GroupNaming.PodIdentity> of = GroupNaming.podOf(g);
    if (of.isEmpty()
        || podUid(of.get().namespace(), of.get().name())
            .map(of.get().uid()::equals)
            .orElse(false)) {
      return; // not made by us, or its pod is back
    }
    LOG.info(
        "deleting orphaned container group {} of node {}: pod {}/{} (UID {}) is gone",
        key.groupName(),
        nodeName,
        of.get().namespace(),
        of.get().name(),
        of.get().uid());
    deleteGroup(key.groupName());
    forget(key.groupName());
  }

  /** Writes the status through the status subresource, only when it changed. */
  private void writeStatus(Pod pod, PodStatus status) {
    var json = ctx.client().getKubernetesSerialization();
    if (pod.getStatus() != null && json.asJson(pod.getStatus()).equals(json.asJson(status))) {
      return;
    }
    ctx.client()
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .resource(new PodBuilder(pod).withStatus(status).build())
        .updateStatus();
  }

  private NodeContext nodeContext(VirtualNode vn) {
    OperatingSystemTypes os =
        vn.getSpec().getOs() == OperatingSystem.Windows
            ? OperatingSystemTypes.WINDOWS
            : OperatingSystemTypes.LINUX;
    return NodeContext.of(
        os,
        vn.getSpec().getAzure().getRegion(),
        ctx.clusterId(),
        nodeName,
        ctx.config().nodeAddress());
  }

  private Instant now() {
    return ctx.clock().instant();
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
