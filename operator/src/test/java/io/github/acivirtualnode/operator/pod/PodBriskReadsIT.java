package io.github.acivirtualnode.operator.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.controlplane.KubernetesClusterExtension;
import io.github.acivirtualnode.controlplane.TestNamespace;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A changing container group is read between lists (AVN_STATUS_BRISK_SECONDS): with lists 600 s
 * apart, the most AVN_STATUS_LIST_SECONDS allows, and longer than any wait here, a new pod still
 * goes Running, from the brisk reads alone (before them, a new group was read only at a list).
 */
@ExtendWith(KubernetesClusterExtension.class)
class PodBriskReadsIT {
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000b5";

  private static final OperatorConfig.PodSettings SETTINGS =
      new OperatorConfig.PodSettings(
          2,
          Duration.ofSeconds(600),
          Duration.ofSeconds(1),
          Duration.ofSeconds(60),
          Duration.ofSeconds(600),
          Duration.ofSeconds(5),
          100,
          300);

  private static PodFixture fx;
  private static KubernetesClient client;

  @BeforeAll
  static void start(KubernetesClient kubernetes) {
    client = kubernetes;
    fx = PodFixture.start(kubernetes, SUBSCRIPTION, 100, Duration.ofMinutes(5), SETTINGS);
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void aNewPodGoesRunningWithoutWaitingForTheNextList(TestNamespace ns) {
    // The observer listed once, when the node subscribed; its next list is 600 s away.
    Pod pod = client.resource(fx.pod("brisk", ns.name())).create();

    Pod running = fx.awaitPod(pod, PodFixture::running);

    assertThat(running.getStatus().getPhase()).isEqualTo("Running");
    assertThat(fx.calls("get:containerGroup")).as("read with GETs").isGreaterThanOrEqualTo(1);
    fx.deleteAndAwaitGone(running);
    assertThat(fx.groupsOf(running.getMetadata().getUid())).isEmpty();
  }
}
