package io.github.acivirtualnode.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeCrd;
import io.github.acivirtualnode.controlplane.KubernetesCluster;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The benchmark's reduced run in the test command: the small burst (provisioning at once) and the
 * small churn, asserting only counts, never times: every pod Running, exactly one PUT and one
 * DELETE per pod (no faults here), never two groups for one pod, nothing refused by the budgets, no
 * container group left.
 */
@ExtendWith(KubernetesClusterExtension.class)
class BenchmarkIT {
  private static BenchHarness harness;

  @BeforeAll
  static void start(KubernetesCluster cluster, KubernetesClient client) {
    VirtualNodeCrd.install(client);
    harness = new BenchHarness(cluster, client, new OperatorSubject(), null);
  }

  private static void assertCounts(BenchHarness.Outcome outcome, int pods) {
    assertThat(outcome.violations()).as("counts that must hold").isEmpty();
    assertThat(outcome.pods()).isEqualTo(pods);
    assertThat(outcome.putsPerGroup()).hasSize(pods).allSatisfy((g, n) -> assertThat(n).isOne());
    assertThat(outcome.deletesPerGroup())
        .as("one DELETE for each group PUT")
        .hasSize(pods)
        .containsOnlyKeys(outcome.putsPerGroup().keySet())
        .allSatisfy((g, n) -> assertThat(n).isOne());
    assertThat(outcome.groupsLeft()).as("container groups left").isZero();
  }

  @Test
  void smallBurstRunsEveryPodWithOnePutAndOneDeleteEach() {
    Scale small = Scale.SMALL;
    BenchHarness.Outcome outcome =
        harness.pods("burst", BenchHarness.ZERO_DELAY, "zero", 1, small.burstPods, Duration.ZERO);
    assertCounts(outcome, small.burstPods);
    assertThat(outcome.result().figures())
        .as("the latencies were measured for every pod (a count)")
        .anySatisfy(
            f -> {
              assertThat(f.id()).isEqualTo("latency.samples");
              assertThat(f.value()).isEqualTo((double) small.burstPods);
            });
  }

  @Test
  void smallChurnLeavesNoGroupAndSendsOnePutAndOneDeletePerPod() {
    Scale small = Scale.SMALL;
    BenchHarness.Outcome outcome = harness.churn(small.churnReplicas, small.churnRounds);
    assertCounts(outcome, small.churnReplicas * small.churnRounds);
  }
}
