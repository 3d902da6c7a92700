package io.nexchange.ews.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.MailboxNotServedException;
import io.nexchange.api.source.CursorExpiredException;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.StoreException;
import io.nexchange.sandbox.FaultRule;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.throttling.internal.ThrottleLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The EWS store against the sandbox's EWS over HTTPS, operation by operation: paged listing, incremental rounds
 * after Outlook-style edits, dead sync states, writes with change keys, throttling answers, EWS blocked, the
 * on-premises service account.
 */
class EwsStoreTest {
    private static final LocalDate ANCHOR = LocalDate.of(2030, 1, 7);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SandboxServer sandbox;
    private static SandboxExchange env;
    private static EwsStore store;
    private static List<String> mailboxes;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxServer.start(SandboxOptions.defaults().users(4).eventsPerMailbox(30).contactsPerMailbox(6).seed(3)
                .anchorDate(ANCHOR).ewsServiceAccount("svc-sync", "s3rvice!", true));
        env = new SandboxExchange(sandbox, ThrottleLimits.OUTLOOK.withBackoff(Duration.ofMillis(200), Duration.ofMillis(800), true),
                Clock.fixed(ANCHOR.atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC));
        // small pages: every listing in these tests spans several SyncFolderItems pages and GetItem batches
        store = env.ews(SandboxExchange.settings().withPageSize(7).withGetItemBatch(5));
        mailboxes = sandbox.mailboxes();
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

    @AfterEach
    void clearFaults() {
        sandbox.clearFaults();
        sandbox.setEwsBlocks(false, null, Set.of());
        sandbox.setOnPremisesMailboxes(Set.of());
    }

    private static ItemSource source(String mailbox, CollectionKind kind) throws StoreException {
        Owner owner = SandboxExchange.owner(mailbox);
        CollectionRef ref = store.collections(owner, kind).get(0);
        return store.source(owner, ref);
    }

    private static ItemTarget target(String mailbox, CollectionKind kind) throws StoreException {
        Owner owner = SandboxExchange.owner(mailbox);
        return store.target(owner, store.collections(owner, kind).get(0));
    }

    @Test
    void pagedListingThenIncrementalRoundsSeeEveryEdit() throws Exception {
        String mailbox = mailboxes.get(0);
        ItemSource calendar = source(mailbox, CollectionKind.CALENDAR);
        Rounds.Round initial = Rounds.read(calendar, Cursor.INITIAL);
        assertTrue(initial.complete() && initial.pages() > 2, "a full, paged round: " + initial.pages() + " pages");
        assertTrue(initial.changes().size() >= 15, "the generated calendar: " + initial.changes().size());

        long before = store.requests();
        Rounds.Round idle = Rounds.read(calendar, initial.cursor());
        assertEquals(0, idle.changes().size());
        assertFalse(idle.complete());
        assertEquals(1, store.requests() - before, "an idle round is one SyncFolderItems request");

        // Outlook-style edits: a new event, an edited single, a deleted single, a modified and a cancelled occurrence
        String created = JSON.readTree(sandbox.createEvent(mailbox, """
                {"subject":"EWS new","start":{"dateTime":"2030-01-09T09:00:00","timeZone":"W. Europe Standard Time"},
                 "end":{"dateTime":"2030-01-09T10:00:00","timeZone":"W. Europe Standard Time"}}""")).path("iCalUId").asText();
        List<JsonNode> events = events(mailbox);
        JsonNode single = events.stream().filter(e -> "singleInstance".equals(e.path("type").asText())).findFirst().orElseThrow();
        JsonNode gone = events.stream().filter(e -> "singleInstance".equals(e.path("type").asText())).skip(1).findFirst().orElseThrow();
        JsonNode series = null;
        for (JsonNode e : events) {
            if ("seriesMaster".equals(e.path("type").asText()) && occurrences(mailbox, e).size() >= 3) {
                series = e;
                break;
            }
        }
        assertTrue(series != null, "the generated calendar has an open series");
        sandbox.updateEvent(mailbox, single.path("id").asText(), "{\"subject\":\"EWS edited\"}");
        sandbox.deleteEvent(mailbox, gone.path("id").asText());
        List<Instant> occurrences = occurrences(mailbox, series);
        sandbox.modifyOccurrence(mailbox, series.path("id").asText(), occurrences.get(1), "{\"subject\":\"EWS moved occurrence\"}");
        sandbox.cancelOccurrence(mailbox, series.path("id").asText(), occurrences.get(2));

        Rounds.Round incremental = Rounds.read(calendar, idle.cursor());
        assertFalse(incremental.complete());
        Map<ItemKey, Change> changes = incremental.changes();
        assertTrue(text(changes, created).contains("SUMMARY:EWS new"), "the new event");
        assertTrue(text(changes, single.path("iCalUId").asText()).contains("SUMMARY:EWS edited"), "the edited event");
        String seriesText = text(changes, series.path("iCalUId").asText());
        assertTrue(seriesText.contains("SUMMARY:EWS moved occurrence") && seriesText.contains("RECURRENCE-ID"), seriesText);
        assertTrue(seriesText.contains("EXDATE"), "the cancelled occurrence is an EXDATE");
        String goneRef = gone.path("id").asText();
        assertTrue(changes.values().stream().anyMatch(c -> c.isRemoval() && c.ref().equals(goneRef)),
                "the deletion names the item's ref (its Graph REST id): " + changes.keySet());
        assertEquals(4, changes.size(), "nothing else changed: " + changes.keySet());
    }

