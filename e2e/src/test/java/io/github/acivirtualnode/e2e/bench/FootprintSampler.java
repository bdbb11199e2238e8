package io.github.acivirtualnode.e2e.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Samples this JVM's heap in use and resident memory once a second; CPU time from start to end. */
final class FootprintSampler implements AutoCloseable {
  private static final Path STATUS = Path.of("/proc/self/status");
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final AtomicLong maxHeap = new AtomicLong();
  private final AtomicLong maxRss = new AtomicLong(-1);
  private final long cpuStart = cpuNanos();
  private final Thread thread;
  private volatile boolean running = true;
  private Footprint result;

  FootprintSampler() {
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
