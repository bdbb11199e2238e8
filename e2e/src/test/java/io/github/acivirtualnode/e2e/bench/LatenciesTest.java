package io.github.acivirtualnode.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.acivirtualnode.aciemulator.GroupTimes;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The pure joins and parses of the harness: Latencies, LeaseLags, Footprint. */
class LatenciesTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static GroupTimes group(String uid, Instant put, Instant running) {
    return new GroupTimes(
        "s", "rg", "g-" + uid, Map.of(GroupNaming.POD_UID, uid), put, null, running);
  }

  @Test
  void boundToPutAndRunningToRunningJoinOnThePodUid() {
    List<PodTimes> pods =
        List.of(
            new PodTimes("a", "pa", T, T.plusSeconds(30)),
            new PodTimes("b", "pb", T.plusMillis(10), null),
            new PodTimes("c", "pc", T, null));
    List<GroupTimes> groups =
        List.of(
            group("a", T.plusMillis(40), T.plusSeconds(28)),
            group("b", T.plusMillis(60), null),
            new GroupTimes("s", "rg", "untagged", Map.of(), T, T, T));
    assertThat(Latencies.boundToPut(pods, groups))
        .containsExactly(Duration.ofMillis(40), Duration.ofMillis(50));
    assertThat(Latencies.groupRunningToPodRunning(pods, groups))
        .containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void aciRunningIsTheFirstOfContainersRunningAndGroupRunning() {
    GroupTimes containersFirst =
        new GroupTimes("s", "rg", "g", Map.of(), T, T.plusSeconds(10), T.plusSeconds(25));
    assertThat(Latencies.firstRunning(containersFirst)).isEqualTo(T.plusSeconds(10));
    GroupTimes onlyGroup = new GroupTimes("s", "rg", "g", Map.of(), T, null, T.plusSeconds(3));
    assertThat(Latencies.firstRunning(onlyGroup)).isEqualTo(T.plusSeconds(3));
    assertThat(Latencies.firstRunning(new GroupTimes("s", "rg", "g", Map.of(), T, null, null)))
        .isNull();
  }

  @Test
  void leaseLagIsTheDelayPastTheIntervalPerLease() {
    Map<String, List<Instant>> renewals =
        Map.of(
            "n1", List.of(T, T.plusSeconds(10), T.plusMillis(21500), T.plusMillis(21500)),
            "n2", List.of(T.plusSeconds(9), T));
    assertThat(LeaseLags.lags(renewals, Duration.ofSeconds(10)))
        .containsExactlyInAnyOrder(Duration.ZERO, Duration.ofMillis(1500), Duration.ZERO);
  }

  @Test
  void procStatusFieldsInBytes() {
    String status = "Name:\tjava\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\nThreads:\t42\n";
    assertThat(Footprint.procStatusBytes(status, "VmRSS")).isEqualTo(OptionalLong.of(1024 * 1024));
    assertThat(Footprint.procStatusBytes(status, "Threads")).isEqualTo(OptionalLong.of(42));
    assertThat(Footprint.procStatusBytes(status, "VmSwap")).isEmpty();
  }

  @Test
  void aSubjectsOwnUidTagJoinsItsGroups() {
    Instant bound = Instant.parse("2026-01-01T00:00:00Z");
    var peerGroup =
        new GroupTimes(
            "s",
            "rg",
            "peer-group",
            Map.of("UID", "u-peer"),
            bound.plusMillis(40),
            null,
            bound.plusSeconds(3));
    var pod = new PodTimes("u-peer", "peer-pod", bound, bound.plusSeconds(5));
    assertThat(Latencies.boundToPut(List.of(pod), List.of(peerGroup))).isEmpty();
    assertThat(Latencies.boundToPut(List.of(pod), List.of(peerGroup), "UID"))
        .containsExactly(Duration.ofMillis(40));
    assertThat(Latencies.groupRunningToPodRunning(List.of(pod), List.of(peerGroup), "UID"))
        .containsExactly(Duration.ofSeconds(2));
  }
}
