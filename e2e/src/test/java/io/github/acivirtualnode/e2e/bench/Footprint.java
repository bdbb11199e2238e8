package io.github.acivirtualnode.e2e.bench;

import java.util.OptionalLong;

/**
 * The most heap, resident memory and CPU time seen over a scenario.
 *
 * @param maxHeapBytes the most heap in use at a sample, -1 when not a JVM's
 * @param maxRssBytes the most resident memory at a sample (VmRSS), -1 when /proc is not there
 * @param cpuSeconds process CPU time over the scenario
 */
public record Footprint(long maxHeapBytes, long maxRssBytes, double cpuSeconds) {
  /** A field of /proc/self/status in bytes ("VmRSS: 123456 kB"), empty when absent. Pure. */
  static OptionalLong procStatusBytes(String status, String field) {
    for (String line : status.split("\n")) {
      if (line.startsWith(field + ":")) {
        String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
        long n = Long.parseLong(parts[0]);
        return OptionalLong.of(parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? n * 1024 : n);
      }
    }
    return OptionalLong.empty();
  }
}
