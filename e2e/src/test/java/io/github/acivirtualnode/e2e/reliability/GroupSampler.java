package io.github.acivirtualnode.e2e.reliability;

import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.aciemulator.EmulatedGroup;
import io.github.acivirtualnode.operator.node.ContainerGroupTags;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Samples the emulator's container groups of one Node continuously (in-process, so the samples are
 * neither ARM requests nor subject to the faults being injected) and remembers, per pod UID, the
 * most groups seen at once. "At no moment two groups for one pod" is then a count over every
 * sample, not a look at the end.
 */
public final class GroupSampler implements AutoCloseable {
  private final Supplier<List<EmulatedGroup>> groups;
  private final String nodeName;
  private final Map<String, Integer> mostAtOnce = new ConcurrentHashMap<>();
  private final Map<String, String> examples = new ConcurrentHashMap<>();
  private final AtomicLong samples = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;

  private final String nodeTag;
  private final String uidTag;

  GroupSampler(Supplier<List<EmulatedGroup>> groups, String nodeName) {
    this(groups, nodeName, ContainerGroupTags.NODE, GroupNaming.POD_UID);
  }

  GroupSampler(
      Supplier<List<EmulatedGroup>> groups, String nodeName, String nodeTag, String uidTag) {
    this(groups, nodeName, nodeTag, uidTag, DEFAULT_PERIOD);
  }

  /** Fast next to ARM's answers (tens of milliseconds at the least), cheap in-process. */
  static final Duration DEFAULT_PERIOD = Duration.ofMillis(20);

  private final long periodMillis;

  GroupSampler(
      Supplier<List<EmulatedGroup>> groups,
      String nodeName,
      String nodeTag,
      String uidTag,
      Duration period) {
    this.periodMillis = period.toMillis();
    this.groups = groups;
    this.nodeName = nodeName;
    this.nodeTag = nodeTag;
    this.uidTag = uidTag;
    this.thread = new Thread(this::loop, "group-sampler-" + nodeName);
    thread.setDaemon(true);
  }

  /** Starts sampling the groups tagged for that Node. */
  public static GroupSampler start(AciEmulator emulator, String nodeName) {
    return start(emulator, nodeName, ContainerGroupTags.NODE, GroupNaming.POD_UID);
  }

  /**
   * Starts sampling the groups whose tag {@code nodeTag} names that Node, counted per the pod UID
   * in tag {@code uidTag} (another implementation's tags: the peer's are NodeName and UID).
   */
  public static GroupSampler start(
      AciEmulator emulator, String nodeName, String nodeTag, String uidTag) {
    return start(emulator, nodeName, nodeTag, uidTag, DEFAULT_PERIOD);
  }

  /**
   * The same, sampling every {@code period}: longer where the emulator holds thousands of groups,
   * whose every sample walks them all and would take the CPU a measured subject needs.
   */
  public static GroupSampler start(
      AciEmulator emulator, String nodeName, String nodeTag, String uidTag, Duration period) {
    GroupSampler sampler = new GroupSampler(emulator::groups, nodeName, nodeTag, uidTag, period);
    sampler.sampleOnce();
    sampler.thread.start();
    return sampler;
  }

  private void loop() {
    while (running) {
      sampleOnce();
      try {
        Thread.sleep(periodMillis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** One sample: the groups now, counted per pod UID. */
  void sampleOnce() {
    Map<String, Integer> perUid = new HashMap<>();
    Map<String, String> names = new HashMap<>();
    for (EmulatedGroup group : groups.get()) {
      String uid = group.tags().get(uidTag);
      if (uid == null || !nodeName.equals(group.tags().get(nodeTag))) {
        continue;
      }
      perUid.merge(uid, 1, Integer::sum);
      names.merge(uid, group.name(), (a, b) -> a + ", " + b);
    }
    perUid.forEach(
        (uid, n) -> {
          mostAtOnce.merge(uid, n, Math::max);
          if (n > 1) {
            examples.putIfAbsent(uid, names.get(uid));
          }
        });
    samples.incrementAndGet();
  }

  /** How many samples were taken: a check over them means something only if there were some. */
  public long samples() {
    return samples.get();
  }

  /** Pod UIDs that had more than one group at some moment, with the groups of the first such. */
  public Map<String, String> podsWithMoreThanOneGroup() {
    Map<String, String> out = new TreeMap<>();
    mostAtOnce.forEach(
        (uid, n) -> {
          if (n > 1) {
            out.put(uid, n + " groups: " + examples.get(uid));
          }
        });
    return out;
  }

  /** Pod UIDs that had a group at some moment of the sampling. */
  public Set<String> podsSeen() {
    return Set.copyOf(mostAtOnce.keySet());
  }

  @Override
  public void close() {
    if (!thread.isAlive()) {
      return;
    }
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // One last look: what happened between the last sample and the stop counts too.
    sampleOnce();
  }
}