    @Test
    void contactsIncrementalRoundsAndPhotos() throws Exception {
        String mailbox = mailboxes.get(1);
        ItemSource contacts = source(mailbox, CollectionKind.CONTACTS);
        Rounds.Round initial = Rounds.read(contacts, Cursor.INITIAL);
        assertTrue(initial.complete());
        assertEquals(sandbox.contactIds(mailbox).size(), initial.changes().size());
        assertTrue(initial.changes().values().stream().anyMatch(c -> c.item().orElseThrow().content().text().contains("PHOTO")),
                "the generator's photos come through GetAttachment");
        List<String> ids = sandbox.contactIds(mailbox);
        sandbox.updateContact(mailbox, ids.get(0), "{\"jobTitle\":\"EWS Chief Tester\"}");
        sandbox.deleteContact(mailbox, ids.get(1));
        Rounds.Round next = Rounds.read(contacts, initial.cursor());
        assertTrue(next.changes().get(ItemKey.contact(ids.get(0))).item().orElseThrow().content().text().contains("TITLE:EWS Chief Tester"));
        assertTrue(next.changes().get(ItemKey.contact(ids.get(1))).isRemoval());
        assertEquals(2, next.changes().size());
    }

    @Test
    void deadSyncStateIsACursorExpiryAndTheRelistingHasTheSameKeys() throws Exception {
        String mailbox = mailboxes.get(2);
        ItemSource calendar = source(mailbox, CollectionKind.CALENDAR);
        Rounds.Round initial = Rounds.read(calendar, Cursor.INITIAL);
        sandbox.expireDeltaTokens(mailbox);
        CursorExpiredException dead = assertThrows(CursorExpiredException.class, () -> calendar.changes(initial.cursor()));
        assertTrue(dead.getMessage().contains("ErrorInvalidSyncStateData"), dead.getMessage());
        Rounds.Round again = Rounds.read(calendar, Cursor.INITIAL);
        assertTrue(again.complete());
        assertEquals(initial.changes().keySet(), again.changes().keySet(), "the same keys: the engine matches them, no duplicates");
        // a cursor of another backend (a switch from Graph) is not sent to EWS
        assertThrows(CursorExpiredException.class, () -> calendar.changes(new Cursor("graph-calendar:1:whatever")));
    }

