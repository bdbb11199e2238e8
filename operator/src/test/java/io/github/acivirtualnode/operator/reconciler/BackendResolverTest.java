package io.github.acivirtualnode.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpClient;
import com.azure.core.util.ConfigurationBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.github.acivirtualnode.api.v1alpha1.VirtualNode;
import io.github.acivirtualnode.operator.TestVirtualNodes;
import io.github.acivirtualnode.operator.aci.AciBackend;
import io.github.acivirtualnode.operator.aci.AciBackendFactory;
import io.github.acivirtualnode.operator.aci.AciException;
import io.github.acivirtualnode.operator.aci.AzureCredentialFactory;
import io.github.acivirtualnode.operator.config.OperatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The resolver against an API server that fails on cue (fabric8's mock server). */
class BackendResolverTest {
  private static final String NAMESPACE = "aci-virtual-node";
  private static final String SECRET_PATH = "/api/v1/namespaces/" + NAMESPACE + "/secrets/creds";

  private KubernetesMockServer server;
  private KubernetesClient client;
  private BackendResolver resolver;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    // No client-side retries: a 500 must reach the resolver, not be retried into a later answer.
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(server.createClient().getConfiguration())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
    HttpClient http = HttpClient.createDefault();
    AzureCredentialFactory credentials =
        new AzureCredentialFactory(http, null, new ConfigurationBuilder().build());
    OperatorConfig config =
        OperatorConfig.fromEnvironment(Map.of("AVN_NAMESPACE", NAMESPACE))
            .withAllowedArmEndpoints(List.of("https://127.0.0.1:8443/"));
    resolver =
        new BackendResolver(
            client,
            config,
            credentials,
            new AciBackendFactory(http, new SimpleMeterRegistry(), null));
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void aSecretThatCannotBeReadKeepsTheBackendResolvedBefore() {
    serveSecret("1");
    BackendResolver.Resolution first = resolver.resolve(virtualNode(null), null);
    assertThat(first.usable()).isTrue();

    server.expect().get().withPath(SECRET_PATH).andReturn(500, "etcd is sad").always();
    BackendResolver.Resolution during = resolver.resolve(virtualNode(null), first);

    // The same resolution: no new backend, so the agent is not asked to probe out of turn.
    assertThat(during).isSameAs(first);
  }

  @Test
  void aSecretThatCannotBeReadAtFirstIsATransientFailureThatStaysPut() {
    server.expect().get().withPath(SECRET_PATH).andReturn(500, "etcd is sad").times(2);

    BackendResolver.Resolution first = resolver.resolve(virtualNode(null), null);
    BackendResolver.Resolution second = resolver.resolve(virtualNode(null), first);

    assertThat(first.usable()).isFalse();
    assertThatThrownBy(() -> first.backend().get())
        .isInstanceOfSatisfying(
            AciException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(AciException.Kind.TRANSIENT);
              assertThat(e.code()).isEqualTo("CredentialsSecretUnreadable");
              assertThat(e.isActionable()).isFalse();
            });
    assertThat(second).as("reused while the cause stands").isSameAs(first);
  }

  @Test
  void aMissingSecretIsActionable() {
    server.expect().get().withPath(SECRET_PATH).andReturn(404, "").once();

    BackendResolver.Resolution resolution = resolver.resolve(virtualNode(null), null);

    assertThatThrownBy(() -> resolution.backend().get())
        .isInstanceOfSatisfying(
            AciException.class,
            e -> {
              assertThat(e.code()).isEqualTo("CredentialsSecretNotFound");
              assertThat(e.isActionable()).isTrue();
            });
  }

  @Test
  void anEndpointNobodyAllowedIsRefusedBeforeAnyCredentialIsRead() {
    BackendResolver.Resolution resolution =
        resolver.resolve(virtualNode("https://token-collector.example/"), null);

    assertThat(resolution.usable()).isFalse();
    assertThatThrownBy(() -> resolution.backend().get())
        .isInstanceOfSatisfying(
            AciException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ArmEndpointRefused");
              assertThat(e.isActionable()).isTrue();
              assertThat(e.getMessage()).contains("https://token-collector.example/");
            });
    assertThat(server.getRequestCount()).as("not even the Secret was read").isZero();
  }

  @Test
  void anEndpointTheOperatorAllowsIsUsed() {
    serveSecret("1");

    BackendResolver.Resolution resolution =
        resolver.resolve(virtualNode("https://127.0.0.1:8443"), null);

    assertThat(resolution.usable()).isTrue();
  }

  @Test
  void nodesWithTheSameCredentialsAndResourceGroupShareOneBackendAndNoOthersDo() {
    serveSecret("1", 3);
    VirtualNode other = virtualNode(null);
    other.getMetadata().setName("vn-2");
    VirtualNode elsewhere = virtualNode(null);
    elsewhere.getSpec().getAzure().setResourceGroup("rg-2");

    AciBackend one = resolver.resolve(virtualNode(null), null).backend().get();
    AciBackend two = resolver.resolve(other, null).backend().get();
    AciBackend three = resolver.resolve(elsewhere, null).backend().get();

    // Shared, so the observer's list made with it serves both nodes' probes.
    assertThat(two).isSameAs(one);
    assertThat(three).isNotSameAs(one);
  }

  @Test
  void aRotatedSecretGetsANewBackend() {
    serveSecret("1");
    AciBackend before = resolver.resolve(virtualNode(null), null).backend().get();
    serveSecret("2");
    AciBackend after = resolver.resolve(virtualNode(null), null).backend().get();

    assertThat(after).isNotSameAs(before);
  }

  private void serveSecret(String resourceVersion) {
    serveSecret(resourceVersion, 1);
  }

  private void serveSecret(String resourceVersion, int times) {
    server
        .expect()
        .get()
        .withPath(SECRET_PATH)
        .andReturn(
            200,
            new SecretBuilder()
                .withNewMetadata()
                .withName("creds")
                .withNamespace(NAMESPACE)
                .withResourceVersion(resourceVersion)
                .endMetadata()
                .addToStringData(
                    Map.of(
                        AzureCredentialFactory.TENANT_ID,
                        "11111111-1111-1111-1111-111111111111",
                        AzureCredentialFactory.CLIENT_ID,
                        "22222222-2222-2222-2222-222222222222",
                        AzureCredentialFactory.CLIENT_SECRET,
                        "not-a-real-secret"))
                .build())
        .times(times);
  }

  private static VirtualNode virtualNode(String endpoint) {
    return TestVirtualNodes.withSecretRef(
        "vn", "00000000-0000-0000-0000-000000000001", "rg", endpoint, "creds");
  }
}
