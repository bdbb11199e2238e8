package io.github.acivirtualnode.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FootprintSamplerTest {
  @Test
  void cpuTicksAreUtimePlusStimeCountedAfterTheCommand() {
    // pid (comm with a space and a paren) state ppid ... utime=1234 stime=56 (fields 14, 15).
    String stat =
        "4242 (virtual kube)let) S 1 4242 4242 0 -1 4194560 2310 0 0 0 1234 56 0 0 20 0 12 0"
            + " 987654 123456789 4096\n";
    assertThat(FootprintSampler.cpuTicks(stat)).isEqualTo(1290);
  }

  @Test
  void theProcessesOfThisJvmAreSampledFromProc() {
    FootprintSampler sampler =
        new FootprintSampler(() -> java.util.List.of(ProcessHandle.current().pid()));
    Footprint fp = sampler.stop();
    assertThat(fp.maxHeapBytes()).isEqualTo(-1);
    assertThat(fp.maxRssBytes()).isPositive();
    assertThat(fp.cpuSeconds()).isPositive();
  }
}
