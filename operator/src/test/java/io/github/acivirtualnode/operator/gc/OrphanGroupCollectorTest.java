package io.github.acivirtualnode.operator.gc;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import io.github.acivirtualnode.operator.translation.GroupNaming;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class OrphanGroupCollectorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final OrphanGroupCollector gc = new OrphanGroupCollector(Duration.ofMinutes(3));
  private final Map<String, String> pods = new HashMap<>();
  private final BiFunction<String, String, Optional<String>> lookup =
      (ns, name) -> Optional.ofNullable(pods.get(ns + "/" + name));

  private static ContainerGroupInner group(String name, String ns, String pod, String uid) {
    StringBuilder tags = new StringBuilder();
    if (pod != null) {
      tags.append("\"" + GroupNaming.POD_NAMESPACE + "\":\"" + ns + "\",")
          .append("\"" + GroupNaming.POD_NAME + "\":\"" + pod + "\",")
          .append("\"" + GroupNaming.POD_UID + "\":\"" + uid + "\",");
    }
    tags.append("\"k8s-virtual-node\":\"node\"");
    String json = "{\"name\":\"" + name + "\",\"tags\":{" + tags + "},\"properties\":{}}";
    try (com.azure.json.JsonReader reader = com.azure.json.JsonProviders.createReader(json)) {
      return ContainerGroupInner.fromJson(reader);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aGroupWhosePodIsGoneIsDeletedAfterTheGracePeriodOnly() {
    List<ContainerGroupInner> groups = List.of(group("g1", "ns", "p1", "u1"));
    assertThat(gc.collect(groups, lookup, T0)).isEmpty();
    assertThat(gc.collect(groups, lookup, T0.plusSeconds(179))).isEmpty();
    assertThat(gc.collect(groups, lookup, T0.plusSeconds(180))).containsExactly("g1");
  }

  @Test
  void aGroupWhosePodIsThereIsNeverACandidateAndOneWhosePodCameBackStartsAgain() {
    pods.put("ns/p1", "u1");
    List<ContainerGroupInner> groups = List.of(group("g1", "ns", "p1", "u1"));
    assertThat(gc.collect(groups, lookup, T0)).isEmpty();
    assertThat(gc.candidates()).isZero();
    pods.clear();
    gc.collect(groups, lookup, T0.plusSeconds(10));
    pods.put("ns/p1", "u1");
    gc.collect(groups, lookup, T0.plusSeconds(100));
    pods.clear();
    assertThat(gc.collect(groups, lookup, T0.plusSeconds(200))).isEmpty();
    assertThat(gc.collect(groups, lookup, T0.plusSeconds(380))).containsExactly("g1");
  }

  @Test
  void aPodOfTheSameNameWithAnotherUidDoesNotKeepTheOldGroup() {
    pods.put("ns/p1", "u2");
    List<ContainerGroupInner> groups = List.of(group("g1", "ns", "p1", "u1"));
    gc.collect(groups, lookup, T0);
    assertThat(gc.collect(groups, lookup, T0.plusSeconds(180))).containsExactly("g1");
  }

  @Test
  void aGroupThatNamesNoPodIsNeverCollected() {
    List<ContainerGroupInner> groups = List.of(group("manual", null, null, null));
    gc.collect(groups, lookup, T0);
    assertThat(gc.collect(groups, lookup, T0.plusSeconds(3600))).isEmpty();
  }

  @Test
  void aDeletedOrUnlistedGroupIsNoLongerACandidate() {
    List<ContainerGroupInner> groups = List.of(group("g1", "ns", "p1", "u1"));
    gc.collect(groups, lookup, T0);
    gc.deleted("g1");
    assertThat(gc.collect(groups, lookup, T0.plusSeconds(180))).isEmpty();
    gc.collect(List.of(), lookup, T0.plusSeconds(181));
    assertThat(gc.candidates()).isZero();
  }
}
