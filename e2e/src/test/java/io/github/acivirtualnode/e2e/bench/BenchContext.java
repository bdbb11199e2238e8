package io.github.acivirtualnode.e2e.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.controlplane.KubernetesCluster;

/**
 * What a subject is started against in one scenario: the control plane, the scenario's emulator and
 * the Azure identity and subscription it serves (one subscription per scenario, so that its request
 * counts and ARM budgets are its own), and the subscription's ACI quota.
 */
public record BenchContext(
    KubernetesCluster cluster,
    KubernetesClient client,
    AciEmulator emulator,
    String subscriptionId,
    String resourceGroup,
    String region,
    String tenantId,
    String clientId,
    String clientSecret,
    AciQuota quota) {}
