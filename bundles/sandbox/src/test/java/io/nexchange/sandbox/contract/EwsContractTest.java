package io.nexchange.sandbox.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import io.nexchange.sandbox.AppRegistration;
import io.nexchange.sandbox.FaultRule;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.sandbox.internal.store.TimeZones;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.PropertySet;
import microsoft.exchange.webservices.data.core.enumeration.property.BasePropertySet;
import microsoft.exchange.webservices.data.core.enumeration.property.EmailAddressKey;
import microsoft.exchange.webservices.data.core.enumeration.property.WellKnownFolderName;
import microsoft.exchange.webservices.data.core.enumeration.misc.error.ServiceError;
import microsoft.exchange.webservices.data.core.enumeration.service.ConflictResolutionMode;
import microsoft.exchange.webservices.data.core.enumeration.service.DeleteMode;
import microsoft.exchange.webservices.data.core.enumeration.service.SendCancellationsMode;
import microsoft.exchange.webservices.data.core.enumeration.service.SendInvitationsMode;
import microsoft.exchange.webservices.data.core.enumeration.service.SendInvitationsOrCancellationsMode;
import microsoft.exchange.webservices.data.core.enumeration.service.SyncFolderItemsScope;
import microsoft.exchange.webservices.data.core.enumeration.service.calendar.AppointmentType;
import microsoft.exchange.webservices.data.core.enumeration.sync.ChangeType;
import microsoft.exchange.webservices.data.core.exception.service.remote.ServiceRequestException;
import microsoft.exchange.webservices.data.core.exception.service.remote.ServiceResponseException;
import microsoft.exchange.webservices.data.core.service.item.Appointment;
import microsoft.exchange.webservices.data.core.service.item.Contact;
import microsoft.exchange.webservices.data.property.complex.EmailAddress;
import microsoft.exchange.webservices.data.property.complex.FolderId;
import microsoft.exchange.webservices.data.property.complex.ItemId;
import microsoft.exchange.webservices.data.search.CalendarView;
import microsoft.exchange.webservices.data.search.FindItemsResults;
import microsoft.exchange.webservices.data.sync.ChangeCollection;
import microsoft.exchange.webservices.data.sync.ItemChange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Microsoft's EWS Java client (ews-java-api 2.0, unmodified) against the sandbox's EWS endpoint, and
 * the cross-protocol contract: EWS and Graph show the same mailbox (same items, ids that convert into
 * each other, same UID/iCalUId, edits visible both ways).
 */
class EwsContractTest {
    private static final LocalDate ANCHOR = LocalDate.of(2030, 1, 7);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SERVICE_USER = "svc-nexchange";
    private static final String SERVICE_PASSWORD = "Sandbox-only-pw-1";

    private static SandboxServer sandbox;
    private static ConfidentialClientApplication msal;
    private static GraphServiceClient graph;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxServer.start(SandboxOptions.defaults().users(4).eventsPerMailbox(40).contactsPerMailbox(15).seed(21)
                .anchorDate(ANCHOR).ewsServiceAccount(SERVICE_USER, SERVICE_PASSWORD, true));
        msal = Clients.msalWithSecret(sandbox, sandbox.demoApp().clientId(), sandbox.demoApp().clientSecret());
        graph = Clients.graph(sandbox, msal);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @AfterEach
    void reset() {
        sandbox.clearFaults();
        sandbox.setEwsThrottling(27, 10_000, Duration.ofMinutes(10), "2.128");
        sandbox.setEwsServiceAccount(SERVICE_USER, SERVICE_PASSWORD, true);
    }

    private static String exchangeToken(ConfidentialClientApplication app) throws Exception {
        return app.acquireToken(ClientCredentialParameters.builder(Set.of("https://outlook.office365.com/.default")).build())
                .get().accessToken();
    }

    private static ExchangeService ews(String mailbox) throws Exception {
        return EwsClients.oauth(sandbox, exchangeToken(msal), mailbox);
    }

