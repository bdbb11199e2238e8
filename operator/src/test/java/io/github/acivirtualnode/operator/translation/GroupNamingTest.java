package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.NODE;
import static io.github.acivirtualnode.operator.translation.Fixtures.UID;
import static io.github.acivirtualnode.operator.translation.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.github.acivirtualnode.operator.node.ContainerGroupTags;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupNamingTest {
  @Test
  void nameIsNamespaceNameAndTheUidsHexDigits() {
    assertThat(GroupNaming.groupName(pod()))
        .isEqualTo("shop-web-0-0f1e2d3c4b5a69788796a5b4c3d2e1f0");
  }

  @Test
  void nameIsDeterministicAndUniquePerUid() {
    var a = pod();
    var b =
        new PodBuilder(pod()).editMetadata().withUid(UID.replace('0', '1')).endMetadata().build();
    assertThat(GroupNaming.groupName(a)).isEqualTo(GroupNaming.groupName(pod()));
    assertThat(GroupNaming.groupName(a)).isNotEqualTo(GroupNaming.groupName(b));
  }

  @Test
  void longAndOddNamesStayValidForAci() {
    String name =
        GroupNaming.groupName(
            "a-very-long-namespace-name-that-goes-on",
            "My.Pod__Name--with..dots-" + "x".repeat(200),
            UID.toUpperCase());
    assertThat(name).hasSizeLessThanOrEqualTo(63).matches(GroupNaming.VALID_NAME);
    assertThat(name).endsWith("-0f1e2d3c4b5a69788796a5b4c3d2e1f0");
    assertThat(GroupNaming.groupName("ns", "a.b", UID)).startsWith("ns-a-b-");
  }

  @Test
  void aUidThatIsNoUuidIsHashed() {
    String name = GroupNaming.groupName("ns", "p", "not a uuid");
    assertThat(name).matches(GroupNaming.VALID_NAME).hasSize("ns-p-".length() + 32);
    assertThat(name).isEqualTo(GroupNaming.groupName("ns", "p", "not a uuid"));
  }

  @Test
  void prefixTruncationNeverLeavesATrailingHyphen() {
    // 30 characters of prefix end exactly on a hyphen here.
    String name = GroupNaming.groupName("abcdefghijklmnopqrstuvwxyz012", "x", UID);
    assertThat(name).matches(GroupNaming.VALID_NAME).doesNotContain("--");
  }

  @Test
  void aPodWithoutUidHasNoName() {
    assertThatThrownBy(() -> GroupNaming.groupName("ns", "p", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tagsNameClusterNodeAndPod() {
    assertThat(GroupNaming.tags(pod(), NODE))
        .containsExactly(
            Map.entry(ContainerGroupTags.CLUSTER, "cluster-uid"),
            Map.entry(ContainerGroupTags.NODE, "vn-1"),
            Map.entry(GroupNaming.POD_NAMESPACE, "shop"),
            Map.entry(GroupNaming.POD_NAME, "web-0"),
            Map.entry(GroupNaming.POD_UID, UID));
  }

  @Test
  void tagsMakeTheGroupOursAndNameItsPod() {
    ContainerGroupInner group = new ContainerGroupInner();
    group.withTags(GroupNaming.tags(pod(), NODE));
    assertThat(ContainerGroupTags.ours(group, "cluster-uid", Set.of("vn-1"))).isTrue();
    assertThat(GroupNaming.podOf(group))
        .contains(new GroupNaming.PodIdentity("shop", "web-0", UID));
    assertThat(GroupNaming.isGroupOf(group, pod())).isTrue();
    var other = new PodBuilder(pod()).editMetadata().withUid("other").endMetadata().build();
    assertThat(GroupNaming.isGroupOf(group, other)).isFalse();
  }

  @Test
  void aGroupWithoutPodTagsNamesNoPod() {
    ContainerGroupInner group = new ContainerGroupInner();
    assertThat(GroupNaming.podOf(group)).isEmpty();
    group.withTags(Map.of(GroupNaming.POD_NAME, "p"));
    assertThat(GroupNaming.podOf(group)).isEmpty();
  }
}
