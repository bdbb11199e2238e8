package io.github.acivirtualnode.operator.aci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArmEndpointsTest {

  @Test
  void noEndpointIsAzurePublicAndAllowed() {
    assertThat(ArmEndpoints.refusal(null, List.of())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://management.azure.com/",
        "https://management.azure.com",
        "HTTPS://Management.Azure.com:443/",
        "https://management.chinacloudapi.cn/",
        "https://management.usgovcloudapi.net/"
      })
  void theResourceManagersOfAzuresCloudsAreAllowed(String endpoint) {
    assertThat(ArmEndpoints.refusal(endpoint, List.of())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://collector.attacker.example/",
        "https://management.azure.com.attacker.example/",
        "https://management.azure.com:8443/",
        "https://management.azure.com/other/",
        "https://127.0.0.1:8443/"
      })
  void anythingElseIsRefusedWithoutTheOperatorsAllowance(String endpoint) {
    assertThat(ArmEndpoints.refusal(endpoint, List.of()))
        .hasValueSatisfying(
            m -> assertThat(m).contains(endpoint).contains("AVN_ALLOWED_ARM_ENDPOINTS"));
  }

  @Test
  void theOperatorsAllowlistAdmitsAnEmulator() {
    List<String> allowed = List.of("https://127.0.0.1:8443");
    assertThat(ArmEndpoints.refusal("https://127.0.0.1:8443/", allowed)).isEmpty();
    assertThat(ArmEndpoints.refusal("https://127.0.0.1:8444/", allowed)).isPresent();
  }

  @Test
  void plainHttpIsRefusedEvenWhenAllowed() {
    assertThat(ArmEndpoints.refusal("http://127.0.0.1:8080/", List.of("http://127.0.0.1:8080/")))
        .hasValueSatisfying(m -> assertThat(m).contains("not https"));
  }

  @Test
  void garbageIsRefused() {
    assertThat(ArmEndpoints.refusal("not a url at all", List.of())).isPresent();
  }
}
