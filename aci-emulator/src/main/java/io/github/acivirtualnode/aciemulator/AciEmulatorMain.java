package io.github.acivirtualnode.aciemulator;

import io.github.acivirtualnode.aciemulator.model.EmulatorTimings;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator standalone. Settings come from system properties or environment variables:
 * {@code aci.emulator.port} / ACI_EMULATOR_PORT (default 8443), {@code aci.emulator.host} /
 * ACI_EMULATOR_HOST (127.0.0.1), {@code aci.emulator.caFile} / ACI_EMULATOR_CA_FILE, {@code
 * aci.emulator.timings} / ACI_EMULATOR_TIMINGS (fast or realistic), and a demo identity {@code
 * aci.emulator.subscription}, {@code .resourceGroup}, {@code .location}, {@code .tenant}, {@code
 * .clientId}, {@code .clientSecret}.
 */
public final class AciEmulatorMain {
  private AciEmulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    String caFile =
        setting(
            "caFile",
            "CA_FILE",
            Path.of(System.getProperty("java.io.tmpdir"), "aci-emulator-ca.pem").toString());
    String plainPort = setting("plainHttpPort", "PLAIN_HTTP_PORT", "");
    AciEmulator.Builder builder = AciEmulator.builder();
    if (!plainPort.isBlank()) {
      builder.plainHttpPort(Integer.parseInt(plainPort));
    }
    AciEmulator emulator =
        builder
            .host(setting("host", "HOST", "127.0.0.1"))
            .port(Integer.parseInt(setting("port", "PORT", "8443")))
            .caFile(Path.of(caFile).toAbsolutePath())
            .timings(
                setting("timings", "TIMINGS", "fast").equals("realistic")
                    ? EmulatorTimings.realistic()
                    : EmulatorTimings.fast())
            .build();
    emulator.start();
    String subscription =
        setting("subscription", "SUBSCRIPTION", "00000000-0000-0000-0000-000000000000");
    String resourceGroup = setting("resourceGroup", "RESOURCE_GROUP", "demo");
    String location = setting("location", "LOCATION", "westeurope");
    String tenant = setting("tenant", "TENANT", "00000000-0000-0000-0000-00000000000a");
    String clientId = setting("clientId", "CLIENT_ID", "00000000-0000-0000-0000-00000000000c");
    String secret = setting("clientSecret", "CLIENT_SECRET", "emulator-secret");
    emulator.addResourceGroup(subscription, resourceGroup, location);
    emulator.addServicePrincipal(tenant, clientId, secret);
    emulator.addFederatedIdentity(tenant, clientId);
    System.out.println("ACI emulator listening");
    System.out.println("  ARM endpoint:    " + emulator.baseUrl());
    if (!plainPort.isBlank()) {
      System.out.println("  Plain HTTP:      " + emulator.plainBaseUrl());
    }
    System.out.println("  Authority host:  " + emulator.authorityHost());
    System.out.println("  CA certificate:  " + emulator.caCertificateFile());
    System.out.println(
        "  Subscription:    "
            + subscription
            + " (resource group "
            + resourceGroup
            + ", "
            + location
            + ")");
    System.out.println(
        "  Service principal: tenant " + tenant + ", client " + clientId + ", secret " + secret);
    System.out.println(
        "  Table:           curl --cacert "
            + emulator.caCertificateFile()
            + " "
            + emulator.baseUrl()
            + "_emulator/table");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  emulator.close();
                  stopped.countDown();
                }));
    stopped.await();
  }

  private static String setting(String property, String env, String fallback) {
    String value = System.getProperty("aci.emulator." + property);
    if (value == null) {
      value = System.getenv("ACI_EMULATOR_" + env);
    }
    return value == null ? fallback : value;
  }
}
