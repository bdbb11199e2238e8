package io.github.acivirtualnode.aciemulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.UUID;

/**
 * The parts of Microsoft Entra ID that azure-identity uses: the v2.0 token endpoint (client secret
 * and client assertion), OpenID metadata, instance discovery, and an App Service style
 * managed-identity endpoint. Tokens are opaque to clients; the emulator remembers them so ARM can
 * check them when authentication is required.
 */
final class EntraApi {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int LIFETIME_SECONDS = 3599;

  private final AciEmulator emulator;
  private final EmulatorState state;
  private final Clock clock;

  EntraApi(AciEmulator emulator, EmulatorState state, Clock clock) {
    this.emulator = emulator;
    this.state = state;
    this.clock = clock;
  }

  void register(JavalinDefaultRouting r) {
    r.post("/{tenant}/oauth2/v2.0/token", this::token);
    r.get("/{tenant}/v2.0/.well-known/openid-configuration", this::openIdConfiguration);
    r.get("/common/discovery/instance", this::instanceDiscovery);
    r.get("/_emulator/msi/token", this::managedIdentity);
  }

  private void token(Context ctx) {
    String tenant = ctx.pathParam("tenant");
    String grant = ctx.formParam("grant_type");
    String clientId = ctx.formParam("client_id");
    if (!"client_credentials".equals(grant)) {
      oauthError(
          ctx,
          400,
          "unsupported_grant_type",
          70003,
          "The app requested an unsupported grant type '" + grant + "'.");
      return;
    }
    if (clientId == null || clientId.isBlank()) {
      oauthError(
          ctx,
          400,
          "invalid_request",
          900144,
          "The request body must contain the following parameter: 'client_id'.");
      return;
    }
    String assertion = ctx.formParam("client_assertion");
    if (assertion != null) {
      if (!state.federatedClients.containsKey(EmulatorState.key(tenant, clientId))) {
        unknownClient(ctx, tenant, clientId);
        return;
      }
      if (!validAssertion(assertion)) {
        oauthError(
            ctx,
            401,
            "invalid_client",
            700027,
            "Client assertion failed signature validation or is not a well-formed, unexpired JWT.");
        return;
      }
    } else {
      EmulatorState.ServicePrincipal principal =
          state.principals.get(EmulatorState.key(tenant, clientId));
      if (principal == null) {
        unknownClient(ctx, tenant, clientId);
        return;
      }
      if (!principal.secret().equals(ctx.formParam("client_secret"))) {
        oauthError(
            ctx,
            401,
            "invalid_client",
            7000215,
            "Invalid client secret provided. Ensure the secret being sent in the request is the"
                + " client secret value, not the client secret ID, for a secret added to app '"
                + clientId
                + "'.");
        return;
      }
    }
    ObjectNode out = ArmApi.MAPPER.createObjectNode();
    out.put("token_type", "Bearer");
    out.put("expires_in", LIFETIME_SECONDS);
    out.put("ext_expires_in", LIFETIME_SECONDS);
    out.put("access_token", issue(tenant, clientId, ctx.formParam("scope")));
    ArmApi.json(ctx, 200, out);
  }

  private void unknownClient(Context ctx, String tenant, String clientId) {
    oauthError(
        ctx,
        400,
        "unauthorized_client",
        700016,
        "Application with identifier '"
            + clientId
            + "' was not found in the directory '"
            + tenant
            + "'.");
  }

  /** Accepts any three-part JWT whose payload parses, has a subject and has not expired. */
  private boolean validAssertion(String jwt) {
    String[] parts = jwt.split("\\.");
    if (parts.length < 2) {
      return false;
    }
    try {
      JsonNode payload = ArmApi.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
      long exp = payload.path("exp").asLong(Long.MAX_VALUE);
      return !payload.path("sub").asText("").isBlank() && exp > clock.instant().getEpochSecond();
    } catch (java.io.IOException | IllegalArgumentException e) {
      return false;
    }
  }

