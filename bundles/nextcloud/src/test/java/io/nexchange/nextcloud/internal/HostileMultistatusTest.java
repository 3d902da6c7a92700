package io.nexchange.nextcloud.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.StoreException;
import io.nexchange.nextcloud.credentials.DavLogin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 2: a DAV server (a loopback stub) that answers a sync-collection REPORT with XML no DAV server should
 * send: a DTD with external entities pointing at a loopback listener (general and parameter entities), entity expansion
 * (billion laughs), and a large multistatus. Nothing outside is fetched (the listener gets no connection), nothing
 * is expanded, and the read ends with a StoreException naming the server, quickly; the large answer is read in bounded
 * time. (The EWS store's answers: {@code HostileAnswersTest} in bundles/ews.)
 */
class HostileMultistatusTest {
    private static final String CAL = "/remote.php/dav/calendars/olga/personal/";
    private HttpServer server;
    private ServerSocket listener;
    private final AtomicInteger outsideConnections = new AtomicInteger();
    private final AtomicReference<String> answer = new AtomicReference<>();
    private AccountSession session;

    @BeforeEach
    void start() throws IOException {
        listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket ignored = listener.accept()) {
                    outsideConnections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "outside-listener");
        accept.setDaemon(true);
        accept.start();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/xml; charset=utf-8");
            exchange.sendResponseHeaders(207, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/remote.php/dav/");
        session = new AccountSession("olga", new DavLogin("olga", Secret.of("pw")), DavSettings.defaults(base),
                new LoginGuard(LoginRetry.DEFAULTS, java.time.Clock.systemUTC()),
                new ServerThrottle(null, base, Duration.ofSeconds(1), java.time.Clock.systemUTC()), () -> { });
    }

    @AfterEach
    void stop() throws IOException {
        session.close();
        server.stop(0);
        listener.close();
    }

    private ChangePage read() throws StoreException {
        return new DavItemSource(session, new CollectionRef(CollectionKind.CALENDAR, CAL, "Personal", true),
                java.time.Clock.systemUTC())
                .changes(SyncCursor.sync("http://sabre.io/ns/sync/1"));
    }

    private String outside(String path) {
        return "http://127.0.0.1:" + listener.getLocalPort() + path;
    }

    private static String member(String href, String etag) {
        return "<d:response><d:href>" + href + "</d:href><d:propstat><d:prop><d:getetag>" + etag
                + "</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>";
    }

    private static String multistatus(String doctype, String responses) {
        return "<?xml version=\"1.0\"?>\n" + doctype + "<d:multistatus xmlns:d=\"DAV:\">" + responses
                + "<d:sync-token>http://sabre.io/ns/sync/2</d:sync-token></d:multistatus>";
    }

    /** What the read did: the changes it reported, or the store's error. */
    private String outcome() {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try {
                ChangePage page = read();
                return "read " + page.changes().size() + " changes: " + page.changes();
            } catch (StoreException e) {
                return "refused: " + e.getMessage();
            }
        });
    }

    @Test
    void externalEntitiesAreNeverFetched() throws Exception {
        answer.set(multistatus("<!DOCTYPE d:multistatus [<!ENTITY xxe SYSTEM \"" + outside("/general") + "\">]>",
                member(CAL + "a.ics", "&quot;&xxe;&quot;")));
        String general = outcome();
        answer.set(multistatus("<!DOCTYPE d:multistatus [<!ENTITY % remote SYSTEM \"" + outside("/parameter.dtd") + "\"> %remote;]>",
                member(CAL + "a.ics", "&quot;e1&quot;")));
        String parameter = outcome();
        answer.set(multistatus("<!DOCTYPE d:multistatus SYSTEM \"" + outside("/external.dtd") + "\">",
                member(CAL + "a.ics", "&quot;e1&quot;")));
        String externalDtd = outcome();
        Thread.sleep(200); // a fetch would have connected by now
        assertEquals(0, outsideConnections.get(), "nothing outside is fetched: " + general + " / " + parameter + " / "
                + externalDtd);
        for (String result : new String[] {general, parameter, externalDtd}) {
            assertTrue(result.startsWith("refused: ") && result.contains("127.0.0.1:" + server.getAddress().getPort()),
                    "a DTD is refused, naming the server: " + result);
        }
        System.out.println("FIGURE hostile DAV XML, external entity: " + general);
    }

    @Test
    void entityExpansionIsRefusedAtOnce() {
        StringBuilder doctype = new StringBuilder("<!DOCTYPE d:multistatus [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            doctype.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        answer.set(multistatus(doctype + "]>", member(CAL + "a.ics", "&lol9;")));
        long start = System.nanoTime();
        String result = outcome();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(result.startsWith("refused: "), "a billion laughs are refused, not expanded: " + result);
        assertTrue(millis < 5_000, "refused at once, in " + millis + " ms");
        System.out.println("FIGURE hostile DAV XML, billion laughs: " + millis + " ms, " + result);
    }

    @Test
    void aVeryLargeMultistatusIsReadInBoundedTimeAndMemory() {
        // a server ignoring <d:limit>: 30,000 members (about 6 MB of XML) in one answer
        StringBuilder responses = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            responses.append(member(CAL + "item-" + i + ".ics", "&quot;e" + i + "&quot;"));
        }
        answer.set(multistatus("", responses.toString()));
        responses.setLength(0);
        System.gc();
        long heapBefore = usedHeap();
        long start = System.nanoTime();
        String result = outcome();
        long millis = (System.nanoTime() - start) / 1_000_000;
        long heapAfter = usedHeap();
        assertTrue(result.startsWith("read 30000 changes") || result.startsWith("refused: "), result.substring(0,
                Math.min(300, result.length())));
        assertFalse(result.contains("OutOfMemory"));
        System.out.printf("FIGURE hostile DAV XML, 30,000-member multistatus (%d MB): %s in %d ms, heap %d -> %d MB%n",
                answer.get().length() >> 20, result.substring(0, Math.min(40, result.length())), millis, heapBefore >> 20,
                heapAfter >> 20);
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
