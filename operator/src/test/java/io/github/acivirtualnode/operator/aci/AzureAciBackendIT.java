package io.github.acivirtualnode.operator.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.resourcemanager.containerinstance.fluent.models.ContainerGroupInner;
import com.azure.resourcemanager.containerinstance.models.Container;
import com.azure.resourcemanager.containerinstance.models.OperatingSystemTypes;
import com.azure.resourcemanager.containerinstance.models.ResourceRequests;
import com.azure.resourcemanager.containerinstance.models.ResourceRequirements;
import io.github.acivirtualnode.aciemulator.AciEmulator;
import io.github.acivirtualnode.api.v1alpha1.AzureCredentials;
import io.github.acivirtualnode.api.v1alpha1.AzureSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The production backend, token credential included, against the ACI emulator over HTTPS. */
class AzureAciBackendIT {
  private static final String SUBSCRIPTION = "00000000-0000-0000-0000-0000000000bb";
  private static final String TENANT = "66666666-6666-6666-6666-666666666666";
  private static final String CLIENT_ID = "77777777-7777-7777-7777-777777777777";
  private static final String SECRET = "backend-it-secret";

  private AciEmulator emulator;

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  private AciBackendFactory start(AciEmulator.Builder builder) {
    emulator = builder.requireAuthentication(true).build().start();
    emulator.addResourceGroup(SUBSCRIPTION, "rg-a", "westeurope");
    emulator.addResourceGroup(SUBSCRIPTION, "rg-b", "westeurope");
    emulator.addServicePrincipal(TENANT, CLIENT_ID, SECRET);
    HttpClient http =
        new JdkHttpClientBuilder(
                java.net.http.HttpClient.newBuilder().sslContext(emulator.sslContext()))
            .build();
    return new AciBackendFactory(http, new SimpleMeterRegistry(), emulator.authorityHost());
  }

  private AciBackend backend(AciBackendFactory factory, String resourceGroup, String secret) {
    AzureSettings azure = new AzureSettings();
    azure.setSubscriptionId(SUBSCRIPTION);
    azure.setResourceGroup(resourceGroup);
    azure.setRegion("westeurope");
    azure.setEndpoint(emulator.baseUrl());
    AzureCredentials credentials = new AzureCredentials();
    credentials.setSecretRef(new AzureCredentials.SecretReference());
    azure.setCredentials(credentials);
    AzureCredentialFactory tokens =
        new AzureCredentialFactory(
            factory.httpClient(), emulator.authorityHost(), new ConfigurationBuilder().build());
    return factory.create(
        azure,
        tokens.create(
            credentials,
            Map.of(
                AzureCredentialFactory.TENANT_ID, TENANT,
                AzureCredentialFactory.CLIENT_ID, CLIENT_ID,
                AzureCredentialFactory.CLIENT_SECRET, secret)));
  }

  @Test
  void createReturnsBeforeTheGroupIsProvisionedThenLogsExecAndDeleteWork() {
    // The emulator's time moves only when the test moves it: no race with provisioning.
    MutableClock clock = new MutableClock(java.time.Instant.now());
    AciBackendFactory factory = start(AciEmulator.builder().clock(clock));
    AciBackend aci = backend(factory, "rg-a", SECRET);

    aci.create("cg-one", group("echo hello from aci; sleep 3600"));

    // The long-running operation is not awaited: the group is still on its way.
    ContainerGroupInner fresh = aci.get("cg-one").orElseThrow();
    assertThat(fresh.provisioningState()).isEqualTo("Pending");
    assertThat(aci.list()).extracting(ContainerGroupInner::name).contains("cg-one");

    clock.advance(Duration.ofMinutes(5));
    ContainerGroupInner done = aci.get("cg-one").orElseThrow();
    assertThat(done.provisioningState()).isEqualTo("Succeeded");
    assertThat(done.tags()).containsEntry("purpose", "it");
    assertThat(aci.logs("cg-one", "main", null, false)).contains("hello from aci");
    AciBackend.ExecSession exec = aci.exec("cg-one", "main", "echo hi", 24, 80);
    assertThat(exec.webSocketUri()).startsWith("wss://");
    assertThat(exec.password()).isNotBlank();

    aci.delete("cg-one");
    assertThat(aci.get("cg-one")).isEmpty();
    aci.delete("cg-one"); // already gone: not an error
    aci.list();
  }

  @Test
  void errorsAreTyped() {
    AciBackendFactory factory = start(AciEmulator.builder());
    AciBackend aci = backend(factory, "rg-a", SECRET);

    assertThatThrownBy(() -> aci.create("Bad_Name", group("true")))
        .isInstanceOfSatisfying(
            AciException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(AciException.Kind.INVALID_REQUEST);
              assertThat(e.code()).isNotBlank();
            });
    assertThatThrownBy(() -> backend(factory, "rg-missing", SECRET).list())
        .isInstanceOfSatisfying(
            AciException.class,
            e -> {
              assertThat(e.code()).isEqualTo("ResourceGroupNotFound");
              assertThat(e.isActionable()).isTrue();
            });
    assertThatThrownBy(() -> backend(factory, "rg-a", "wrong").list())
        .isInstanceOfSatisfying(
            AciException.class,
            e -> assertThat(e.kind()).isEqualTo(AciException.Kind.AUTHENTICATION));
    emulator.outage(Duration.ofSeconds(30));
    assertThatThrownBy(aci::list)
        .isInstanceOfSatisfying(
            AciException.class, e -> assertThat(e.kind()).isEqualTo(AciException.Kind.TRANSIENT));
  }

  @Test
  void aThrottledSubscriptionHoldsBackEveryBackendOfThatSubscription() {
    AciBackendFactory factory = start(AciEmulator.builder().createBudget(2, 300));
    AciBackend first = backend(factory, "rg-a", SECRET);
    AciBackend second = backend(factory, "rg-b", SECRET);
    first.create("cg-1", group("true"));
    first.create("cg-2", group("true"));

    // ACI refuses the third create with 429 and Retry-After ...
    assertThatThrownBy(() -> first.create("cg-3", group("true")))
        .isInstanceOfSatisfying(
            AciException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(AciException.Kind.THROTTLED);
              assertThat(e.retryAfter()).isPresent();
            });
    // ... and the other node of the subscription does not even ask until it has passed.
    assertThatThrownBy(() -> second.create("cg-4", group("true")))
        .isInstanceOfSatisfying(
            AciException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(AciException.Kind.THROTTLED);
              assertThat(e.code()).isEqualTo("OperatorThrottled");
            });
    // Reads are a budget of their own.
    assertThat(second.list()).isEmpty();
  }

  private static ContainerGroupInner group(String command) {
    return new ContainerGroupInner()
        .withLocation("westeurope")
        .withOsType(OperatingSystemTypes.LINUX)
        .withTags(Map.of("purpose", "it"))
        .withContainers(
            List.of(
                new Container()
                    .withName("main")
                    .withImage("busybox")
                    .withCommand(List.of("sh", "-c", command))
                    .withResources(
                        new ResourceRequirements()
                            .withRequests(
                                new ResourceRequests().withCpu(1.0).withMemoryInGB(1.5)))));
  }
}
