package io.github.acivirtualnode.aciemulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.resourcemanager.containerinstance.ContainerInstanceManager;
import com.azure.resourcemanager.containerinstance.models.ContainerExecResponse;
import com.azure.resourcemanager.containerinstance.models.ContainerGroup;
import com.azure.resourcemanager.containerinstance.models.ContainerGroupRestartPolicy;
import com.azure.resourcemanager.resources.fluentcore.utils.ResourceManagerUtils;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unmodified Azure SDK against the emulator over HTTPS. The SDK's HTTP client is
 * azure-core-http-jdk-httpclient, built from a java.net.http.HttpClient.Builder carrying an
 * SSLContext that trusts the emulator's CA (Netty is excluded from the test classpath).
 */
class AzureSdkIT {
  static final String TENANT = "72f988bf-0000-0000-0000-000000000001";
  static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
  static final String CLIENT_ID = "11111111-0000-0000-0000-000000000002";
  static final String SECRET = "s3cr3t-value";
  static final String RG = "rg-sdk";

  static AciEmulator emulator;
  static HttpClient httpClient;
  static ContainerInstanceManager manager;

  @BeforeAll
  static void start() {
    // Like the real service, the emulator sends no Retry-After on container-group operations, so
    // the SDK would poll at its default 30 s; shorten it as the Azure SDK's own tests do.
    ResourceManagerUtils.InternalRuntimeContext.setDelayProvider(delay -> Duration.ofMillis(200));
    emulator =
        AciEmulator.builder()
            .pageSize(2)
            .createBudget(100, 300)
            .requireAuthentication(true)
            .build()
            .start();
    emulator.addResourceGroup(SUBSCRIPTION, RG, "westeurope");
    emulator.addServicePrincipal(TENANT, CLIENT_ID, SECRET);
    httpClient =
        new JdkHttpClientBuilder(
                java.net.http.HttpClient.newBuilder().sslContext(emulator.sslContext()))
            .build();
    manager = manager(credential(SECRET), true);
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  static TokenCredential credential(String secret) {
    return new ClientSecretCredentialBuilder()
        .tenantId(TENANT)
        .clientId(CLIENT_ID)
        .clientSecret(secret)
        .authorityHost(emulator.authorityHost())
        .httpClient(httpClient)
        .build();
  }

  static ContainerInstanceManager manager(TokenCredential credential, boolean retries) {
    Map<String, String> endpoints = new java.util.HashMap<>(AzureEnvironment.AZURE.getEndpoints());
    endpoints.put("resourceManagerEndpointUrl", emulator.baseUrl());
    endpoints.put("managementEndpointUrl", emulator.baseUrl());
    endpoints.put("activeDirectoryEndpointUrl", emulator.authorityHost());
    AzureEnvironment environment = new AzureEnvironment(endpoints);
    ContainerInstanceManager.Configurable configurable =
        ContainerInstanceManager.configure().withHttpClient(httpClient);
    if (!retries) {
      configurable =
          configurable.withRetryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)));
    }
    return configurable.authenticate(
        credential, new AzureProfile(TENANT, SUBSCRIPTION, environment));
  }

  private static ContainerGroup create(
      ContainerInstanceManager manager, String name, String... command) {
    return manager
        .containerGroups()
        .define(name)
        .withRegion("westeurope")
        .withExistingResourceGroup(RG)
        .withLinux()
        .withPublicImageRegistryOnly()
        .withoutVolume()
        .defineContainerInstance("app")
        .withImage("busybox:1.36")
        .withExternalTcpPort(80)
        .withCpuCoreCount(1)
        .withMemorySizeInGB(1.5)
        .withStartingCommandLine(
            command[0], java.util.Arrays.copyOfRange(command, 1, command.length))
        .withEnvironmentVariables(Map.of("GREETING", "hello-from-env"))
        .withEnvironmentVariableWithSecuredValue(Map.of("TOKEN", "do-not-show"))
        .attach()
        .withRestartPolicy(ContainerGroupRestartPolicy.ALWAYS)
        // Without a DNS prefix the SDK marks an "external" port's address Private, which ACI
        // refuses outside a VNet (as the emulator does); the prefix makes it Public.
        .withDnsPrefix(name + "-dns")
        .create();
  }

  @Test
  void createPollGetListLogsExecDelete() throws Exception {
    ContainerGroup group =
        create(manager, "sdk-app", "sh", "-c", "echo started $GREETING; sleep 3600");
    assertThat(group.provisioningState()).isEqualTo("Succeeded");
    ContainerGroup running =
        Poll.until(
            () -> manager.containerGroups().getByResourceGroup(RG, "sdk-app"),
            g -> "Running".equals(g.containers().get("app").instanceView().currentState().state()),
            "container running");
    assertThat(running.state()).isEqualTo("Running");
    assertThat(running.ipAddress()).isNotBlank();
    assertThat(running.containers().get("app").environmentVariables())
        .anySatisfy(
            e -> {
              assertThat(e.name()).isEqualTo("TOKEN");
              assertThat(e.secureValue()).isNull();
            });

    create(manager, "sdk-two", "sleep", "3600");
    create(manager, "sdk-three", "sleep", "3600");
    // pageSize(2): three groups need a second page through nextLink.
    List<String> names =
        manager.containerGroups().listByResourceGroup(RG).stream()
            .map(ContainerGroup::name)
            .collect(Collectors.toList());
    assertThat(names).contains("sdk-app", "sdk-two", "sdk-three");
    assertThat(manager.containerGroups().list().stream().map(ContainerGroup::name))
        .contains("sdk-app", "sdk-two", "sdk-three");

    String logs =
        Poll.until(
            () -> running.getLogContent("app"), l -> l.contains("heartbeat"), "heartbeat in logs");
    assertThat(logs).startsWith("started hello-from-env\n");

    // ACI's exec launches one executable without arguments, in a terminal (CR LF).
    ContainerExecResponse exec = running.executeCommand("app", "printenv", 24, 80);
    assertThat(exec.webSocketUri()).startsWith("wss://");
    WebSocketSession session =
        WebSocketSession.open(emulator.sslContext(), exec.webSocketUri(), exec.password());
    assertThat(session.awaitClose()).isEqualTo(1000);
    assertThat(session.closeReason()).isEmpty();
    assertThat(session.output()).contains("GREETING=hello-from-env\r\n");

    ContainerExecResponse shell = running.executeCommand("app", "/bin/sh", 24, 80);
    WebSocketSession interactive =
        WebSocketSession.open(emulator.sslContext(), shell.webSocketUri(), shell.password());
    interactive.sendStdin("echo one && hostname\r");
    interactive.sendStdin("nosuchcmd; exit 3\r");
    assertThat(interactive.awaitClose()).isEqualTo(1000);
    assertThat(interactive.closeReason()).isEmpty();
    assertThat(interactive.output())
        .isEqualTo(
            "# echo one && hostname\r\none\r\nsdk-app\r\n# nosuchcmd; exit 3\r\n"
                + "sh: 1: nosuchcmd: not found\r\n");

    running.stop();
    assertThat(manager.containerGroups().getByResourceGroup(RG, "sdk-app").state())
        .isEqualTo("Stopped");
    // start and restart answer 204 with an Azure-AsyncOperation, as the service does. The SDK
    // (azure-core-management's PollingState) takes a 204 as synchronously done and does not poll
    // it: the group is still on its way when start() and restart() return.
    manager.containerGroups().start(RG, "sdk-app");
    assertThat(manager.containerGroups().getByResourceGroup(RG, "sdk-app").provisioningState())
        .isIn("Pending", "Succeeded");
    Poll.until(
        () -> manager.containerGroups().getByResourceGroup(RG, "sdk-app").provisioningState(),
        "Succeeded"::equals,
        "started");
    running.restart();
    assertThat(manager.containerGroups().getByResourceGroup(RG, "sdk-app").provisioningState())
        .isIn("Updating", "Succeeded");
    ContainerGroup restarted =
        Poll.until(
            () -> manager.containerGroups().getByResourceGroup(RG, "sdk-app"),
            g -> "Succeeded".equals(g.provisioningState()) && "Running".equals(g.state()),
            "restarted");
    assertThat(restarted.containers().get("app").instanceView().currentState().state())
        .isEqualTo("Running");

    for (String name : List.of("sdk-app", "sdk-two", "sdk-three")) {
      manager.containerGroups().deleteByResourceGroup(RG, name);
    }
    assertThat(manager.containerGroups().listByResourceGroup(RG).stream().count()).isZero();
  }

  @Test
  void invalidNameAndUnknownResourceGroupAreRejected() {
    assertThatThrownBy(() -> create(manager, "Bad_Name", "sleep", "1"))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> {
              assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
              assertThat(e.getValue().getCode()).isEqualTo("InvalidContainerGroupName");
            });
    assertThatThrownBy(() -> manager.containerGroups().getByResourceGroup("no-such-rg", "x"))
        .isInstanceOfSatisfying(
            ManagementException.class,
            e -> {
              assertThat(e.getResponse().getStatusCode()).isEqualTo(404);
              assertThat(e.getValue().getCode()).isEqualTo("ResourceGroupNotFound");
            });
  }

  @Test
  void wrongClientSecretIsRefused() {
    ContainerInstanceManager wrong = manager(credential("wrong-secret"), false);
    assertThatThrownBy(() -> wrong.containerGroups().listByResourceGroup(RG).stream().count())
        // MSAL reports the refusal as its MsalServiceException, as against the real endpoint.
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("AADSTS7000215");
  }

  @Test
  void throttledCreatesAnswer429WithRetryAfter() {
    try (AciEmulator small = AciEmulator.builder().createBudget(2, 300).build().start()) {
      small.addResourceGroup(SUBSCRIPTION, RG, "westeurope");
      small.addServicePrincipal(TENANT, CLIENT_ID, SECRET);
      AciEmulator previous = emulator;
      emulator = small;
      try {
        HttpClient client =
            new JdkHttpClientBuilder(
                    java.net.http.HttpClient.newBuilder().sslContext(small.sslContext()))
                .build();
        HttpClient saved = httpClient;
        httpClient = client;
        try {
          ContainerInstanceManager noRetries = manager(credential(SECRET), false);
          create(noRetries, "t-one", "sleep", "60");
          create(noRetries, "t-two", "sleep", "60");
          assertThatThrownBy(() -> create(noRetries, "t-three", "sleep", "60"))
              .isInstanceOfSatisfying(
                  ManagementException.class,
                  e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(429);
                    assertThat(e.getValue().getCode()).isEqualTo("SubscriptionRequestsThrottled");
                    assertThat(
                            Long.parseLong(
                                e.getResponse().getHeaders().getValue(HttpHeaderName.RETRY_AFTER)))
                        .isPositive();
                    assertThat(
                            e.getResponse()
                                .getHeaders()
                                .getValue(
                                    HttpHeaderName.fromString(
                                        "x-ms-ratelimit-remaining-subscription-resource-requests-pt5m")))
                        .isEqualTo("0");
                  });
        } finally {
          httpClient = saved;
        }
      } finally {
        emulator = previous;
      }
    }
  }
}
