package io.nexchange.sandbox.internal.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexchange.sandbox.AppRegistration;
import io.nexchange.sandbox.internal.Json;
import io.nexchange.sandbox.internal.http.GraphException;
import io.nexchange.sandbox.internal.http.Req;
import io.nexchange.sandbox.internal.http.Resp;
import io.nexchange.sandbox.internal.store.Tenant;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The Entra ID v2 token endpoint for the client-credentials grant (secret or certificate assertion),
 * with Entra's error answers, and validation of the access tokens it issued.
 */
public final class Entra {
    public static final String GRAPH_RESOURCE = "https://graph.microsoft.com";
    public static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
    public static final String EXCHANGE_RESOURCE = "https://outlook.office365.com";
    public static final String EXCHANGE_APP_ID = "00000002-0000-0ff1-ce00-000000000000";
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access");
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final DateTimeFormatter AAD_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'");

    private final Tenant tenant;
    private final KeyPair signingKey;
    private final String keyId;
    private final Clock clock;
    private final IntSupplier tokenLifetimeSeconds;
    private final Map<String, AppRegistration> apps = new ConcurrentHashMap<>();

    public Entra(Tenant tenant, KeyPair signingKey, Clock clock, IntSupplier tokenLifetimeSeconds) {
        this.tenant = tenant;
        this.signingKey = signingKey;
        this.clock = clock;
        this.tokenLifetimeSeconds = tokenLifetimeSeconds;
        this.keyId = thumbprint(signingKey.getPublic().getEncoded(), "SHA-1");
    }

    public void register(AppRegistration app) {
        io.nexchange.sandbox.internal.SecretLedger.record("sandbox client secret", app.clientSecret());
        apps.put(app.clientId().toLowerCase(Locale.ROOT), app);
    }

    public Optional<AppRegistration> app(String clientId) {
        return Optional.ofNullable(clientId == null ? null : apps.get(clientId.toLowerCase(Locale.ROOT)));
    }

