package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.errors;
import static io.github.acivirtualnode.operator.translation.Fixtures.first;
import static io.github.acivirtualnode.operator.translation.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.models.Scheme;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import org.junit.jupiter.api.Test;

class ProbeTranslationTest {
  @Test
  void execLivenessProbeWithTimings() {
    var c =
        first(
            pod(
                container("app")
                    .addNewEnv()
                    .withName("F")
                    .withValue("/tmp/healthy")
                    .endEnv()
                    .withNewLivenessProbe()
                    .withNewExec()
                    .withCommand("cat", "$(F)")
                    .endExec()
                    .withInitialDelaySeconds(5)
                    .withPeriodSeconds(10)
                    .withTimeoutSeconds(2)
                    .withFailureThreshold(3)
                    .withSuccessThreshold(1)
                    .endLivenessProbe()
                    .build()));
    var p = c.livenessProbe();
    assertThat(p.exec().command()).containsExactly("cat", "/tmp/healthy");
    assertThat(p.initialDelaySeconds()).isEqualTo(5);
    assertThat(p.periodSeconds()).isEqualTo(10);
    assertThat(p.timeoutSeconds()).isEqualTo(2);
    assertThat(p.failureThreshold()).isEqualTo(3);
    assertThat(p.successThreshold()).isEqualTo(1);
  }

  @Test
  void execProbesExpandOnlyLiteralVariables() {
    var refs = Fixtures.refs(Fixtures.secret("s", java.util.Map.of("k", "v")));
    var c =
        first(
            pod(
                container("app")
                    .addNewEnv()
                    .withName("S")
                    .withNewValueFrom()
                    .withNewSecretKeyRef("k", "s", null)
                    .endValueFrom()
                    .endEnv()
                    .withNewReadinessProbe()
                    .withNewExec()
                    .withCommand("check", "$(S)")
                    .endExec()
                    .endReadinessProbe()
                    .build()),
            refs);
    assertThat(c.readinessProbe().exec().command()).containsExactly("check", "$(S)");
  }

