package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.api.directory.Resolution;
import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.nextcloud.NextcloudExtension;
import io.nexchange.testing.nextcloud.NextcloudServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The OCS account directory against Nextcloud's real provisioning API, with the admin's app password. */
@ExtendWith(NextcloudExtension.class)
class OcsAccountDirectoryNextcloudTest {

    @Test
    void findsEnabledAccountsByEmailAcrossPagesAndNamesTheSettingOnARefusedLogin(NextcloudServer nextcloud) throws Exception {
        String admin = nextcloud.adminAppPassword();
        // accounts made through the provisioning API, as an admin would (no first login needed for the directory)
        addUser(nextcloud, "dora", "dora@example.org", "Dora Directory");
        addUser(nextcloud, "dora-assistant", "assistant@example.org", "Assistant of dora@example.org"); // found by the search, wrong e-mail
        addUser(nextcloud, "carol", "carol@example.org", "Carol");
        addUser(nextcloud, "carol2", "CAROL@example.org", "Carol Two");
        addUser(nextcloud, "gone", "gone@example.org", "Gone");
        nextcloud.occ("user:disable", "gone");
        // three candidates for one search, asked two at a time: the match is on the second page
        addUser(nextcloud, "a-page@example.org", "other1@example.org", "Page One");
        addUser(nextcloud, "b-page@example.org", "other2@example.org", "Page Two");
        addUser(nextcloud, "page", "page@example.org", "Paged");

        int mark = nextcloud.mark();
        OcsAccountDirectory directory = new OcsAccountDirectory(URI.create(nextcloud.url()), "admin", Secret.of(admin),
                Duration.ofMinutes(15), Duration.ofSeconds(10), Clock.systemUTC(), 2);
        Resolution dora = directory.resolve(mailbox("dora@example.org"));
        assertEquals(List.of("dora"), dora.candidates().stream().map(a -> a.userId()).toList(), "only the account whose e-mail it is");
        assertEquals("Dora Directory", dora.candidates().get(0).displayName());
        assertTrue(directory.resolve(mailbox("carol@example.org")).isAmbiguous(), "two accounts with that address (any case)");
        assertTrue(directory.resolve(mailbox("gone@example.org")).isUnmapped(), "a disabled account is no target");
        assertTrue(directory.resolve(mailbox("nobody@example.org")).isUnmapped());
        assertEquals(List.of("page"), directory.resolve(mailbox("page@example.org")).candidates().stream().map(a -> a.userId()).toList());
        List<DavTestServer.Request> searches = nextcloud.requestsSince(mark).stream()
                .filter(r -> r.path().startsWith("/ocs/v1.php/cloud/users?search=page%40example.org")).toList();
        assertEquals(2, searches.size(), "two pages of two: " + searches);
        assertTrue(searches.get(1).path().endsWith("&limit=2&offset=2"), searches.toString());

        int cached = nextcloud.mark();
        directory.resolve(mailbox("dora@example.org"));
        assertEquals(0, nextcloud.requestsSince(cached).size(), "cached");

        OcsAccountDirectory wrong = new OcsAccountDirectory(URI.create(nextcloud.url()), "admin", Secret.of("wrong-app-password"),
                Duration.ofMinutes(15), Duration.ofSeconds(10), Clock.systemUTC());
        DirectoryException refused = assertThrows(DirectoryException.class, () -> wrong.resolve(mailbox("dora@example.org")));
        assertTrue(refused.getMessage().contains("adminUser"), refused.getMessage());
        assertFalse(refused.getMessage().contains("wrong-app-password"), refused.getMessage());

        addUser(nextcloud, "plain", "plain@example.org", "Plain");
        OcsAccountDirectory notAdmin = new OcsAccountDirectory(URI.create(nextcloud.url()), "plain",
                Secret.of(nextcloud.appPassword("plain", "Plain-password-1")), Duration.ofMinutes(15), Duration.ofSeconds(10), Clock.systemUTC());
        DirectoryException forbidden = assertThrows(DirectoryException.class, () -> notAdmin.resolve(mailbox("dora@example.org")));
        assertTrue(forbidden.getMessage().contains("must be an admin"), forbidden.getMessage());
    }

    private static void addUser(NextcloudServer nextcloud, String id, String email, String displayName) {
        var created = nextcloud.http("POST", "/ocs/v2.php/cloud/users?format=json", nextcloud.adminUser(), nextcloud.adminPassword(),
                "userid=" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8) + "&password=Plain-password-1"
                        + "&email=" + java.net.URLEncoder.encode(email, java.nio.charset.StandardCharsets.UTF_8)
                        + "&displayName=" + java.net.URLEncoder.encode(displayName, java.nio.charset.StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded");
        assertTrue(created.body().contains("\"statuscode\":200"), "created " + id + ": " + created.body());
    }

    private static Mailbox mailbox(String address) {
        return new Mailbox(address + "-id", address, address);
    }
}
