package io.nexchange.sandbox.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.aad.msal4j.ClientCredentialParameters;
import io.nexchange.sandbox.FaultRule;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** EWS on the wire (JDK HttpClient with the sandbox truststore): envelopes, faults, headers, hostile XML. */
class EwsWireTest {
    static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String M = "http://schemas.microsoft.com/exchange/services/2006/messages";
    static final String T = "http://schemas.microsoft.com/exchange/services/2006/types";

    private static SandboxServer sandbox;
    private static HttpClient http;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxServer.start(SandboxOptions.defaults().users(2).eventsPerMailbox(10).contactsPerMailbox(3).seed(5));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(Clients.trust(sandbox).context()).build();
        token = Clients.msalWithSecret(sandbox, sandbox.demoApp().clientId(), sandbox.demoApp().clientSecret())
                .acquireToken(ClientCredentialParameters.builder(Set.of("https://outlook.office365.com/.default")).build()).get().accessToken();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @AfterEach
    void reset() {
        sandbox.clearFaults();
        sandbox.setEwsThrottling(27, 10_000, Duration.ofMinutes(10), "2.128");
    }

    static String envelope(String smtp, String body) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"" + SOAP + "\" xmlns:m=\"" + M + "\" xmlns:t=\"" + T + "\">"
                + "<soap:Header><t:RequestServerVersion Version=\"Exchange2013_SP1\"/>"
                + (smtp == null ? "" : "<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>" + smtp
                        + "</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>")
                + "</soap:Header><soap:Body>" + body + "</soap:Body></soap:Envelope>";
    }

    static String syncCalendar(String state) {
        return "<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:SyncFolderId>"
                + "<t:DistinguishedFolderId Id=\"calendar\"/></m:SyncFolderId>" + (state == null ? "" : "<m:SyncState>" + state + "</m:SyncState>")
                + "<m:MaxChangesReturned>512</m:MaxChangesReturned></m:SyncFolderItems>";
    }

    HttpResponse<String> post(String xml, String anchor) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.ewsUrl())).header("Content-Type", "text/xml; charset=utf-8")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(xml));
        if (anchor != null) {
            b.header("X-AnchorMailbox", anchor);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static Element first(Document d, String ns, String local) {
        return (Element) d.getElementsByTagNameNS(ns, local).item(0);
    }

    @Test
    void responsesCarryServerVersionInfoAndRealNamespaces() throws Exception {
        String user = sandbox.mailboxes().get(0);
        HttpResponse<String> r = post(envelope(user, syncCalendar(null)), user);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/xml"));
        Document d = parse(r.body());
        assertEquals(SOAP, d.getDocumentElement().getNamespaceURI());
        assertNotNull(first(d, T, "ServerVersionInfo").getAttribute("MajorVersion"));
        Element msg = first(d, M, "SyncFolderItemsResponseMessage");
        assertEquals("Success", msg.getAttribute("ResponseClass"));
        // schema order: ResponseCode, SyncState, IncludesLastItemInRange, Changes
        String[] order = {"ResponseCode", "SyncState", "IncludesLastItemInRange", "Changes"};
        int i = 0;
        for (var n = msg.getFirstChild(); n != null; n = n.getNextSibling()) {
            assertEquals(order[i++], n.getLocalName());
        }
        assertEquals(sandbox.eventIds(user).size(), d.getElementsByTagNameNS(T, "Create").getLength());
    }

    @Test
    void serverBusyIsA500FaultWithBackOffMilliseconds() throws Exception {
        String user = sandbox.mailboxes().get(0);
        sandbox.setEwsThrottling(27, 1, Duration.ofMinutes(10), "297.749");
        post(envelope(user, syncCalendar(null)), user);
        HttpResponse<String> r = post(envelope(user, syncCalendar(null)), user);
        assertEquals(500, r.statusCode());
        Document d = parse(r.body());
        Element fault = first(d, SOAP, "Fault");
        Element code = (Element) fault.getElementsByTagName("faultcode").item(0);
        assertEquals("a:ErrorServerBusy", code.getTextContent());
        assertEquals(T, code.lookupNamespaceURI("a"));
        assertEquals("ErrorServerBusy", first(d, "http://schemas.microsoft.com/exchange/services/2006/errors", "ResponseCode").getTextContent());
        Element value = first(d, T, "Value");
        assertEquals("BackOffMilliseconds", value.getAttribute("Name"));
        assertEquals("297749", value.getTextContent());
    }

    @Test
    void concurrencyBeyondTheBudgetIsErrorExceededConnectionCount() throws Exception {
        String user = sandbox.mailboxes().get(1);
        sandbox.setEwsThrottling(1, 10_000, Duration.ofMinutes(10), "1");
        sandbox.addFault(FaultRule.latency(1500).forMailbox(user).forNext(1));
        var slow = http.sendAsync(HttpRequest.newBuilder(URI.create(sandbox.ewsUrl())).header("Authorization", "Bearer " + token)
                .header("X-AnchorMailbox", user).POST(HttpRequest.BodyPublishers.ofString(envelope(user, syncCalendar(null)))).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(400);
        HttpResponse<String> second = post(envelope(user, syncCalendar(null)), user);
        assertEquals(500, second.statusCode());
        assertTrue(second.body().contains("ErrorExceededConnectionCount"), second.body());
        assertEquals(200, slow.get().statusCode());
    }

    @Test
    void injectedFaultsReachEws() throws Exception {
        String user = sandbox.mailboxes().get(0);
        sandbox.addFault(FaultRule.status(503).withRetryAfter("3").forPathContaining("syncfolderitems").forNext(1));
        HttpResponse<String> r = post(envelope(user, syncCalendar(null)), user);
        assertEquals(503, r.statusCode());
        assertEquals("3", r.headers().firstValue("Retry-After").orElse(null));
        sandbox.addFault(FaultRule.of(FaultRule.Kind.CONNECTION_RESET).forPathContaining("/ews/").forNext(1));
        assertTrue(assertThrowsIo(() -> post(envelope(user, syncCalendar(null)), user)));
        assertEquals(200, post(envelope(user, syncCalendar(null)), user).statusCode());
    }

    private static boolean assertThrowsIo(org.junit.jupiter.api.function.Executable call) {
        try {
            call.execute();
            return false;
        } catch (java.io.IOException e) {
            return true;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Test
    void oauthNeedsImpersonationAndAnchorMailbox() throws Exception {
        String user = sandbox.mailboxes().get(0);
        HttpResponse<String> noImpersonation = post(envelope(null, syncCalendar(null)), user);
        assertEquals(500, noImpersonation.statusCode());
        assertTrue(noImpersonation.body().contains("ErrorInvalidExchangeImpersonationHeader"));
        HttpResponse<String> noAnchor = post(envelope(user, syncCalendar(null)), null);
        assertEquals(500, noAnchor.statusCode());
        assertTrue(noAnchor.body().contains("X-AnchorMailbox"));
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(sandbox.ewsUrl()))
                .POST(HttpRequest.BodyPublishers.ofString(envelope(user, syncCalendar(null)))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, noToken.statusCode());
        assertTrue(noToken.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    }

    @Test
    void doctypeAndExternalEntitiesAreRejected() throws Exception {
        String user = sandbox.mailboxes().get(0);
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + envelope(user, syncCalendar("&e;")).substring("<?xml version=\"1.0\" encoding=\"utf-8\"?>".length());
        HttpResponse<String> r = post(xxe, user);
        assertEquals(500, r.statusCode());
        assertTrue(r.body().contains("ErrorSchemaValidation"));
        assertFalse(r.body().contains("root:"));
    }
}
