package io.nexchange.sandbox.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.nexchange.sandbox.AppRegistration;
import io.nexchange.sandbox.FaultRule;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** msal4j 1.26 against the sandbox's token endpoint, unmodified: secret, certificate, Entra's errors, consent. */
class EntraContractTest {
    private static SandboxServer sandbox;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxServer.start(SandboxOptions.defaults().users(3).eventsPerMailbox(5).contactsPerMailbox(3).seed(7));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Test
    void clientSecretGivesGraphTokenWithRolesTenantAndLifetime() throws Exception {
        ConfidentialClientApplication app = Clients.msalWithSecret(sandbox, sandbox.demoApp().clientId(), sandbox.demoApp().clientSecret());
        String token = Clients.token(app);
        JsonNode c = claims(token);
        assertEquals(sandbox.demoApp().clientId(), c.path("appid").asText());
        assertEquals(sandbox.tenantId(), c.path("tid").asText());
        assertEquals("https://graph.microsoft.com", c.path("aud").asText());
        Set<String> roles = new java.util.HashSet<>();
        c.path("roles").forEach(r -> roles.add(r.asText()));
        assertEquals(Set.of("Calendars.ReadWrite", "Contacts.ReadWrite", "User.Read.All", "GroupMember.Read.All"), roles);
        long lifetime = c.path("exp").asLong() - Instant.now().getEpochSecond();
        assertTrue(lifetime > 3500 && lifetime <= 3599, "lifetime " + lifetime);

        // msal4j 1.26 caches under the host without port but looks up with host:port, so against an
        // authority with a port (the sandbox's) each call reaches the token endpoint; it must cope with that
        String second = Clients.token(app);
        assertEquals(sandbox.demoApp().clientId(), claims(second).path("appid").asText());
    }

    @Test
    void tenantDomainWorksAsAuthorityToo() throws Exception {
        ConfidentialClientApplication app = Clients.msal(sandbox, sandbox.demoApp().clientId(),
                ClientCredentialFactory.createFromSecret(sandbox.demoApp().clientSecret()),
                sandbox.baseUrl() + "/" + sandbox.tenantDomain() + "/");
        assertEquals(sandbox.tenantId(), claims(Clients.token(app)).path("tid").asText());
    }

    @Test
    void certificateCredentialIsVerifiedAgainstTheRegisteredCertificate() throws Exception {
        Clients.Certificate cert = Clients.selfSigned("nexchange-test");
        AppRegistration app = sandbox.registerApp(AppRegistration.builder("cert app").certificate(cert.certificate()).build());
        ConfidentialClientApplication msal = Clients.msal(sandbox, app.clientId(),
                ClientCredentialFactory.createFromCertificate(cert.keys().getPrivate(), cert.certificate()), sandbox.authority());
        JsonNode c = claims(Clients.token(msal));
        assertEquals(app.clientId(), c.path("appid").asText());
        assertEquals("2", c.path("appidacr").asText(), "certificate credential");

        Clients.Certificate other = Clients.selfSigned("someone-else");
        ConfidentialClientApplication wrongKey = Clients.msal(sandbox, app.clientId(),
                ClientCredentialFactory.createFromCertificate(other.keys().getPrivate(), other.certificate()), sandbox.authority());
        MsalServiceException e = assertThrows(MsalServiceException.class, () -> Clients.token(wrongKey));
        assertEquals("invalid_client", e.errorCode());
        assertTrue(e.getMessage().contains("AADSTS700027"), e.getMessage());
    }

