package io.github.acivirtualnode.operator.translation;

import static io.github.acivirtualnode.operator.translation.Fixtures.container;
import static io.github.acivirtualnode.operator.translation.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupIpAddressType;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupSubnetId;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The group's VNet subnets, IP address type and DNS name label. */
class NetworkSettingsTest {
  private static final NodeContext VNET = Fixtures.NODE.withSubnetIds(List.of(Fixtures.SUBNET_ID));

  private static Pod web(Map<String, String> annotations) {
    return new PodBuilder(
            pod(
                container("app")
                    .withPorts(new ContainerPortBuilder().withContainerPort(80).build())
                    .build()))
        .editMetadata()
        .addToAnnotations(annotations)
        .endMetadata()
        .build();
  }

  private static Pod worker(Map<String, String> annotations) {
    return new PodBuilder(pod()).editMetadata().addToAnnotations(annotations).endMetadata().build();
  }

  private static ContainerGroupInner group(Pod pod, NodeContext node) {
    return ((TranslationResult.Translated) PodTranslator.translate(pod, PodReferences.none(), node))
        .group();
  }

  private static List<TranslationError> errors(Pod pod, NodeContext node) {
    return ((TranslationResult.Rejected) PodTranslator.translate(pod, PodReferences.none(), node))
        .errors();
  }

  private static String path(String annotation) {
    return "metadata.annotations[" + annotation + "]";
  }

  @Test
  void aVnetNodesGroupsJoinItsSubnetsWithAPrivateAddress() {
    var group = group(web(Map.of()), VNET);
    assertThat(group.subnetIds())
        .extracting(ContainerGroupSubnetId::id)
        .containsExactly(Fixtures.SUBNET_ID);
    assertThat(group.ipAddress().type()).isEqualTo(ContainerGroupIpAddressType.PRIVATE);
    assertThat(group.ipAddress().ports()).extracting(p -> p.port()).containsExactly(80);
    // Without ports, no address, but the group is in the VNet all the same.
    var quiet = group(worker(Map.of()), VNET);
    assertThat(quiet.ipAddress()).isNull();
    assertThat(quiet.subnetIds()).hasSize(1);
  }

  @Test
  void aNodeOutsideAVnetSendsNoSubnets() {
    var group = group(web(Map.of()), Fixtures.NODE);
    assertThat(group.subnetIds()).isNull();
    assertThat(group.ipAddress().type()).isEqualTo(ContainerGroupIpAddressType.PUBLIC);
  }

  @Test
  void ipAddressTypeNoneKeepsThePortsOffAnyAddress() {
    var group = group(web(Map.of(NetworkSettings.IP_ADDRESS_TYPE, "None")), Fixtures.NODE);
    assertThat(group.ipAddress()).isNull();
    assertThat(group.containers().get(0).ports()).extracting(p -> p.port()).containsExactly(80);
    assertThat(group(web(Map.of(NetworkSettings.IP_ADDRESS_TYPE, "none")), VNET).ipAddress())
        .isNull();
  }

  @Test
  void anAddressTypeTheNodeCanGiveIsTranslated() {
    assertThat(
            group(web(Map.of(NetworkSettings.IP_ADDRESS_TYPE, "Public")), Fixtures.NODE)
                .ipAddress()
                .type())
        .isEqualTo(ContainerGroupIpAddressType.PUBLIC);
    assertThat(
            group(web(Map.of(NetworkSettings.IP_ADDRESS_TYPE, " private ")), VNET)
                .ipAddress()
                .type())
        .isEqualTo(ContainerGroupIpAddressType.PRIVATE);
  }

  @Test
  void anAddressTypeTheNodeCannotGiveIsRefused() {
    String path = path(NetworkSettings.IP_ADDRESS_TYPE);
    assertThat(errors(web(Map.of(NetworkSettings.IP_ADDRESS_TYPE, "Public")), VNET))
        .extracting(TranslationError::fieldPath, TranslationError::reason)
        .containsExactly(tuple(path, PodField.IP_ADDRESS_PUBLIC_IN_VNET.reason()));
    assertThat(errors(web(Map.of(NetworkSettings.IP_ADDRESS_TYPE, "Private")), Fixtures.NODE))
        .extracting(TranslationError::fieldPath, TranslationError::reason)
        .containsExactly(tuple(path, PodField.IP_ADDRESS_PRIVATE_WITHOUT_VNET.reason()));
    assertThat(errors(worker(Map.of(NetworkSettings.IP_ADDRESS_TYPE, "Public")), Fixtures.NODE))
        .extracting(TranslationError::fieldPath, TranslationError::reason)
        .containsExactly(tuple(path, PodField.IP_ADDRESS_WITHOUT_PORTS.reason()));
    assertThat(errors(web(Map.of(NetworkSettings.IP_ADDRESS_TYPE, "Elastic")), Fixtures.NODE))
        .extracting(TranslationError::fieldPath, TranslationError::kind)
        .containsExactly(tuple(path, TranslationError.Kind.INVALID));
  }

  @Test
  void aDnsNameLabelGoesOnThePublicAddress() {
    var group = group(web(Map.of(NetworkSettings.DNS_NAME_LABEL, "shop-web-01")), Fixtures.NODE);
    assertThat(group.ipAddress().dnsNameLabel()).isEqualTo("shop-web-01");
    assertThat(group(web(Map.of()), Fixtures.NODE).ipAddress().dnsNameLabel()).isNull();
  }

  @Test
  void aDnsNameLabelWithoutAPublicAddressIsRefused() {
    String path = path(NetworkSettings.DNS_NAME_LABEL);
    String reason = PodField.DNS_NAME_LABEL_WITHOUT_PUBLIC_IP.reason();
    assertThat(errors(web(Map.of(NetworkSettings.DNS_NAME_LABEL, "shop-web")), VNET))
        .extracting(TranslationError::fieldPath, TranslationError::reason)
        .containsExactly(tuple(path, reason));
    assertThat(errors(worker(Map.of(NetworkSettings.DNS_NAME_LABEL, "shop-web")), Fixtures.NODE))
        .extracting(TranslationError::fieldPath, TranslationError::reason)
        .containsExactly(tuple(path, reason));
    assertThat(
            errors(
                web(
                    Map.of(
                        NetworkSettings.DNS_NAME_LABEL,
                        "shop-web",
                        NetworkSettings.IP_ADDRESS_TYPE,
                        "None")),
                Fixtures.NODE))
        .extracting(TranslationError::fieldPath, TranslationError::reason)
        .containsExactly(tuple(path, reason));
  }

  @ParameterizedTest
  @ValueSource(strings = {"web", "Shop-web", "1shop", "shop-", "shop--web", "shop_web", ""})
  void aMalformedDnsNameLabelIsInvalid(String label) {
    assertThat(errors(web(Map.of(NetworkSettings.DNS_NAME_LABEL, label)), Fixtures.NODE))
        .extracting(TranslationError::fieldPath, TranslationError::kind)
        .containsExactly(
            tuple(path(NetworkSettings.DNS_NAME_LABEL), TranslationError.Kind.INVALID));
  }

  @Test
  void spotWithPortsButNoAddressIsAllowed() {
    var pod = web(Map.of(GroupSettings.PRIORITY, "Spot", NetworkSettings.IP_ADDRESS_TYPE, "None"));
    var group = group(pod, Fixtures.NODE);
    assertThat(group.ipAddress()).isNull();
    assertThat(group.priority().toString()).isEqualTo("Spot");
  }
}
