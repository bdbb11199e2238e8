package io.github.acivirtualnode.e2e.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Samples once a second either this JVM's heap in use and resident memory (CPU time from start to
 * end), or, for a subject in processes of its own, the sum of their resident memory (VmRSS of
 * /proc/PID/status) and of their CPU time (utime + stime of /proc/PID/stat, last seen per process,
 * so up to a second of a process's last CPU time may be missed when it exits between samples).
 */
final class FootprintSampler implements AutoCloseable {
  private static final Path STATUS = Path.of("/proc/self/status");

  /** USER_HZ, the unit of /proc/PID/stat's times: 100 on every Linux this runs on. */
  static final int CLOCK_TICKS = 100;

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final AtomicLong maxHeap = new AtomicLong();
  private final AtomicLong maxRss = new AtomicLong(-1);
  private final long cpuStart = cpuNanos();
  private final Supplier<List<Long>> processes;
  private final Map<Long, Long> ticksPerProcess = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private Footprint result;

  /** This JVM's footprint. */
  FootprintSampler() {
    this(null);
  }

  /**
   * @param processes the processes to sample, or null for this JVM
   */
  FootprintSampler(Supplier<List<Long>> processes) {
    this.processes = processes;
    sample();
    thread =
        new Thread(
            () -> {
              while (running) {
                sample();
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "bench-footprint");
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    if (processes != null) {
      sampleProcesses();
      return;
    }
    maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    if (Files.isReadable(STATUS)) {
      try {
        Footprint.procStatusBytes(Files.readString(STATUS), "VmRSS")
            .ifPresent(rss -> maxRss.accumulateAndGet(rss, Math::max));
      } catch (IOException e) {
        // No sample this time.
      }
    }
  }

  private void sampleProcesses() {
    long rss = 0;
    boolean any = false;
    for (long pid : processes.get()) {
      Path proc = Path.of("/proc", Long.toString(pid));
      try {
        OptionalLong r =
            Footprint.procStatusBytes(Files.readString(proc.resolve("status")), "VmRSS");
        long ticks = cpuTicks(Files.readString(proc.resolve("stat")));
        if (r.isPresent()) {
          rss += r.getAsLong();
          any = true;
        }
        ticksPerProcess.put(pid, ticks);
      } catch (IOException | RuntimeException e) {
        // Gone (or not yet there): its last sample stands.
      }
    }
    if (any) {
      maxRss.accumulateAndGet(rss, Math::max);
    }
  }

  /**
   * utime + stime (fields 14 and 15) of a /proc/PID/stat line, in clock ticks. The second field,
   * the command, is in parentheses and may hold spaces: fields are counted after its last ')'.
   * Pure.
   */
  static long cpuTicks(String stat) {
    String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // rest[0] is field 3 (state): field n is rest[n - 3].
    return Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
  }

  private static long cpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  Footprint stop() {
    if (result == null) {
      running = false;
      thread.interrupt();
      sample();
      if (processes != null) {
        long ticks = ticksPerProcess.values().stream().mapToLong(Long::longValue).sum();
        result = new Footprint(-1, maxRss.get(), ticks / (double) CLOCK_TICKS);
        return result;
      }
      long cpuEnd = cpuNanos();
      result =
          new Footprint(
              maxHeap.get(),
              maxRss.get(),
              cpuStart < 0 || cpuEnd < 0 ? -1 : (cpuEnd - cpuStart) / 1e9);
    }
    return result;
  }

  @Override
  public void close() {
    stop();
  }
}
