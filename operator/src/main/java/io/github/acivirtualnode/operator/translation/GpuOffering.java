package io.github.acivirtualnode.operator.translation;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Which GPUs a container may ask for: none. ACI retired its GPU SKUs (K80, P100, V100: the only
 * ones its API has, {@code GpuResource.sku}) in July 2025, so a container that requests or limits
 * {@code nvidia.com/gpu} is refused here, and only here. A future GPU offering replaces {@link
 * #check} with a translation to ACI's {@code resources.requests.gpu}; the Node advertises no GPU
 * capacity unless its VirtualNode says so ({@code spec.capacity["nvidia.com/gpu"]}, 0 by default).
 */
final class GpuOffering {
  /** The extended resource name pods ask GPUs by. */
  static final String RESOURCE = "nvidia.com/gpu";

  private GpuOffering() {}

  /**
   * Reports a GPU request or limit.
   *
   * @param quantity what the container asks for (an explicit 0 asks for nothing)
   * @param path the field, {@code ...resources.requests[nvidia.com/gpu]}
   */
  static void check(Quantity quantity, String path, Findings findings) {
    if (quantity != null
        && quantity.getAmount() != null
        && quantity.getNumericalAmount().signum() == 0) {
      return;
    }
    findings.apply(PodField.RESOURCE_GPU, path);
  }
}