    @Test
    void unknownTenantIsAadsts90002() throws Exception {
        ConfidentialClientApplication app = Clients.msal(sandbox, sandbox.demoApp().clientId(),
                ClientCredentialFactory.createFromSecret(sandbox.demoApp().clientSecret()),
                sandbox.baseUrl() + "/" + UUID.randomUUID() + "/");
        MsalServiceException e = assertThrows(MsalServiceException.class, () -> Clients.token(app));
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("AADSTS90002"), e.getMessage());
    }

    @Test
    void unknownAppIsAadsts700016() throws Exception {
        ConfidentialClientApplication app = Clients.msalWithSecret(sandbox, UUID.randomUUID().toString(), "whatever");
        MsalServiceException e = assertThrows(MsalServiceException.class, () -> Clients.token(app));
        assertEquals("unauthorized_client", e.errorCode());
        assertTrue(e.getMessage().contains("AADSTS700016"), e.getMessage());
    }

    @Test
    void wrongSecretIs401Aadsts7000215() throws Exception {
        ConfidentialClientApplication app = Clients.msalWithSecret(sandbox, sandbox.demoApp().clientId(), "not-the-secret");
        MsalServiceException e = assertThrows(MsalServiceException.class, () -> Clients.token(app));
        assertEquals(401, e.statusCode());
        assertEquals("invalid_client", e.errorCode());
        assertTrue(e.getMessage().contains("AADSTS7000215"), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-secret"));
    }

    @Test
    void expiredSecretIsAadsts7000222() throws Exception {
        AppRegistration app = sandbox.registerApp(AppRegistration.builder("expired").clientSecret("old-secret")
                .secretExpiresAt(Instant.now().minusSeconds(60)).build());
        ConfidentialClientApplication msal = Clients.msalWithSecret(sandbox, app.clientId(), "old-secret");
        MsalServiceException e = assertThrows(MsalServiceException.class, () -> Clients.token(msal));
        assertTrue(e.getMessage().contains("AADSTS7000222"), e.getMessage());
    }

    @Test
    void invalidScopeIsAadsts70011() throws Exception {
        ConfidentialClientApplication app = Clients.msalWithSecret(sandbox, sandbox.demoApp().clientId(), sandbox.demoApp().clientSecret());
        ExecutionException e = assertThrows(ExecutionException.class, () -> app.acquireToken(
                ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/Calendars.Read")).build()).get());
        MsalServiceException cause = (MsalServiceException) e.getCause();
        assertEquals("invalid_scope", cause.errorCode());
        assertTrue(cause.getMessage().contains("AADSTS70011"), cause.getMessage());
    }

    @Test
    void withoutAdminConsentTheTokenHasNoRolesAndGraphAnswers403() throws Exception {
        AppRegistration app = sandbox.registerApp(AppRegistration.builder("no consent").clientSecret("s3cret").adminConsent(false).build());
        ConfidentialClientApplication msal = Clients.msalWithSecret(sandbox, app.clientId(), "s3cret");
        assertTrue(claims(Clients.token(msal)).path("roles").isMissingNode());
        GraphServiceClient graph = Clients.graph(sandbox, msal);
        ODataError users = assertThrows(ODataError.class, () -> graph.users().get());
        assertEquals(403, users.getResponseStatusCode());
        assertEquals("Authorization_RequestDenied", users.getError().getCode());
        ODataError events = assertThrows(ODataError.class, () -> graph.users().byUserId(sandbox.mailboxes().get(0)).events().get());
        assertEquals(403, events.getResponseStatusCode());
        assertEquals("ErrorAccessDenied", events.getError().getCode());
    }

    @Test
    void tokenEndpointOutageIsAServerErrorMsalReports() throws Exception {
        AppRegistration app = sandbox.registerApp(AppRegistration.builder("outage").clientSecret("x").build());
        sandbox.addFault(FaultRule.of(FaultRule.Kind.TOKEN_OUTAGE).withStatus(503).withRetryAfter("1").forNext(3));
        try {
            ConfidentialClientApplication msal = Clients.msalWithSecret(sandbox, app.clientId(), "x");
            Exception e = assertThrows(Exception.class, () -> Clients.token(msal));
            assertNotEquals(null, e.getMessage());
        } finally {
            sandbox.clearFaults();
        }
    }
}
