package io.nexchange.sandbox.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.Calendar;
import com.microsoft.graph.models.Contact;
import com.microsoft.graph.models.ContactFolder;
import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.DayOfWeek;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.EventType;
import com.microsoft.graph.models.PatternedRecurrence;
import com.microsoft.graph.models.RecurrencePattern;
import com.microsoft.graph.models.RecurrencePatternType;
import com.microsoft.graph.models.RecurrenceRange;
import com.microsoft.graph.models.RecurrenceRangeType;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.UserCollectionResponse;
import com.microsoft.graph.models.WeekIndex;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.nexchange.sandbox.DeadTokenMode;
import io.nexchange.sandbox.FaultRule;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official Graph Java SDK (v6, Kiota) against the sandbox, unmodified, over every emulated endpoint. */
class GraphContractTest {
    private static final LocalDate ANCHOR = LocalDate.of(2030, 1, 7);
    private static final String FROM = "2029-11-01T00:00:00Z";
    private static final String TO = "2030-06-01T00:00:00Z";

    private static SandboxServer sandbox;
    private static GraphServiceClient graph;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxServer.start(SandboxOptions.defaults().users(5).eventsPerMailbox(30).contactsPerMailbox(12).seed(11)
                .anchorDate(ANCHOR).retryAfter("0.2"));
        graph = Clients.demoGraph(sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static String mailbox(int i) {
        return sandbox.mailboxes().get(i);
    }

    @Test
    void usersArePagedWithAbsoluteNextLinksSelectAndTopLimits() {
        List<User> users = new ArrayList<>();
        UserCollectionResponse page = graph.users().get(c -> {
            c.queryParameters.top = 2;
            c.queryParameters.select = new String[] {"id", "userPrincipalName", "mail", "accountEnabled"};
        });
        int pages = 1;
        users.addAll(page.getValue());
        while (page.getOdataNextLink() != null) {
            assertTrue(page.getOdataNextLink().startsWith(sandbox.graphBaseUrl() + "/users?"), page.getOdataNextLink());
            assertTrue(page.getOdataNextLink().contains("$skiptoken="));
            page = graph.users().withUrl(page.getOdataNextLink()).get();
            users.addAll(page.getValue());
            pages++;
        }
        int expected = sandbox.mailboxes().size() + sandbox.usersWithoutMailbox().size() + sandbox.disabledUsers().size();
        assertEquals(expected, users.size());
        assertEquals((expected + 1) / 2, pages);
        assertEquals(expected, users.stream().map(User::getId).distinct().count());
        assertTrue(users.stream().anyMatch(u -> Boolean.FALSE.equals(u.getAccountEnabled())), "a disabled user");
        assertTrue(users.stream().anyMatch(u -> u.getMail() == null), "a user without mailbox has no mail");
        assertTrue(users.stream().allMatch(u -> u.getDisplayName() == null), "$select leaves other properties out");

        ODataError tooMany = assertThrows(ODataError.class, () -> graph.users().get(c -> c.queryParameters.top = 1000));
        assertEquals(400, tooMany.getResponseStatusCode());
        assertEquals("Request_BadRequest", tooMany.getError().getCode());
        assertTrue(tooMany.getError().getMessage().contains("Must be between 1 and 999 inclusive"));
        assertNotNull(tooMany.getError().getInnerError().getRequestId());

        List<User> enabled = graph.users().get(c -> {
            c.queryParameters.filter = "accountEnabled eq true";
            c.queryParameters.top = 999;
        }).getValue();
        assertEquals(expected - sandbox.disabledUsers().size(), enabled.size());
        List<User> byMail = graph.users().get(c -> c.queryParameters.filter = "mail eq '" + mailbox(1) + "'").getValue();
        assertEquals(List.of(mailbox(1)), byMail.stream().map(User::getUserPrincipalName).toList());

        User one = graph.users().byUserId(mailbox(0)).get();
        assertEquals(mailbox(0), one.getUserPrincipalName());
    }

    @Test
    void translateExchangeIdsConvertsEwsIdsToRestIdsAndBack() {
        String user = mailbox(0);
        String restId = sandbox.eventIds(user).get(0);
        String ewsId = SandboxServer.ewsIdOf(restId);
        var body = new com.microsoft.graph.users.item.translateexchangeids.TranslateExchangeIdsPostRequestBody();
        body.setInputIds(List.of(ewsId));
        body.setSourceIdType(com.microsoft.graph.models.ExchangeIdFormat.EwsId);
        body.setTargetIdType(com.microsoft.graph.models.ExchangeIdFormat.RestId);
        var result = graph.users().byUserId(user).translateExchangeIds().post(body).getValue();
        assertEquals(restId, result.get(0).getTargetId());
        assertEquals(restId, graph.users().byUserId(user).events().byEventId(result.get(0).getTargetId()).get().getId());
        var back = new com.microsoft.graph.users.item.translateexchangeids.TranslateExchangeIdsPostRequestBody();
        back.setInputIds(List.of(restId));
        back.setSourceIdType(com.microsoft.graph.models.ExchangeIdFormat.RestId);
        back.setTargetIdType(com.microsoft.graph.models.ExchangeIdFormat.EwsId);
        assertEquals(ewsId, graph.users().byUserId(user).translateExchangeIds().post(back).getValue().get(0).getTargetId());
    }

    @Test
    void mailboxEndpointsOfAUserWithoutMailboxAre404MailboxNotEnabledForRestApi() {
        String noMailbox = sandbox.usersWithoutMailbox().get(0);
        ODataError e = assertThrows(ODataError.class, () -> graph.users().byUserId(noMailbox).calendars().get());
        assertEquals(404, e.getResponseStatusCode());
        assertEquals("MailboxNotEnabledForRESTAPI", e.getError().getCode());
        ODataError unknown = assertThrows(ODataError.class, () -> graph.users().byUserId("nobody@example.com").get());
        assertEquals(404, unknown.getResponseStatusCode());
    }

    @Test
    void calendarsAndDefaultCalendar() {
        List<Calendar> calendars = graph.users().byUserId(mailbox(0)).calendars().get().getValue();
        assertFalse(calendars.isEmpty());
        Calendar byDefault = graph.users().byUserId(mailbox(0)).calendar().get();
        assertTrue(byDefault.getIsDefaultCalendar());
        assertTrue(calendars.stream().anyMatch(c -> c.getId().equals(byDefault.getId())));
        assertEquals(mailbox(0), byDefault.getOwner().getAddress());
    }

    private static List<Event> drainCalendarDelta(String user, String url, String calendarId, String[] deltaLink, int[] pages) {
        Consumer<com.microsoft.graph.users.item.calendarview.delta.DeltaRequestBuilder.GetRequestConfiguration> config = c -> {
            c.headers.add("Prefer", "odata.maxpagesize=7");
            c.headers.add("Prefer", "outlook.timezone=\"Pacific Standard Time\"");
            if (url == null) {
                c.queryParameters.startDateTime = FROM;
                c.queryParameters.endDateTime = TO;
            }
        };
        var builder = graph.users().byUserId(user).calendarView().delta();
        var response = url == null ? builder.get(config) : builder.withUrl(url).get(config);
        List<Event> events = new ArrayList<>(response.getValue());
        pages[0] = 1;
        while (response.getOdataNextLink() != null) {
            assertTrue(response.getOdataNextLink().startsWith(sandbox.graphBaseUrl()), response.getOdataNextLink());
            response = builder.withUrl(response.getOdataNextLink()).get(config);
            events.addAll(response.getValue());
            pages[0]++;
        }
        assertNotNull(response.getOdataDeltaLink());
        assertTrue(response.getOdataDeltaLink().startsWith(sandbox.graphBaseUrl()));
        deltaLink[0] = response.getOdataDeltaLink();
        return events;
    }

    private static boolean removed(Event e) {
        return e.getAdditionalData().containsKey("@removed");
    }

    @Test
    void calendarViewDeltaRoundTripsWithOccurrencesExceptionsAndRemovals() {
        String user = mailbox(0);
        String[] link = new String[1];
        int[] pages = new int[1];
        List<Event> first = drainCalendarDelta(user, null, null, link, pages);
        assertTrue(pages[0] > 1, "paged by odata.maxpagesize");
        assertTrue(first.stream().noneMatch(GraphContractTest::removed));
        assertTrue(first.stream().allMatch(e -> "Pacific Standard Time".equals(e.getStart().getTimeZone())));
        assertTrue(first.stream().anyMatch(e -> e.getType() == EventType.Occurrence && e.getSeriesMasterId() != null));
        assertTrue(first.stream().anyMatch(e -> e.getType() == EventType.Exception && e.getOriginalStart() != null));
        assertTrue(first.stream().anyMatch(e -> e.getType() == EventType.SingleInstance));
        assertTrue(first.stream().noneMatch(e -> e.getType() == EventType.SeriesMaster), "calendarView expands series");
        assertEquals(first.size(), first.stream().map(Event::getId).distinct().count());
        int viewCount = graph.users().byUserId(user).calendarView().get(c -> {
            c.queryParameters.startDateTime = FROM;
            c.queryParameters.endDateTime = TO;
            c.queryParameters.top = 1000;
        }).getValue().size();
        assertEquals(viewCount, first.size(), "delta's first round = the calendar view");
        assertEquals(viewCount, graph.users().byUserId(user).calendar().calendarView().get(c -> {
            c.queryParameters.startDateTime = FROM;
            c.queryParameters.endDateTime = TO;
            c.queryParameters.top = 1000;
        }).getValue().size());

        // the SDK's /delta() form and the calendar-scoped delta answer the same
        var scoped = graph.users().byUserId(user).calendars().byCalendarId(graph.users().byUserId(user).calendar().get().getId())
                .calendarView().delta().get(c -> {
                    c.queryParameters.startDateTime = FROM;
                    c.queryParameters.endDateTime = TO;
                    c.headers.add("Prefer", "odata.maxpagesize=1000");
                });
        assertEquals(first.size(), scoped.getValue().size());

        // a user in Outlook: cancels an occurrence, edits a single event, deletes one, adds one
        Event occurrence = first.stream().filter(e -> e.getType() == EventType.Occurrence).findFirst().orElseThrow();
        sandbox.cancelOccurrence(user, occurrence.getSeriesMasterId(), occurrence.getOriginalStart().toInstant());
        List<Event> singles = first.stream().filter(e -> e.getType() == EventType.SingleInstance).toList();
        Event edited = singles.get(0);
        Event deleted = singles.get(1);
        sandbox.updateEvent(user, edited.getId(), "{\"subject\":\"Edited in Outlook\"}");
        sandbox.deleteEvent(user, deleted.getId());
        String createdJson = sandbox.createEvent(user, "{\"subject\":\"New from Outlook\",\"start\":{\"dateTime\":\"2030-01-09T10:00:00\","
                + "\"timeZone\":\"India Standard Time\"},\"end\":{\"dateTime\":\"2030-01-09T11:00:00\",\"timeZone\":\"India Standard Time\"}}");

        List<Event> second = drainCalendarDelta(user, link[0], null, link, pages);
        Set<String> removedIds = new HashSet<>();
        second.stream().filter(GraphContractTest::removed).forEach(e -> removedIds.add(e.getId()));
        assertTrue(removedIds.contains(occurrence.getId()), "cancelled occurrence is @removed");
        assertTrue(removedIds.contains(deleted.getId()), "deleted event is @removed");
        Event editedAgain = second.stream().filter(e -> e.getId().equals(edited.getId())).findFirst().orElseThrow();
        assertEquals("Edited in Outlook", editedAgain.getSubject());
        assertTrue(second.stream().anyMatch(e -> "New from Outlook".equals(e.getSubject())
                && "2030-01-08T20:30:00.0000000".equals(e.getStart().getDateTime())), createdJson);

        List<Event> third = drainCalendarDelta(user, link[0], null, link, pages);
        assertTrue(third.isEmpty(), "nothing changed since the last round");
    }

    @Test
    void seriesCrudWithExceptionsCancellationsAndChangeKeys() {
        String user = mailbox(1);
        Event series = new Event();
        series.setSubject("Contract test series");
        series.setStart(time("2030-01-07T09:00:00", "W. Europe Standard Time"));
        series.setEnd(time("2030-01-07T09:30:00", "W. Europe Standard Time"));
        PatternedRecurrence recurrence = new PatternedRecurrence();
        RecurrencePattern pattern = new RecurrencePattern();
        pattern.setType(RecurrencePatternType.Weekly);
        pattern.setInterval(1);
        pattern.setDaysOfWeek(List.of(DayOfWeek.Monday));
        recurrence.setPattern(pattern);
        RecurrenceRange range = new RecurrenceRange();
        range.setType(RecurrenceRangeType.Numbered);
        range.setStartDate(LocalDate.of(2030, 1, 7));
        range.setNumberOfOccurrences(5);
        recurrence.setRange(range);
        series.setRecurrence(recurrence);

        Event master = graph.users().byUserId(user).events().post(series);
        assertEquals(EventType.SeriesMaster, master.getType());
        assertEquals(0, master.getRecurrence().getPattern().getMonth());
        assertEquals(0, master.getRecurrence().getPattern().getDayOfMonth());
        assertEquals(WeekIndex.First, master.getRecurrence().getPattern().getIndex());
        assertEquals(LocalDate.of(1, 1, 1), master.getRecurrence().getRange().getEndDate());
        assertEquals("W. Europe Standard Time", master.getRecurrence().getRange().getRecurrenceTimeZone());
        assertEquals("W. Europe Standard Time", master.getOriginalStartTimeZone());
        assertEquals("2030-01-07T08:00:00.0000000", master.getStart().getDateTime(), "UTC without Prefer");
        assertNotNull(master.getICalUId());

        List<Event> instances = instances(user, master.getId());
        assertEquals(5, instances.size());
        assertTrue(instances.stream().allMatch(i -> master.getId().equals(i.getSeriesMasterId()) && i.getType() == EventType.Occurrence));
        assertEquals(5, instances.stream().map(Event::getICalUId).distinct().count(), "iCalUId differs per occurrence");

        Event patch = new Event();
        patch.setSubject("Moved occurrence");
        Event exception = graph.users().byUserId(user).events().byEventId(instances.get(1).getId()).patch(patch);
        assertEquals(EventType.Exception, exception.getType());
        assertEquals("Moved occurrence", exception.getSubject());
        graph.users().byUserId(user).events().byEventId(instances.get(2).getId()).delete();

        List<Event> after = instances(user, master.getId());
        assertEquals(4, after.size());
        Event ex = after.stream().filter(i -> i.getType() == EventType.Exception).findFirst().orElseThrow();
        assertEquals(instances.get(1).getOriginalStart(), ex.getOriginalStart());
        assertTrue(after.stream().noneMatch(i -> i.getId().equals(instances.get(2).getId())));

        Event withSeriesData = graph.users().byUserId(user).events().byEventId(master.getId()).get(c -> {
            c.queryParameters.select = new String[] {"subject", "cancelledOccurrences"};
            c.queryParameters.expand = new String[] {"exceptionOccurrences"};
        });
        assertEquals(List.of("OID." + master.getId() + ".2030-01-21"), withSeriesData.getCancelledOccurrences());
        assertEquals(1, withSeriesData.getExceptionOccurrences().size());
        assertEquals("Moved occurrence", withSeriesData.getExceptionOccurrences().get(0).getSubject());

        // the master changed with its exception: the old change key no longer matches
        Event rename = new Event();
        rename.setSubject("Renamed series");
        ODataError conflict = assertThrows(ODataError.class, () -> graph.users().byUserId(user).events().byEventId(master.getId())
                .patch(rename, c -> c.headers.add("If-Match", "W/\"" + master.getChangeKey() + "\"")));
        assertEquals(412, conflict.getResponseStatusCode());
        assertEquals("ErrorIrresolvableConflict", conflict.getError().getCode());
        Event current = graph.users().byUserId(user).events().byEventId(master.getId()).get();
        assertNotEquals(master.getChangeKey(), current.getChangeKey());
        // a fresh model object: Kiota's backing store sends only values changed since the last serialisation
        Event rename2 = new Event();
        rename2.setSubject("Renamed series");
        Event renamed = graph.users().byUserId(user).events().byEventId(master.getId())
                .patch(rename2, c -> c.headers.add("If-Match", "W/\"" + current.getChangeKey() + "\""));
        assertEquals("Renamed series", renamed.getSubject());
        assertEquals(EventType.SeriesMaster, renamed.getType());

        graph.users().byUserId(user).events().byEventId(master.getId()).delete();
        ODataError gone = assertThrows(ODataError.class, () -> graph.users().byUserId(user).events().byEventId(master.getId()).get());
        assertEquals(404, gone.getResponseStatusCode());
        assertEquals("ErrorItemNotFound", gone.getError().getCode());
    }

    @Test
    void eventsListIsPagedAndEventsCanBeCreatedInANamedCalendar() {
        String user = mailbox(1);
        var page = graph.users().byUserId(user).events().get(c -> c.queryParameters.top = 4);
        assertEquals(4, page.getValue().size());
        assertNotNull(page.getOdataNextLink());
        var next = graph.users().byUserId(user).events().withUrl(page.getOdataNextLink()).get();
        assertFalse(next.getValue().isEmpty());
        assertTrue(page.getValue().stream().allMatch(e -> e.getType() == EventType.SingleInstance || e.getType() == EventType.SeriesMaster));

        String calendarId = graph.users().byUserId(user).calendar().get().getId();
        String transactionId = "nexchange-" + java.util.UUID.randomUUID();
        Event created = graph.users().byUserId(user).calendars().byCalendarId(calendarId).events().post(allDay(transactionId));
        // a fresh object: Kiota's backing store would send an already-sent model as {}
        Event retried = graph.users().byUserId(user).calendars().byCalendarId(calendarId).events().post(allDay(transactionId));
        assertEquals(created.getId(), retried.getId(), "a retried POST with the same transactionId creates no duplicate");
        assertTrue(created.getIsAllDay());
        assertEquals("2030-02-01T00:00:00.0000000", created.getStart().getDateTime(), "all-day stays at midnight");
        Event fetched = graph.users().byUserId(user).calendars().byCalendarId(calendarId).events().byEventId(created.getId()).get();
        assertEquals(created.getChangeKey(), fetched.getChangeKey());
    }

    /** As Exchange Online: isOnlineMeeting makes a Teams meeting with join link, conference id and dial-in; it stays online. */
    @Test
    void anEventMadeAnOnlineMeetingGetsTeamsJoinInformationThatClientsCannotOverwrite() {
        String user = mailbox(2);
        Event meeting = allDay("nexchange-" + java.util.UUID.randomUUID());
        meeting.setIsAllDay(false);
        meeting.setStart(time("2030-02-01T12:00:00", "Pacific Standard Time"));
        meeting.setEnd(time("2030-02-01T14:00:00", "Pacific Standard Time"));
        meeting.setIsOnlineMeeting(true);
        meeting.setOnlineMeetingProvider(com.microsoft.graph.models.OnlineMeetingProviderType.TeamsForBusiness);
        com.microsoft.graph.models.OnlineMeetingInfo forged = new com.microsoft.graph.models.OnlineMeetingInfo();
        forged.setJoinUrl("https://example.org/not-teams");
        meeting.setOnlineMeeting(forged);
        Event created = graph.users().byUserId(user).events().post(meeting);
        String joinUrl = created.getOnlineMeeting().getJoinUrl();
        assertTrue(joinUrl.startsWith("https://teams.microsoft.com/l/meetup-join/19%3ameeting_"), joinUrl);
        assertTrue(created.getOnlineMeeting().getConferenceId().matches("[0-9]{9}"));
        assertNotNull(created.getOnlineMeeting().getTollNumber());
        assertEquals(com.microsoft.graph.models.OnlineMeetingProviderType.TeamsForBusiness, created.getOnlineMeetingProvider());

        Event patch = new Event();
        patch.setIsOnlineMeeting(false);
        patch.setSubject("Still online");
        Event patched = graph.users().byUserId(user).events().byEventId(created.getId()).patch(patch);
        assertEquals(Boolean.TRUE, patched.getIsOnlineMeeting(), "Exchange ignores later changes of isOnlineMeeting");
        assertEquals(joinUrl, graph.users().byUserId(user).events().byEventId(created.getId())
            .get(c -> c.queryParameters.select = new String[] {"onlineMeeting"}).getOnlineMeeting().getJoinUrl());
    }

    private static Event allDay(String transactionId) {
        Event single = new Event();
        single.setSubject("All day in calendar");
        single.setIsAllDay(true);
        single.setStart(time("2030-02-01T00:00:00", "Pacific Standard Time"));
        single.setEnd(time("2030-02-02T00:00:00", "Pacific Standard Time"));
        single.setTransactionId(transactionId);
        return single;
    }

    private static List<Event> instances(String user, String masterId) {
        return graph.users().byUserId(user).events().byEventId(masterId).instances().get(c -> {
            c.queryParameters.startDateTime = "2030-01-01T00:00:00Z";
            c.queryParameters.endDateTime = "2030-03-01T00:00:00Z";
        }).getValue();
    }

    private static DateTimeTimeZone time(String local, String zone) {
        DateTimeTimeZone t = new DateTimeTimeZone();
        t.setDateTime(local);
        t.setTimeZone(zone);
        return t;
    }

    @Test
    void contactsCrudPhotoFoldersAndDelta() throws Exception {
        String user = mailbox(2);
        var page = graph.users().byUserId(user).contacts().get(c -> c.queryParameters.top = 5);
        assertEquals(5, page.getValue().size());
        assertNotNull(page.getOdataNextLink());
        List<ContactFolder> folders = graph.users().byUserId(user).contactFolders().get().getValue();
        assertEquals(1, folders.size(), "the generated 'Suppliers' folder below the default one");

        var first = graph.users().byUserId(user).contacts().delta().get(c -> c.headers.add("Prefer", "odata.maxpagesize=4"));
        List<Contact> seen = new ArrayList<>(first.getValue());
        while (first.getOdataNextLink() != null) {
            first = graph.users().byUserId(user).contacts().delta().withUrl(first.getOdataNextLink()).get();
            seen.addAll(first.getValue());
        }
        String deltaLink = first.getOdataDeltaLink();
        assertEquals(graph.users().byUserId(user).contacts().get(c -> c.queryParameters.top = 100).getValue().size(), seen.size());

        Contact contact = new Contact();
        contact.setGivenName("Zoë");
        contact.setSurname("Ångström");
        EmailAddress mail = new EmailAddress();
        mail.setAddress("zoe@example.org");
        mail.setName("Zoë Ångström");
        contact.setEmailAddresses(List.of(mail));
        contact.setBusinessPhones(List.of("+49 30 1234"));
        Contact created = graph.users().byUserId(user).contacts().post(contact);
        assertEquals("Zoë Ångström", created.getDisplayName());
        assertNotNull(created.getChangeKey());
        assertEquals(graph.users().byUserId(user).contactFolders().byContactFolderId("contacts").get().getId(), created.getParentFolderId());

        byte[] jpeg = Images.photo();
        graph.users().byUserId(user).contacts().byContactId(created.getId()).photo().content().put(new ByteArrayInputStream(jpeg));
        try (InputStream in = graph.users().byUserId(user).contacts().byContactId(created.getId()).photo().content().get()) {
            assertEquals(jpeg.length, in.readAllBytes().length);
        }
        Contact patch = new Contact();
        patch.setJobTitle("Physicist");
        Contact patched = graph.users().byUserId(user).contacts().byContactId(created.getId()).patch(patch);
        assertEquals("Physicist", patched.getJobTitle());
        assertEquals("Zoë", patched.getGivenName());

        String victim = seen.get(0).getId();
        graph.users().byUserId(user).contacts().byContactId(victim).delete();
        var second = graph.users().byUserId(user).contacts().delta().withUrl(deltaLink).get();
        Set<String> changed = new HashSet<>();
        Set<String> removed = new HashSet<>();
        for (Contact c : second.getValue()) {
            (c.getAdditionalData().containsKey("@removed") ? removed : changed).add(c.getId());
        }
        assertEquals(Set.of(created.getId()), changed);
        assertEquals(Set.of(victim), removed);

        ODataError noPhoto = assertThrows(ODataError.class, () -> graph.users().byUserId(user).contacts().byContactId(seen.get(1).getId())
                .photo().content().get());
        assertTrue(noPhoto.getResponseStatusCode() == 404 || noPhoto.getResponseStatusCode() == 200);

        var photo = graph.users().byUserId(user).contacts().byContactId(created.getId()).photo().get();
        assertEquals(32, photo.getHeight());
        assertEquals("image/jpeg", photo.getAdditionalData().getOrDefault("@odata.mediaContentType", "image/jpeg"));

        var folderChanges = graph.users().byUserId(user).contactFolders().delta().get();
        assertEquals(1, folderChanges.getValue().size());
        String newFolder = sandbox.createContactFolder(user, "Partners");
        var folderChanges2 = graph.users().byUserId(user).contactFolders().delta().withUrl(folderChanges.getOdataDeltaLink()).get();
        assertEquals(List.of(newFolder), folderChanges2.getValue().stream().map(ContactFolder::getId).toList());

        var folderDelta = graph.users().byUserId(user).contactFolders().byContactFolderId(folders.get(0).getId()).contacts().delta().get();
        assertFalse(folderDelta.getValue().isEmpty());
        assertTrue(folderDelta.getValue().stream().allMatch(c -> folders.get(0).getId().equals(c.getParentFolderId())));
    }

    @Test
    void deadDeltaTokensAnswerPerMode() {
        String user = mailbox(2);
        var first = graph.users().byUserId(user).contacts().delta().get(c -> c.headers.add("Prefer", "odata.maxpagesize=1000"));
        String deltaLink = first.getOdataDeltaLink();
        sandbox.expireDeltaTokens(user);
        ODataError gone = assertThrows(ODataError.class, () -> graph.users().byUserId(user).contacts().delta().withUrl(deltaLink).get());
        assertEquals(410, gone.getResponseStatusCode());
        assertTrue(gone.getResponseHeaders().get("Location").iterator().next().startsWith(sandbox.graphBaseUrl()));

        sandbox.setDeadTokenMode(DeadTokenMode.BAD_REQUEST_400);
        try {
            var again = graph.users().byUserId(user).contacts().delta().get(c -> c.headers.add("Prefer", "odata.maxpagesize=1000"));
            sandbox.addFault(FaultRule.of(FaultRule.Kind.DEAD_DELTA_TOKEN).forMailbox(user).forNext(1));
            ODataError bad = assertThrows(ODataError.class, () -> graph.users().byUserId(user).contacts().delta()
                    .withUrl(again.getOdataDeltaLink()).get());
            assertEquals(400, bad.getResponseStatusCode());
            assertEquals("syncStateNotFound", bad.getError().getCode());
            // the fault fired once; the token itself is still good
            assertNotNull(graph.users().byUserId(user).contacts().delta().withUrl(again.getOdataDeltaLink()).get().getOdataDeltaLink());
        } finally {
            sandbox.setDeadTokenMode(DeadTokenMode.GONE_410);
            sandbox.clearFaults();
        }
    }

    @Test
    void batchThroughTheSdk() throws Exception {
        String user = mailbox(3);
        BatchRequestContent batch = new BatchRequestContent(graph);
        String calendar = batch.addBatchRequestStep(graph.users().byUserId(user).calendar().toGetRequestInformation());
        String events = batch.addBatchRequestStep(graph.users().byUserId(user).events().toGetRequestInformation());
        String missing = batch.addBatchRequestStep(graph.users().byUserId(user).events().byEventId("AAMkAGRvZXNub3RleGlzdA==")
                .toGetRequestInformation());
        BatchResponseContent response = graph.getBatchRequestBuilder().post(batch, null);
        Map<String, Integer> status = response.getResponsesStatusCode();
        assertEquals(200, status.get(calendar));
        assertEquals(200, status.get(events));
        assertEquals(404, status.get(missing));
        Calendar c = response.getResponseById(calendar, Calendar::createFromDiscriminatorValue);
        assertTrue(c.getIsDefaultCalendar());
    }

    @Test
    void serverFaultsAreRetriedOrReportedLikeGraphs() {
        String user = mailbox(3);
        try {
            sandbox.resetCounters();
            sandbox.addFault(FaultRule.status(503).withRetryAfter("0.1").forMailbox(user).forNext(2));
            assertNotNull(graph.users().byUserId(user).calendar().get(), "Kiota's RetryHandler honours Retry-After and retries 503");
            assertEquals(3, sandbox.counters().endpoint("GET /users/{id}/calendar"));

            sandbox.addFault(FaultRule.status(500).forMailbox(user).forNext(1));
            ODataError e = assertThrows(ODataError.class, () -> graph.users().byUserId(user).calendar().get());
            assertEquals(500, e.getResponseStatusCode());

            long before = sandbox.counters().endpoint("GET /users");
            sandbox.addFault(FaultRule.status(503).withRetryAfter("0.1").forPathContaining("/users").forNext(1));
            assertFalse(graph.users().get().getValue().isEmpty(), "the directory 503 is retried too");
            assertEquals(before + 2, sandbox.counters().endpoint("GET /users"));

            sandbox.addFault(FaultRule.latency(300).forMailbox(user).forNext(1));
            Instant t0 = Instant.now();
            graph.users().byUserId(user).calendar().get();
            assertTrue(Duration.between(t0, Instant.now()).toMillis() >= 300);
        } finally {
            sandbox.clearFaults();
        }
        assertTrue(sandbox.counters().mailbox(user) >= 5);
        assertTrue(sandbox.counters().app(sandbox.demoApp().clientId()) >= 5);
    }

    /** A small JPEG made on the spot. */
    static final class Images {
        static byte[] photo() throws Exception {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(img, "jpg", out);
            return out.toByteArray();
        }
    }
}
