package io.github.acivirtualnode.operator.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.acivirtualnode.operator.kubelet.KubeletRequest.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KubeletRequestTest {
  @Test
  void containerLogsNameTheirPodAndContainer() {
    assertThat(KubeletRequest.parse("/containerLogs/default/web-1/main"))
        .isEqualTo(new KubeletRequest(Endpoint.CONTAINER_LOGS, "default", "web-1", "main"));
  }

  @Test
  void execAndAttachMayCarryThePodUid() {
    assertThat(KubeletRequest.parse("/exec/ns/p/c"))
        .isEqualTo(new KubeletRequest(Endpoint.EXEC, "ns", "p", "c"));
    assertThat(KubeletRequest.parse("/attach/ns/p/0b6f2a4e-1c1d-4e55-9f0e-3a3c2b1a0f00/c"))
        .isEqualTo(new KubeletRequest(Endpoint.ATTACH, "ns", "p", "c"));
  }

  @Test
  void portForwardNamesAPodOnly() {
    assertThat(KubeletRequest.parse("/portForward/ns/p/"))
        .isEqualTo(new KubeletRequest(Endpoint.PORT_FORWARD, "ns", "p", null));
  }

  @Test
  void nodeLevelEndpointsAreParsedAsSuch() {
    assertThat(KubeletRequest.parse("/healthz").endpoint()).isEqualTo(Endpoint.HEALTHZ);
    assertThat(KubeletRequest.parse("/pods").endpoint()).isEqualTo(Endpoint.PODS);
    assertThat(KubeletRequest.parse("/pods/").endpoint()).isEqualTo(Endpoint.PODS);
    assertThat(KubeletRequest.parse("/runningpods/").endpoint()).isEqualTo(Endpoint.RUNNING_PODS);
    assertThat(KubeletRequest.parse("/stats/summary").endpoint()).isEqualTo(Endpoint.STATS_SUMMARY);
    assertThat(KubeletRequest.parse("/metrics/resource").endpoint())
        .isEqualTo(Endpoint.METRICS_RESOURCE);
    for (String path :
        new String[] {"/pods", "/runningpods", "/stats/summary", "/metrics/resource"}) {
      assertThat(KubeletRequest.parse(path).nodeLevel()).as(path).isTrue();
    }
    assertThat(KubeletRequest.parse("/healthz").nodeLevel()).isFalse();
    assertThat(KubeletRequest.parse("/containerLogs/ns/p/c").nodeLevel()).isFalse();
  }

  @Test
  void otherKubeletEndpointsAreKnownButNotServed() {
    for (String path :
        new String[] {
          "/stats",
          "/stats/container",
          "/metrics",
          "/metrics/cadvisor",
          "/metrics/probes",
          "/pods/extra",
          "/runningpods/x",
          "/spec",
          "/configz",
          "/logs/",
          "/run/ns/p/c"
        }) {
      assertThat(KubeletRequest.parse(path).endpoint()).as(path).isEqualTo(Endpoint.NOT_SERVED);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/containerLogs/../../etc/passwd",
        "/containerLogs/default/..%2F..%2Fsecrets/main",
        "/containerLogs/default/web/..",
        "/containerLogs/Default/web/main",
        "/containerLogs/default/web",
        "/containerLogs/default/web/main/extra",
        "/exec/ns/p/not-a-uid!/c",
        "/unknown",
        "relative"
      })
  void pathsThatNameNoPodOrTraverseAreRefusedWithAReason(String path) {
    assertThatThrownBy(() -> KubeletRequest.parse(path))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("null");
  }

  @Test
  void anOversizedNameIsRefusedAndNotEchoedWhole() {
    String huge = "a".repeat(5000);
    assertThatThrownBy(() -> KubeletRequest.parse("/containerLogs/default/" + huge + "/main"))
        .hasMessageContaining("invalid pod name")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
  }

  @ParameterizedTest
  @CsvSource({"GET,get", "HEAD,get", "POST,create", "PUT,update", "PATCH,patch", "DELETE,delete"})
  void verbsFollowTheKubeletsMapping(String method, String verb) {
    assertThat(KubeletRequest.verb(method)).isEqualTo(verb);
  }

  @ParameterizedTest
  @CsvSource({
    "/stats/summary,stats",
    "/stats,stats",
    "/metrics/resource,metrics",
    "/logs/messages,log",
    "/containerLogs/ns/p/c,proxy",
    "/exec/ns/p/c,proxy",
    "/statsextra,proxy"
  })
  void subresourcesFollowTheKubeletsMapping(String path, String subresource) {
    assertThat(KubeletRequest.subresource(path)).isEqualTo(subresource);
  }
}
