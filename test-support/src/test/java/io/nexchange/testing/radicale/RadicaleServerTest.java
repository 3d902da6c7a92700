package io.nexchange.testing.radicale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Pins down the Radicale behaviour the DAV code and its tests rely on, with a plain HTTP client. */
class RadicaleServerTest {
    private static final String EVENT = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:ev1\r\n"
            + "DTSTAMP:20250101T000000Z\r\nDTSTART:20250102T100000Z\r\nDTEND:20250102T110000Z\r\nSUMMARY:One\r\n"
            + "END:VEVENT\r\nEND:VCALENDAR\r\n";

    @Test
    void behavesAsTheDavCodeExpects() throws Exception {
        try (RadicaleServer radicale = RadicaleServer.start()) {
            radicale.addUser("alice", "alice-pw").addUser("bob", "bob-pw");
            String base = radicale.baseUrl();

            assertEquals(201, send("alice", "alice-pw", "MKCALENDAR", base + "alice/work/", "").statusCode());
            assertEquals(409, send("alice", "alice-pw", "MKCALENDAR", base + "alice/work/", "").statusCode(),
                    "a second MKCALENDAR on the same path");
            assertEquals(201, send("alice", "alice-pw", "MKCOL", base + "alice/contacts/",
                    "<d:mkcol xmlns:d=\"DAV:\" xmlns:card=\"urn:ietf:params:xml:ns:carddav\"><d:set><d:prop><d:resourcetype>"
                            + "<d:collection/><card:addressbook/></d:resourcetype></d:prop></d:set></d:mkcol>").statusCode());

            HttpResponse<String> put = send("alice", "alice-pw", "PUT", base + "alice/work/ev1.ics", EVENT, "If-None-Match", "*");
            assertEquals(201, put.statusCode());
            assertTrue(put.headers().firstValue("ETag").isPresent(), "PUT returns an ETag");
            assertEquals(412, send("alice", "alice-pw", "PUT", base + "alice/work/ev1.ics", EVENT, "If-None-Match", "*").statusCode());
            assertEquals(412, send("alice", "alice-pw", "PUT", base + "alice/work/ev1.ics", EVENT, "If-Match", "\"stale\"").statusCode());

            HttpResponse<String> sync = send("alice", "alice-pw", "REPORT", base + "alice/work/", syncCollection(""));
            assertEquals(207, sync.statusCode());
            Matcher token = Pattern.compile("<sync-token>([^<]+)</sync-token>").matcher(sync.body());
            assertTrue(token.find(), sync.body());
            HttpResponse<String> bad = send("alice", "alice-pw", "REPORT", base + "alice/work/", syncCollection("http://radicale.org/ns/sync/nope"));
            assertEquals(403, bad.statusCode());
            assertTrue(bad.body().contains("valid-sync-token"), bad.body());

            assertEquals(403, send("bob", "bob-pw", "PROPFIND", base + "alice/work/", "").statusCode(), "bob reads alice's calendar");
            assertEquals(401, send("alice", "wrong", "PROPFIND", base + "alice/", "").statusCode());

            int mark = radicale.mark();
            send("alice", "alice-pw", "DELETE", base + "alice/work/ev1.ics", "");
            assertEquals(1, radicale.countSince(mark, "DELETE"));
            assertEquals(0, radicale.countSince(mark, "PUT"));
        }
    }

    @Test
    void plainPasswordsWorkAndCloseStopsTheServer() throws Exception {
        RadicaleServer radicale = RadicaleServer.start(RadicaleServer.PasswordEncryption.PLAIN);
        radicale.addUser("carol", "pw");
        assertEquals(207, send("carol", "pw", "PROPFIND", radicale.baseUrl() + "carol/", "").statusCode());
        radicale.close();
        assertFalse(radicale.isRunning());
        assertFalse(radicale.storageFolder().toFile().exists());
    }

    private static String syncCollection(String token) {
        return "<d:sync-collection xmlns:d=\"DAV:\"><d:sync-token>" + token + "</d:sync-token><d:sync-level>1</d:sync-level>"
                + "<d:prop><d:getetag/></d:prop></d:sync-collection>";
    }

    private HttpResponse<String> send(String user, String password, String method, String url, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        if (method.equals("PROPFIND") || method.equals("REPORT")) {
            request.header("Depth", method.equals("PROPFIND") ? "1" : "0");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        // a client per request: Radicale answers HTTP/1.0 and closes, and a pooled connection would be stale
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
