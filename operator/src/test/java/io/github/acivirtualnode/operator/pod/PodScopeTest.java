package io.github.acivirtualnode.operator.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.models.ContainerGroupPriority;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupSku;
import io.github.acivirtualnode.api.v1alpha1.AzureSettings;
import io.github.acivirtualnode.operator.translation.NodeContext;
import org.junit.jupiter.api.Test;

class PodScopeTest {
  @Test
  void aVirtualNodeWithoutPriorityOrSkuLeavesThemToAci() {
    assertThat(PodScope.groupDefaults(new AzureSettings()))
        .isEqualTo(NodeContext.GroupDefaults.ACI);
  }

  @Test
  void aVirtualNodesPriorityAndSkuBecomeAcisValues() {
    AzureSettings spot = new AzureSettings();
    spot.setPriority(io.github.acivirtualnode.api.v1alpha1.ContainerGroupPriority.Spot);
    assertThat(PodScope.groupDefaults(spot))
        .isEqualTo(new NodeContext.GroupDefaults(ContainerGroupPriority.SPOT, null));
    AzureSettings confidential = new AzureSettings();
    confidential.setPriority(io.github.acivirtualnode.api.v1alpha1.ContainerGroupPriority.Regular);
    confidential.setSku(io.github.acivirtualnode.api.v1alpha1.ContainerGroupSku.Confidential);
    assertThat(PodScope.groupDefaults(confidential))
        .isEqualTo(
            new NodeContext.GroupDefaults(
                ContainerGroupPriority.REGULAR, ContainerGroupSku.CONFIDENTIAL));
  }
}