    /** The EWS error of a call: ews-java-api throws it directly (response messages) or wrapped (SOAP faults). */
    private static ServiceResponseException ewsError(org.junit.jupiter.api.function.Executable call) {
        Exception e = assertThrows(Exception.class, call);
        Throwable t = e;
        while (t != null && !(t instanceof ServiceResponseException)) {
            t = t.getCause();
        }
        assertNotNull(t, () -> "no EWS error in " + e);
        return (ServiceResponseException) t;
    }

    private static String mailbox(int i) {
        return sandbox.mailboxes().get(i);
    }

    /** Drains SyncFolderItems; answers [ids by change type] and leaves the final state in state[0]. */
    private static List<ItemChange> drain(ExchangeService s, WellKnownFolderName folder, String[] state, int pageSize, int[] calls)
            throws Exception {
        List<ItemChange> out = new ArrayList<>();
        ChangeCollection<ItemChange> page;
        do {
            page = s.syncFolderItems(new FolderId(folder), PropertySet.IdOnly, null, pageSize, SyncFolderItemsScope.NormalItems, state[0]);
            page.forEach(out::add);
            state[0] = page.getSyncState();
            calls[0]++;
        } while (page.getMoreChangesAvailable());
        return out;
    }

    @Test
    void syncFolderItemsPagesToTheEndAndThenReportsCreateUpdateDelete() throws Exception {
        String user = mailbox(0);
        ExchangeService s = ews(user);
        String[] state = {null};
        int[] calls = {0};
        List<ItemChange> first = drain(s, WellKnownFolderName.Calendar, state, 7, calls);
        Set<String> expected = new HashSet<>();
        sandbox.eventIds(user).forEach(id -> expected.add(SandboxServer.ewsIdOf(id)));
        Set<String> seen = new HashSet<>();
        for (ItemChange c : first) {
            assertEquals(ChangeType.Create, c.getChangeType());
            seen.add(c.getItemId().getUniqueId());
        }
        assertEquals(expected, seen, "calendar sync = masters and single items (no occurrences)");
        assertEquals(Math.max(1, (expected.size() + 6) / 7), calls[0], "pages of 7 until IncludesLastItemInRange");

        assertTrue(drain(s, WellKnownFolderName.Calendar, state, 512, new int[1]).isEmpty(), "nothing changed");
        String edited = sandbox.eventIds(user).get(3);
        String deleted = sandbox.eventIds(user).get(4);
        sandbox.updateEvent(user, edited, "{\"subject\":\"Edited by a user in Outlook\"}");
        sandbox.deleteEvent(user, deleted);
        List<ItemChange> next = drain(s, WellKnownFolderName.Calendar, state, 512, new int[1]);
        assertEquals(2, next.size(), next.toString());
        for (ItemChange c : next) {
            if (c.getChangeType() == ChangeType.Update) {
                assertEquals(SandboxServer.ewsIdOf(edited), c.getItemId().getUniqueId());
            } else {
                assertEquals(ChangeType.Delete, c.getChangeType());
                assertEquals(SandboxServer.ewsIdOf(deleted), c.getItemId().getUniqueId());
            }
        }

        String[] contactState = {null};
        List<ItemChange> contacts = drain(s, WellKnownFolderName.Contacts, contactState, 4, new int[1]);
        assertFalse(contacts.isEmpty());
        for (ItemChange c : contacts) {
            assertTrue(sandbox.contactIds(user).contains(SandboxServer.graphIdOf(c.getItemId().getUniqueId())));
        }
    }

