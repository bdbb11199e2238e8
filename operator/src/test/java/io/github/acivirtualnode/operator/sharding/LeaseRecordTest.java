package io.github.acivirtualnode.operator.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeaseRecordTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration D = Duration.ofSeconds(15);

  @Test
  void heldUntilRenewTimePlusDurationExclusive() {
    LeaseRecord lease = new LeaseRecord("a", T0, D, "1");
    assertThat(lease.freeAt(T0)).isFalse();
    assertThat(lease.freeAt(T0.plusSeconds(14))).isFalse();
    assertThat(lease.freeAt(T0.plusSeconds(15))).isTrue();
    assertThat(lease.heldBy("a", T0.plusSeconds(14))).isTrue();
    assertThat(lease.heldBy("a", T0.plusSeconds(15))).isFalse();
    assertThat(lease.heldBy("b", T0)).isFalse();
  }

  @Test
  void releasedOrIncompleteLeasesAreFree() {
    assertThat(new LeaseRecord(null, T0, D, "1").freeAt(T0)).isTrue();
    assertThat(new LeaseRecord("", T0, D, "1").freeAt(T0)).isTrue();
    assertThat(new LeaseRecord("a", null, D, "1").freeAt(T0)).isTrue();
    assertThat(new LeaseRecord("a", T0, null, "1").freeAt(T0)).isTrue();
    assertThat(new LeaseRecord(null, T0, D, "1").heldBy(null, T0)).isFalse();
  }
}
