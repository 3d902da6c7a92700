package io.nexchange.nextcloud.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.CursorExpiredException;
import io.nexchange.nextcloud.credentials.DavLogin;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Radicale does not do but Nextcloud's sabre/dav does (microsoft-protocols.md section 6): truncate a
 * sync-collection answer at {@code <d:limit>} with a 507 response for the collection, and answer a PUT
 * whose body it changed without an ETag. Radicale cannot show either, so a small loopback server answers
 * with sabre's documented shapes; it checks the requests it gets as strictly as sabre does (token and prop
 * required).
 */
class SabreShapedServerTest {
    private static final String SYNC = "http://sabre.io/ns/sync/";
    private HttpServer server;
    private final List<String> requests = new ArrayList<>();
    private AccountSession session;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/remote.php/dav/");
        session = new AccountSession("olga", new DavLogin("olga", Secret.of("pw")), DavSettings.defaults(base).withSyncLimit(2),
                new LoginGuard(LoginRetry.DEFAULTS, java.time.Clock.systemUTC()), new ServerThrottle(null, base, java.time.Duration.ofSeconds(1), java.time.Clock.systemUTC()), () -> {});
    }

    @AfterEach
    void stop() {
        session.close();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        synchronized (requests) {
            requests.add(method + " " + path);
        }
        if (method.equals("REPORT") && body.contains("sync-collection")) {
            Matcher token = Pattern.compile("<d:sync-token>([^<]*)</d:sync-token>").matcher(body);
            if (!token.find() || !body.contains("<d:prop>")) {
                reply(exchange, 400, "missing sync-token or prop");
                return;
            }
            String cal = "/remote.php/dav/calendars/olga/personal/";
            switch (token.group(1)) {
                case SYNC + "1" -> reply(exchange, 207, multistatus(member(cal + "a.ics", "ea") + member(cal + "b.ics", "eb")
                        + "<d:response><d:href>" + cal + "gone.ics</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>"
                        + "<d:response><d:href>" + cal + "</d:href><d:status>HTTP/1.1 507 Insufficient Storage</d:status></d:response>", SYNC + "2"));
                case SYNC + "2" -> reply(exchange, 207, multistatus(member(cal + "c.ics", "ec"), SYNC + "3"));
                default -> reply(exchange, 403, "<?xml version=\"1.0\"?><d:error xmlns:d=\"DAV:\" xmlns:s=\"http://sabredav.org/ns\">"
                        + "<d:valid-sync-token/><s:message>Invalid or unknown sync token</s:message></d:error>");
            }
        } else if (method.equals("REPORT") && body.contains("calendar-multiget")) {
            StringBuilder responses = new StringBuilder();
            Matcher href = Pattern.compile("<d:href>([^<]*)</d:href>").matcher(body);
            while (href.find()) {
                String name = href.group(1).substring(href.group(1).lastIndexOf('/') + 1).replace(".ics", "");
                if (name.equals("gone")) {
                    continue; // sabre leaves an href that does not exist out of the multiget answer (seen on Nextcloud 32)
                }
                responses.append("<d:response><d:href>").append(href.group(1)).append("</d:href><d:propstat><d:prop><d:getetag>&quot;e")
                        .append(name).append("&quot;</d:getetag><cal:calendar-data>")
                        .append(DavFixtures.eventText("uid-" + name, "Event " + name).replace("\r", "&#13;"))
                        .append("</cal:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>");
            }
            reply(exchange, 207, multistatus(responses.toString(), null));
        } else if (method.equals("PUT")) {
            // sabre: the body was changed on store, so no ETag
            reply(exchange, 201, "");
        } else if (method.equals("PROPFIND") && path.equals("/remote.php/dav/") && body.contains("current-user-principal")) {
            reply(exchange, 207, multistatus("<d:response><d:href>/remote.php/dav/</d:href><d:propstat><d:prop><d:current-user-principal>"
                    + "<d:href>/remote.php/dav/principals/users/olga/</d:href></d:current-user-principal></d:prop>"
                    + "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>", null));
        } else if (method.equals("PROPFIND") && path.equals("/remote.php/dav/principals/users/olga/")) {
            reply(exchange, 207, multistatus("<d:response><d:href>" + path + "</d:href><d:propstat><d:prop>"
                    + "<cal:calendar-home-set><d:href>/remote.php/dav/calendars/olga/</d:href></cal:calendar-home-set>"
                    + "<card:addressbook-home-set xmlns:card=\"urn:ietf:params:xml:ns:carddav\"><d:href>/remote.php/dav/addressbooks/users/olga/</d:href></card:addressbook-home-set>"
                    + "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>", null));
        } else if (method.equals("PROPFIND") && path.equals("/remote.php/dav/calendars/olga/")) {
            // Nextcloud's calendar home: the home, a calendar, a task list, the scheduling inbox, the birthdays
            reply(exchange, 207, multistatus(collection(path, "", "")
                    + collection(path + "personal/", "<cal:calendar/>", "VEVENT") + collection(path + "tasks/", "<cal:calendar/>", "VTODO")
                    + collection(path + "inbox/", "<cal:schedule-inbox/>", "") + collection(path + "work/", "<cal:calendar/>", ""), null));
        } else if (method.equals("PROPFIND") && body.contains("calendar-data")) {
            // what PHP answers when rendering every item's content goes over its memory limit
            reply(exchange, 500, "<?xml version=\"1.0\"?><d:error xmlns:d=\"DAV:\" xmlns:s=\"http://sabredav.org/ns\">"
                    + "<s:message>Allowed memory size exhausted</s:message></d:error>");
        } else if (method.equals("PROPFIND")) {
            reply(exchange, 207, multistatus(member(path, "after-normalising"), null));
        } else {
            reply(exchange, 405, "");
        }
    }

    private static String collection(String href, String type, String component) {
        return "<d:response><d:href>" + href + "</d:href><d:propstat><d:prop><d:resourcetype><d:collection/>" + type + "</d:resourcetype>"
                + "<d:displayname>" + href.replaceAll(".*/([^/]+)/$", "$1").toUpperCase(java.util.Locale.ROOT) + "</d:displayname>"
                + (component.isEmpty() ? "" : "<cal:supported-calendar-component-set><cal:comp name=\"" + component + "\"/></cal:supported-calendar-component-set>")
                + "</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>";
    }

    private static String member(String href, String etag) {
        return "<d:response><d:href>" + href + "</d:href><d:propstat><d:prop><d:getetag>&quot;" + etag
                + "&quot;</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>";
    }

    private static String multistatus(String responses, String token) {
        return "<?xml version=\"1.0\"?>\n<d:multistatus xmlns:d=\"DAV:\" xmlns:s=\"http://sabredav.org/ns\" xmlns:cal=\"urn:ietf:params:xml:ns:caldav\">"
                + responses + (token == null ? "" : "<d:sync-token>" + token + "</d:sync-token>") + "</d:multistatus>";
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private CollectionRef calendar() {
        return new CollectionRef(CollectionKind.CALENDAR, "/remote.php/dav/calendars/olga/personal/", "Personal", true);
    }

    @Test
    void truncatedSyncAnswersContinueWithTheNewToken() throws Exception {
        TestClock clock = new TestClock();
        DavItemSource source = new DavItemSource(session, calendar(), clock);
        ChangePage first = source.changes(SyncCursor.sync(SYNC + "1"));
        assertTrue(first.hasMore(), "507 on the collection means more");
        assertFalse(first.complete());
        List<Change> fetched = DavFixtures.withContent(source, first.changes());
        assertEquals(List.of("upsert calendar:uid-a", "upsert calendar:uid-b", "removed calendar:gone"),
                fetched.stream().map(Change::toString).toList());
        assertEquals("\"ea\"", first.changes().get(0).version().orElseThrow(), "the listing carries the ETag");
        assertEquals("\"ea\"", fetched.get(0).item().orElseThrow().version());
        assertTrue(fetched.get(0).item().orElseThrow().content().text().contains("SUMMARY:Event a\r\n"));

        ChangePage second = source.changes(first.next());
        assertFalse(second.hasMore());
        assertEquals(List.of("upsert calendar:uid-c"),
                DavFixtures.withContent(source, second.changes()).stream().map(Change::toString).toList());
        assertEquals(SyncCursor.sync(SYNC + "3", clock.instant().getEpochSecond()), second.next(),
                "a cursor from before full listings were timed is timed from its next round");
        assertTrue(requests.contains("REPORT /remote.php/dav/calendars/olga/personal/"));

        CursorExpiredException expired = assertThrows(CursorExpiredException.class, () -> source.changes(SyncCursor.sync("http://sabre.io/ns/sync/pruned")));
        assertTrue(expired.getMessage().contains("olga"), expired.getMessage());
    }

    @Test
    void discoveryFollowsNextcloudsLayoutWithoutKnowingIt() throws Exception {
        DavItemStore store = DavItemStore.over(session.settings(), account -> session.login());
        List<CollectionRef> calendars = store.collections(DavFixtures.owner("olga"), CollectionKind.CALENDAR);
        assertEquals(List.of("/remote.php/dav/calendars/olga/personal/", "/remote.php/dav/calendars/olga/work/"),
                calendars.stream().map(CollectionRef::id).toList(), "event calendars only: no task list, no inbox");
        assertTrue(calendars.get(0).isDefault());
        assertEquals("PERSONAL", calendars.get(0).displayName());
        store.close();
    }

    @Test
    void aFirstListingWithContentThatFailsIsAskedAgainWithout() throws Exception {
        DavItemSource source = new DavItemSource(session, calendar(), new TestClock());
        session.noteChanges(calendar().id(), 3); // the home listing said small
        int before = requests.size();
        ChangePage listed = source.changes(io.nexchange.api.source.Cursor.INITIAL);
        assertEquals(List.of("PROPFIND /remote.php/dav/calendars/olga/personal/", "PROPFIND /remote.php/dav/calendars/olga/personal/"),
                requests.subList(before, requests.size()), "with content (500), then without");
        assertTrue(listed.complete());
        assertTrue(listed.changes().stream().allMatch(c -> c.item().isEmpty()), listed.changes().toString());
    }

    @Test
    void aPutAnsweredWithoutEtagIsReadBack() throws Exception {
        DavItemTarget target = new DavItemTarget(session, calendar());
        int before = requests.size();
        ItemVersion version = target.create(ItemKey.event("normalised"), DavFixtures.event("normalised", "N"));
        assertEquals("\"after-normalising\"", version.version());
        assertEquals(List.of("PUT /remote.php/dav/calendars/olga/personal/normalised.ics",
                "PROPFIND /remote.php/dav/calendars/olga/personal/normalised.ics"), requests.subList(before, requests.size()));
    }
}