    /** POST /{tenant}/oauth2/v2.0/token. */
    public Resp token(Req req, String tenantSegment) {
        Map<String, String> form = Req.parseQuery(req.bodyText());
        String correlation = req.header("client-request-id") != null ? req.header("client-request-id") : UUID.randomUUID().toString();
        if (!tenant.answersTo(tenantSegment)) {
            return error(400, "invalid_request", 90002, "Tenant '" + tenantSegment + "' not found. Check to make sure you have the "
                    + "correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, "
                    + "this may happen if there are no active subscriptions for the tenant.", correlation);
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '"
                    + form.getOrDefault("grant_type", "") + "'.", correlation);
        }
        String clientId = form.get("client_id");
        if (clientId == null || clientId.isBlank()) {
            return error(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.", correlation);
        }
        AppRegistration app = app(clientId).orElse(null);
        if (app == null) {
            return error(400, "unauthorized_client", 700016, "Application with identifier '" + clientId + "' was not found in the "
                    + "directory '" + tenant.displayName + "'. This can happen if the application has not been installed by the "
                    + "administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication "
                    + "request to the wrong tenant.", correlation);
        }
        String scope = form.get("scope");
        if (scope == null || scope.isBlank()) {
            return error(400, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.", correlation);
        }
        List<String> scopes = new ArrayList<>();
        for (String s : scope.trim().split("\\s+")) {
            if (!OIDC_SCOPES.contains(s.toLowerCase(Locale.ROOT))) {
                scopes.add(s);
            }
        }
        if (scopes.size() != 1 || !scopes.get(0).endsWith("/.default")) {
            return error(400, "invalid_scope", 70011, "The provided request must include a 'scope' input parameter. The provided "
                    + "value for the input parameter 'scope' is not valid. The scope " + String.join(" ", scopes) + " is not valid.",
                    correlation);
        }
        String resource = scopes.get(0).substring(0, scopes.get(0).length() - "/.default".length()).toLowerCase(Locale.ROOT);
        String audience;
        if (resource.equals(GRAPH_RESOURCE) || resource.equals(GRAPH_APP_ID) || resource.equals(GRAPH_RESOURCE + "/")) {
            audience = GRAPH_RESOURCE;
        } else if (resource.equals(EXCHANGE_RESOURCE) || resource.equals("https://outlook.office.com")
                || resource.equals(EXCHANGE_APP_ID)) {
            audience = EXCHANGE_RESOURCE;
        } else {
            return error(400, "invalid_resource", 500011, "The resource principal named " + resource + " was not found in the "
                    + "tenant named " + tenant.displayName + ". This can happen if the application has not been installed by the "
                    + "administrator of the tenant or consented to by any user in the tenant. You might have sent your "
                    + "authentication request to the wrong tenant.", correlation);
        }
        String appidacr;
        if (form.containsKey("client_assertion")) {
            Resp bad = checkAssertion(form, app, correlation);
            if (bad != null) {
                return bad;
            }
            appidacr = "2";
        } else if (form.containsKey("client_secret")) {
            if (app.clientSecret() == null || !MessageDigest.isEqual(app.clientSecret().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    form.get("client_secret").getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                return error(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the "
                        + "request is the client secret value, not the client secret ID, for a secret added to app '" + app.clientId() + "'.",
                        correlation);
            }
            if (app.secretExpiresAt() != null && !clock.instant().isBefore(app.secretExpiresAt())) {
                return error(401, "invalid_client", 7000222, "The provided client secret keys for app '" + app.clientId()
                        + "' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or "
                        + "consider using certificate credentials for added security: https://aka.ms/certCreds.", correlation);
            }
            appidacr = "1";
        } else {
            return error(401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the "
                    + "'client_credentials' grant type.", correlation);
        }
        int lifetime = tokenLifetimeSeconds.getAsInt();
        ObjectNode body = Json.object();
        body.put("token_type", "Bearer");
        body.put("expires_in", lifetime);
        body.put("ext_expires_in", lifetime);
        String token = issue(app, audience, appidacr, lifetime);
        io.nexchange.sandbox.internal.SecretLedger.record("sandbox access token", token);
        body.put("access_token", token);
        return Resp.json(200, body, "application/json; charset=utf-8")
                .header("Cache-Control", "no-store, no-cache").header("Pragma", "no-cache")
                .header("x-ms-request-id", req.requestId).header("client-request-id", correlation);
    }

    private Resp checkAssertion(Map<String, String> form, AppRegistration app, String correlation) {
        if (!ASSERTION_TYPE.equals(form.get("client_assertion_type"))) {
            return error(400, "invalid_request", 900144, "The request body must contain the following parameter: "
                    + "'client_assertion_type'.", correlation);
        }
        Jwt assertion;
        try {
            assertion = Jwt.parse(form.get("client_assertion"));
        } catch (IllegalArgumentException e) {
            return error(401, "invalid_client", 50027, "JWT token is invalid or malformed.", correlation);
        }
        String presented = assertion.header.path("x5t").asText(assertion.header.path("x5t#S256").asText(""));
        boolean verified = false;
        for (X509Certificate cert : app.certificates()) {
            if (assertion.verify(cert.getPublicKey())) {
                verified = true;
                break;
            }
        }
        if (!verified) {
            return error(401, "invalid_client", 700027, "Client assertion failed signature validation. [Reason - The key was not "
                    + "found., Thumbprint of key used by client: '" + presented + "']", correlation);
        }
        String iss = assertion.claims.path("iss").asText();
        String sub = assertion.claims.path("sub").asText();
        if (!app.clientId().equalsIgnoreCase(iss) || !app.clientId().equalsIgnoreCase(sub)) {
            return error(401, "invalid_client", 700021, "Client assertion application identifier doesn't match "
                    + "'client_id' parameter.", correlation);
        }
        long now = clock.instant().getEpochSecond();
        long exp = assertion.claims.path("exp").asLong(0);
        long nbf = assertion.claims.path("nbf").asLong(0);
        if (exp <= now || nbf > now + 300) {
            return error(401, "invalid_client", 700024, "Client assertion is not within its valid time range.", correlation);
        }
        String aud = assertion.claims.path("aud").asText("");
        if (!aud.toLowerCase(Locale.ROOT).contains("/oauth2/")) {
            return error(401, "invalid_client", 700023, "Client assertion audience claim does not match Realm issuer.", correlation);
        }
        return null;
    }

    private String issue(AppRegistration app, String audience, String appidacr, int lifetime) {
        long now = clock.instant().getEpochSecond();
        ObjectNode header = Json.object();
        header.put("typ", "JWT");
        header.put("x5t", keyId);
        header.put("kid", keyId);
        ObjectNode claims = Json.object();
        claims.put("aud", audience);
        claims.put("iss", "https://sts.windows.net/" + tenant.tenantId + "/");
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + lifetime);
        claims.put("app_displayname", app.displayName());
        claims.put("appid", app.clientId());
        claims.put("appidacr", appidacr);
        claims.put("idp", "https://sts.windows.net/" + tenant.tenantId + "/");
        claims.put("idtyp", "app");
        String oid = UUID.nameUUIDFromBytes(("sp:" + app.clientId()).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        claims.put("oid", oid);
        Set<String> roles = new LinkedHashSet<>();
        if (app.adminConsent()) {
            if (audience.equals(GRAPH_RESOURCE)) {
                roles.addAll(app.roles());
            } else if (app.ewsFullAccess()) {
                roles.add("full_access_as_app");
            }
        }
        if (!roles.isEmpty()) {
            ArrayNode r = claims.putArray("roles");
            roles.forEach(r::add);
        }
        claims.put("sub", oid);
        claims.put("tid", tenant.tenantId);
        claims.put("uti", UUID.randomUUID().toString().replace("-", ""));
        claims.put("ver", "1.0");
        try {
            return Jwt.signRs256(header, claims, signingKey.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign the access token", e);
        }
    }

    /** Validates "Authorization: Bearer …" for a resource; throws Graph's 401 answer when it fails. */
    public Principal validate(String authorization, String expectedAudience) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            throw unauthorized("Access token is empty.");
        }
        Jwt jwt;
        try {
            jwt = Jwt.parse(authorization.substring(7).trim());
        } catch (IllegalArgumentException e) {
            throw unauthorized(e.getMessage());
        }
        if (!jwt.verify(signingKey.getPublic())) {
            throw unauthorized("Access token validation failure. Invalid signature.");
        }
        JsonNode c = jwt.claims;
        if (!expectedAudience.equals(c.path("aud").asText())) {
            throw unauthorized("Access token validation failure. Invalid audience.");
        }
        if (c.path("exp").asLong(0) <= clock.instant().getEpochSecond()) {
            throw unauthorized("Lifetime validation failed, the token is expired.");
        }
        if (!tenant.tenantId.equals(c.path("tid").asText())) {
            throw unauthorized("Access token validation failure. Invalid issuer.");
        }
        Set<String> roles = new LinkedHashSet<>();
        c.path("roles").forEach(r -> roles.add(r.asText()));
        return new Principal(c.path("appid").asText(), c.path("tid").asText(), roles, c.path("aud").asText());
    }

    private static GraphException unauthorized(String message) {
        return new GraphException(401, "InvalidAuthenticationToken", message)
                .header("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", "
                        + "client_id=\"" + GRAPH_APP_ID + "\"");
    }

    private Resp error(int status, String error, int code, String text, String correlation) {
        String traceId = UUID.randomUUID().toString();
        String timestamp = AAD_TIME.format(clock.instant().atOffset(ZoneOffset.UTC));
        ObjectNode body = Json.object();
        body.put("error", error);
        body.put("error_description", "AADSTS" + code + ": " + text + "\r\nTrace ID: " + traceId + "\r\nCorrelation ID: "
                + correlation + "\r\nTimestamp: " + timestamp);
        body.putArray("error_codes").add(code);
        body.put("timestamp", timestamp);
        body.put("trace_id", traceId);
        body.put("correlation_id", correlation);
        body.put("error_uri", "https://login.microsoftonline.com/error?code=" + code);
        return Resp.json(status, body, "application/json; charset=utf-8").header("client-request-id", correlation);
    }

    /** The instance discovery answer msal4j asks for unless instanceDiscovery(false) is set. */
    public Resp instanceDiscovery(Req req, String host) {
        ObjectNode body = Json.object();
        body.put("tenant_discovery_endpoint", "https://" + host + "/" + tenant.tenantId + "/v2.0/.well-known/openid-configuration");
        body.put("api-version", "1.1");
        ArrayNode metadata = body.putArray("metadata");
        ObjectNode entry = metadata.addObject();
        entry.put("preferred_network", host);
        entry.put("preferred_cache", host);
        entry.putArray("aliases").add(host);
        return Resp.json(200, body, "application/json; charset=utf-8");
    }

    /** OpenID configuration for oidcAuthority-style clients. */
    public Resp openIdConfiguration(String base) {
        ObjectNode body = Json.object();
        String root = base + "/" + tenant.tenantId;
        body.put("token_endpoint", root + "/oauth2/v2.0/token");
        body.putArray("token_endpoint_auth_methods_supported").add("client_secret_post").add("private_key_jwt").add("client_secret_basic");
        body.put("jwks_uri", root + "/discovery/v2.0/keys");
        body.put("issuer", "https://login.microsoftonline.com/" + tenant.tenantId + "/v2.0");
        body.put("authorization_endpoint", root + "/oauth2/v2.0/authorize");
        body.put("device_authorization_endpoint", root + "/oauth2/v2.0/devicecode");
        body.put("tenant_region_scope", "EU");
        return Resp.json(200, body, "application/json; charset=utf-8");
    }

    static String thumbprint(byte[] der, String algorithm) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance(algorithm).digest(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