    @Test
    void badOrDeadSyncStateIsErrorInvalidSyncStateData() throws Exception {
        ExchangeService s = ews(mailbox(1));
        ServiceResponseException bad = assertThrows(ServiceResponseException.class, () -> s.syncFolderItems(
                new FolderId(WellKnownFolderName.Calendar), PropertySet.IdOnly, null, 100, SyncFolderItemsScope.NormalItems, "AAAAbm90IGEgc3RhdGU="));
        assertEquals(ServiceError.ErrorInvalidSyncStateData, bad.getErrorCode());
        assertEquals("Synchronization state data is corrupt or otherwise invalid.", bad.getMessage());

        String[] state = {null};
        drain(s, WellKnownFolderName.Calendar, state, 512, new int[1]);
        sandbox.addFault(FaultRule.of(FaultRule.Kind.DEAD_DELTA_TOKEN).forNext(1));
        ServiceResponseException dead = assertThrows(ServiceResponseException.class, () -> s.syncFolderItems(
                new FolderId(WellKnownFolderName.Calendar), PropertySet.IdOnly, null, 100, SyncFolderItemsScope.NormalItems, state[0]));
        assertEquals(ServiceError.ErrorInvalidSyncStateData, dead.getErrorCode());
        // the state itself is still good once the fault is spent; expiring it kills it for good
        s.syncFolderItems(new FolderId(WellKnownFolderName.Calendar), PropertySet.IdOnly, null, 100, SyncFolderItemsScope.NormalItems, state[0]);
        sandbox.expireDeltaTokens(mailbox(1));
        assertThrows(ServiceResponseException.class, () -> s.syncFolderItems(new FolderId(WellKnownFolderName.Calendar),
                PropertySet.IdOnly, null, 100, SyncFolderItemsScope.NormalItems, state[0]));
    }

    @Test
    void getItemReturnsTheGraphEventsPropertiesIncludingRecurrenceAndExceptions() throws Exception {
        String user = mailbox(0);
        ExchangeService s = ews(user);
        int checkedMasters = 0;
        for (String id : sandbox.eventIds(user)) {
            JsonNode g = JSON.readTree(sandbox.event(user, id));
            Appointment a = Appointment.bind(s, new ItemId(SandboxServer.ewsIdOf(id)), new PropertySet(BasePropertySet.FirstClassProperties));
            assertEquals(g.get("subject").asText(), a.getSubject());
            assertEquals(g.get("iCalUId").asText(), a.getICalUid());
            assertEquals(g.get("changeKey").asText(), a.getId().getChangeKey());
            assertEquals(g.get("isAllDay").asBoolean(), a.getIsAllDayEvent());
            assertEquals(g.path("location").path("displayName").asText(), a.getLocation() == null ? "" : a.getLocation());
            assertEquals(g.get("organizer").get("emailAddress").get("address").asText(), a.getOrganizer().getAddress());
            int required = 0;
            for (JsonNode at : g.get("attendees")) {
                required += at.get("type").asText().equals("required") ? 1 : 0;
            }
            assertEquals(required, a.getRequiredAttendees().getCount());
            if (g.get("type").asText().equals("seriesMaster")) {
                assertEquals(AppointmentType.RecurringMaster, a.getAppointmentType());
                assertNotNull(a.getRecurrence());
                assertNotNull(a.getFirstOccurrence());
                sandbox.endSeries(user, id, ANCHOR.plusDays(400));
                checkedMasters++;
            } else {
                assertEquals(AppointmentType.Single, a.getAppointmentType());
                Instant start = java.time.LocalDateTime.parse(g.get("start").get("dateTime").asText())
                        .atZone(TimeZones.zoneOrUtc(g.get("start").get("timeZone").asText())).toInstant();
                assertEquals(start, a.getStart().toInstant(), "EWS Start is the Graph start (in its zone) in UTC");
                assertEquals(TimeZones.windowsName(g.get("start").get("timeZone").asText()), a.getStartTimeZone().getId());
            }
        }
        assertTrue(checkedMasters > 0, "the generated calendar has series");
    }

