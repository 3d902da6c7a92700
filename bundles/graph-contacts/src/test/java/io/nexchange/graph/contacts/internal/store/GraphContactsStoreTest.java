package io.nexchange.graph.contacts.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.graph.models.Contact;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import ezvcard.Ezvcard;
import ezvcard.VCard;
import ezvcard.property.Email;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.CursorExpiredException;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.client.testing.SandboxGraph;
import io.nexchange.sandbox.AppRegistration;
import io.nexchange.sandbox.RequestCounts;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.throttling.RegistrationAssignment;
import io.nexchange.throttling.internal.ThrottleLimits;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Graph contacts store and mailbox directory against the sandbox in-process, through the real GraphClients. */
class GraphContactsStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SandboxServer sandbox;
    private static SandboxGraph env;
    private static GraphContactsStore store;
    private static GraphServiceClient graph;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxServer.start(SandboxOptions.defaults().users(10).eventsPerMailbox(2).contactsPerMailbox(40).seed(5)
                .retryAfter("0.2"));
        env = new SandboxGraph(sandbox, ThrottleLimits.OUTLOOK);
        store = new GraphContactsStore(env.clients, RegistrationAssignment.of(SandboxGraph.REGISTRATION), 15, false);
        graph = env.clients.forRegistration(SandboxGraph.REGISTRATION);
    }

    @AfterAll
    static void stop() {
        if (env != null) {
            env.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    record Round(Map<ItemKey, Change> changes, int pages, Cursor cursor, boolean complete) {
    }

    static Round read(ItemSource source, Cursor from) throws StoreException {
        Map<ItemKey, Change> changes = new LinkedHashMap<>();
        Cursor cursor = from;
        int pages = 0;
        boolean complete;
        ChangePage page;
        do {
            page = source.changes(cursor);
            pages++;
            page.changes().forEach(c -> changes.put(c.key(), c));
            cursor = page.next();
            complete = page.complete();
        } while (page.hasMore());
        return new Round(changes, pages, cursor, complete);
    }

    private static CollectionRef defaultFolder(Owner owner) throws StoreException {
        CollectionRef folder = store.collections(owner, CollectionKind.CONTACTS).get(0);
        assertTrue(folder.isDefault());
        return folder;
    }

    private static byte[] photo(String mailbox, String id) throws Exception {
        try (InputStream in = graph.users().byUserId(mailbox).contacts().byContactId(id).photo().content().get()) {
            return in.readAllBytes();
        } catch (ODataError e) {
            assertEquals(404, e.getResponseStatusCode());
            return null;
        }
    }

    @Test
    void initialReadEqualsTheSandboxFieldByField() throws Exception {
        String mailbox = sandbox.mailboxes().get(0);
        Owner owner = SandboxGraph.owner(mailbox);
        CollectionRef folder = defaultFolder(owner);
        sandbox.resetCounters();
        long started = System.nanoTime();
        Round round = read(store.source(owner, folder), Cursor.INITIAL);
        double seconds = (System.nanoTime() - started) / 1e9;
        RequestCounts counts = sandbox.counters();
        assertTrue(round.complete());
        assertTrue(round.pages() > 1);

        List<Contact> expected = new ArrayList<>();
        var page = graph.users().byUserId(mailbox).contactFolders().byContactFolderId(folder.id()).contacts().get(c -> c.queryParameters.top = 999);
        expected.addAll(page.getValue());
        TreeSet<String> expectedIds = new TreeSet<>();
        expected.forEach(c -> expectedIds.add(c.getId()));
        TreeSet<String> readIds = new TreeSet<>();
        round.changes().keySet().forEach(k -> readIds.add(k.value()));
        assertEquals(expectedIds, readIds);
        int photos = 0;
        for (Contact c : expected) {
            Change change = round.changes().get(ItemKey.contact(c.getId()));
            assertEquals(c.getId(), change.ref());
            assertEquals(c.getChangeKey(), change.item().orElseThrow().version());
            String text = change.item().orElseThrow().content().text();
            assertTrue(text.startsWith("BEGIN:VCARD\r\nVERSION:3.0\r\n"), "vCard 3.0");
            VCard card = Ezvcard.parse(text).first();
            String what = mailbox + " " + c.getDisplayName();
            assertEquals(c.getId(), card.getUid().getValue(), what);
            if (c.getDisplayName() != null && !c.getDisplayName().isBlank()) {
                assertEquals(c.getDisplayName(), card.getFormattedName().getValue(), what);
            }
            assertEquals(nullIfBlank(c.getGivenName()), nullIfBlank(card.getStructuredName().getGiven()), what);
            assertEquals(nullIfBlank(c.getSurname()), nullIfBlank(card.getStructuredName().getFamily()), what);
            assertEquals(c.getEmailAddresses().stream().map(EmailAddress::getAddress).map(a -> a.toLowerCase(Locale.ROOT)).toList(),
                    card.getEmails().stream().map(Email::getValue).map(a -> a.toLowerCase(Locale.ROOT)).toList(), what);
            int phones = (c.getBusinessPhones() == null ? 0 : c.getBusinessPhones().size()) + (c.getHomePhones() == null ? 0
                    : c.getHomePhones().size()) + (c.getMobilePhone() == null || c.getMobilePhone().isBlank() ? 0 : 1);
            assertEquals(phones, card.getTelephoneNumbers().size(), what);
            if (c.getCompanyName() != null && !c.getCompanyName().isBlank()) {
                assertEquals(c.getCompanyName(), card.getOrganization().getValues().get(0), what);
            }
            if (c.getJobTitle() != null && !c.getJobTitle().isBlank()) {
                assertEquals(c.getJobTitle(), card.getTitles().get(0).getValue(), what);
            }
            if (c.getPersonalNotes() != null && !c.getPersonalNotes().isBlank()) {
                assertEquals(c.getPersonalNotes().replace("\r\n", "\n"), card.getNotes().get(0).getValue().replace("\r\n", "\n"), what);
            }
            if (c.getBirthday() != null) {
                assertNotNull(card.getBirthday(), what);
            }
            byte[] bytes = photo(mailbox, c.getId());
            if (bytes == null) {
                assertTrue(card.getPhotos().isEmpty(), what + ": no photo");
            } else {
                photos++;
                assertArrayEquals(bytes, card.getPhotos().get(0).getData(), what + ": photo bytes");
            }
        }
        assertTrue(photos > 0 && photos < expected.size(), "some contacts with photo, some without");
        long envelopes = counts.endpoint("POST /$batch");
        long charged = counts.total() - envelopes;
        assertTrue(envelopes > 0, "photos read in $batch");
        // pages of 15 (> 1 contact each): every photo GET went inside a batch
        long roundTrips = counts.endpoint("GET /users/{id}/contactFolders/{id}/contacts/delta") + envelopes;
        System.out.printf("[figures] initial contacts read of %s: %d contacts (%d with photo) in %d pages; %d HTTP round trips"
                + " = %.2f per item; %d requests charged by Graph = %.2f per item; %.2f s = %.0f items/s; %s%n", mailbox,
                expected.size(), photos, round.pages(), roundTrips, (double) roundTrips / expected.size(), charged,
                (double) charged / expected.size(), seconds, expected.size() / seconds, counts.byEndpoint());
    }

    @Test
    void incrementalRoundsCarryEditsAdditionsAndDeletions() throws Exception {
        String mailbox = sandbox.mailboxes().get(1);
        Owner owner = SandboxGraph.owner(mailbox);
        CollectionRef folder = defaultFolder(owner);
        ItemSource source = store.source(owner, folder);
        Round initial = read(source, Cursor.INITIAL);
        List<String> ids = new ArrayList<>(initial.changes().keySet().stream().map(ItemKey::value).toList());
        String edited = ids.get(0);
        String deleted = ids.get(1);
        sandbox.updateContact(mailbox, edited, "{\"jobTitle\":\"Head of Testing\",\"givenName\":\"Renamed\"}");
        sandbox.deleteContact(mailbox, deleted);
        String created = JSON.readTree(sandbox.createContact(mailbox, "{\"givenName\":\"Nora\",\"surname\":\"New\",\"displayName\":"
                + "\"Nora New\",\"emailAddresses\":[{\"address\":\"nora@example.org\",\"name\":\"Nora New\"}]}")).get("id").asText();

        Round next = read(source, initial.cursor());
        assertFalse(next.complete());
        assertEquals(3, next.changes().size(), next.changes().keySet().toString());
        VCard card = Ezvcard.parse(next.changes().get(ItemKey.contact(edited)).item().orElseThrow().content().text()).first();
        assertEquals("Head of Testing", card.getTitles().get(0).getValue());
        assertEquals("Renamed", card.getStructuredName().getGiven());
        assertTrue(next.changes().get(ItemKey.contact(deleted)).isRemoval());
        VCard newCard = Ezvcard.parse(next.changes().get(ItemKey.contact(created)).item().orElseThrow().content().text()).first();
        assertEquals("Nora New", newCard.getFormattedName().getValue());
        assertEquals(0, read(source, next.cursor()).changes().size(), "nothing changed since");

        // the key survives the EWS -> Graph switch: an EWS id is the same identifier (translateExchangeIds agrees)
        String ewsId = SandboxServer.ewsIdOf(edited);
        assertEquals(edited, ewsId.replace('/', '-').replace('+', '_'));

        sandbox.expireDeltaTokens(mailbox);
        assertThrows(CursorExpiredException.class, () -> store.source(owner, folder).changes(next.cursor()));
    }

    @Test
    void setupProblemsNameWhatToFix() throws Exception {
        // a user without Exchange Online mailbox: MailboxNotEnabledForRESTAPI, the message names the licence
        String noMailbox = sandbox.usersWithoutMailbox().get(0);
        StoreException unlicensed = assertThrows(StoreException.class, () -> store.collections(SandboxGraph.owner(noMailbox),
                CollectionKind.CONTACTS));
        assertFalse(unlicensed.isTransient());
        assertTrue(unlicensed.getMessage().contains("MailboxNotEnabledForRESTAPI") && unlicensed.getMessage().contains("licence"),
                unlicensed.getMessage());

        // an app registration without admin consent: 403, the message names the permission and the consent step
        AppRegistration unconsented = sandbox.registerApp(AppRegistration.builder("no consent").clientSecret("not-a-real-secret-" + System.nanoTime()).adminConsent(false).build());
        env.addRegistration("unconsented", unconsented);
        GraphContactsStore other = new GraphContactsStore(env.clients, RegistrationAssignment.of("unconsented"), 10, false);
        StoreException denied = assertThrows(StoreException.class, () -> other.collections(SandboxGraph.owner(sandbox.mailboxes().get(0)),
                CollectionKind.CONTACTS));
        assertFalse(denied.isTransient());
        assertTrue(denied.getMessage().contains("Contacts.ReadWrite") && denied.getMessage().contains("Grant admin consent"),
                denied.getMessage());

        // no TokenProvider for the registration: the configuration is named
        GraphContactsStore missing = new GraphContactsStore(env.clients, RegistrationAssignment.of("nowhere"), 10, false);
        StoreException notConfigured = assertThrows(StoreException.class, () -> missing.collections(SandboxGraph.owner(
                sandbox.mailboxes().get(0)), CollectionKind.CONTACTS));
        assertTrue(notConfigured.getMessage().contains("nowhere"), notConfigured.getMessage());
    }

    @Test
    void contactWritesAreConditionalAndCarryThePhoto() throws Exception {
        String mailbox = sandbox.mailboxes().get(2);
        Owner owner = SandboxGraph.owner(mailbox);
        CollectionRef folder = defaultFolder(owner);
        io.nexchange.api.source.ItemTarget target = store.target(owner, folder);
        java.io.ByteArrayOutputStream image = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB), "jpg", image);
        byte[] jpeg = image.toByteArray();
        VCard card = new VCard();
        card.setUid(ezvcard.property.Uid.random());
        card.setFormattedName("Wanda Writer");
        ezvcard.property.StructuredName n = new ezvcard.property.StructuredName();
        n.setGiven("Wanda");
        n.setFamily("Writer");
        card.setStructuredName(n);
        card.addEmail("wanda@example.org");
        card.addPhoto(new ezvcard.property.Photo(jpeg, ezvcard.parameter.ImageType.JPEG));
        ItemKey key = ItemKey.contact(card.getUid().getValue());
        io.nexchange.api.item.ItemVersion created = target.create(key, new io.nexchange.api.item.ItemContent("text/vcard",
                Ezvcard.write(card).version(ezvcard.VCardVersion.V3_0).go()));
        Contact stored = graph.users().byUserId(mailbox).contacts().byContactId(created.ref()).get();
        assertEquals("Wanda", stored.getGivenName());
        assertArrayEquals(jpeg, photo(mailbox, created.ref()));

        card.setFormattedName("Wanda W. Writer");
        String changed = Ezvcard.write(card).version(ezvcard.VCardVersion.V3_0).go();
        assertThrows(io.nexchange.api.source.PreconditionFailedException.class, () -> target.update(key, created.ref(), "stale",
                new io.nexchange.api.item.ItemContent("text/vcard", changed)));
        io.nexchange.api.item.ItemVersion updated = target.update(key, created.ref(), created.version(),
                new io.nexchange.api.item.ItemContent("text/vcard", changed));
        assertEquals("Wanda W. Writer", graph.users().byUserId(mailbox).contacts().byContactId(created.ref()).get().getDisplayName());
        assertThrows(io.nexchange.api.source.PreconditionFailedException.class, () -> target.delete(key, created.ref(), "stale"));
        target.delete(key, created.ref(), updated.version());
        assertTrue(target.version(created.ref()).isEmpty());
    }

    @Test
    void aCreateRepeatedAfterACrashGetsTheFirstContactNotASecond() throws Exception {
        String mailbox = sandbox.mailboxes().get(3);
        Owner owner = SandboxGraph.owner(mailbox);
        io.nexchange.api.source.ItemTarget target = store.target(owner, defaultFolder(owner));
        int before = graph.users().byUserId(mailbox).contacts().get(c -> c.queryParameters.top = 999).getValue().size();
        ItemKey key = ItemKey.contact("nextcloud-uid-o'brien");
        ItemKey otherCase = ItemKey.contact("NEXTCLOUD-UID-O'BRIEN");
        String text = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:" + key.value() + "\r\nFN:Olga O'Brien\r\nN:O'Brien;Olga;;;\r\nEND:VCARD\r\n";
        long requestsBefore = sandbox.counters().mailbox(mailbox);
        io.nexchange.api.item.ItemVersion first = target.create(key, new io.nexchange.api.item.ItemContent("text/vcard", text));
        long perCreate = sandbox.counters().mailbox(mailbox) - requestsBefore;
        // the process died before it recorded the answer: the engine creates the same item again
        io.nexchange.api.item.ItemVersion again = target.create(key, new io.nexchange.api.item.ItemContent("text/vcard", text));
        assertEquals(first.ref(), again.ref(), "the repeated create found the first contact");
        io.nexchange.api.item.ItemVersion other = target.create(otherCase, new io.nexchange.api.item.ItemContent("text/vcard",
                text.replace(key.value(), otherCase.value())));
        assertFalse(other.ref().equals(first.ref()), "a key that differs only in case is another contact");
        int after = graph.users().byUserId(mailbox).contacts().get(c -> c.queryParameters.top = 999).getValue().size();
        assertEquals(before + 2, after);
        System.out.printf("Graph contact create: %d requests (look-up, POST, version)%n", perCreate);
        assertEquals(3, perCreate);
    }

    private static String nullIfBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