  @Test
  void httpGetReadinessProbeWithNamedPortSchemeAndHeaders() {
    var c =
        first(
            pod(
                container("app")
                    .addNewPort()
                    .withName("http")
                    .withContainerPort(8080)
                    .endPort()
                    .withNewReadinessProbe()
                    .withNewHttpGet()
                    .withPath("/ready")
                    .withPort(new IntOrString("http"))
                    .withScheme("HTTPS")
                    .addNewHttpHeader("X-Probe", "1")
                    .endHttpGet()
                    .withPeriodSeconds(3)
                    .endReadinessProbe()
                    .build()));
    var get = c.readinessProbe().httpGet();
    assertThat(get.port()).isEqualTo(8080);
    assertThat(get.path()).isEqualTo("/ready");
    assertThat(get.scheme()).isEqualTo(Scheme.HTTPS);
    assertThat(get.httpHeaders())
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.name()).isEqualTo("X-Probe");
              assertThat(h.value()).isEqualTo("1");
            });
    assertThat(c.readinessProbe().periodSeconds()).isEqualTo(3);
  }

  @Test
  void httpGetDefaultsToHttpAndANumericPort() {
    var c =
        first(
            pod(
                container("app")
                    .withNewLivenessProbe()
                    .withNewHttpGet()
                    .withPort(new IntOrString(80))
                    .endHttpGet()
                    .endLivenessProbe()
                    .build()));
    assertThat(c.livenessProbe().httpGet().scheme()).isEqualTo(Scheme.HTTP);
    assertThat(c.livenessProbe().httpGet().port()).isEqualTo(80);
  }

  private static ProbeBuilder exec(String... command) {
    return new ProbeBuilder().withNewExec().withCommand(command).endExec();
  }

  @Test
  void aStartupProbeDelaysTheLivenessProbeByItsWholeWindow() {
    var t =
        Fixtures.translated(
            pod(
                container("app")
                    .withStartupProbe(
                        exec("test", "-f", "/tmp/started")
                            .withInitialDelaySeconds(5)
                            .withPeriodSeconds(2)
                            .withFailureThreshold(30)
                            .build())
                    .withLivenessProbe(
                        exec("true").withInitialDelaySeconds(3).withPeriodSeconds(7).build())
                    .build()));
    var c = t.group().containers().get(0);
    assertThat(c.livenessProbe().exec().command()).containsExactly("true");
    assertThat(c.livenessProbe().initialDelaySeconds()).isEqualTo(65);
    assertThat(c.livenessProbe().periodSeconds()).isEqualTo(7);
    assertThat(c.readinessProbe()).isNull();
    assertThat(t.notices())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.fieldPath()).isEqualTo("spec.containers[0].startupProbe");
              assertThat(n.message()).contains("after 65 s");
              assertThat(n.warning()).isFalse();
            });
  }

  @Test
  void aStartupProbeUsesTheApiServersDefaultsWhereUnset() {
    var c =
        first(
            pod(
                container("app")
                    .withStartupProbe(exec("true").build())
                    .withLivenessProbe(exec("true").build())
                    .build()));
    // 0 + 3 x 10 s, the defaults.
    assertThat(c.livenessProbe().initialDelaySeconds()).isEqualTo(30);
  }

  @Test
  void aLivenessDelayLongerThanTheStartupWindowIsKept() {
    var c =
        first(
            pod(
                container("app")
                    .withStartupProbe(
                        exec("true").withPeriodSeconds(1).withFailureThreshold(5).build())
                    .withLivenessProbe(exec("true").withInitialDelaySeconds(120).build())
                    .build()));
    assertThat(c.livenessProbe().initialDelaySeconds()).isEqualTo(120);
  }

  @Test
  void aStartupProbeWithoutALivenessProbeIsIgnoredWithANotice() {
    var t =
        Fixtures.translated(pod(container("app").withStartupProbe(exec("true").build()).build()));
    var c = t.group().containers().get(0);
    assertThat(c.livenessProbe()).isNull();
    assertThat(t.notices())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.fieldPath()).isEqualTo("spec.containers[0].startupProbe");
              assertThat(n.message()).isEqualTo(PodField.STARTUP_PROBE_ALONE.reason());
            });
  }

  @Test
  void aStartupProbeIsCheckedAsAnyProbe() {
    var pod =
        pod(
            container("app")
                .withNewStartupProbe()
                .withNewTcpSocket()
                .withPort(new IntOrString(80))
                .endTcpSocket()
                .endStartupProbe()
                .withLivenessProbe(exec("true").build())
                .build());
    assertThat(errors(pod))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.fieldPath()).isEqualTo("spec.containers[0].startupProbe.tcpSocket");
              assertThat(e.reason()).isEqualTo(PodField.PROBE_TCP_SOCKET.reason());
            });
  }

  @Test
  void aTcpSocketProbeIsRefusedNamingTheFieldAndTheWayOut() {
    var pod =
        pod(
            container("app")
                .withNewReadinessProbe()
                .withNewTcpSocket()
                .withPort(new IntOrString(5432))
                .endTcpSocket()
                .endReadinessProbe()
                .build());
    assertThat(errors(pod))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(TranslationError.Kind.UNSUPPORTED);
              assertThat(e.fieldPath()).isEqualTo("spec.containers[0].readinessProbe.tcpSocket");
              assertThat(e.reason()).contains("exec or httpGet").contains("exec probe");
            });
  }

  @Test
  void aGrpcProbeIsRefusedNamingTheFieldAndTheWayOut() {
    var pod =
        pod(
            container("app")
                .withNewLivenessProbe()
                .withNewGrpc()
                .withPort(9090)
                .endGrpc()
                .endLivenessProbe()
                .build());
    assertThat(errors(pod))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.fieldPath()).isEqualTo("spec.containers[0].livenessProbe.grpc");
              assertThat(e.reason()).contains("grpc_health_probe");
            });
  }

  @Test
  void tcpSocketGrpcHostAndUnknownPortsAreErrors() {
    var pod =
        pod(
            container("app")
                .withNewLivenessProbe()
                .withNewTcpSocket()
                .withPort(new IntOrString(80))
                .endTcpSocket()
                .endLivenessProbe()
                .withNewReadinessProbe()
                .withNewGrpc()
                .withPort(9090)
                .endGrpc()
                .endReadinessProbe()
                .build(),
            container("b")
                .withNewLivenessProbe()
                .withNewHttpGet()
                .withHost("example.com")
                .withPort(new IntOrString("nope"))
                .endHttpGet()
                .withTerminationGracePeriodSeconds(5L)
                .endLivenessProbe()
                .build());
    assertThat(errors(pod))
        .extracting(TranslationError::fieldPath)
        .containsExactly(
            "spec.containers[0].livenessProbe.tcpSocket",
            "spec.containers[0].readinessProbe.grpc",
            "spec.containers[1].livenessProbe.terminationGracePeriodSeconds",
            "spec.containers[1].livenessProbe.httpGet.host",
            "spec.containers[1].livenessProbe.httpGet.port");
  }
}
