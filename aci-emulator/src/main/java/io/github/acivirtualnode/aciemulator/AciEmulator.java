package io.github.acivirtualnode.aciemulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupRecord;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupValidator;
import io.github.acivirtualnode.aciemulator.model.ContainerGroupView;
import io.github.acivirtualnode.aciemulator.model.ContainerStatus;
import io.github.acivirtualnode.aciemulator.model.EmulatorTimings;
import io.github.acivirtualnode.aciemulator.model.Regions;
import io.github.acivirtualnode.aciemulator.model.RequestBudgets;
import io.github.acivirtualnode.aciemulator.model.SecretProperties;
import io.github.acivirtualnode.pki.CertificateAuthority;
import io.github.acivirtualnode.pki.IssuedCertificate;
import io.javalin.Javalin;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * An HTTPS server that behaves like the Microsoft.ContainerInstance part of Azure Resource Manager
 * and like the Microsoft Entra ID token endpoint, closely enough for the unmodified Azure SDK.
 *
 * <pre>{@code
 * try (AciEmulator emulator = AciEmulator.builder().build()) {
 *   emulator.start();
 *   emulator.addResourceGroup(subscription, "rg", "westeurope");
 *   emulator.addServicePrincipal(tenant, clientId, secret);
 *   // point the SDK at emulator.baseUrl() and azure-identity at emulator.authorityHost()
 * }
 * }</pre>
 */
public final class AciEmulator implements AutoCloseable {
  private static final char[] KEY_PASSWORD = "aci-emulator".toCharArray();

  private final Builder config;
  private final Clock clock;
  private final EmulatorState state = new EmulatorState();
  private final FaultInjector faults;
  private final RequestBudgets budgets;
  private final ArmRequestCounts requests = new ArmRequestCounts();
  private final CertificateAuthority ca;
  private final ScheduledExecutorService scheduler;
  private Javalin app;
  private volatile StandbyPoolsApi standbyPools;
  private volatile StreamingSessions sessions;
  private Path caFile;
  private int port;
  private int plainPort = -1;