    @Test
    void findItemCalendarViewExpandsOccurrencesLikeGraphCalendarView() throws Exception {
        String user = mailbox(2);
        ExchangeService s = ews(user);
        Date from = Date.from(Instant.parse("2029-12-01T00:00:00Z"));
        Date to = Date.from(Instant.parse("2030-03-01T00:00:00Z"));
        FindItemsResults<Appointment> found = s.findAppointments(WellKnownFolderName.Calendar, new CalendarView(from, to));
        List<Event> view = new ArrayList<>();
        var page = graph.users().byUserId(user).calendarView().get(c -> {
            c.queryParameters.startDateTime = "2029-12-01T00:00:00Z";
            c.queryParameters.endDateTime = "2030-03-01T00:00:00Z";
            c.queryParameters.top = 1000;
        });
        view.addAll(page.getValue());
        assertNull(page.getOdataNextLink());
        Set<String> graphIds = new HashSet<>();
        view.forEach(e -> graphIds.add(e.getId()));
        Set<String> ewsIds = new HashSet<>();
        boolean occurrences = false;
        for (Appointment a : found.getItems()) {
            ewsIds.add(SandboxServer.graphIdOf(a.getId().getUniqueId()));
            occurrences |= a.getAppointmentType() == AppointmentType.Occurrence;
        }
        assertEquals(graphIds, ewsIds);
        assertTrue(occurrences);
        FindItemsResults<Appointment> limited = s.findAppointments(WellKnownFolderName.Calendar, new CalendarView(from, to, 3));
        assertEquals(3, limited.getItems().size());
        assertTrue(limited.isMoreAvailable());

        // more than EWSFindCountLimit (1000) entries
        Date farTo = Date.from(Instant.parse("2040-01-01T00:00:00Z"));
        ServiceResponseException tooMany = assertThrows(ServiceResponseException.class,
                () -> s.findAppointments(WellKnownFolderName.Calendar, new CalendarView(Date.from(Instant.parse("2020-01-01T00:00:00Z")), farTo)));
        assertEquals(ServiceError.ErrorExceededFindCountLimit, tooMany.getErrorCode());
    }

    @Test
    void createUpdateDeleteThroughEwsAreGraphChangesAndStaleChangeKeysConflict() throws Exception {
        String user = mailbox(1);
        ExchangeService s = ews(user);
        Appointment a = new Appointment(s);
        a.setSubject("Created via EWS");
        a.setStart(Date.from(Instant.parse("2030-01-15T09:00:00Z")));
        a.setEnd(Date.from(Instant.parse("2030-01-15T10:30:00Z")));
        a.setLocation("Room 4");
        a.save(new FolderId(WellKnownFolderName.Calendar), SendInvitationsMode.SendToNone);
        String restId = SandboxServer.graphIdOf(a.getId().getUniqueId());
        JsonNode g = JSON.readTree(sandbox.event(user, restId));
        assertEquals("Created via EWS", g.get("subject").asText());
        assertEquals("Room 4", g.get("location").get("displayName").asText());

        Appointment stale = Appointment.bind(s, a.getId());
        Appointment fresh = Appointment.bind(s, a.getId());
        fresh.setSubject("Renamed via EWS");
        fresh.update(ConflictResolutionMode.AlwaysOverwrite, SendInvitationsOrCancellationsMode.SendToNone);
        assertEquals("Renamed via EWS", JSON.readTree(sandbox.event(user, restId)).get("subject").asText());

        stale.setSubject("Lost update");
        ServiceResponseException conflict = assertThrows(ServiceResponseException.class,
                () -> stale.update(ConflictResolutionMode.NeverOverwrite, SendInvitationsOrCancellationsMode.SendToNone));
        assertEquals(ServiceError.ErrorIrresolvableConflict, conflict.getErrorCode());
        assertEquals("Renamed via EWS", JSON.readTree(sandbox.event(user, restId)).get("subject").asText());

        Appointment.bind(s, a.getId()).delete(DeleteMode.HardDelete, SendCancellationsMode.SendToNone);
        assertNull(sandbox.event(user, restId));

        Contact c = new Contact(s);
        c.setGivenName("Ada");
        c.setSurname("Lovelace");
        c.setCompanyName("Analytical Engines");
        c.getEmailAddresses().setEmailAddress(EmailAddressKey.EmailAddress1, new EmailAddress("ada@example.org"));
        c.save(new FolderId(WellKnownFolderName.Contacts));
        String contactId = SandboxServer.graphIdOf(c.getId().getUniqueId());
        assertTrue(sandbox.contactIds(user).contains(contactId));
        Contact back = Contact.bind(s, c.getId());
        assertEquals("Ada Lovelace", back.getDisplayName());
        assertEquals("ada@example.org", back.getEmailAddresses().getEmailAddress(EmailAddressKey.EmailAddress1).getAddress());
        back.delete(DeleteMode.MoveToDeletedItems);
        assertFalse(sandbox.contactIds(user).contains(contactId));
    }

