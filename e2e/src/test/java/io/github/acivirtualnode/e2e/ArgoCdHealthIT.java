package io.github.acivirtualnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.api.v1alpha1.VirtualNodeStatus;
import io.github.acivirtualnode.operator.aci.AciException;
import io.github.acivirtualnode.operator.node.BackendHealth;
import io.github.acivirtualnode.operator.reconciler.VirtualNodeStatusAggregator;
import io.github.acivirtualnode.operator.reconciler.VirtualNodeStatusAggregator.Observation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Argo CD health check shipped in deploy/argocd, run with gopher-lua as Argo CD runs it,
 * against statuses made by the operator's own {@link VirtualNodeStatusAggregator} (so a reason the
 * operator starts to use is classified here first) and against objects with no status yet.
 */
class ArgoCdHealthIT {
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final Path SCRIPT = REPO.resolve("deploy/argocd/virtualnode-health.lua");
  private static final String KEY =
      "resource.customizations.health.acivirtualnode.github.io_VirtualNode";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String NODE = "aci-westeurope";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theArgoCdConfigMapPatchCarriesTheScriptVerbatim() throws IOException {
    ConfigMap patch =
        SERIALIZATION.unmarshal(
            Files.readString(REPO.resolve("deploy/argocd/argocd-cm-patch.yaml")), ConfigMap.class);
    assertThat(patch.getMetadata().getName()).isEqualTo("argocd-cm");
    assertThat(patch.getData()).containsOnlyKeys(KEY);
    assertThat(patch.getData().get(KEY)).isEqualTo(Files.readString(SCRIPT));
  }

  @Test
  void aReadyNodeOfTheCurrentSpecIsHealthy() {
    ArgoCdHealth.Health health = assess(withStatus(node(2), registered(healthy(), 2L)));
    assertThat(health)
        .isEqualTo(new ArgoCdHealth.Health("Healthy", "Node " + NODE + " is Ready", null));
  }

  @Test
  void aTransientArmOutageLeavesItHealthyAsTheNodeStaysReady() {
    BackendHealth h = BackendHealth.awaitingFirstProbe(2, T0);
    h.recordSuccess(T0);
    BackendHealth.Snapshot outage =
        h.recordFailure(
            new AciException(
                AciException.Kind.TRANSIENT,
                "InternalServerError",
                500,
                "ARM answered 500",
                null,
                null),
            T0);
    VirtualNode vn = withStatus(node(1), registered(outage, 1L));
    assertThat(condition(vn, "BackendReachable")).isEqualTo("False");
    assertThat(assess(vn).status()).isEqualTo("Healthy");
  }

  @Test
  void aNodeRegisteringOrAwaitingItsFirstProbeIsProgressingWithTheReadyMessage() {
    BackendHealth.Snapshot awaiting = BackendHealth.awaitingFirstProbe(2, T0).current();
    VirtualNode registering = withStatus(node(1), new Observation(NODE, false, awaiting, 0, 0));
    VirtualNode probing = withStatus(node(1), registered(awaiting, 1L));
    assertThat(reason(registering)).isEqualTo("NodeNotRegistered");
    assertThat(reason(probing)).isEqualTo(BackendHealth.AWAITING_PROBE);
    assertThat(ArgoCdHealth.assess(REPO, SCRIPT, List.of(json(registering), json(probing))))
        .containsExactly(
            new ArgoCdHealth.Health("Progressing", "registering Node " + NODE, null),
            new ArgoCdHealth.Health(
                "Progressing", "no probe of the ACI backend has succeeded yet", null));
  }

  @Test
  void aReadyNodeOfAnOlderSpecIsProgressingUntilTheOperatorAppliesTheNewOne() {
    // The user edited the spec (generation 3); the Node still reflects generation 2.
    ArgoCdHealth.Health health = assess(withStatus(node(3), registered(healthy(), 2L)));
    assertThat(health)
        .isEqualTo(
            new ArgoCdHealth.Health(
                "Progressing",
                "Waiting for the operator to apply generation 3 (observed 2)",
                null));
  }

  @Test
  void aVirtualNodeWithoutStatusOrConditionsIsProgressing() {
    Map<String, Object> noStatus = json(node(1));
    Map<String, Object> noConditions = json(node(1));
    noConditions.put("status", Map.of("observedGeneration", 1));
    assertThat(noStatus).doesNotContainKey("status");
    assertThat(ArgoCdHealth.assess(REPO, SCRIPT, List.of(noStatus, noConditions)))
        .extracting(ArgoCdHealth.Health::status, ArgoCdHealth.Health::message)
        .containsOnly(
            org.assertj.core.groups.Tuple.tuple(
                "Progressing", "Waiting for the operator to report the Ready condition"));
  }

  @Test
  void anActionableBackendFailureIsDegradedWithTheReadyConditionsMessage() {
    BackendHealth h = BackendHealth.awaitingFirstProbe(2, T0);
    h.recordSuccess(T0);
    AciException refused =
        new AciException(
            AciException.Kind.AUTHENTICATION,
            "InvalidClientSecret",
            401,
            "the client secret of 55555555-5555-5555-5555-555555555555 was refused",
            null,
            null);
    h.recordFailure(refused, T0);
    BackendHealth.Snapshot notReady = h.recordFailure(refused, T0);
    VirtualNode vn = withStatus(node(1), registered(notReady, 1L));
    assertThat(reason(vn)).isEqualTo("InvalidClientSecret");
    assertThat(assess(vn))
        .isEqualTo(new ArgoCdHealth.Health("Degraded", refused.getMessage(), null));
  }

  @Test
  void aSpecTheOperatorCannotApplyIsDegradedThoughObservedGenerationLags() {
    // NodeApplyFailed keeps observedGeneration at the last applied spec for as long as it lasts:
    // the failure must show, not an endless Progressing.
    String message = "the API server refused the Node: label value too long";
    VirtualNode vn =
        withStatus(
            node(2), new Observation(NODE, false, "NodeApplyFailed", message, 1L, healthy(), 0, 0));
    assertThat(vn.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(assess(vn)).isEqualTo(new ArgoCdHealth.Health("Degraded", message, null));
  }

  private static BackendHealth.Snapshot healthy() {
    BackendHealth h = BackendHealth.awaitingFirstProbe(2, T0);
    return h.recordSuccess(T0);
  }

  private static Observation registered(BackendHealth.Snapshot health, Long applied) {
    return new Observation(
        NODE,
        true,
        "Registered",
        "Node " + NODE + " is registered and its Lease renewed",
        applied,
        health,
        0,
        0);
  }

  private static VirtualNode node(long generation) {
    VirtualNode vn = new VirtualNode();
    vn.setMetadata(new ObjectMetaBuilder().withName(NODE).withGeneration(generation).build());
    return vn;
  }

  private static VirtualNode withStatus(VirtualNode vn, Observation seen) {
    VirtualNodeStatus status = VirtualNodeStatusAggregator.aggregate(vn, seen, T0);
    vn.setStatus(status);
    return vn;
  }

  private static String reason(VirtualNode vn) {
    return vn.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElseThrow()
        .getReason();
  }

  private static String condition(VirtualNode vn, String type) {
    return vn.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow()
        .getStatus();
  }

  private static ArgoCdHealth.Health assess(VirtualNode vn) {
    return ArgoCdHealth.assess(REPO, SCRIPT, List.of(json(vn))).get(0);
  }

  /** The object as Argo CD gets it from the API server: JSON. */
  private static Map<String, Object> json(VirtualNode vn) {
    try {
      return JSON.readValue(SERIALIZATION.asJson(vn), new TypeReference<>() {});
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
