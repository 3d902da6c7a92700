package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.api.directory.Resolution;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountDirectoryTest {
    static Mailbox mailbox(String smtp) {
        return new Mailbox(smtp, smtp, "");
    }

    @Test
    void mappingFileResolvesReportsAmbiguityAndReloadsWhenChanged(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("account-mapping.csv");
        Files.writeString(file, "primary_smtp,nextcloud_user_id\n# comment\nAlice@Example.org,alice\n"
                + "carol@example.org,carol\ncarol@example.org,carol.b\n");
        CsvAccountDirectory directory = new CsvAccountDirectory(file);
        assertEquals("alice", directory.resolve(mailbox("alice@example.org")).account().orElseThrow().userId());
        Resolution carol = directory.resolve(mailbox("carol@example.org"));
        assertTrue(carol.isAmbiguous());
        assertTrue(directory.resolve(mailbox("bob@example.org")).isUnmapped());

        Files.writeString(file, "bob@example.org,bob\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals("bob", directory.resolve(mailbox("bob@example.org")).account().orElseThrow().userId());
        assertTrue(directory.resolve(mailbox("alice@example.org")).isUnmapped());

        Files.writeString(file, "just-one-cell\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        DirectoryException bad = assertThrows(DirectoryException.class, () -> directory.resolve(mailbox("bob@example.org")));
        assertTrue(bad.getMessage().contains("line 1"), bad.getMessage());
    }

    @Test
    void ocsDirectoryMatchesByEmailOnlyAndReportsAmbiguity() throws Exception {
        Map<String, String> emails = Map.of("alice", "alice@example.org", "alice-test", "alice.test@example.org",
                "carol", "carol@example.org", "carol2", "CAROL@example.org");
        AtomicInteger requests = new AtomicInteger();
        List<String> apiHeaders = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ocs/v1.php/cloud/users", exchange -> {
            requests.incrementAndGet();
            apiHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("OCS-APIRequest")));
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String body;
            int status = 200;
            if (!("Basic " + java.util.Base64.getEncoder().encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8)))
                    .equals(auth)) {
                status = 401;
                body = "";
            } else if (exchange.getRequestURI().getPath().equals("/ocs/v1.php/cloud/users")) {
                String search = URLDecoder.decode(exchange.getRequestURI().getRawQuery().substring("search=".length()),
                        StandardCharsets.UTF_8).toLowerCase();
                String local = search.substring(0, search.indexOf('@'));
                StringBuilder users = new StringBuilder();
                // like Nextcloud, the search also matches ids and display names, so there are false candidates
                emails.keySet().stream().sorted().filter(id -> id.startsWith(local))
                        .forEach(id -> users.append("<element>").append(id).append("</element>"));
                body = ocs("<users>" + users + "</users>");
            } else {
                String id = exchange.getRequestURI().getPath().substring("/ocs/v1.php/cloud/users/".length());
                body = ocs("<id>" + id + "</id><email>" + emails.get(id) + "</email><displayname>" + id + "</displayname>");
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            OcsAccountDirectory directory = new OcsAccountDirectory(base, "admin", Secret.of("s3cret"), Duration.ofMinutes(15),
                    Duration.ofSeconds(5), Clock.systemUTC());
            Resolution alice = directory.resolve(mailbox("alice@example.org"));
            assertEquals(List.of("alice"), alice.candidates().stream().map(a -> a.userId()).toList());
            assertTrue(directory.resolve(mailbox("carol@example.org")).isAmbiguous());
            assertTrue(directory.resolve(mailbox("dave@example.org")).isUnmapped());
            int afterFirst = requests.get();
            directory.resolve(mailbox("alice@example.org"));
            assertEquals(afterFirst, requests.get(), "cached");
            assertFalse(apiHeaders.contains("null"), "every request carries OCS-APIRequest: true");

            OcsAccountDirectory wrong = new OcsAccountDirectory(base, "admin", Secret.of("wrong"), Duration.ofMinutes(15),
                    Duration.ofSeconds(5), Clock.systemUTC());
            DirectoryException refused = assertThrows(DirectoryException.class, () -> wrong.resolve(mailbox("alice@example.org")));
            assertTrue(refused.getMessage().contains("adminUser") && !refused.getMessage().contains("wrong"),
                    refused.getMessage());
        } finally {
            server.stop(0);
        }
    }

    private static String ocs(String data) {
        return "<?xml version=\"1.0\"?>\n<ocs><meta><status>ok</status><statuscode>100</statuscode><message>OK</message>"
                + "</meta><data>" + data + "</data></ocs>";
    }
}
