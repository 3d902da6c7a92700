package io.nexchange.testing.nextcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.testing.dav.DavTestServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The harness drives the real kit: users with app passwords, the request log, occ, brute-force protection. */
@ExtendWith(NextcloudExtension.class)
class NextcloudServerTest {

    @Test
    void addsUsersWhoseAppPasswordsOpenTheirDefaultCollections(NextcloudServer nextcloud) {
        NextcloudServer.User alice = nextcloud.addUser("harness-alice", "harness-alice@example.org", "Alice Harness");
        assertNotEquals(alice.password(), alice.appPassword());
        assertFalse(alice.toString().contains(alice.appPassword()), "no password in toString");

        int mark = nextcloud.mark();
        HttpResponse<String> calendar = nextcloud.http("PROPFIND", "/remote.php/dav/calendars/harness-alice/personal/",
                alice.name(), alice.appPassword(), null, "Depth", "0");
        HttpResponse<String> contacts = nextcloud.http("PROPFIND", "/remote.php/dav/addressbooks/users/harness-alice/contacts/",
                alice.name(), alice.appPassword(), null, "Depth", "0");
        assertEquals(207, calendar.statusCode(), "the first login with the real password made 'personal'");
        assertEquals(207, contacts.statusCode());
        List<DavTestServer.Request> logged = nextcloud.requestsSince(mark);
        assertEquals(List.of(new DavTestServer.Request("PROPFIND", "/remote.php/dav/calendars/harness-alice/personal/", 207),
                new DavTestServer.Request("PROPFIND", "/remote.php/dav/addressbooks/users/harness-alice/contacts/", 207)), logged);
        assertEquals(2, nextcloud.connectionsSince(mark), "PHP's built-in server closes the connection after each request");

        assertTrue(nextcloud.occ("user:list").contains("harness-alice"));
        assertEquals(401, nextcloud.http("PROPFIND", "/remote.php/dav/", "harness-alice", "wrong", null, "Depth", "0").statusCode());
        nextcloud.resetBruteForceAttempts(); // the failed login above was on purpose
    }

    @Test
    void bruteForceProtectionIsOnAsOnARealServerAndCanBeReset(NextcloudServer nextcloud) {
        NextcloudServer.User bob = nextcloud.addUser("harness-bob");
        assertThrows(IllegalStateException.class, () -> nextcloud.occ("config:system:get", "auth.bruteforce.protection.enabled"),
                "the kit's 'false' is gone, so the default (on) applies");
        int mark = nextcloud.mark();
        for (int i = 0; i < 11; i++) {
            assertEquals(401, nextcloud.http("PROPFIND", "/remote.php/dav/", bob.name(), "wrong", null, "Depth", "0").statusCode());
        }
        assertEquals(429, nextcloud.http("PROPFIND", "/remote.php/dav/", bob.name(), bob.appPassword(), null, "Depth", "0").statusCode(),
                "more than 10 failed logins in 30 minutes block the address, even for a correct login");
        assertEquals(11, nextcloud.requestsSince(mark).stream().filter(r -> r.status() == 401).count(), "the access log counts them");
        nextcloud.resetBruteForceAttempts();
        assertEquals(207, nextcloud.http("PROPFIND", "/remote.php/dav/", bob.name(), bob.appPassword(), null, "Depth", "0").statusCode());

        nextcloud.disableBruteForceProtection();
        assertEquals("false", nextcloud.occ("config:system:get", "auth.bruteforce.protection.enabled").strip());
        nextcloud.enableBruteForceProtection();
    }
}
