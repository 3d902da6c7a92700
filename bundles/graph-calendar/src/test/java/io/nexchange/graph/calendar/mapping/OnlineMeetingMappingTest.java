package io.nexchange.graph.calendar.mapping;

import static io.nexchange.graph.calendar.mapping.Ical.param;
import static io.nexchange.graph.calendar.mapping.Ical.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.OnlineMeetingProviderType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

/**
 * Online meetings with Microsoft's published Graph example: the response of "Create and enable an event as an online
 * meeting" (learn.microsoft.com/graph/api/calendar-post-events, example 2), with onlineMeeting.joinUrl, conferenceId
 * and tollNumber, in teams-meeting-published-example.json.
 */
class OnlineMeetingMappingTest {

    static final String JOIN_URL = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NzIyNzhlMGEtM2YyZC00ZmY0LTlhNzUtZmZj"
        + "NWFmZGNlNzE2%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22bc55b173"
        + "-cff6-457d-b7a1-64bda7d7581a%22%7d";

    private final EventToICalendar toIcal = new EventToICalendar(WindowsZones.load());
    private final ICalendarToEvent toGraph = new ICalendarToEvent(WindowsZones.load(), ZoneId.of("America/Los_Angeles"));

    static String publishedExample() {
        try (InputStream in = OnlineMeetingMappingTest.class.getResourceAsStream("teams-meeting-published-example.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Ical map(Event event) {
        return Ical.parse(toIcal.toText(EventSeries.single(event)));
    }

    @Test
    void aTeamsMeetingCarriesItsJoinLinkTheWaysCalendarClientsReadIt() {
        Ical ical = map(GraphJson.event(publishedExample()));
        VEvent event = ical.master();
        List<Property> conferences = event.getProperties("CONFERENCE");
        assertEquals(2, conferences.size(), ical.text);
        assertEquals(JOIN_URL, conferences.get(0).getValue());
        assertEquals("URI", param(event, "CONFERENCE", "VALUE"));
        assertEquals("AUDIO,VIDEO", param(event, "CONFERENCE", "FEATURE"));
        assertEquals("Microsoft Teams Meeting", param(event, "CONFERENCE", "LABEL"));
        assertTrue(ical.text.replace("\r\n ", "").contains("\r\nCONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO;LABEL=Microsoft Teams Meeting:"
            + JOIN_URL + "\r\n"), "FEATURE as a list (RFC 7986 5.11), not one quoted value: " + ical.text);
        assertEquals("tel:+14255550123,,177513992#", conferences.get(1).getValue());
        assertEquals("PHONE", conferences.get(1).getParameter("FEATURE").orElseThrow().getValue());
        assertEquals(JOIN_URL, value(event, Property.URL));
        assertEquals(JOIN_URL, value(event, OnlineMeetings.X_TEAMS_URL));
        String description = value(event, Property.DESCRIPTION);
        assertTrue(description.startsWith("Does next month work for you?\n\n" + OnlineMeetings.RULE + "\nMicrosoft Teams meeting\n"),
            description);
        assertTrue(description.contains("Click here to join the meeting <" + JOIN_URL + ">"), description);
        assertTrue(description.contains("\n+1 425 555 0123,,177513992#\nPhone Conference ID: 177513992#\n"), description);
        assertTrue(description.endsWith(OnlineMeetings.RULE), description);
        assertTrue(ical.text.contains("X-ALT-DESC;FMTTYPE=text/html:"), "the HTML body stays as it was");
    }

    @Test
    void aConferenceIdStoredWithItsHashIsDialledWithOneHash() {
        Ical ical = map(GraphJson.event(publishedExample().replace("\"177513992\"", "\"177 513 992#\"")));
        VEvent event = ical.master();
        assertEquals("tel:+14255550123,,177513992#", event.getProperties("CONFERENCE").get(1).getValue(), ical.text);
        String description = value(event, Property.DESCRIPTION);
        assertTrue(description.contains("\n+1 425 555 0123,,177 513 992#\nPhone Conference ID: 177 513 992#\n"), description);
    }

    @Test
    void aBodyThatAlreadyHoldsTheJoinLinkGetsNoSecondJoinText() {
        String body = "<html><body><p>Agenda</p><div>Microsoft Teams meeting</div><a href=\\\"" + JOIN_URL
            + "\\\">Click here to join the meeting</a></body></html>";
        Event withLinkInBody = GraphJson.event(GraphJson.merge(com.google.gson.JsonParser.parseString(publishedExample())
            .getAsJsonObject(), com.google.gson.JsonParser.parseString("{\"body\": {\"contentType\": \"html\", \"content\": \""
            + body + "\"}}").getAsJsonObject()).toString());
        String description = value(map(withLinkInBody).master(), Property.DESCRIPTION);
        assertFalse(description.contains(OnlineMeetings.RULE), description);
        assertEquals(1, description.split(java.util.regex.Pattern.quote(JOIN_URL), -1).length - 1, description);
    }

    @Test
    void theWayBackKeepsTheMeetingOnlineAndTheBodyWithoutTheJoinText() {
        String text = toIcal.toText(EventSeries.single(GraphJson.event(publishedExample())));
        GraphEventWrite write = toGraph.fromText(text);
        Event back = write.event();
        assertEquals(Boolean.TRUE, back.getIsOnlineMeeting());
        assertEquals(OnlineMeetingProviderType.TeamsForBusiness, back.getOnlineMeetingProvider());
        assertEquals(BodyType.Html, back.getBody().getContentType(), "the HTML comes back: DESCRIPTION minus the join text matches it");
        assertFalse(back.getBody().getContent().contains("meetup-join"), back.getBody().getContent());
        assertNull(back.getOnlineMeeting(), "onlineMeeting is read-only in Graph");

        // a Nextcloud client edits the text above the join text: the edit comes back, the join text does not
        String edited = text.replace("DESCRIPTION:Does next month work for you?", "DESCRIPTION:Next month then.");
        Event editedBack = toGraph.fromText(edited).event();
        assertEquals(BodyType.Text, editedBack.getBody().getContentType());
        assertEquals("Next month then.", editedBack.getBody().getContent());
        // and the round trip is stable: written again from what came back, nothing is appended twice
        Event again = GraphJson.event(publishedExample());
        again.setBody(editedBack.getBody());
        String rewritten = value(map(again).master(), Property.DESCRIPTION);
        assertEquals(1, rewritten.split("Microsoft Teams meeting", -1).length - 1, rewritten);
    }

    @Test
    void anotherProvidersConferenceLinkIsKeptInTheBody() {
        String zoom = "https://example.zoom.us/j/123456789";
        String ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:zoom-1\r\n"
            + "DTSTART:20240610T070000Z\r\nDTEND:20240610T080000Z\r\nSUMMARY:Zoom call\r\nDESCRIPTION:Bring slides\r\n"
            + "CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Zoom:" + zoom + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        Event event = toGraph.fromText(ics).event();
        assertNull(event.getIsOnlineMeeting(), "Graph cannot hold a Zoom meeting as an online meeting");
        assertTrue(event.getBody().getContent().startsWith("Bring slides\n\n" + OnlineMeetings.RULE), event.getBody().getContent());
        assertTrue(event.getBody().getContent().contains("<" + zoom + ">"), event.getBody().getContent());
    }

    @Test
    void aPhoneOnlyConferenceIsNoJoinLinkAndNonsenseNumbersAreLeftOut() {
        assertEquals("tel:+4930123456", OnlineMeetings.telUri("+49 (30) 123-456", null).orElseThrow());
        assertTrue(OnlineMeetings.telUri("ask the organiser", "1").isEmpty());
        assertEquals(OnlineMeetingProviderType.TeamsForBusiness, OnlineMeetings.providerOf(JOIN_URL));
        assertEquals(OnlineMeetingProviderType.Unknown, OnlineMeetings.providerOf("https://meet.jit.si/x"));
    }

    @Test
    void anEventThatIsNoOnlineMeetingGetsNoneOfIt() {
        Ical ical = map(GraphJson.single("{}"));
        assertTrue(ical.master().getProperties("CONFERENCE").isEmpty());
        assertNull(value(ical.master(), Property.URL));
        assertNull(toGraph.fromText(ical.text).event().getIsOnlineMeeting());
    }
}
