package io.github.acivirtualnode.operator.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardLeaseNamesTest {
  // DNS-1123 subdomain: dot-separated labels of lower-case alphanumerics and '-', each starting
  // and ending alphanumeric.
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  @Test
  void shortValidNamesAreKeptReadable() {
    assertThat(ShardLeaseNames.virtualNode("aci-westeurope")).isEqualTo("avn-shard-aci-westeurope");
    assertThat(ShardLeaseNames.member("aci-virtual-node-7d9f-x2k4"))
        .isEqualTo("avn-member-aci-virtual-node-7d9f-x2k4");
    assertThat(ShardLeaseNames.virtualNode("vn.eu")).isEqualTo("avn-shard-vn.eu");
  }

  @Test
  void longNamesAreCutWithAHashAndStayDistinct() {
    String base = "a".repeat(100);
    String one = ShardLeaseNames.virtualNode(base + "-one");
    String two = ShardLeaseNames.virtualNode(base + "-two");
    assertThat(one).hasSize(ShardLeaseNames.MAX_LENGTH).startsWith("avn-shard-aaaa");
    assertThat(two).hasSize(ShardLeaseNames.MAX_LENGTH);
    assertThat(one).isNotEqualTo(two);
    assertThat(ShardLeaseNames.virtualNode(base + "-one")).isEqualTo(one);
  }

  @Test
  void exactlyFittingNamesAreNotHashed() {
    String fits = "b".repeat(ShardLeaseNames.MAX_LENGTH - "avn-shard-".length());
    assertThat(ShardLeaseNames.virtualNode(fits)).isEqualTo("avn-shard-" + fits);
    assertThat(ShardLeaseNames.virtualNode(fits + "b")).isNotEqualTo("avn-shard-" + fits + "b");
  }

  @Test
  void invalidIdentitiesBecomeValidNamesThatDoNotCollide() {
    // "Op_1" and "op-1" sanitize alike: the hash of the original keeps them apart.
    assertThat(ShardLeaseNames.member("Op_1")).isNotEqualTo(ShardLeaseNames.member("op-1"));
    assertThat(ShardLeaseNames.member("op-1")).isEqualTo("avn-member-op-1");
    assertThat(ShardLeaseNames.member("Op_1")).startsWith("avn-member-op-1-");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Op_1",
        "host.example.com",
        "-leading",
        "trailing.",
        "a..b",
        "a.-b",
        "ÜBER",
        "___",
        "x.y-",
        "cut-here-......................................................................end"
      })
  void everyNameIsAValidLeaseName(String original) {
    for (String name :
        new String[] {ShardLeaseNames.member(original), ShardLeaseNames.virtualNode(original)}) {
      assertThat(name).as(original).hasSizeLessThanOrEqualTo(ShardLeaseNames.MAX_LENGTH);
      assertThat(SUBDOMAIN.matcher(name).matches()).as(name).isTrue();
    }
  }

  @Test
  void aNameIsRequired() {
    assertThatThrownBy(() -> ShardLeaseNames.member(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-empty");
    assertThatThrownBy(() -> ShardLeaseNames.virtualNode(null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
