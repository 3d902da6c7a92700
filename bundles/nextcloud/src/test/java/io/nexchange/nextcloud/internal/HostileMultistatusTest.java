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
    /** Answers a request (method, body) when set; else {@link #answer} is sent. */
    private final AtomicReference<java.util.function.BiFunction<String, String, byte[]>> responder = new AtomicReference<>();
    private volatile boolean chunked;
    private AccountSession session;
    private URI base;

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
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var custom = responder.get();
            byte[] bytes = custom != null ? custom.apply(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(), request)
                    : answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/xml; charset=utf-8");
            exchange.sendResponseHeaders(207, chunked ? 0 : bytes.length);
            try {
                exchange.getResponseBody().write(bytes);
            } catch (IOException clientLeft) {
                // a client that refuses a large answer drops the connection
            }
            exchange.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/remote.php/dav/");
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

    @Test
    void aMultistatusOverTheBoundIsRefusedNamingTheSettingWithOrWithoutContentLength() throws Exception {
        session.close();
        session = session(1 << 20);
        StringBuilder responses = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            responses.append(member(CAL + "item-" + i + ".ics", "&quot;e" + i + "&quot;"));
        }
        answer.set(multistatus("", responses.toString()));
        String declared = outcome();
        chunked = true;
        String streamed = outcome();
        for (String result : new String[] {declared, streamed}) {
            assertTrue(result.startsWith("refused: ") && result.contains("over the bound of 1.0 MB")
                    && result.contains("maxAnswerMegabytes"), result);
        }
        System.out.println("FIGURE hostile DAV XML, 6 MB multistatus over a 1 MB bound: " + streamed);
    }

    /**
     * A multiget of six items, one over the answer bound and one with invalid UTF-8 in its data: the batch is asked
     * again in halves until those two stand alone; they come back unreadable (quarantined by the engine) in their ETag,
     * the four others with their content.
     */
    @Test
    void aMultigetIsAskedAgainInPartsDownToTheItemsThatCannotBeTaken() throws Exception {
        session.close();
        session = session(1 << 20);
        java.util.List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        responder.set((request, body) -> {
            requests.add(request);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.writeBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?><d:multistatus xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\">"
                    .getBytes(StandardCharsets.UTF_8));
            java.util.regex.Matcher href = java.util.regex.Pattern.compile("<d:href>([^<]*)</d:href>").matcher(body);
            java.util.List<String> hrefs = new java.util.ArrayList<>();
            while (href.find()) {
                hrefs.add(href.group(1));
            }
            if (request.startsWith("PROPFIND")) {
                hrefs.add(request.substring(request.indexOf(' ') + 1));
            }
            for (String h : hrefs) {
                String name = h.substring(h.lastIndexOf('/') + 1, h.length() - 4);
                out.writeBytes(("<d:response><d:href>" + h + "</d:href><d:propstat><d:prop><d:getetag>\"" + name + "-1\"</d:getetag>")
                        .getBytes(StandardCharsets.UTF_8));
                if (request.startsWith("REPORT")) {
                    String ics = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:" + name + "\nDTSTART:20270101T090000Z\nSUMMARY:"
                            + (name.equals("big") ? "x".repeat(2 << 20) : name.equals("bad") ? "BAD_BYTES" : name)
                            + "\nEND:VEVENT\nEND:VCALENDAR\n";
                    byte[] data = ("<c:calendar-data>" + ics + "</c:calendar-data>").getBytes(StandardCharsets.UTF_8);
                    String text = new String(data, StandardCharsets.ISO_8859_1).replace("BAD_BYTES", "\u00ff\u00fe");
                    out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
                }
                out.writeBytes("</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>".getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes("</d:multistatus>".getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        });
        java.util.List<String> hrefs = java.util.stream.Stream.of("a", "b", "big", "c", "bad", "d").map(n -> CAL + n + ".ics").toList();
        var changes = new DavItemSource(session, new CollectionRef(CollectionKind.CALENDAR, CAL, "Personal", true),
                java.time.Clock.systemUTC()).fetch(hrefs);
        java.util.Map<String, io.nexchange.api.source.Change> byRef = new java.util.TreeMap<>();
        changes.forEach(c -> byRef.put(c.ref().substring(CAL.length()), c));
        assertEquals(java.util.Set.of("a.ics", "b.ics", "big.ics", "c.ics", "bad.ics", "d.ics"), byRef.keySet(), changes.toString());
        for (String good : java.util.List.of("a.ics", "b.ics", "c.ics", "d.ics")) {
            assertTrue(byRef.get(good).item().isPresent(), good + " came with its content: " + byRef.get(good));
        }
        assertTrue(byRef.get("big.ics").isUnreadable() && byRef.get("big.ics").problem().orElseThrow().contains("over the bound of 1.0 MB"),
                String.valueOf(byRef.get("big.ics").problem()));
        assertEquals(java.util.Optional.of("\"big-1\""), byRef.get("big.ics").version(), "quarantined in its ETag");
        assertTrue(byRef.get("bad.ics").isUnreadable() && byRef.get("bad.ics").problem().orElseThrow().contains("unreadable multistatus"),
                String.valueOf(byRef.get("bad.ics").problem()));
        long multigets = requests.stream().filter(r -> r.startsWith("REPORT")).count();
        assertTrue(multigets < 2 * hrefs.size(), "asked again in halves (at most 2n-1 multigets): " + requests);
        System.out.println("FIGURE hostile DAV multiget of 6 items (one 2 MB over a 1 MB bound, one with invalid UTF-8): "
                + multigets + " REPORTs and " + (requests.size() - multigets) + " PROPFINDs; " + byRef.get("bad.ics").problem().orElseThrow());
    }

    private AccountSession session(long maxAnswerBytes) {
        return new AccountSession("olga", new DavLogin("olga", Secret.of("pw")), DavSettings.defaults(base).withMaxAnswerBytes(maxAnswerBytes),
                new LoginGuard(LoginRetry.DEFAULTS, java.time.Clock.systemUTC()),
                new ServerThrottle(null, base, Duration.ofSeconds(1), java.time.Clock.systemUTC()), () -> { });
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