  private AciEmulator(Builder config) {
    this.config = config;
    this.clock = config.clock;
    this.faults = new FaultInjector(clock, config.seed);
    this.budgets = new RequestBudgets(clock, config.budgets);
    this.ca = CertificateAuthority.create("aci-emulator CA");
    this.scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "aci-emulator-streams");
              t.setDaemon(true);
              return t;
            });
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the server; {@link #baseUrl()} is valid afterwards. */
  public synchronized AciEmulator start() {
    if (app != null) {
      return this;
    }
    // Read the published spec now: what it marks x-ms-secret is withheld from every answer.
    SecretProperties.containerGroup();
    IssuedCertificate server =
        ca.issueServer(
            "aci-emulator",
            Stream.concat(Stream.of("localhost", config.host), config.extraServerNames.stream())
                .distinct()
                .toList(),
            config.host.matches("[0-9.]+")
                ? List.of(config.host, "127.0.0.1")
                : List.of("127.0.0.1"));
    KeyStore keyStore = server.keyStore(KEY_PASSWORD);
    try {
      caFile =
          config.caFile != null ? config.caFile : Files.createTempFile("aci-emulator-ca", ".pem");
      Files.writeString(caFile, ca.certificatePem(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sessions = new StreamingSessions(state, clock, config.timings, scheduler);
    ArmApi arm =
        new ArmApi(
            this,
            state,
            clock,
            config.timings,
            new ContainerGroupValidator(config.limits),
            budgets,
            faults,
            sessions,
            requests,
            config);
    EntraApi entra = new EntraApi(this, state, clock);
    AdminApi admin = new AdminApi(this);
    app =
        Javalin.create(
            javalin -> {
              javalin.showJavalinBanner = false;
              javalin.startupWatcherEnabled = false;
              javalin.router.caseInsensitiveRoutes = true;
              javalin.router.ignoreTrailingSlashes = true;
              javalin.jetty.addConnector(
                  (jetty, httpConfig) -> {
                    SslContextFactory.Server ssl = new SslContextFactory.Server();
                    ssl.setKeyStore(keyStore);
                    ssl.setKeyStorePassword(new String(KEY_PASSWORD));
                    HttpConfiguration https = new HttpConfiguration(httpConfig);
                    // The certificate names 127.0.0.1; Jetty's SNI host check would refuse IPs.
                    SecureRequestCustomizer customizer = new SecureRequestCustomizer();
                    customizer.setSniHostCheck(false);
                    https.addCustomizer(customizer);
                    ServerConnector connector =
                        new ServerConnector(
                            jetty,
                            new SslConnectionFactory(ssl, "http/1.1"),
                            new HttpConnectionFactory(https));
                    connector.setHost(config.host);
                    connector.setPort(config.port);
                    return connector;
                  });
              if (config.plainHttpPort >= 0) {
                javalin.jetty.addConnector(
                    (jetty, httpConfig) -> {
                      ServerConnector plain =
                          new ServerConnector(jetty, new HttpConnectionFactory(httpConfig));
                      plain.setHost(config.host);
                      plain.setPort(config.plainHttpPort);
                      return plain;
                    });
              }
              javalin.router.mount(
                  routes -> {
                    entra.register(routes);
                    admin.register(routes);
                    sessions.register(routes);
                    arm.register(routes);
                    // Whatever slips through still answers in ARM's error shape.
                    routes.exception(
                        NotFoundResponse.class,
                        (e, ctx) ->
                            ArmApi.error(
                                ctx,
                                404,
                                "NotFound",
                                "No such resource or operation: "
                                    + ctx.method()
                                    + " "
                                    + ctx.path()));
                    routes.exception(
                        IllegalArgumentException.class,
                        (e, ctx) ->
                            ArmApi.error(ctx, 400, "InvalidRequestContent", e.getMessage()));
                    routes.exception(
                        Exception.class,
                        (e, ctx) ->
                            ArmApi.error(ctx, 500, "InternalServerError", "Emulator error: " + e));
                  });
            });
    app.start();
    for (var connector : app.jettyServer().server().getConnectors()) {
      ServerConnector c = (ServerConnector) connector;
      if (c.getDefaultConnectionFactory() instanceof SslConnectionFactory) {
        port = c.getLocalPort();
      } else {
        plainPort = c.getLocalPort();
      }
    }
    return this;
  }

  /** Stops the server and deletes the CA file it wrote (unless the caller chose the path). */
  @Override
  public synchronized void close() {
    if (app != null) {
      app.stop();
      app = null;
    }
    scheduler.shutdownNow();
    if (caFile != null && config.caFile == null) {
      try {
        Files.deleteIfExists(caFile);
      } catch (IOException e) {
        // A leftover temp file is harmless.
      }
    }
  }

  /** The ARM endpoint, for example {@code https://127.0.0.1:8443/}. */
  public String baseUrl() {
    return "https://" + config.host + ":" + port + "/";
  }

  /** The Entra ID authority host for azure-identity's {@code authorityHost(...)}. */
  public String authorityHost() {
    return baseUrl();
  }

  /**
   * The managed-identity endpoint (App Service style, for IDENTITY_ENDPOINT); requests must carry
   * {@link #managedIdentityHeader()} in X-IDENTITY-HEADER.
   */
  public String managedIdentityEndpoint() {
    return baseUrl() + "_emulator/msi/token";
  }

  public String managedIdentityHeader() {
    return config.managedIdentityHeader;
  }

  public int port() {
    return port;
  }

  /** The ARM endpoint over plain HTTP, when {@link Builder#plainHttpPort} asked for one. */
  public String plainBaseUrl() {
    if (plainPort < 0) {
      throw new IllegalStateException("no plain HTTP listener: see Builder.plainHttpPort");
    }
    return "http://" + config.host + ":" + plainPort + "/";
  }

  public String caCertificatePem() {
    return ca.certificatePem();
  }

  public Path caCertificateFile() {
    return caFile;
  }

  /** A trust store holding the emulator's CA, for JDK TLS clients. */
  public KeyStore trustStore() {
    return ca.trustStore();
  }

  /** An SSLContext trusting the emulator (and nothing else). */
  public javax.net.ssl.SSLContext sslContext() {
    try {
      javax.net.ssl.TrustManagerFactory tmf =
          javax.net.ssl.TrustManagerFactory.getInstance(
              javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore());
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public AciEmulator addResourceGroup(String subscriptionId, String name, String location) {
    state.putResourceGroup(new EmulatorState.ResourceGroup(subscriptionId, name, location));
    return this;
  }

  /** Makes a subscription known without a resource group (a resource group adds its own). */
  public AciEmulator addSubscription(String subscriptionId) {
    state.subscriptions.add(EmulatorState.key(subscriptionId));
    return this;
  }

  public AciEmulator addServicePrincipal(String tenantId, String clientId, String secret) {
    state.principals.put(
        EmulatorState.key(tenantId, clientId),
        new EmulatorState.ServicePrincipal(tenantId, clientId, secret));
    return this;
  }

  /**
   * Registers a client that may sign in with a client assertion (workload identity federation); any
   * well-formed, unexpired JWT whose subject is not empty is accepted for it.
   */
  public AciEmulator addFederatedIdentity(String tenantId, String clientId) {
    state.federatedClients.put(EmulatorState.key(tenantId, clientId), clientId);
    return this;
  }

  /** Injects failures into one operation (REST operationId, or "*"). */
  public AciEmulator injectFaults(
      String operation, double errorRate, int status, Duration latency) {
    faults.set(operation, new FaultInjector.Rule(errorRate, status, latency));
    return this;
  }

  /** Every ARM call fails with 503 for the given time. */
  public AciEmulator outage(Duration duration) {
    faults.outage(duration);
    return this;
  }

  /** Removes a container group out of band (as if someone deleted it in the portal). */
  public boolean vanish(String subscriptionId, String resourceGroup, String name) {
    return state.groups.remove(EmulatorState.key(subscriptionId, resourceGroup, name)) != null;
  }

  /** What {@link #evict} did. */
  public enum Eviction {
    EVICTED,
    NO_SUCH_GROUP,
    NOT_SPOT
  }

  /**
   * Evicts a Spot group now, as ACI does when Azure takes the capacity back: the group is
   * deallocated (Stopped) with a Warning group event saying why. Only a group that asked for {@code
   * priority: Spot} can be evicted.
   */
  public Eviction evict(String subscriptionId, String resourceGroup, String group) {
    ContainerGroupRecord record = state.group(subscriptionId, resourceGroup, group);
    if (record == null) {
      return Eviction.NO_SUCH_GROUP;
    }
    if (!record.spot()) {
      return Eviction.NOT_SPOT;
    }
    record.evict(clock.instant());
    return Eviction.EVICTED;
  }

  /** Kills a container now with an exit code; its restart policy decides what happens next. */
  public boolean killContainer(
      String subscriptionId, String resourceGroup, String group, String container, int exitCode) {
    ContainerGroupRecord record = state.group(subscriptionId, resourceGroup, group);
    if (record == null) {
      return false;
    }
    record.kill(container, clock.instant(), exitCode);
    return true;
  }

  void standbyPools(StandbyPoolsApi pools) {
    this.standbyPools = pools;
  }

  /**
   * Controls a standby pool: {@code fill} (every instance provisioned now), {@code drain} (every
   * instance gone, refilling from now), {@code pause} or {@code resume} refilling.
   *
   * @return false when there is no such pool
   */
  public boolean standbyPool(
      String subscriptionId, String resourceGroup, String name, String action) {
    if (standbyPools == null) {
      throw new IllegalStateException("not started");
    }
    return standbyPools.admin(subscriptionId, resourceGroup, name, action);
  }

  /**
   * Every ARM request answered since the start (or the last {@link #reset()}), counted by
   * operation, resource and status, in a stable order.
   */
  public List<ArmRequestCount> armRequests() {
    return requests.snapshot();
  }

  /**
   * Every exec request accepted since the start (or the last {@link #reset()}), oldest first: the
   * command ACI was asked to run and the terminal size it was asked for.
   */
  public List<ExecRequest> execRequests() {
    if (sessions == null) {
      throw new IllegalStateException("not started");
    }
    return sessions.execRequests();
  }

  /**
   * Every container group with its tags, read in-process: neither an ARM request (not counted, no
   * faults, no budget) nor affected by an outage, so a test can sample it continuously.
   */
  public List<EmulatedGroup> groups() {
    List<EmulatedGroup> out = new ArrayList<>();
    for (ContainerGroupRecord record : state.groups.values()) {
      Map<String, String> tags = new HashMap<>();
      record
          .spec()
          .path("tags")
          .properties()
          .forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
      out.add(
          new EmulatedGroup(record.subscriptionId(), record.resourceGroup(), record.name(), tags));
    }
    return out;
  }

  /**
   * When each container group's PUT arrived and since when ACI reports it Running, read in-process
   * as {@link #groups()}: what a benchmark measures the operator's latencies against.
   */
  public List<GroupTimes> groupTimes() {
    Instant now = clock.instant();
    List<GroupTimes> out = new ArrayList<>();
    for (ContainerGroupRecord record : state.groups.values()) {
      ContainerGroupView view = new ContainerGroupView(record, now, config.timings);
      out.add(
          new GroupTimes(
              record.subscriptionId(),
              record.resourceGroup(),
              record.name(),
              tags(record),
              record.putAt(),
              containersRunningSince(view),
              runningSince(view, config.timings)));
    }
    return out;
  }

  /**
   * The moment the group's instance view turned Running: once it is placed and every container has
   * started (the provisioning state turns Succeeded then); null while it is not Running.
   */
  private static Instant runningSince(ContainerGroupView view, EmulatorTimings timings) {
    if (!"Running".equals(view.groupState())) {
      return null;
    }
    ContainerGroupRecord record = view.record();
    Instant since = record.provisioningStart().plus(timings.pending()).plus(timings.creating());
    for (ContainerStatus status : view.containerStatuses().values()) {
      if (!status.runs().isEmpty() && status.runs().get(0).start().isAfter(since)) {
        since = status.runs().get(0).start();
      }
    }
    return since;
  }

  /** When the last of the containers started its current run; null while one is not running. */
  private static Instant containersRunningSince(ContainerGroupView view) {
    Instant since = null;
    for (ContainerStatus status : view.containerStatuses().values()) {
      ContainerStatus.Run last =
          status.runs().isEmpty() ? null : status.runs().get(status.runs().size() - 1);
      if (last == null || last.end() != null || view.stopped()) {
        return null;
      }
      Instant start = last.start();
      if (since == null || start.isAfter(since)) {
        since = start;
      }
    }
    return since;
  }

  private static Map<String, String> tags(ContainerGroupRecord record) {
    Map<String, String> tags = new HashMap<>();
    record
        .spec()
        .path("tags")
        .properties()
        .forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
    return tags;
  }

  /**
   * A container group's volumes as they were stored, secret volume contents included (ARM never
   * returns those), or empty when there is no such group: what a test checks reached ACI. Read
   * in-process, as {@link #groups()}.
   */
  public Optional<JsonNode> storedVolumes(
      String subscriptionId, String resourceGroup, String name) {
    ContainerGroupRecord record = state.group(subscriptionId, resourceGroup, name);
    return record == null
        ? Optional.empty()
        : Optional.of(record.spec().path("properties").path("volumes").deepCopy());
  }

  /**
   * How many requests of that kind a subscription budget refused (429 {@code
   * SubscriptionRequestsThrottled}) since the start or the last {@link #reset()}; injected 429
   * faults are not counted here.
   */
  public long budgetRefusals(RequestBudgets.Kind kind) {
    return budgets.refusals(kind);
  }

  /** An {@code az container list -o table} style listing of every container group. */
  public String table() {
    return ContainerGroupTable.render(
        new ArrayList<>(state.groups.values()), clock.instant(), config.timings);
  }

  /**
   * Back to a clean state: container groups, profiles, standby pools, operations, faults,
   * throttling budgets, request counts, exec requests and issued tokens are dropped; resource
   * groups and identities stay.
   */
  public void reset() {
    state.clearContainerGroups();
    state.issuedTokens.clear();
    faults.reset();
    budgets.reset();
    requests.reset();
    if (sessions != null) {
      sessions.resetExecRequests();
    }
  }

  Builder config() {
    return config;
  }

  /** Settings; every one has a default that suits tests. */
  public static final class Builder {
    String host = "127.0.0.1";
    int port;

    /** -1: no plain HTTP listener. */
    int plainHttpPort = -1;

    Path caFile;
    Clock clock = Clock.systemUTC();
    EmulatorTimings timings = EmulatorTimings.fast();
    ContainerGroupValidator.Limits limits = ContainerGroupValidator.Limits.defaults();
    Map<RequestBudgets.Kind, List<RequestBudgets.Limit>> budgets =
        new EnumMap<>(RequestBudgets.defaults());
    Duration shortWindow = Duration.ofMinutes(5);
    int pageSize = 100;
    boolean requireAuthentication;
    double regionalCoreQuota = 100;
    List<String> regions = Regions.CONTAINER_INSTANCE;
    int regionalContainerGroupQuota = 100;
    String managedIdentityHeader = "aci-emulator-identity-header";
    long seed = 42;
    List<String> extraServerNames = List.of();

    private Builder() {}

    /**
     * More DNS names for the server certificate, besides localhost and the host: for a client that
     * only calls a fixed host (such as {@code management.azure.com}) and reaches the emulator
     * through a proxy that tunnels that name to it.
     */
    public Builder extraServerNames(List<String> dnsNames) {
      this.extraServerNames = List.copyOf(dnsNames);
      return this;
    }

    /** Interface to bind; loopback by default (see README, safety model). */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** Port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Also listen on plain HTTP (0 picks a free port), for clients that cannot be given a CA.
     * Answers there carry http:// and ws:// URLs.
     */
    public Builder plainHttpPort(int plainHttpPort) {
      this.plainHttpPort = plainHttpPort;
      return this;
    }

    /** Where to write the CA certificate PEM; a temp file by default. */
    public Builder caFile(Path caFile) {
      this.caFile = caFile;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder timings(EmulatorTimings timings) {
      this.timings = timings;
      return this;
    }

    public Builder limits(ContainerGroupValidator.Limits limits) {
      this.limits = limits;
      return this;
    }

    /** Create budgets per subscription, for example 100 per 5 minutes and 300 per hour. */
    public Builder createBudget(int perFiveMinutes, int perHour) {
      budgets.put(RequestBudgets.Kind.CREATE, aciBudget(perFiveMinutes, perHour, shortWindow));
      return this;
    }

    public Builder deleteBudget(int perFiveMinutes, int perHour) {
      budgets.put(RequestBudgets.Kind.DELETE, aciBudget(perFiveMinutes, perHour, shortWindow));
      return this;
    }

    /**
     * The length of the create and delete budgets' short window (ACI's is 5 minutes, and the
     * headers keep saying pt5m). Shorter only so that tests which exhaust a budget need not wait 5
     * minutes for it to refill; call it before {@link #createBudget} and {@link #deleteBudget}.
     */
    public Builder budgetWindow(Duration window) {
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("the budget window must be positive: " + window);
      }
      this.shortWindow = window;
      return this;
    }

    public Builder readBudget(int perHour) {
      budgets.put(
          RequestBudgets.Kind.READ,
          List.of(
              new RequestBudgets.Limit(
                  perHour, Duration.ofHours(1), "x-ms-ratelimit-remaining-subscription-reads")));
      return this;
    }

    /** Items per page of list answers; more come through nextLink. */
    public Builder pageSize(int pageSize) {
      this.pageSize = pageSize;
      return this;
    }

    /** Only bearer tokens this emulator issued are accepted on ARM calls. */
    public Builder requireAuthentication(boolean require) {
      this.requireAuthentication = require;
      return this;
    }

    /** Regional quotas per subscription: cores and container groups. */
    /**
     * The regions (display names, for example {@code West Europe}) the provider lists for its
     * resource types; default {@link Regions#CONTAINER_INSTANCE}.
     */
    public Builder regions(List<String> displayNames) {
      this.regions = List.copyOf(displayNames);
      return this;
    }

    public Builder regionalQuota(double cores, int containerGroups) {
      this.regionalCoreQuota = cores;
      this.regionalContainerGroupQuota = containerGroups;
      return this;
    }

    public Builder managedIdentityHeader(String header) {
      this.managedIdentityHeader = header;
      return this;
    }

    /** Seed of the fault injector's random numbers, for reproducible error sequences. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public AciEmulator build() {
      return new AciEmulator(this);
    }

    static List<RequestBudgets.Limit> aciBudget(int perFiveMinutes, int perHour, Duration window) {
      return List.of(
          new RequestBudgets.Limit(
              perFiveMinutes,
              window,
              "x-ms-ratelimit-remaining-subscription-resource-requests-pt5m"),
          new RequestBudgets.Limit(
              perHour,
              Duration.ofHours(1),
              "x-ms-ratelimit-remaining-subscription-resource-requests-pt1h"));
    }
  }
}
