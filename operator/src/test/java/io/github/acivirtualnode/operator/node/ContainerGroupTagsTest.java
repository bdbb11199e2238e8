package io.github.acivirtualnode.operator.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainerGroupTagsTest {
  private static ContainerGroupInner tagged(Map<String, String> tags) {
    return new ContainerGroupInner().withTags(tags);
  }

  @Test
  void aGroupIsOursOnlyWithOurClusterAndOneOfOurNodes() {
    Set<String> nodes = Set.of("vn-a", "vn-old");
    assertThat(ContainerGroupTags.ours(tagged(ContainerGroupTags.of("c1", "vn-a")), "c1", nodes))
        .isTrue();
    assertThat(ContainerGroupTags.ours(tagged(ContainerGroupTags.of("c1", "vn-old")), "c1", nodes))
        .isTrue();
    // Another cluster sharing the resource group, a node of someone else, untagged groups.
    assertThat(ContainerGroupTags.ours(tagged(ContainerGroupTags.of("c2", "vn-a")), "c1", nodes))
        .isFalse();
    assertThat(ContainerGroupTags.ours(tagged(ContainerGroupTags.of("c1", "vn-b")), "c1", nodes))
        .isFalse();
    assertThat(
            ContainerGroupTags.ours(tagged(Map.of(ContainerGroupTags.NODE, "vn-a")), "c1", nodes))
        .isFalse();
    assertThat(ContainerGroupTags.ours(tagged(null), "c1", nodes)).isFalse();
    assertThat(ContainerGroupTags.ours(tagged(ContainerGroupTags.of("c1", "vn-a")), "c1", Set.of()))
        .isFalse();
  }

  @Test
  void theLeaseLastsFourRenewIntervalsAsAKubeletsDoes() {
    assertThat(LeaseRenewer.leaseDurationSeconds(Duration.ofSeconds(10))).isEqualTo(40);
    assertThat(LeaseRenewer.leaseDurationSeconds(Duration.ofSeconds(39))).isEqualTo(156);
    assertThat(LeaseRenewer.leaseDurationSeconds(Duration.ofSeconds(1))).isEqualTo(4);
  }
}
