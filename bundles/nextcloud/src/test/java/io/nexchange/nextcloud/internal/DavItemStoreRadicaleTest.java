package io.nexchange.nextcloud.internal;

import static io.nexchange.nextcloud.internal.DavFixtures.event;
import static io.nexchange.nextcloud.internal.DavFixtures.eventText;
import static io.nexchange.nextcloud.internal.DavFixtures.owner;
import static io.nexchange.nextcloud.internal.DavFixtures.vcard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.sardine.Sardine;
import com.github.sardine.SardineFactory;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.CursorExpiredException;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.StoreException;
import io.nexchange.testing.radicale.RadicaleExtension;
import io.nexchange.testing.radicale.RadicaleServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The CalDAV/CardDAV store against a real Radicale: the {@link DavItemStoreContract}, and Radicale's discovery. */
@ExtendWith(RadicaleExtension.class)
class DavItemStoreRadicaleTest extends DavItemStoreContract {

    private static DavItemStore storeFor(RadicaleServer radicale, String user) {
        radicale.addUser(user, user + "-app-password");
        return DavFixtures.store(radicale.baseUrl(), new DavFixtures.Logins().with(user, user + "-app-password"));
    }

    @Test
    void discoversHomesAndCreatesCalendarsAndAddressBooksOnce(RadicaleServer radicale) throws Exception {
        try (DavItemStore store = storeFor(radicale, "dora")) {
            Owner dora = owner("dora");
            assertEquals(List.of(), store.collections(dora, CollectionKind.CALENDAR));

            int mark = radicale.mark();
            CollectionRef personal = store.ensureCollection(dora, CollectionKind.CALENDAR, "");
            CollectionRef work = store.ensureCollection(dora, CollectionKind.CALENDAR, "Work Meetings");
            CollectionRef contacts = store.ensureCollection(dora, CollectionKind.CONTACTS, "");
            assertEquals(2, radicale.countSince(mark, "MKCALENDAR"));
            assertEquals(1, radicale.countSince(mark, "MKCOL"));
            assertEquals("/dora/personal/", personal.id());
            assertTrue(personal.isDefault());
            assertEquals("Work Meetings", work.displayName());
            assertFalse(work.isDefault());
            assertEquals(CollectionKind.CONTACTS, contacts.kind());

            // a task-only calendar is no place for events
            Sardine plain = SardineFactory.begin("dora", "dora-app-password");
            byte[] mkcalendarTasks = ("<c:mkcalendar xmlns:d=\"DAV:\" xmlns:c=\"urn:ietf:params:xml:ns:caldav\"><d:set><d:prop>"
                    + "<c:supported-calendar-component-set><c:comp name=\"VTODO\"/></c:supported-calendar-component-set>"
                    + "</d:prop></d:set></c:mkcalendar>").getBytes(StandardCharsets.UTF_8);
            rawRequest(radicale, "dora", "MKCALENDAR", "dora/tasks/", mkcalendarTasks);
            plain.shutdown();

            mark = radicale.mark();
            assertEquals(personal.id(), store.ensureCollection(dora, CollectionKind.CALENDAR, "").id());
            assertEquals(work.id(), store.ensureCollection(dora, CollectionKind.CALENDAR, "Work Meetings").id());
            assertEquals(contacts.id(), store.ensureCollection(dora, CollectionKind.CONTACTS, "").id());
            assertEquals(0, radicale.countSince(mark, "MKCALENDAR") + radicale.countSince(mark, "MKCOL"), "existing collections are found, not recreated");
            Set<String> calendars = store.collections(dora, CollectionKind.CALENDAR).stream().map(CollectionRef::id).collect(Collectors.toSet());
            assertEquals(Set.of("/dora/personal/", work.id()), calendars);
            assertEquals(List.of(contacts.id()), store.collections(dora, CollectionKind.CONTACTS).stream().map(CollectionRef::id).toList());
        }
    }

    @Test
    void connectionRefusedNamesTheConfiguredUrl() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/remote.php/dav/";
        try (DavItemStore store = DavFixtures.store(url, new DavFixtures.Logins().with("nora", "pw"))) {
            StoreException e = assertThrows(StoreException.class, () -> store.collections(owner("nora"), CollectionKind.CALENDAR));
            assertTrue(e.getMessage().contains(url), e.getMessage());
            assertTrue(e.isTransient());
        }
    }

    private static void rawRequest(RadicaleServer radicale, String user, String method, String path, byte[] body) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(radicale.baseUrl() + path))
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + user + "-app-password").getBytes(StandardCharsets.UTF_8)))
                .build();
        int status = http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
        assertEquals(201, status, method + " " + path);
    }
}
