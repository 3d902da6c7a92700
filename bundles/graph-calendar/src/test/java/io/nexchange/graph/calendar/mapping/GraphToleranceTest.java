package io.nexchange.graph.calendar.mapping;

import static io.nexchange.graph.calendar.mapping.Ical.param;
import static io.nexchange.graph.calendar.mapping.Ical.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.graph.models.Event;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

/**
 * What real Graph sends besides the documented shapes: enum values added after the SDK was built, optional fields
 * missing or null, a date-time that is not one. The event maps with what it has; what cannot be mapped at all fails
 * with a message that names the event (id and subject) and the reason.
 */
class GraphToleranceTest {

    private final EventToICalendar mapper = new EventToICalendar(WindowsZones.load());

    private VEvent map(Event event) {
        return Ical.parse(mapper.toText(EventSeries.single(event), "AdeleV@contoso.example")).master();
    }

    @Test
    void aResponseTimeThatIsNoDateIsReadAsAbsent() {
        // seen in a real mailbox: every cycle of the calendar failed with DateTimeParseException before
        Event event = GraphJson.single("""
            {"responseStatus": {"response": "accepted", "time": "not a date"},
             "attendees": [{"type": "required", "status": {"response": "accepted", "time": "0001-01-01T00:00:00"},
                            "emailAddress": {"name": "Alex", "address": "alex@contoso.example"}}],
             "lastModifiedDateTime": "2024-05-03T09:00:01"}""");
        assertNull(event.getResponseStatus().getTime());
        VEvent vevent = map(event);
        assertEquals("Quarterly planning", value(vevent, Property.SUMMARY));
        assertEquals("20240503T090001Z", value(vevent, Property.LAST_MODIFIED), "a date-time without offset is UTC");
    }

    @Test
    void enumValuesTheSdkDoesNotKnowAreLeftOutNotFatal() {
        VEvent vevent = map(GraphJson.single("""
            {"sensitivity": "topSecret", "showAs": "inAMeetingRoom", "importance": "critical", "type": "singleInstance",
             "responseStatus": {"response": "maybeLater", "time": "2024-05-03T09:00:01Z"},
             "onlineMeetingProvider": "zoomForBusiness", "isOnlineMeeting": true,
             "onlineMeeting": {"joinUrl": "https://example.zoom.us/j/1"},
             "attendees": [{"type": "observer", "status": {"response": "thinking", "time": "0001-01-01T00:00:00Z"},
                            "emailAddress": {"name": "Alex", "address": "alex@contoso.example"}}]}"""));
        assertNull(value(vevent, Property.CLASS));
        assertNull(value(vevent, Property.TRANSP));
        assertNull(value(vevent, Property.PRIORITY));
        assertEquals("NEEDS-ACTION", param(vevent, Property.ATTENDEE, "PARTSTAT"));
        assertEquals("REQ-PARTICIPANT", param(vevent, Property.ATTENDEE, "ROLE"));
        assertEquals("https://example.zoom.us/j/1", value(vevent, "CONFERENCE"), "an unknown provider's link still joins");
    }

    @Test
    void missingAndNullOptionalFieldsMapToWhatIsThere() {
        VEvent sparse = map(GraphJson.event("""
            {"id": "AAMkSPARSE=", "iCalUId": "040000008200E00074C5B7101A82E008SPARSE",
             "start": {"dateTime": "2024-06-10T07:00:00.0000000", "timeZone": "UTC"}}"""));
        assertEquals("20240610T070000Z", value(sparse, Property.DTSTART));
        assertEquals("20240610T070000Z", value(sparse, Property.DTEND), "no end: as long as nothing");
        VEvent nulls = map(GraphJson.single("""
            {"subject": null, "body": null, "location": null, "locations": null, "categories": null, "attendees": null,
             "organizer": {"emailAddress": null}, "responseStatus": null, "recurrence": null, "onlineMeeting": null,
             "originalStartTimeZone": null, "originalEndTimeZone": null, "reminderMinutesBeforeStart": null,
             "isReminderOn": null, "sensitivity": null, "showAs": null, "importance": null,
             "start": {"dateTime": "2024-06-10T07:00:00.0000000", "timeZone": null},
             "end": {"dateTime": "2024-06-10T08:00:00.0000000", "timeZone": "UTC"}}"""));
        assertNull(value(nulls, Property.SUMMARY));
        assertNull(value(nulls, Property.ORGANIZER));
        assertEquals("20240610T070000Z", value(nulls, Property.DTSTART), "a start without zone is UTC, as Graph delivers");
        VEvent nullPeople = map(GraphJson.single("""
            {"attendees": [null, {"type": null, "status": null, "emailAddress": null},
                           {"type": null, "status": null, "emailAddress": {"name": null, "address": "alex@contoso.example"}}]}"""));
        assertEquals("mailto:alex@contoso.example", value(nullPeople, Property.ATTENDEE));
    }

    @Test
    void anEventThatCannotBeMappedNamesItselfAndTheReason() {
        Event event = GraphJson.single("""
            {"id": "AAMkBROKEN=", "subject": "Board meeting", "type": "seriesMaster",
             "recurrence": {"pattern": {"type": "lunar", "interval": 1}, "range": {"type": "noEnd", "startDate": "2024-06-10"}}}""");
        MappingException e = assertThrows(MappingException.class, () -> mapper.toText(EventSeries.single(event)));
        assertTrue(e.getMessage().startsWith("event AAMkBROKEN= (\"Board meeting\") cannot be mapped: "), e.getMessage());
        assertTrue(e.getMessage().contains("pattern type"), e.getMessage());
        Event noStart = GraphJson.single("{\"id\": \"AAMkNOSTART=\", \"subject\": \"Lost\", \"start\": null}");
        MappingException missing = assertThrows(MappingException.class, () -> mapper.toText(EventSeries.single(noStart)));
        assertTrue(missing.getMessage().contains("AAMkNOSTART=") && missing.getMessage().contains("\"Lost\"")
            && missing.getMessage().contains("no start"), missing.getMessage());
    }
}
