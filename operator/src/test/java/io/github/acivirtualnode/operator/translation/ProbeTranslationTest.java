package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.errors;
import static io.github.acivirtualnode.operator.translation.Fixtures.first;
import static io.github.acivirtualnode.operator.translation.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.containerinstance.models.Scheme;
import io.fabric8.kubernetes.api.model.IntOrString;
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
