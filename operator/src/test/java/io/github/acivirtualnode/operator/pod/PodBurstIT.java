package io.github.acivirtualnode.operator.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.controlplane.TestNamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * More pods than ACI's create budget allows, with the operator restarted in the middle of the
 * burst: its own emulator with a small budget, so that nothing else waits for it, whose window is a
 * minute instead of ACI's 5 (the test waits it out).
 */
@ExtendWith(KubernetesClusterExtension.class)
class PodBurstIT {
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000cd";

  /** Creates per subscription and budget window. */
  private static final int CREATE_BUDGET = 8;

  private static PodFixture fx;
  private static KubernetesClient client;

  @BeforeAll
  static void start(KubernetesClient kubernetes) {
    client = kubernetes;
    fx = PodFixture.start(kubernetes, SUBSCRIPTION, CREATE_BUDGET, Duration.ofMinutes(1));
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void aBurstAboveTheCreateBudgetWithARestartMidwayEndsWithEveryPodRunningInOneGroup(
      TestNamespace ns) {
    int n = CREATE_BUDGET + 2;
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pods.add(client.resource(fx.pod("burst-" + i, ns.name())).create());
    }
    // Some wait for the budget, Pending with a reason that says so.
    PodFixture.awaitTrue(
        "a pod waits for the create budget",
        () ->
            pods.stream()
                .map(p -> client.resource(p).get())
                .anyMatch(
                    p ->
                        p.getStatus() != null
                            && p.getStatus().getContainerStatuses() != null
                            && p.getStatus().getContainerStatuses().stream()
                                .anyMatch(
                                    cs ->
                                        cs.getState().getWaiting() != null
                                            && GroupCreator.THROTTLED.equals(
                                                cs.getState().getWaiting().getReason()))));
    // Mid-burst: everything the operator knew in memory goes; it rebuilds from ACI and the pods.
    fx.restartOperator();
    // The budget frees after the window: generous.
    List<Pod> done = new ArrayList<>();
    for (Pod p : pods) {
      Pod end =
          client
              .resource(p)
              .waitUntilCondition(
                  x ->
                      PodFixture.running(x)
                          || (x != null
                              && x.getStatus() != null
                              && "Failed".equals(x.getStatus().getPhase())),
                  600,
                  TimeUnit.SECONDS);
      assertThat(end.getStatus().getPhase()).isEqualTo("Running");
      done.add(end);
    }
    for (Pod p : done) {
      assertThat(fx.groupsOf(p.getMetadata().getUid()))
          .as("one group for %s", p.getMetadata().getName())
          .hasSize(1);
    }
    assertThat(fx.calls("put:containerGroup", "201"))
        .as("each pod's group created once, by both operators together")
        .isEqualTo(n);
    assertThat(fx.calls("put:containerGroup", "200")).as("no group sent twice").isZero();
    for (Pod p : done) {
      client.resource(p).delete();
    }
    for (Pod p : done) {
      client.resource(p).waitUntilCondition(x -> x == null, 600, TimeUnit.SECONDS);
    }
  }
}
