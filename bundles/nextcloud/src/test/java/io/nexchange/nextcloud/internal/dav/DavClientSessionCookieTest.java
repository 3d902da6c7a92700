package io.nexchange.nextcloud.internal.dav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session cookie Nextcloud sets is sent back by the client of the same login, and never by another login's client:
 * Nextcloud takes a live session over the Basic credentials (checked on Nextcloud 32 with curl: another user's
 * credentials with a session cookie act as the session's user), so a shared cookie would write into the wrong account.
 * A loopback server answers as Nextcloud does: a {@code Set-Cookie} on every answer to a request without a session.
 */
class DavClientSessionCookieTest {
    private record Seen(String method, String login, String cookie) {}

    private HttpServer server;
    private final List<Seen> seen = new ArrayList<>();
    private URI base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/remote.php/dav/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        String login = basic == null ? "" : new String(Base64.getDecoder().decode(basic.substring("Basic ".length())),
                StandardCharsets.UTF_8).split(":")[0];
        String cookie = exchange.getRequestHeaders().getFirst("Cookie");
        synchronized (seen) {
            seen.add(new Seen(exchange.getRequestMethod(), login, cookie));
        }
        if (cookie == null) {
            exchange.getResponseHeaders().add("Set-Cookie", "ocinstance=" + login + "-session; path=/; HttpOnly; SameSite=Lax");
            exchange.getResponseHeaders().add("Set-Cookie", "nc_sameSiteCookielax=true; path=/; httponly;expires=Fri, 31-Dec-2100 23:59:59 GMT; SameSite=lax");
        }
        int status = exchange.getRequestMethod().equals("DELETE") ? 500 : exchange.getRequestMethod().equals("PUT") ? 201 : 207;
        byte[] body = status == 207
                ? "<?xml version=\"1.0\"?><d:multistatus xmlns:d=\"DAV:\"></d:multistatus>".getBytes(StandardCharsets.UTF_8)
                : "<d:error xmlns:d=\"DAV:\"/>".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml; charset=utf-8");
        exchange.sendResponseHeaders(status, status == 201 ? -1 : body.length);
        if (status != 201) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private DavClient client(String login) {
        return new DavClient(base, login, "secret-of-" + login, Duration.ofSeconds(5), Duration.ofSeconds(5), 2);
    }

    @Test
    void aLoginSendsBackItsOwnSessionCookieAndNeverAnothers() throws Exception {
        try (DavClient olga = client("olga"); DavClient pavel = client("pavel")) {
            olga.propfind(base, "0", "<d:propfind xmlns:d=\"DAV:\"><d:prop><d:getetag/></d:prop></d:propfind>");
            olga.put(base.resolve("calendars/olga/personal/a.ics"), "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".getBytes(StandardCharsets.UTF_8),
                    "text/calendar; charset=utf-8", Map.of("If-None-Match", "*"));
            pavel.propfind(base, "0", "<d:propfind xmlns:d=\"DAV:\"><d:prop><d:getetag/></d:prop></d:propfind>");
            olga.put(base.resolve("calendars/olga/personal/b.ics"), "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".getBytes(StandardCharsets.UTF_8),
                    "text/calendar; charset=utf-8", Map.of("If-None-Match", "*"));
            pavel.put(base.resolve("calendars/pavel/personal/a.ics"), "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".getBytes(StandardCharsets.UTF_8),
                    "text/calendar; charset=utf-8", Map.of("If-None-Match", "*"));
            DavHttpException failed = assertThrows(DavHttpException.class,
                    () -> olga.delete(base.resolve("calendars/olga/personal/a.ics"), Map.of()));

            assertEquals(List.of(
                    new Seen("PROPFIND", "olga", null),
                    new Seen("PUT", "olga", "nc_sameSiteCookielax=true; ocinstance=olga-session"),
                    new Seen("PROPFIND", "pavel", null),
                    new Seen("PUT", "olga", "nc_sameSiteCookielax=true; ocinstance=olga-session"),
                    new Seen("PUT", "pavel", "nc_sameSiteCookielax=true; ocinstance=pavel-session"),
                    new Seen("DELETE", "olga", "nc_sameSiteCookielax=true; ocinstance=olga-session")), seen.stream()
                    .map(s -> new Seen(s.method(), s.login(), s.cookie() == null ? null : sorted(s.cookie()))).toList());
            // the session cookie is as secret as the password
            assertFalse(String.valueOf(failed.getMessage()).contains("olga-session"), failed.getMessage());
            assertFalse(String.valueOf(failed).contains("olga-session"));
        }
    }

    private static String sorted(String cookieHeader) {
        return String.join("; ", java.util.Arrays.stream(cookieHeader.split(";\\s*")).sorted().toList());
    }
}