  private String issue(String tenant, String clientId, String scope) {
    long now = clock.instant().getEpochSecond();
    ObjectNode header = ArmApi.MAPPER.createObjectNode().put("typ", "JWT").put("alg", "none");
    ObjectNode claims = ArmApi.MAPPER.createObjectNode();
    claims.put(
        "aud", scope == null ? "https://management.azure.com/" : scope.replace("/.default", "/"));
    claims.put("iss", emulator.authorityHost() + tenant + "/v2.0");
    claims.put("tid", tenant);
    claims.put("appid", clientId);
    claims.put("sub", clientId);
    claims.put("iat", now);
    claims.put("nbf", now);
    claims.put("exp", now + LIFETIME_SECONDS);
    byte[] nonce = new byte[18];
    RANDOM.nextBytes(nonce);
    String token =
        b64(header.toString())
            + "."
            + b64(claims.toString())
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
    state.issuedTokens.put(token, Boolean.TRUE);
    return token;
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private void oauthError(Context ctx, int status, String error, int code, String description) {
    String trace = UUID.randomUUID().toString();
    String correlation = UUID.randomUUID().toString();
    String timestamp = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
    ObjectNode out = ArmApi.MAPPER.createObjectNode();
    out.put("error", error);
    out.put(
        "error_description",
        "AADSTS"
            + code
            + ": "
            + description
            + " Trace ID: "
            + trace
            + " Correlation ID: "
            + correlation
            + " Timestamp: "
            + timestamp);
    out.putArray("error_codes").add(code);
    out.put("timestamp", timestamp);
    out.put("trace_id", trace);
    out.put("correlation_id", correlation);
    out.put("error_uri", emulator.authorityHost() + "error?code=" + code);
    ArmApi.json(ctx, status, out);
  }

  private void openIdConfiguration(Context ctx) {
    String base = emulator.authorityHost() + ctx.pathParam("tenant");
    ObjectNode out = ArmApi.MAPPER.createObjectNode();
    out.put("token_endpoint", base + "/oauth2/v2.0/token");
    out.putArray("token_endpoint_auth_methods_supported")
        .add("client_secret_post")
        .add("private_key_jwt")
        .add("client_secret_basic");
    out.put("jwks_uri", base + "/discovery/v2.0/keys");
    out.putArray("response_modes_supported").add("query").add("fragment").add("form_post");
    out.putArray("subject_types_supported").add("pairwise");
    out.putArray("id_token_signing_alg_values_supported").add("RS256");
    out.putArray("response_types_supported")
        .add("code")
        .add("id_token")
        .add("code id_token")
        .add("id_token token");
    out.putArray("scopes_supported")
        .add("openid")
        .add("profile")
        .add("email")
        .add("offline_access");
    out.put("issuer", base + "/v2.0");
    out.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
    out.put("device_authorization_endpoint", base + "/oauth2/v2.0/devicecode");
    out.put("end_session_endpoint", base + "/oauth2/v2.0/logout");
    out.put("tenant_region_scope", "EU");
    ArmApi.json(ctx, 200, out);
  }

  private void instanceDiscovery(Context ctx) {
    String host = java.net.URI.create(emulator.authorityHost()).getAuthority();
    ObjectNode out = ArmApi.MAPPER.createObjectNode();
    out.put(
        "tenant_discovery_endpoint",
        emulator.authorityHost() + "common/v2.0/.well-known/openid-configuration");
    out.put("api-version", "1.1");
    ObjectNode metadata = out.putArray("metadata").addObject();
    metadata.put("preferred_network", host);
    metadata.put("preferred_cache", host);
    metadata.putArray("aliases").add(host);
    ArmApi.json(ctx, 200, out);
  }

  /**
   * App Service managed identity: GET ?resource=...&api-version=2019-08-01 with X-IDENTITY-HEADER.
   */
  private void managedIdentity(Context ctx) {
    if (!emulator.managedIdentityHeader().equals(ctx.header("X-IDENTITY-HEADER"))) {
      ObjectNode out = ArmApi.MAPPER.createObjectNode();
      out.put("error", "invalid_request");
      out.put("error_description", "Missing or wrong X-IDENTITY-HEADER.");
      ArmApi.json(ctx, 401, out);
      return;
    }
    String resource = ctx.queryParam("resource");
    if (resource == null) {
      resource = "https://management.azure.com/";
    }
    String clientId = ctx.queryParam("client_id");
    if (clientId == null) {
      clientId = "system-assigned";
    }
    ObjectNode out = ArmApi.MAPPER.createObjectNode();
    out.put("access_token", issue("managed-identity", clientId, resource));
    out.put("expires_on", Long.toString(Instant.now(clock).getEpochSecond() + LIFETIME_SECONDS));
    out.put("resource", resource);
    out.put("token_type", "Bearer");
    out.put("client_id", clientId);
    ArmApi.json(ctx, 200, out);
  }
}