    @Test
    void throttlingAnswersAreRetriedThroughThePolicy() throws Exception {
        String mailbox = mailboxes.get(3);
        ItemSource calendar = source(mailbox, CollectionKind.CALENDAR);
        // ErrorServerBusy with BackOffMilliseconds (SOAP fault on HTTP 500), then HTTP 503 from the front end
        sandbox.addFault(FaultRule.status(429).withRetryAfter("0.3").forPathContaining("/ews/").forNext(1));
        sandbox.addFault(FaultRule.status(503).withRetryAfter("1").forPathContaining("/ews/").forNext(1));
        long started = System.nanoTime();
        Rounds.Round round = Rounds.read(calendar, Cursor.INITIAL);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(round.changes().size() > 10);
        assertTrue(millis >= 1000, "the next attempts waited for the hints (0.3 s BackOffMilliseconds, 1 s Retry-After): " + millis);
        assertTrue(env.policy.delay(new io.nexchange.api.throttle.ThrottleKey(SandboxExchange.REGISTRATION, mailbox)).isZero());

        // ErrorExceededConnectionCount: one connection per mailbox on the server; reader A holds it for 0.6 s while
        // reader B asks: B is refused, the policy pauses the mailbox, B's next attempts wait and get through. Another
        // mailbox than above: the policy has narrowed that one's concurrency after the throttling answers.
        String fresh = mailboxes.get(0);
        sandbox.resetCounters();
        sandbox.setEwsThrottling(1, 100_000, Duration.ofMinutes(10), "0.2");
        sandbox.addFault(FaultRule.latency(600).forPathContaining("syncfolderitems").forNext(1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Rounds.Round> a = pool.submit(() -> Rounds.read(source(fresh, CollectionKind.CONTACTS), Cursor.INITIAL));
            Thread.sleep(200);
            Future<Rounds.Round> b = pool.submit(() -> {
                try {
                    return Rounds.read(source(fresh, CollectionKind.CONTACTS), Cursor.INITIAL);
                } catch (StoreException stillRefused) {
                    // on a slow machine A can outlast B's attempts: then B is a transient failure, read again later
                    assertTrue(stillRefused.isTransient(), stillRefused.getMessage());
                    a.get();
                    return Rounds.read(source(fresh, CollectionKind.CONTACTS), Cursor.INITIAL);
                }
            });
            // (contactIds counts every contact folder; the store reads the default one)
            assertEquals(a.get().changes().keySet(), b.get().changes().keySet());
            assertTrue(a.get().changes().size() >= 3);
        } finally {
            pool.shutdownNow();
            sandbox.setEwsThrottling(27, 100_000, Duration.ofMinutes(10), "1");
        }
        assertTrue(sandbox.counters().byStatus().getOrDefault("500", 0L) >= 1,
                "B was refused with ErrorExceededConnectionCount at least once: " + sandbox.counters().byStatus());
    }

    @Test
    void ewsBlockedForTheTenantOrAppIsAClearErrorNamingTheSetting() throws Exception {
        String mailbox = mailboxes.get(0);
        sandbox.setEwsBlocks(false, Set.of("some-other-app"), Set.of());
        StoreException e = assertThrows(StoreException.class, () -> source(mailbox, CollectionKind.CALENDAR).changes(Cursor.INITIAL));
        assertInstanceOf(EwsErrors.EwsBlockedException.class, e);
        assertEquals(MailboxNotServedException.Reason.BLOCKED, assertInstanceOf(MailboxNotServedException.class, e).reason());
        assertFalse(e.isTransient());
        for (String named : List.of("EWSEnabled", "EwsApplicationAccessPolicy", "EwsAllowList", "Set-OrganizationConfig", "Graph")) {
            assertTrue(e.getMessage().contains(named), named + " in: " + e.getMessage());
        }
        sandbox.setEwsBlocks(false, null, Set.of(mailbox));
        assertThrows(EwsErrors.EwsBlockedException.class, () -> source(mailbox, CollectionKind.CALENDAR).changes(Cursor.INITIAL));
        // another mailbox is not blocked
        assertTrue(Rounds.read(source(mailboxes.get(1), CollectionKind.CONTACTS), Cursor.INITIAL).complete());
    }

    @Test
    void onPremisesServiceAccountImpersonates() throws Exception {
        env.addServiceAccount("onprem", "svc-sync", "s3rvice!");
        env.addServiceAccount("onprem-wrong", "svc-sync", "not-the-password");
        String mailbox = mailboxes.get(1);
        Owner owner = SandboxExchange.owner(mailbox);
        EwsStore onprem = env.ews(SandboxExchange.settings(), "onprem");
        Rounds.Round round = Rounds.read(onprem.source(owner, onprem.collections(owner, CollectionKind.CONTACTS).get(0)), Cursor.INITIAL);
        assertEquals(sandbox.contactIds(mailbox).size(), round.changes().size());
        // blocks of Exchange Online do not touch on-premises
        sandbox.setEwsBlocks(true, null, Set.of());
        assertTrue(Rounds.read(onprem.source(owner, onprem.collections(owner, CollectionKind.CONTACTS).get(0)), Cursor.INITIAL).complete());
        EwsStore wrong = env.ews(SandboxExchange.settings(), "onprem-wrong");
        StoreException e = assertThrows(StoreException.class,
                () -> wrong.source(owner, wrong.collections(owner, CollectionKind.CONTACTS).get(0)).changes(Cursor.INITIAL));
        assertTrue(e.getMessage().contains("io.nexchange.auth.ews.onprem-onprem-wrong") && !e.getMessage().contains("not-the-password"),
                e.getMessage());
        EwsStore unknown = env.ews(SandboxExchange.settings(), "nobody");
        StoreException missing = assertThrows(StoreException.class, () -> unknown.source(owner,
                unknown.collections(owner, CollectionKind.CONTACTS).get(0)));
        assertTrue(missing.getMessage().contains("io.nexchange.auth.entra-nobody.cfg"), missing.getMessage());
    }

    @Test
    void hybridOnPremisesMailboxIsServedByTheServiceAccountOnly() throws Exception {
        env.addServiceAccount("onprem", "svc-sync", "s3rvice!");
        String onPremises = mailboxes.get(3);
        String cloud = mailboxes.get(0);
        sandbox.setOnPremisesMailboxes(Set.of(onPremises));
        Owner owner = SandboxExchange.owner(onPremises);
        var graph = env.graphContacts();
        StoreException refusedByGraph = assertThrows(StoreException.class, () -> graph.source(owner,
                graph.collections(owner, CollectionKind.CONTACTS).get(0)).changes(Cursor.INITIAL));
        assertTrue(refusedByGraph.getMessage().contains("MailboxNotEnabledForRESTAPI") || refusedByGraph.getMessage().contains("404"),
                refusedByGraph.getMessage());
        StoreException refusedOnline = assertThrows(StoreException.class, () -> source(onPremises, CollectionKind.CONTACTS)
                .changes(Cursor.INITIAL));
        assertTrue(refusedOnline.getMessage().contains("ErrorNonExistentMailbox"), refusedOnline.getMessage());
        EwsStore onprem = env.ews(SandboxExchange.settings(), "onprem");
        assertTrue(Rounds.read(onprem.source(owner, onprem.collections(owner, CollectionKind.CONTACTS).get(0)), Cursor.INITIAL)
                .changes().size() >= 3, "the on-premises endpoint serves it");
        Owner cloudOwner = SandboxExchange.owner(cloud);
        StoreException notOnPremises = assertThrows(StoreException.class, () -> onprem.source(cloudOwner,
                onprem.collections(cloudOwner, CollectionKind.CONTACTS).get(0)).changes(Cursor.INITIAL));
        assertTrue(notOnPremises.getMessage().contains("hybrid"), notOnPremises.getMessage());
        MailboxNotServedException elsewhere = assertInstanceOf(MailboxNotServedException.class, refusedByGraph);
        assertEquals(MailboxNotServedException.Reason.ELSEWHERE, elsewhere.reason(), "what the engine's automatic routing acts on");
        assertEquals(MailboxNotServedException.Reason.ELSEWHERE, assertInstanceOf(MailboxNotServedException.class, refusedOnline).reason());

        // one store for both sides (onPremisesAccounts): the cloud mailbox through Exchange Online, the other on-premises
        java.util.Map<String, Integer> expected = java.util.Map.of(
                onPremises, Rounds.read(onprem.source(owner, onprem.collections(owner, CollectionKind.CONTACTS).get(0)), Cursor.INITIAL)
                        .changes().size(),
                cloud, Rounds.read(source(cloud, CollectionKind.CONTACTS), Cursor.INITIAL).changes().size());
        EwsStore hybrid = env.hybridEws(SandboxExchange.settings(), SandboxExchange.REGISTRATION, "onprem");
        sandbox.resetCounters();
        for (String smtp : List.of(onPremises, cloud, onPremises)) {
            Owner o = SandboxExchange.owner(smtp);
            assertEquals(expected.get(smtp), Rounds.read(hybrid.source(o, hybrid.collections(o, CollectionKind.CONTACTS)
                    .get(0)), Cursor.INITIAL).changes().size(), smtp);
        }
        assertEquals(3L + 1L, sandbox.counters().byEndpoint().getOrDefault("EWS SyncFolderItems", 0L),
                "the on-premises mailbox was retried there once, then went there directly: " + sandbox.counters().byEndpoint());

        // the mailbox moves to the cloud (another stays on-premises): the on-premises endpoint no longer knows it, and
        // the store turns back to Exchange Online for it
        sandbox.setOnPremisesMailboxes(Set.of(cloud));
        assertEquals(expected.get(onPremises), Rounds.read(hybrid.source(owner, hybrid.collections(owner, CollectionKind.CONTACTS)
                .get(0)), Cursor.INITIAL).changes().size(), "read through Exchange Online again");
    }

    @Test
    void writesCarryChangeKeysAndSendNoMeetingMessages() throws Exception {
        String mailbox = mailboxes.get(2);
        ItemTarget calendar = target(mailbox, CollectionKind.CALENDAR);
        String uid = "nexchange-ews-test-1@example.org";
        String ics = String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "BEGIN:VEVENT", "UID:" + uid,
                "DTSTAMP:20300101T000000Z", "DTSTART;TZID=Europe/Berlin:20300110T090000", "DTEND;TZID=Europe/Berlin:20300110T100000",
                "RRULE:FREQ=DAILY;COUNT=5", "EXDATE;TZID=Europe/Berlin:20300112T090000", "SUMMARY:Written through EWS",
                "ORGANIZER:mailto:" + mailbox, "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:someone@example.org", "END:VEVENT",
                "BEGIN:VEVENT", "UID:" + uid, "DTSTAMP:20300101T000000Z", "RECURRENCE-ID;TZID=Europe/Berlin:20300111T090000",
                "DTSTART;TZID=Europe/Berlin:20300111T110000", "DTEND;TZID=Europe/Berlin:20300111T120000",
                "SUMMARY:Moved through EWS", "END:VEVENT", "END:VCALENDAR", "");
        ItemVersion created = calendar.create(ItemKey.event(uid), new ItemContent("text/calendar", ics));
        JsonNode stored = JSON.readTree(sandbox.event(mailbox, created.ref()));
        assertEquals(uid, stored.path("iCalUId").asText(), "EWS keeps the written UID: the ItemKey stays the key");
        String read = text(Rounds.read(source(mailbox, CollectionKind.CALENDAR), Cursor.INITIAL).changes(), uid);
        assertTrue(read.contains("SUMMARY:Moved through EWS") && read.contains("EXDATE"), read);

        ItemVersion updated = calendar.update(ItemKey.event(uid), created.ref(), created.version(),
                new ItemContent("text/calendar", ics.replace("SUMMARY:Written through EWS", "SUMMARY:Updated through EWS")));
        assertFalse(updated.version().equals(created.version()));
        assertEquals("Updated through EWS", JSON.readTree(sandbox.event(mailbox, created.ref())).path("subject").asText());
        assertThrows(PreconditionFailedException.class, () -> calendar.update(ItemKey.event(uid), created.ref(), created.version(),
                new ItemContent("text/calendar", ics)), "a stale change key: ErrorIrresolvableConflict");
        assertThrows(PreconditionFailedException.class, () -> calendar.delete(ItemKey.event(uid), created.ref(), created.version()));
        calendar.delete(ItemKey.event(uid), created.ref(), updated.version());
        assertTrue(calendar.version(created.ref()).isEmpty());
        calendar.delete(ItemKey.event(uid), created.ref(), updated.version()); // already gone: fine
        assertEquals(List.of(), sandbox.meetingMessages(), "SendToNone: the meeting with an attendee was created, changed, "
                + "its occurrences written and it was deleted without a message");
        io.nexchange.api.source.ItemRejectedException foreign = assertThrows(io.nexchange.api.source.ItemRejectedException.class,
                () -> calendar.create(ItemKey.event("their-meeting"), new ItemContent("text/calendar", ics.replace("UID:" + uid,
                        "UID:their-meeting").replace("ORGANIZER:mailto:" + mailbox, "ORGANIZER:mailto:cy@partner.example"))));
        assertTrue(foreign.getMessage().contains("organised by cy@partner.example"), foreign.getMessage());
        long requests = sandbox.counters().byEndpoint().entrySet().stream().filter(e -> e.getKey().contains("CreateItem"))
                .mapToLong(Map.Entry::getValue).sum();
        assertTrue(requests >= 1);

        ItemTarget contacts = target(mailbox, CollectionKind.CONTACTS);
        String vcf = String.join("\r\n", "BEGIN:VCARD", "VERSION:3.0", "UID:ews-contact-1", "FN:Erna Endtoend", "N:Endtoend;Erna;;;",
                "EMAIL;TYPE=internet:erna@example.org", "TEL;TYPE=cell:+49 170 1", "ADR;TYPE=work:;;Street 1;Town;;12345;Germany",
                "ORG:Fabrikam", "END:VCARD", "");
        ItemVersion c = contacts.create(ItemKey.contact("ews-contact-1"), new ItemContent("text/vcard", vcf));
        String contactText = text(Rounds.read(source(mailbox, CollectionKind.CONTACTS), Cursor.INITIAL).changes(), ItemKey.contact(c.ref()));
        assertTrue(contactText.contains("erna@example.org") && contactText.contains("Street 1") && contactText.contains("ORG:Fabrikam"),
                contactText);
        ItemVersion c2 = contacts.update(ItemKey.contact(c.ref()), c.ref(), c.version(),
                new ItemContent("text/vcard", vcf.replace("ORG:Fabrikam", "ORG:Contoso")));
        assertThrows(PreconditionFailedException.class, () -> contacts.update(ItemKey.contact(c.ref()), c.ref(), c.version(),
                new ItemContent("text/vcard", vcf)));
        contacts.delete(ItemKey.contact(c.ref()), c.ref(), c2.version());
        assertTrue(contacts.version(c.ref()).isEmpty());
    }

