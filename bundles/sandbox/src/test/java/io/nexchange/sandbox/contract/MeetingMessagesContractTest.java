package io.nexchange.sandbox.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexchange.sandbox.MeetingMessage;
import io.nexchange.sandbox.MeetingMessage.Type;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.List;
import microsoft.exchange.webservices.data.core.ExchangeService;
import microsoft.exchange.webservices.data.core.enumeration.property.WellKnownFolderName;
import microsoft.exchange.webservices.data.core.enumeration.service.ConflictResolutionMode;
import microsoft.exchange.webservices.data.core.enumeration.service.DeleteMode;
import microsoft.exchange.webservices.data.core.enumeration.service.SendCancellationsMode;
import microsoft.exchange.webservices.data.core.enumeration.service.SendInvitationsMode;
import microsoft.exchange.webservices.data.core.enumeration.service.SendInvitationsOrCancellationsMode;
import microsoft.exchange.webservices.data.core.service.item.Appointment;
import microsoft.exchange.webservices.data.property.complex.FolderId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exchange's meeting messages, as the sandbox records them: what a Graph or EWS write of a meeting would send, to whom
 * (Graph: invitations on create, updates on change, cancellations on delete and {@code /cancel}, responses on
 * {@code /accept} and {@code /decline}; EWS: as its {@code SendMeeting…} attributes say), and nothing for appointments,
 * attendee copies, the organizer's own properties, {@code SendToNone} and the admin API.
 */
class MeetingMessagesContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANN = "ann@partner.example";
    private static final String BEN = "ben@partner.example";
    private static final String CY = "cy@partner.example";

    private static SandboxServer sandbox;
    private static HttpClient http;
    private static String token;
    private static String user;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxServer.start(SandboxOptions.defaults().users(3).eventsPerMailbox(2).contactsPerMailbox(1).seed(5)
                .anchorDate(LocalDate.of(2030, 1, 7)));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(Clients.trust(sandbox).context())
                .connectTimeout(Duration.ofSeconds(5)).build();
        token = Clients.token(Clients.msalWithSecret(sandbox, sandbox.demoApp().clientId(), sandbox.demoApp().clientSecret()));
        user = sandbox.mailboxes().get(0);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void nothingSentYet() {
        sandbox.clearMeetingMessages();
    }

    @Test
    void graphCreateOfAMeetingInvitesItsAttendeesAndTheMailboxOrganisesWhateverTheBodySays() throws Exception {
        JsonNode appointment = post("/events", event("Dentist", "2030-01-15T09:00:00", List.of()));
        assertEquals(0, sandbox.meetingMessageCount(), "no attendees, no message");

        JsonNode meeting = post("/events", event("Planning", "2030-01-15T11:00:00", List.of(ANN, BEN))
                .replace("{\"subject\"", "{\"organizer\":{\"emailAddress\":{\"address\":\"" + CY + "\"}},\"isOrganizer\":false,\"subject\""));
        assertEquals(user, meeting.at("/organizer/emailAddress/address").asText(), "an event created in a calendar is its owner's meeting");
        assertTrue(meeting.path("isOrganizer").asBoolean());
        MeetingMessage invitation = only();
        assertEquals(Type.INVITATION, invitation.type());
        assertEquals(List.of(ANN, BEN), invitation.to());
        assertEquals("graph", invitation.protocol());
        assertEquals(user, invitation.mailbox());
        assertEquals(meeting.path("id").asText(), invitation.eventId());

        // a retried POST (same transactionId) is the same event: no second invitation
        String withTransaction = event("Retro", "2030-01-16T11:00:00", List.of(ANN)).replace("{\"subject\"",
                "{\"transactionId\":\"6b1f3c2e-0000-4000-8000-000000000001\",\"subject\"");
        post("/events", withTransaction);
        post("/events", withTransaction);
        assertEquals(2, sandbox.meetingMessageCount());
        assertTrue(appointment.path("attendees").isEmpty());
    }

    @Test
    void graphPatchOfAMeetingSendsUpdatesExceptForTheOrganizersOwnPropertiesAndAttendeeChangesGoToThoseChanged() throws Exception {
        String id = post("/events", event("Review", "2030-01-17T09:00:00", List.of(ANN, BEN))).path("id").asText();
        sandbox.clearMeetingMessages();

        patch("/events/" + id, "{\"categories\":[\"Blue\"],\"isReminderOn\":true,\"reminderMinutesBeforeStart\":30}");
        assertEquals(0, sandbox.meetingMessageCount(), "categories and reminder are the organizer's own");
        patch("/events/" + id, "{\"subject\":\"Review\"}");
        assertEquals(0, sandbox.meetingMessageCount(), "the same value is no change");

        patch("/events/" + id, "{\"location\":{\"displayName\":\"Room 2\"}}");
        MeetingMessage update = only();
        assertEquals(Type.UPDATE, update.type());
        assertEquals(List.of(ANN, BEN), update.to());
        sandbox.clearMeetingMessages();

        patch("/events/" + id, "{\"attendees\":[" + attendee(ANN) + "," + attendee(CY) + "]}");
        List<MeetingMessage> sent = sandbox.meetingMessages();
        assertEquals(2, sent.size(), sent.toString());
        assertEquals(Type.INVITATION, sent.get(0).type());
        assertEquals(List.of(CY), sent.get(0).to());
        assertEquals(Type.CANCELLATION, sent.get(1).type());
        assertEquals(List.of(BEN), sent.get(1).to());
    }

    @Test
    void graphDeleteAndCancelOfAMeetingOrOneOccurrenceSendCancellations() throws Exception {
        String series = post("/events", event("Standup", "2030-01-14T09:00:00", List.of(ANN)).replace("{\"subject\"",
                "{\"recurrence\":{\"pattern\":{\"type\":\"daily\",\"interval\":1},\"range\":{\"type\":\"numbered\",\"startDate\":\"2030-01-14\","
                        + "\"numberOfOccurrences\":5}},\"subject\"")).path("id").asText();
        sandbox.clearMeetingMessages();
        JsonNode occurrences = get("/events/" + series + "/instances?startDateTime=2030-01-14T00:00:00Z&endDateTime=2030-01-20T00:00:00Z")
                .path("value");
        assertEquals(5, occurrences.size());

        patch("/events/" + occurrences.get(1).path("id").asText(), "{\"start\":{\"dateTime\":\"2030-01-15T10:00:00\",\"timeZone\":\"UTC\"},"
                + "\"end\":{\"dateTime\":\"2030-01-15T10:30:00\",\"timeZone\":\"UTC\"}}");
        MeetingMessage moved = only();
        assertEquals(Type.UPDATE, moved.type());
        assertEquals(Instant.parse("2030-01-15T09:00:00Z"), moved.occurrence());
        sandbox.clearMeetingMessages();

        assertEquals(204, send("DELETE", "/events/" + occurrences.get(2).path("id").asText(), null).statusCode());
        MeetingMessage cancelledOccurrence = only();
        assertEquals(Type.CANCELLATION, cancelledOccurrence.type());
        assertEquals(Instant.parse("2030-01-16T09:00:00Z"), cancelledOccurrence.occurrence());
        sandbox.clearMeetingMessages();

        HttpResponse<String> cancel = send("POST", "/events/" + series + "/cancel", "{\"comment\":\"No standup this week\"}");
        assertEquals(202, cancel.statusCode(), cancel.body());
        MeetingMessage cancellation = only();
        assertEquals(Type.CANCELLATION, cancellation.type());
        assertEquals("No standup this week", cancellation.comment());
        assertNull(cancellation.occurrence());
        assertEquals(404, send("GET", "/events/" + series, null).statusCode());
        sandbox.clearMeetingMessages();

        String single = post("/events", event("1:1", "2030-01-18T09:00:00", List.of(BEN))).path("id").asText();
        sandbox.clearMeetingMessages();
        assertEquals(204, send("DELETE", "/events/" + single, null).statusCode());
        assertEquals(Type.CANCELLATION, only().type());
    }

    @Test
    void attendeeCopiesSendNothingWhenEditedOrDeletedAndAnswerTheOrganizerUnlessSendResponseIsFalse() throws Exception {
        String copy = invitationFrom(CY, "Board meeting", "2030-01-21T09:00:00");
        assertEquals(0, sandbox.meetingMessageCount(), "the admin API sends nothing");

        patch("/events/" + copy, "{\"subject\":\"Board meeting (my notes)\",\"location\":{\"displayName\":\"Elsewhere\"}}");
        assertEquals(0, sandbox.meetingMessageCount(), "an attendee's edit of its copy tells nobody");
        HttpResponse<String> notOrganizer = send("POST", "/events/" + copy + "/cancel", "{\"comment\":\"x\"}");
        assertEquals(400, notOrganizer.statusCode());
        assertTrue(notOrganizer.body().contains("You need to be an organizer to cancel a meeting"), notOrganizer.body());

        assertEquals(202, send("POST", "/events/" + copy + "/accept", "{\"SendResponse\":false}").statusCode(),
                "parameter names in any case, as the SDKs send them");
        assertEquals(0, sandbox.meetingMessageCount());
        assertEquals("accepted", get("/events/" + copy).at("/responseStatus/response").asText());
        assertEquals(202, send("POST", "/events/" + copy + "/tentativelyAccept", "{\"comment\":\"maybe\"}").statusCode());
        MeetingMessage tentative = only();
        assertEquals(Type.TENTATIVELY_ACCEPTED, tentative.type());
        assertEquals(List.of(CY), tentative.to());
        sandbox.clearMeetingMessages();
        assertEquals(202, send("POST", "/events/" + copy + "/decline", "{\"comment\":\"sorry\"}").statusCode());
        assertEquals(Type.DECLINED, only().type());
        assertEquals(404, send("GET", "/events/" + copy, null).statusCode(), "a declined meeting leaves the calendar");
        sandbox.clearMeetingMessages();

        String other = invitationFrom(CY, "Offsite", "2030-01-22T09:00:00");
        assertEquals(204, send("DELETE", "/events/" + other, null).statusCode());
        assertEquals(0, sandbox.meetingMessageCount(), "deleting an attendee copy sends nothing");

        String own = post("/events", event("Own", "2030-01-23T09:00:00", List.of(ANN))).path("id").asText();
        assertEquals(400, send("POST", "/events/" + own + "/accept", "{}").statusCode(), "the organizer cannot answer its own meeting");
    }

    @Test
    void ewsSendsWhatItsSendMeetingAttributesSayAndNothingForSendToNone() throws Exception {
        String exchangeToken = Clients.msalWithSecret(sandbox, sandbox.demoApp().clientId(), sandbox.demoApp().clientSecret())
                .acquireToken(com.microsoft.aad.msal4j.ClientCredentialParameters.builder(java.util.Set.of(
                        "https://outlook.office365.com/.default")).build()).get().accessToken();
        ExchangeService ews = EwsClients.oauth(sandbox, exchangeToken, user);
        Appointment quiet = appointment(ews, "Quiet", "2030-01-24T09:00:00Z");
        quiet.save(new FolderId(WellKnownFolderName.Calendar), SendInvitationsMode.SendToNone);
        quiet = Appointment.bind(ews, quiet.getId());
        quiet.setLocation("Room 9");
        quiet.update(ConflictResolutionMode.AlwaysOverwrite, SendInvitationsOrCancellationsMode.SendToNone);
        Appointment.bind(ews, quiet.getId()).delete(DeleteMode.HardDelete, SendCancellationsMode.SendToNone);
        assertEquals(0, sandbox.meetingMessageCount(), "SendToNone on CreateItem, UpdateItem and DeleteItem");

        Appointment loud = appointment(ews, "Loud", "2030-01-25T09:00:00Z");
        loud.save(new FolderId(WellKnownFolderName.Calendar), SendInvitationsMode.SendOnlyToAll);
        assertEquals(Type.INVITATION, only().type());
        sandbox.clearMeetingMessages();
        loud = Appointment.bind(ews, loud.getId());
        loud.setLocation("Room 10");
        loud.update(ConflictResolutionMode.AlwaysOverwrite, SendInvitationsOrCancellationsMode.SendToAllAndSaveCopy);
        MeetingMessage update = only();
        assertEquals(Type.UPDATE, update.type());
        assertEquals("ews", update.protocol());
        assertEquals(List.of(ANN, BEN), update.to());
        sandbox.clearMeetingMessages();
        Appointment.bind(ews, loud.getId()).delete(DeleteMode.HardDelete, SendCancellationsMode.SendToAllAndSaveCopy);
        assertEquals(Type.CANCELLATION, only().type());
    }

    @Test
    void adminApiListsCountsAndResetsTheMessages() throws Exception {
        post("/events", event("Listed", "2030-01-26T09:00:00", List.of(ANN)));
        JsonNode listed = JSON.readTree(admin("GET", "/_sandbox/meeting-messages").body());
        assertEquals(1, listed.path("count").asInt());
        JsonNode message = listed.path("messages").get(0);
        assertEquals("INVITATION", message.path("type").asText());
        assertEquals(ANN, message.path("to").get(0).asText());
        assertEquals("Listed", message.path("subject").asText());
        assertEquals(204, admin("POST", "/_sandbox/meeting-messages/reset").statusCode());
        assertEquals(0, JSON.readTree(admin("GET", "/_sandbox/meeting-messages").body()).path("count").asInt());
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static MeetingMessage only() {
        List<MeetingMessage> sent = sandbox.meetingMessages();
        assertEquals(1, sent.size(), sent.toString());
        return sent.get(0);
    }

    private static String invitationFrom(String organizer, String subject, String start) throws Exception {
        String json = event(subject, start, List.of(user, ANN)).replace("{\"subject\"", "{\"organizer\":{\"emailAddress\":{\"address\":\""
                + organizer + "\"}},\"isOrganizer\":false,\"responseStatus\":{\"response\":\"notResponded\"},\"subject\"");
        return JSON.readTree(sandbox.createEvent(user, json)).path("id").asText();
    }

    private static Appointment appointment(ExchangeService ews, String subject, String start) throws Exception {
        Appointment a = new Appointment(ews);
        a.setSubject(subject);
        a.setStart(Date.from(Instant.parse(start)));
        a.setEnd(Date.from(Instant.parse(start).plusSeconds(3600)));
        a.getRequiredAttendees().add(ANN);
        a.getRequiredAttendees().add(BEN);
        return a;
    }

    private static String event(String subject, String start, List<String> attendees) {
        String end = java.time.LocalDateTime.parse(start).plusMinutes(30).toString();
        StringBuilder people = new StringBuilder();
        for (String a : attendees) {
            people.append(people.length() == 0 ? "" : ",").append(attendee(a));
        }
        return "{\"subject\":\"" + subject + "\",\"start\":{\"dateTime\":\"" + start + "\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\""
                + end + ":00\",\"timeZone\":\"UTC\"},\"attendees\":[" + people + "]}";
    }

    private static String attendee(String address) {
        return "{\"type\":\"required\",\"emailAddress\":{\"address\":\"" + address + "\"}}";
    }

    private static JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> r = send("POST", path, body);
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = send("GET", path, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static void patch(String path, String body) throws Exception {
        HttpResponse<String> r = send("PATCH", path, body);
        assertEquals(200, r.statusCode(), r.body());
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return call(method, sandbox.graphBaseUrl() + "/users/" + user + path, body, true);
    }

    private static HttpResponse<String> admin(String method, String path) throws Exception {
        return call(method, sandbox.baseUrl() + path, "POST".equals(method) ? "{}" : null, false);
    }

    private static HttpResponse<String> call(String method, String url, String body, boolean authorised) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (authorised) {
            b.header("Authorization", "Bearer " + token);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
