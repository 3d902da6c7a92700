package io.nexchange.graph.calendar.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.graph.models.Event;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What differs between the event in Exchange and what Nextcloud asks for, by meaning: an event that went to Nextcloud
 * and came back unchanged differs in nothing (else every edit of a meeting would look like a change Exchange announces),
 * and an edit differs in exactly the property edited, which is all a PATCH carries.
 */
class EventChangesTest {
    private static final WindowsZones ZONES = WindowsZones.load();
    private static final String MAILBOX = "AdeleV@contoso.example";
    private static final Event MEETING = GraphJson.single("""
        {"subject": "Quarterly planning",
         "body": {"contentType": "html", "content": "<html><body><p>Agenda:</p><ul><li>Budget</li><li>Hiring</li></ul></body></html>"},
         "start": {"dateTime": "2024-06-10T07:00:00.0000000", "timeZone": "UTC"},
         "end": {"dateTime": "2024-06-10T08:30:00.0000000", "timeZone": "UTC"},
         "originalStartTimeZone": "W. Europe Standard Time", "originalEndTimeZone": "W. Europe Standard Time",
         "location": {"displayName": "Konferenzraum Süd"},
         "categories": ["Blue", "Red"], "sensitivity": "private", "showAs": "tentative", "importance": "high",
         "isReminderOn": true, "reminderMinutesBeforeStart": 30,
         "recurrence": {"pattern": {"type": "weekly", "interval": 1, "month": 0, "dayOfMonth": 0, "daysOfWeek": ["monday"],
                                    "firstDayOfWeek": "sunday", "index": "first"},
                        "range": {"type": "numbered", "startDate": "2024-06-10", "endDate": "0001-01-01",
                                  "recurrenceTimeZone": "W. Europe Standard Time", "numberOfOccurrences": 6}},
         "type": "seriesMaster",
         "attendees": [
           {"type": "required", "status": {"response": "accepted", "time": "2024-06-01T10:00:00Z"},
            "emailAddress": {"name": "Ann", "address": "ann@partner.example"}},
           {"type": "optional", "status": {"response": "none", "time": "0001-01-01T00:00:00Z"},
            "emailAddress": {"name": "Ben", "address": "ben@partner.example"}}]}
        """);

    private static String roundTrip() {
        return new EventToICalendar(ZONES).toText(new EventSeries(MEETING, List.of(), List.of()), MAILBOX).replace("\r\n ", "");
    }

    private static EventChanges changes(String icalendar) {
        Event wanted = new ICalendarToEvent(ZONES, ZoneId.of("Europe/Berlin")).fromText(icalendar).event();
        return EventChanges.between(MEETING, wanted, ZONES, MAILBOX);
    }

    @Test
    void anEventThatWentToNextcloudAndCameBackDiffersInNothing() {
        EventChanges none = changes(roundTrip());
        assertEquals(Set.of(), none.fields(), roundTrip());
        assertTrue(none.isEmpty());
    }

    @Test
    void anEditDiffersInTheEditedPropertyAndThePatchCarriesOnlyThat() {
        String ics = roundTrip().replace("LOCATION:Konferenzraum Süd", "LOCATION:Room 2").replace("CATEGORIES:Blue,Red", "CATEGORIES:Red,Blue,Green");
        EventChanges changes = changes(ics);
        assertEquals(EnumSet.of(EventChanges.Field.LOCATION, EventChanges.Field.CATEGORIES), changes.fields(), ics);
        Event patch = changes.patch(EnumSet.of(EventChanges.Field.CATEGORIES));
        assertEquals(List.of("Red", "Blue", "Green"), patch.getCategories());
        assertNull(patch.getLocation(), "not asked for");
        assertNull(patch.getSubject());
        assertNull(patch.getAttendees());
        assertEquals(Set.of(EventChanges.Field.LOCATION), changes.outside(EnumSet.of(EventChanges.Field.CATEGORIES)));
    }

    @Test
    void timesAttendeesAndRecurrenceCompareByMeaning() {
        String ics = roundTrip();
        assertTrue(ics.contains("DTSTART;TZID=Europe/Berlin:20240610T090000"), ics);
        assertEquals(Set.of(), changes(ics.replace("DTSTART;TZID=Europe/Berlin:20240610T090000", "DTSTART:20240610T070000Z")).fields(),
                "the same instant in another zone");
        assertEquals(Set.of(EventChanges.Field.TIMES), changes(ics.replace("DTSTART;TZID=Europe/Berlin:20240610T090000",
                "DTSTART;TZID=Europe/Berlin:20240610T100000")).fields());
        String attendeeLine = ics.lines().filter(l -> l.startsWith("ATTENDEE") && l.contains("ann@")).findFirst().orElseThrow();
        assertEquals(Set.of(EventChanges.Field.ATTENDEES), changes(ics.replace(attendeeLine + "\r\n", "")).fields(), "an attendee removed");
        assertEquals(Set.of(), changes(ics.replace("PARTSTAT=ACCEPTED", "PARTSTAT=DECLINED")).fields(),
                "an answer is no change of the attendees");
        assertEquals(Set.of(EventChanges.Field.RECURRENCE), changes(ics.replace("COUNT=6", "COUNT=4")).fields(), "the end moved");
    }
}
