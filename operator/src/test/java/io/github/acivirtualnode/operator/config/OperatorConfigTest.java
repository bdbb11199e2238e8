package io.github.acivirtualnode.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaults() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of());

    assertThat(config)
        .isEqualTo(
            new OperatorConfig(
                "aci-virtual-node",
                "127.0.0.1",
                10250,
                null,
                null,
                Duration.ofSeconds(10),
                Duration.ofSeconds(15),
                2,
                8080,
                List.of(),
                true));
  }

  @Test
  void everyVariableOverrides() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.ofEntries(
                Map.entry("AVN_NAMESPACE", "virtual-nodes"),
                Map.entry("AVN_NODE_ADDRESS", "10.0.0.9"),
                Map.entry("AVN_KUBELET_PORT", "10443"),
                Map.entry("AZURE_AUTHORITY_HOST", "https://login.microsoftonline.us/"),
                Map.entry("AVN_ARM_CA_FILE", "/etc/avn/arm-ca.pem"),
                Map.entry("AVN_LEASE_RENEW_SECONDS", "5"),
                Map.entry("AVN_HEALTH_PROBE_SECONDS", "30"),
                Map.entry("AVN_ACTIONABLE_FAILURE_THRESHOLD", "4"),
                Map.entry("AVN_METRICS_PORT", "0"),
                Map.entry(
                    "AVN_ALLOWED_ARM_ENDPOINTS",
                    "https://127.0.0.1:8443/, https://arm.private.example/"),
                Map.entry("AVN_LEADER_ELECTION", "false")));

    assertThat(config)
        .isEqualTo(
            new OperatorConfig(
                "virtual-nodes",
                "10.0.0.9",
                10443,
                "https://login.microsoftonline.us/",
                Path.of("/etc/avn/arm-ca.pem"),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                4,
                0,
                List.of("https://127.0.0.1:8443/", "https://arm.private.example/"),
                false));
  }

  @Test
  void downwardApiVariablesAreTheFallback() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of("POD_NAMESPACE", "kube-system", "POD_IP", "10.1.2.3"));

    assertThat(config.namespace()).isEqualTo("kube-system");
    assertThat(config.nodeAddress()).isEqualTo("10.1.2.3");
  }

  @Test
  void ownVariablesWinOverTheDownwardApi() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "AVN_NAMESPACE", "mine",
                "POD_NAMESPACE", "theirs",
                "AVN_NODE_ADDRESS", "192.168.0.1",
                "POD_IP", "10.1.2.3"));

    assertThat(config.namespace()).isEqualTo("mine");
    assertThat(config.nodeAddress()).isEqualTo("192.168.0.1");
  }

  @Test
  void blankValuesCountAsUnset() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "AVN_NAMESPACE", " ",
                "POD_NAMESPACE", "kube-system",
                "AVN_NODE_ADDRESS", "",
                "AVN_KUBELET_PORT", "",
                "AZURE_AUTHORITY_HOST", "  ",
                "AVN_ARM_CA_FILE", "",
                "AVN_LEASE_RENEW_SECONDS", " ",
                "AVN_METRICS_PORT", "\t"));

    assertThat(config.namespace()).isEqualTo("kube-system");
    assertThat(config.nodeAddress()).isEqualTo("127.0.0.1");
    assertThat(config.kubeletPort()).isEqualTo(10250);
    assertThat(config.authorityHost()).isNull();
    assertThat(config.armCaFile()).isNull();
    assertThat(config.leaseRenewInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.metricsPort()).isEqualTo(8080);
  }

  @Test
  void valuesAreTrimmed() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "AVN_NAMESPACE", " ops\n",
                "AVN_KUBELET_PORT", " 10443 ",
                "AVN_HEALTH_PROBE_SECONDS", "20\n",
                "AVN_ARM_CA_FILE", " /etc/ca.pem "));

    assertThat(config.namespace()).isEqualTo("ops");
    assertThat(config.kubeletPort()).isEqualTo(10443);
    assertThat(config.healthProbeInterval()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.armCaFile()).isEqualTo(Path.of("/etc/ca.pem"));
  }

  @Test
  void malformedNumbersAreRefusedNamingTheVariable() {
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("AVN_KUBELET_PORT", "https")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("AVN_KUBELET_PORT=https is not a whole number");
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("AVN_LEASE_RENEW_SECONDS", "10s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AVN_LEASE_RENEW_SECONDS");
  }

  @Test
  void logSettingsAreCheckedNamingTheVariable() {
    assertThat(OperatorConfig.fromEnvironment(Map.of("AVN_LOG_LEVEL", "debug")).logging())
        .isEqualTo(new LogSettings("text", "DEBUG"));
    assertThat(OperatorConfig.fromEnvironment(Map.of("AVN_LOG_FORMAT", "json")).logging().format())
        .isEqualTo("json");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("AVN_LOG_FORMAT", "xml")))
        .hasMessage("AVN_LOG_FORMAT=xml is not one of text, json");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("AVN_LOG_LEVEL", "verbose")))
        .hasMessage("AVN_LOG_LEVEL=VERBOSE is not one of TRACE, DEBUG, INFO, WARN, ERROR");
  }

  @Test
  void outOfRangeNumbersAreRefused() {
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("AVN_KUBELET_PORT", "70000")))
        .hasMessage("AVN_KUBELET_PORT=70000 is out of range [0, 65535]");
    // A Lease renewed less often than its 40 s duration would expire between renewals.
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("AVN_LEASE_RENEW_SECONDS", "40")))
        .hasMessageContaining("out of range");
    assertThatThrownBy(
            () -> OperatorConfig.fromEnvironment(Map.of("AVN_ACTIONABLE_FAILURE_THRESHOLD", "0")))
        .hasMessageContaining("AVN_ACTIONABLE_FAILURE_THRESHOLD");
  }

  @Test
  void withNamespaceChangesOnlyTheNamespace() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of("AVN_KUBELET_PORT", "10443", "AVN_ARM_CA_FILE", "/ca.pem"));

    OperatorConfig moved = config.withNamespace("elsewhere");

    assertThat(moved.namespace()).isEqualTo("elsewhere");
    assertThat(moved).usingRecursiveComparison().ignoringFields("namespace").isEqualTo(config);
    assertThat(config.namespace()).isEqualTo("aci-virtual-node");
  }

  @Test
  void theServingSecretAndHowOftenItIsReadAgainAreRead() {
    OperatorConfig.KubeletSettings set =
        OperatorConfig.fromEnvironment(
                Map.of(
                    "AVN_KUBELET_SERVING_SECRET", "kubelet-tls",
                    "AVN_KUBELET_SERVING_SECRET_SECONDS", "5"))
            .kubelet();
    OperatorConfig.KubeletSettings unset = OperatorConfig.fromEnvironment(Map.of()).kubelet();

    assertThat(set.servingSecret()).isEqualTo("kubelet-tls");
    assertThat(set.servingSecretRefresh()).isEqualTo(Duration.ofSeconds(5));
    assertThat(unset.servingSecret()).isNull();
    assertThat(unset.servingSecretRefresh()).isEqualTo(Duration.ofSeconds(60));
    assertThat(new OperatorConfig.KubeletSettings(true, null, Duration.ofSeconds(2)))
        .isEqualTo(OperatorConfig.KubeletSettings.DEFAULTS);
  }

  @Test
  void eachWitherChangesItsOwnSettingOnly() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of("AVN_NAMESPACE", "ns", "AVN_KUBELET_PORT", "10443", "AVN_METRICS_PORT", "0"));
    OperatorConfig.KubeletSettings kubelet =
        new OperatorConfig.KubeletSettings(false, Path.of("/ca.pem"), Duration.ofSeconds(7));

    assertThat(config.withKubeletPort(0))
        .usingRecursiveComparison()
        .ignoringFields("kubeletPort")
        .isEqualTo(config);
    assertThat(config.withKubeletPort(0).kubeletPort()).isZero();
    assertThat(config.withAllowedArmEndpoints(List.of("https://arm.example/")))
        .usingRecursiveComparison()
        .ignoringFields("allowedArmEndpoints")
        .isEqualTo(config);
    assertThat(config.withKubelet(kubelet).kubelet()).isEqualTo(kubelet);
    assertThat(config.withKubelet(kubelet))
        .usingRecursiveComparison()
        .ignoringFields("kubelet")
        .isEqualTo(config);
    assertThat(config.withPods(OperatorConfig.PodSettings.DEFAULTS))
        .usingRecursiveComparison()
        .ignoringFields("pods")
        .isEqualTo(config);
  }
}
