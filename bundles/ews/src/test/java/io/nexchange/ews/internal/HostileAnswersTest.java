package io.nexchange.ews.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.nexchange.api.Account;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.auth.entra.EwsServiceAccount;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import io.nexchange.throttling.RegistrationAssignment;
import io.nexchange.throttling.internal.ThrottleController;
import io.nexchange.throttling.internal.ThrottleLimits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An "EWS server" (a loopback HTTP server the test controls) answering with what no Exchange sends: a DTD with
 * entity expansion (billion laughs), an external entity, an answer larger than the limit. Each is refused with a
 * StoreException; nothing is expanded, nothing read from disk.
 */
class HostileAnswersTest {
    private HttpServer server;
    private final AtomicReference<byte[]> answer = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/EWS/Exchange.asmx", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = answer.get();
            exchange.getResponseHeaders().add("Content-Type", "text/xml; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private StoreException read(EwsSettings settings) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/EWS/Exchange.asmx");
        EwsCredentials account = new EwsCredentials.ServiceAccount(new EwsServiceAccount() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public URI ewsUrl() {
                return url;
            }

            @Override
            public String username() {
                return "svc";
            }

            @Override
            public String domain() {
                return "";
            }

            @Override
            public Secret password() {
                return Secret.of("pw");
            }
        });
        EwsStore store = new EwsStore(new EwsClient(HttpClient.newHttpClient(), new ThrottleController(ThrottleLimits.OUTLOOK), settings),
                name -> Optional.of(account), RegistrationAssignment.of("test"), settings, WindowsZones.load(), Clock.systemUTC());
        Owner owner = new Owner(new Mailbox("u", "u@example.org", ""), new Account("u", "u@example.org", ""));
        return assertThrows(StoreException.class, () -> store.source(owner, store.collections(owner,
                io.nexchange.api.CollectionKind.CALENDAR).get(0)).changes(Cursor.INITIAL));
    }

    @Test
    void billionLaughsAndExternalEntitiesAreRefusedUnexpanded() {
        answer.set(io.nexchange.ews.internal.soap.SafeXmlReaderTest.BILLION_LAUGHS.getBytes(StandardCharsets.UTF_8));
        StoreException laughs = read(EwsSettings.defaults());
        assertTrue(laughs.getMessage().contains("DOCTYPE"), laughs.getMessage());
        answer.set(io.nexchange.ews.internal.soap.SafeXmlReaderTest.XXE.getBytes(StandardCharsets.UTF_8));
        StoreException xxe = read(EwsSettings.defaults());
        assertTrue(xxe.getMessage().contains("DOCTYPE") && !xxe.getMessage().contains("root:"), xxe.getMessage());
    }

    @Test
    void anAnswerLargerThanTheLimitIsNotRead() {
        String big = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>" + "x".repeat(200_000)
                + "</s:Body></s:Envelope>";
        answer.set(big.getBytes(StandardCharsets.UTF_8));
        StoreException e = read(EwsSettings.defaults().withMaxResponseBytes(100_000));
        assertTrue(e.getMessage().contains("maxResponseBytes"), e.getMessage());
    }
}
