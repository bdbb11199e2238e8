package io.github.acivirtualnode.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.acivirtualnode.aciemulator.ArmRequestCount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArmCallsTest {
  private static final String SUB = "sub-a";

  private static ArmRequestCount c(String op, String sub, String name, int status, long n) {
    return new ArmRequestCount(op, sub, "rg", name, status, n);
  }

  private final List<ArmRequestCount> counts =
      List.of(
          c(ArmCalls.PUT, SUB, "g1", 201, 1),
          c(ArmCalls.PUT, SUB, "g2", 201, 1),
          c(ArmCalls.PUT, SUB, "g2", 429, 2),
          c(ArmCalls.DELETE, SUB, "g1", 200, 1),
          c("ContainerGroups_ListByResourceGroup", SUB, "", 200, 6),
          c("ContainerGroups_Get", SUB, "g1", 200, 3),
          c("ContainerGroups_OperationStatus", SUB, "g1", 200, 1),
          c(ArmCalls.PUT, "sub-b", "other", 201, 5));

  @Test
  void keepsOnlyTheScenariosSubscriptionWhateverItsCase() {
    ArmCalls calls = ArmCalls.of(counts, "SUB-A");
    assertThat(calls.total()).isEqualTo(15);
    assertThat(calls.byOperation())
        .containsEntry(ArmCalls.PUT, 4L)
        .containsEntry(ArmCalls.DELETE, 1L)
        .containsEntry("ContainerGroups_ListByResourceGroup", 6L)
        .hasSize(5);
  }

  @Test
  void readsAreGetsListsAndStatusPolls() {
    ArmCalls calls = ArmCalls.of(counts, SUB);
    assertThat(calls.reads()).isEqualTo(10);
    assertThat(ArmCalls.isRead("ContainerGroups_Delete")).isFalse();
    assertThat(ArmCalls.isRead("Containers_ExecuteCommand")).isFalse();
    assertThat(ArmCalls.isRead("Metrics_List")).isTrue();
  }

  @Test
  void perPodAndPerGroup() {
    ArmCalls calls = ArmCalls.of(counts, SUB);
    assertThat(calls.perPod(2))
        .containsEntry(ArmCalls.PUT, 2.0)
        .containsEntry(ArmCalls.DELETE, 0.5);
    assertThat(calls.perGroup(ArmCalls.PUT)).isEqualTo(Map.of("g1", 1L, "g2", 3L));
    assertThat(calls.answered(429)).isEqualTo(2);
  }

  @Test
  void sinceAnEarlierCountKeepsTheDifference() {
    ArmCalls earlier =
        ArmCalls.of(
            List.of(
                c("ContainerGroups_ListByResourceGroup", SUB, "", 200, 4),
                c(ArmCalls.PUT, SUB, "g1", 201, 1)),
            SUB);
    ArmCalls window = ArmCalls.of(counts, SUB).since(earlier);
    assertThat(window.byOperation()).containsEntry("ContainerGroups_ListByResourceGroup", 2L);
    assertThat(window.perGroup(ArmCalls.PUT)).isEqualTo(Map.of("g2", 3L));
    assertThat(window.reads()).isEqualTo(6);
  }
}
