package io.github.acivirtualnode.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import org.junit.jupiter.api.Test;

class VirtualNodeCrdTest {
  @Test
  void aCrdIsEstablishedOnlyWithItsEstablishedConditionTrue() {
    assertThat(VirtualNodeCrd.established(null)).isFalse();
    assertThat(VirtualNodeCrd.established(new CustomResourceDefinition())).isFalse();
    // Just created: a status, no conditions yet (null, as the client read it in CI).
    CustomResourceDefinition fresh =
        new CustomResourceDefinitionBuilder().withNewStatus().endStatus().build();
    fresh.getStatus().setConditions(null);
    assertThat(VirtualNodeCrd.established(fresh)).isFalse();
    assertThat(VirtualNodeCrd.established(withEstablished("False"))).isFalse();
    assertThat(VirtualNodeCrd.established(withEstablished("True"))).isTrue();
  }

  private static CustomResourceDefinition withEstablished(String status) {
    return new CustomResourceDefinitionBuilder()
        .withNewStatus()
        .addNewCondition()
        .withType("Established")
        .withStatus(status)
        .endCondition()
        .endStatus()
        .build();
  }
}