    @Test
    void theSameEventThroughEwsAndGraphAndEditsVisibleBothWays() throws Exception {
        String user = mailbox(3);
        ExchangeService s = ews(user);
        String restId = sandbox.eventIds(user).stream().filter(id -> sandbox.event(user, id).contains("\"singleInstance\""))
                .findFirst().orElseThrow();
        Event viaGraph = graph.users().byUserId(user).events().byEventId(restId).get();

        var body = new com.microsoft.graph.users.item.translateexchangeids.TranslateExchangeIdsPostRequestBody();
        body.setInputIds(List.of(restId));
        body.setSourceIdType(com.microsoft.graph.models.ExchangeIdFormat.RestId);
        body.setTargetIdType(com.microsoft.graph.models.ExchangeIdFormat.EwsId);
        String ewsId = graph.users().byUserId(user).translateExchangeIds().post(body).getValue().get(0).getTargetId();
        assertEquals(SandboxServer.ewsIdOf(restId), ewsId);

        Appointment viaEws = Appointment.bind(s, new ItemId(ewsId));
        assertEquals(viaGraph.getICalUId(), viaEws.getICalUid());
        assertEquals(viaGraph.getSubject(), viaEws.getSubject());
        assertEquals(viaGraph.getChangeKey(), viaEws.getId().getChangeKey());
        assertEquals(Instant.parse(viaGraph.getStart().getDateTime() + "Z"), viaEws.getStart().toInstant());
        assertEquals(Instant.parse(viaGraph.getEnd().getDateTime() + "Z"), viaEws.getEnd().toInstant());

        // Graph delta baseline, then an EWS edit shows up in the next Graph delta round
        Instant start = viaEws.getStart().toInstant();
        String from = start.minus(Duration.ofDays(1)).toString();
        String to = start.plus(Duration.ofDays(1)).toString();
        var delta = graph.users().byUserId(user).calendarView().delta().get(c -> {
            c.queryParameters.startDateTime = from;
            c.queryParameters.endDateTime = to;
        });
        while (delta.getOdataNextLink() != null) {
            delta = graph.users().byUserId(user).calendarView().delta().withUrl(delta.getOdataNextLink()).get();
        }
        String deltaLink = delta.getOdataDeltaLink();
        String[] ewsState = {null};
        drain(s, WellKnownFolderName.Calendar, ewsState, 512, new int[1]);

        viaEws.setSubject("Edited through EWS");
        viaEws.update(ConflictResolutionMode.AutoResolve, SendInvitationsOrCancellationsMode.SendToNone);
        var changes = graph.users().byUserId(user).calendarView().delta().withUrl(deltaLink).get();
        assertEquals(1, changes.getValue().size());
        assertEquals(restId, changes.getValue().get(0).getId());
        assertEquals("Edited through EWS", changes.getValue().get(0).getSubject());
        var view = graph.users().byUserId(user).calendarView().get(c -> {
            c.queryParameters.startDateTime = from;
            c.queryParameters.endDateTime = to;
        });
        assertTrue(view.getValue().stream().anyMatch(e -> e.getId().equals(restId) && "Edited through EWS".equals(e.getSubject())));

        // ... and a Graph edit shows up in the next EWS SyncFolderItems, readable with GetItem
        drain(s, WellKnownFolderName.Calendar, ewsState, 512, new int[1]);
        Event patch = new Event();
        patch.setSubject("Edited through Graph");
        Event patched = graph.users().byUserId(user).events().byEventId(restId).patch(patch);
        List<ItemChange> next = drain(s, WellKnownFolderName.Calendar, ewsState, 512, new int[1]);
        assertEquals(1, next.size());
        assertEquals(ChangeType.Update, next.get(0).getChangeType());
        assertEquals(ewsId, next.get(0).getItemId().getUniqueId());
        assertEquals(patched.getChangeKey(), next.get(0).getItemId().getChangeKey());
        assertEquals("Edited through Graph", Appointment.bind(s, next.get(0).getItemId()).getSubject());
        assertNotEquals(viaGraph.getChangeKey(), patched.getChangeKey());
    }