    @Test
    void aContactCreateRepeatedAfterACrashGetsTheFirstContactAndGraphSeesItsKey() throws Exception {
        String mailbox = mailboxes.get(2);
        ItemTarget contacts = target(mailbox, CollectionKind.CONTACTS);
        ItemKey key = ItemKey.contact("nextcloud-uid-ews-1");
        String vcf = String.join("\r\n", "BEGIN:VCARD", "VERSION:3.0", "UID:" + key.value(), "FN:Ruth Repeat", "N:Repeat;Ruth;;;",
                "END:VCARD", "");
        int before = sandbox.contactIds(mailbox).size();
        ItemVersion first = contacts.create(key, new ItemContent("text/vcard", vcf));
        // the process died before it recorded the answer: the engine creates the same item again
        ItemVersion again = contacts.create(key, new ItemContent("text/vcard", vcf));
        assertEquals(first.ref(), again.ref());
        ItemVersion otherCase = contacts.create(ItemKey.contact(key.value().toUpperCase(java.util.Locale.ROOT)),
                new ItemContent("text/vcard", vcf));
        assertTrue(!otherCase.ref().equals(first.ref()), "a key that differs only in case is another contact");
        assertEquals(before + 2, sandbox.contactIds(mailbox).size());
        // the same named property as the Graph contacts store's: a repeated create through Graph finds it too
        var graph = env.graphClients.forRegistration(SandboxExchange.REGISTRATION);
        var found = graph.users().byUserId(mailbox).contactFolders().byContactFolderId("contacts").contacts().get(c -> c.queryParameters
                .filter = "singleValueExtendedProperties/Any(ep: ep/id eq 'String {6c1c6f4e-8f1a-4b3e-9d52-1f0b6a7e2c3d} Name "
                + "NexchangeItemKey' and ep/value eq '" + key.value() + "')").getValue();
        assertEquals(2, found.size(), "Graph filters the value without regard to case: both contacts");
        assertTrue(found.stream().anyMatch(c -> ItemKey.contact(c.getId()).value().equals(first.ref())
                || first.ref().equals(c.getId())), "the first contact is among them");
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static String text(Map<ItemKey, Change> changes, String uid) {
        return text(changes, ItemKey.event(uid));
    }

    private static String text(Map<ItemKey, Change> changes, ItemKey key) {
        Change c = changes.get(key);
        assertTrue(c != null && !c.isRemoval(), key + " in " + changes.keySet());
        return c.item().orElseThrow().content().text().replace("\r\n ", "");
    }

    private static List<JsonNode> events(String mailbox) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String id : sandbox.eventIds(mailbox)) {
            JsonNode e = JSON.readTree(sandbox.event(mailbox, id));
            Instant start = Instant.parse(e.path("start").path("dateTime").asText() + "Z");
            boolean seriesMaster = "seriesMaster".equals(e.path("type").asText());
            if ((seriesMaster || start.isAfter(ANCHOR.atStartOfDay(ZoneOffset.UTC).toInstant())) && !e.path("isAllDay").asBoolean()
                    && e.path("exceptionOccurrences").size() == 0) {
                out.add(e);
            }
        }
        return out;
    }

    /** The original starts of a series' occurrences after the anchor, as Graph's /instances lists them. */
    private static List<Instant> occurrences(String mailbox, JsonNode master) throws Exception {
        var graph = env.graphClients.forRegistration(SandboxExchange.REGISTRATION);
        List<com.microsoft.graph.models.Event> instances = graph.users().byUserId(mailbox).events()
                .byEventId(master.path("id").asText()).instances().get(c -> {
                    c.queryParameters.startDateTime = ANCHOR.atStartOfDay(ZoneOffset.UTC).toInstant().toString();
                    c.queryParameters.endDateTime = ANCHOR.plusDays(300).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
                    c.queryParameters.top = 50;
                }).getValue();
        return instances.stream().filter(i -> i.getOriginalStart() != null).map(i -> i.getOriginalStart().toInstant())
                .sorted().toList();
    }
}