    @Test
    void throttlingAnswersErrorServerBusyWithBackOff() throws Exception {
        ExchangeService s = ews(mailbox(0));
        sandbox.setEwsThrottling(27, 2, Duration.ofMinutes(10), "1.5");
        s.findAppointments(WellKnownFolderName.Calendar, new CalendarView(new Date(0), new Date(1)));
        s.findAppointments(WellKnownFolderName.Calendar, new CalendarView(new Date(0), new Date(1)));
        ServiceResponseException busy = ewsError(
                () -> s.findAppointments(WellKnownFolderName.Calendar, new CalendarView(new Date(0), new Date(1))));
        assertEquals(ServiceError.ErrorServerBusy, busy.getErrorCode());
        assertEquals("1500", busy.getResponse().getErrorDetails().get("BackOffMilliseconds"));
        // another mailbox has its own budget
        ews(mailbox(1)).findAppointments(WellKnownFolderName.Calendar, new CalendarView(new Date(0), new Date(1)));
        assertTrue(sandbox.counters().endpoint("EWS FindItem") >= 4 && sandbox.counters().app("ews-not-an-app") == 0);
    }

    @Test
    void authenticationAndImpersonationFailuresLookLikeExchange() throws Exception {
        String user = mailbox(0);
        // Basic service account with ApplicationImpersonation
        ExchangeService basic = EwsClients.basic(sandbox, SERVICE_USER, SERVICE_PASSWORD, user);
        assertFalse(basic.findAppointments(WellKnownFolderName.Calendar, new CalendarView(
                Date.from(Instant.parse("2029-12-01T00:00:00Z")), Date.from(Instant.parse("2030-03-01T00:00:00Z")))).getItems().isEmpty());
        ServiceRequestException wrong = assertThrows(ServiceRequestException.class, () -> EwsClients.basic(sandbox, SERVICE_USER, "wrong", user)
                .findAppointments(WellKnownFolderName.Calendar, new CalendarView(new Date(0), new Date(1))));
        assertTrue(String.valueOf(wrong.getMessage()).contains("401"), wrong.getMessage());
        sandbox.setEwsServiceAccount(SERVICE_USER, SERVICE_PASSWORD, false);
        ServiceResponseException denied = ewsError(() -> EwsClients.basic(sandbox, SERVICE_USER,
                SERVICE_PASSWORD, user).findAppointments(WellKnownFolderName.Calendar, new CalendarView(new Date(0), new Date(1))));
        assertEquals(ServiceError.ErrorImpersonateUserDenied, denied.getErrorCode());

        ServiceResponseException unknown = ewsError(() -> ews("nobody@" + sandbox.tenantDomain())
                .findAppointments(WellKnownFolderName.Calendar, new CalendarView(new Date(0), new Date(1))));
        assertEquals(ServiceError.ErrorNonExistentMailbox, unknown.getErrorCode());
        ServiceResponseException noMailbox = ewsError(() -> ews(sandbox.usersWithoutMailbox().get(0))
                .findAppointments(WellKnownFolderName.Calendar, new CalendarView(new Date(0), new Date(1))));
        assertEquals(ServiceError.ErrorNonExistentMailbox, noMailbox.getErrorCode());

        // an app without the full_access_as_app role
        AppRegistration noEws = sandbox.registerApp(AppRegistration.builder("No EWS").clientSecret("secret-without-ews-1")
                .ewsFullAccess(false).build());
        String token = exchangeToken(Clients.msalWithSecret(sandbox, noEws.clientId(), "secret-without-ews-1"));
        ServiceRequestException noRole = assertThrows(ServiceRequestException.class, () -> EwsClients.oauth(sandbox, token, user)
                .findAppointments(WellKnownFolderName.Calendar, new CalendarView(new Date(0), new Date(1))));
        assertTrue(String.valueOf(noRole.getMessage()).contains("401"), noRole.getMessage());
    }
}
