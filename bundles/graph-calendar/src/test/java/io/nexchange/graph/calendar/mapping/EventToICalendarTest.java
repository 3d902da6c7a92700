package io.nexchange.graph.calendar.mapping;

import static io.nexchange.graph.calendar.mapping.Ical.param;
import static io.nexchange.graph.calendar.mapping.Ical.value;
import static io.nexchange.graph.calendar.mapping.Ical.values;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.graph.models.Event;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.model.component.VAlarm;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventToICalendarTest {

    static final WindowsZones ZONES = WindowsZones.load();
    static final String SERIES_UID = "040000008200E00074C5B7101A82E00800000000SERIES";

    private final EventToICalendar mapper = new EventToICalendar(ZONES);

    private Ical map(Event event) {
        return map(EventSeries.single(event));
    }

    /** Maps and parses what a server receives: the text as UTF-8 octets (a lone surrogate would become '?'). */
    private Ical map(EventSeries series) {
        String text = mapper.toText(series);
        assertTrue(ContentLinesTest.longestLineOctets(text) <= 75, "RFC 5545 3.1: lines of at most 75 octets");
        return Ical.parse(new String(text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A weekly series, Mondays 09:00–10:00 Berlin time, delivered in UTC as Graph does by default. */
    static Event weeklyMaster(String rangeJson) {
        return GraphJson.single("""
            {"id": "MASTER", "type": "seriesMaster", "iCalUId": "%s",
             "start": {"dateTime": "2024-03-18T08:00:00.0000000", "timeZone": "UTC"},
             "end": {"dateTime": "2024-03-18T09:00:00.0000000", "timeZone": "UTC"},
             "recurrence": {
               "pattern": {"type": "weekly", "interval": 1, "month": 0, "dayOfMonth": 0,
                           "daysOfWeek": ["monday"], "firstDayOfWeek": "monday", "index": "first"},
               "range": %s}}
            """.formatted(SERIES_UID, rangeJson));
    }

    static final String UNTIL_APRIL_15 = """
        {"type": "endDate", "startDate": "2024-03-18", "endDate": "2024-04-15",
         "recurrenceTimeZone": "W. Europe Standard Time", "numberOfOccurrences": 0}""";

    static Event exception(String originalStartUtc, String startUtc, String endUtc, String subject) {
        return GraphJson.single("""
            {"id": "EXC-%s", "type": "exception", "seriesMasterId": "MASTER",
             "iCalUId": "040000008200E00074C5B7101A82E00807E80318OCCURRENCE-ID-DIFFERS-%s",
             "originalStart": "%s",
             "start": {"dateTime": "%s", "timeZone": "UTC"},
             "end": {"dateTime": "%s", "timeZone": "UTC"},
             "subject": "%s"}
            """.formatted(originalStartUtc, originalStartUtc, originalStartUtc, startUtc, endUtc, subject));
    }

    // ---------------------------------------------------------------- times and zones

    @Test
    void eventDeliveredInUtcIsWrittenInItsOriginalZone() {
        // davmail #469/#481: times came in UTC while TZID named the user's zone -> shifted meetings
        VEvent event = map(GraphJson.single("{}")).master();
        assertAll(
            () -> assertEquals("20240610T090000", value(event, Property.DTSTART)),
            () -> assertEquals("Europe/Berlin", param(event, Property.DTSTART, "TZID")),
            () -> assertEquals("20240610T103000", value(event, Property.DTEND)),
            () -> assertEquals("Europe/Berlin", param(event, Property.DTEND, "TZID")));
    }

    @Test
    void everyZoneUsedHasItsVtimezone() {
        Ical ical = map(GraphJson.single("""
            {"originalEndTimeZone": "Pacific Standard Time"}"""));
        List<String> tzids = ical.calendar.getComponents(Component.VTIMEZONE).stream()
            .map(c -> value(c, Property.TZID)).toList();
        assertEquals(List.of("America/Los_Angeles", "Europe/Berlin"), tzids);
        assertEquals("America/Los_Angeles", param(ical.master(), Property.DTEND, "TZID"));
        assertEquals("20240610T013000", value(ical.master(), Property.DTEND));
    }

    @Test
    void eventReadWithPreferOutlookTimezoneGivesTheSameResult() {
        Event inPacific = GraphJson.single("""
            {"start": {"dateTime": "2024-06-10T00:00:00.0000000", "timeZone": "Pacific Standard Time"},
             "end": {"dateTime": "2024-06-10T01:30:00.0000000", "timeZone": "Pacific Standard Time"}}""");
        assertEquals(mapper.toText(EventSeries.single(GraphJson.single("{}"))), mapper.toText(EventSeries.single(inPacific)));
    }

    @Test
    void windowsZoneNamesAreResolvedThroughCldr() {
        // davmail #342/#357: wrong times for Windows zones
        for (String[] pair : new String[][] {
            {"Tokyo Standard Time", "Asia/Tokyo"}, {"India Standard Time", "Asia/Kolkata"},
            {"E. South America Standard Time", "America/Sao_Paulo"}, {"AUS Eastern Standard Time", "Australia/Sydney"},
            {"Eastern Standard Time", "America/New_York"}, {"GMT Standard Time", "Europe/London"}}) {
            VEvent event = map(GraphJson.single("{\"originalStartTimeZone\": \"" + pair[0] + "\", \"originalEndTimeZone\": \"" + pair[0] + "\"}")).master();
            assertEquals(pair[1], param(event, Property.DTSTART, "TZID"), pair[0]);
            ZonedDateTime local = ZonedDateTime.of(java.time.LocalDateTime.parse(value(event, Property.DTSTART), IcalTime.DATE_TIME), ZoneId.of(pair[1]));
            assertEquals(Instant.parse("2024-06-10T07:00:00Z"), local.toInstant(), pair[0]);
        }
    }

    @Test
    void utcEventStaysUtc() {
        VEvent event = map(GraphJson.single("""
            {"originalStartTimeZone": "UTC", "originalEndTimeZone": "tzone://Microsoft/Utc"}""")).master();
        assertEquals("20240610T070000Z", value(event, Property.DTSTART));
        assertNull(param(event, Property.DTSTART, "TZID"));
        assertEquals("20240610T083000Z", value(event, Property.DTEND));
    }

    @Test
    void customizedTimeZoneFallsBackToTheZoneGraphDeliveredIn() {
        VEvent event = map(GraphJson.single("""
            {"originalStartTimeZone": "Customized Time Zone", "originalEndTimeZone": "Customized Time Zone"}""")).master();
        assertEquals("20240610T070000Z", value(event, Property.DTSTART));
    }

    @Test
    void unknownDeliveryZoneIsReportedNotGuessed() {
        Event event = GraphJson.single("""
            {"start": {"dateTime": "2024-06-10T07:00:00.0000000", "timeZone": "Mars Standard Time"}}""");
        MappingException e = assertThrows(MappingException.class, () -> mapper.toText(EventSeries.single(event)));
        assertTrue(e.getMessage().contains("Mars Standard Time"), e.getMessage());
    }

    @Test
    void allDayEventBecomesDatesWithExclusiveEnd() {
        VEvent event = map(GraphJson.single("""
            {"isAllDay": true, "showAs": "free",
             "start": {"dateTime": "2024-06-10T00:00:00.0000000", "timeZone": "W. Europe Standard Time"},
             "end": {"dateTime": "2024-06-11T00:00:00.0000000", "timeZone": "W. Europe Standard Time"}}""")).master();
        assertAll(
            () -> assertEquals("20240610", value(event, Property.DTSTART)),
            () -> assertEquals("DATE", param(event, Property.DTSTART, "VALUE")),
            () -> assertNull(param(event, Property.DTSTART, "TZID")),
            () -> assertEquals("20240611", value(event, Property.DTEND)),
            () -> assertEquals("DATE", param(event, Property.DTEND, "VALUE")),
            () -> assertEquals("TRANSPARENT", value(event, Property.TRANSP)));
    }

    @Test
    void allDayEventDeliveredInUtcKeepsItsDate() {
        // Berlin midnight is 22:00 UTC the day before: the date must not slip back a day
        Ical ical = map(GraphJson.single("""
            {"isAllDay": true,
             "start": {"dateTime": "2024-06-09T22:00:00.0000000", "timeZone": "UTC"},
             "end": {"dateTime": "2024-06-10T22:00:00.0000000", "timeZone": "UTC"}}"""));
        assertEquals("20240610", value(ical.master(), Property.DTSTART));
        assertEquals("20240611", value(ical.master(), Property.DTEND));
        assertTrue(ical.calendar.getComponents(Component.VTIMEZONE).isEmpty(), "an all-day event needs no VTIMEZONE");
    }

    @Test
    void multiDayAllDayEventSpansItsDays() {
        VEvent event = map(GraphJson.single("""
            {"isAllDay": true,
             "start": {"dateTime": "2024-07-29T00:00:00.0000000", "timeZone": "UTC"},
             "end": {"dateTime": "2024-08-03T00:00:00.0000000", "timeZone": "UTC"}}""")).master();
        assertEquals("20240729", value(event, Property.DTSTART));
        assertEquals("20240803", value(event, Property.DTEND));
    }

    @Test
    void multiDayTimedEventCrossesMidnight() {
        VEvent event = map(GraphJson.single("""
            {"start": {"dateTime": "2024-06-10T20:00:00.0000000", "timeZone": "UTC"},
             "end": {"dateTime": "2024-06-12T06:00:00.0000000", "timeZone": "UTC"}}""")).master();
        assertEquals("20240610T220000", value(event, Property.DTSTART));
        assertEquals("20240612T080000", value(event, Property.DTEND));
    }

    // ---------------------------------------------------------------- recurrence

    @Test
    void weeklyMeetingKeepsLocalTimeAcrossDstSwitch() {
        // Berlin switches to summer time on 2024-03-31: the meeting stays at 09:00 local, 08:00 -> 07:00 UTC
        Ical ical = map(new EventSeries(weeklyMaster(UNTIL_APRIL_15), List.of(), List.of()));
        VEvent master = ical.master();
        assertEquals("20240318T090000", value(master, Property.DTSTART));
        assertEquals("Europe/Berlin", param(master, Property.DTSTART, "TZID"));
        String rrule = value(master, Property.RRULE);
        assertEquals("FREQ=WEEKLY;WKST=MO;UNTIL=20240415T070000Z;BYDAY=MO", rrule);

        ZonedDateTime seed = ZonedDateTime.of(2024, 3, 18, 9, 0, 0, 0, ZoneId.of("Europe/Berlin"));
        List<ZonedDateTime> occurrences = new Recur<ZonedDateTime>(rrule).getDates(seed, seed, seed.plusMonths(2));
        assertEquals(5, occurrences.size(), occurrences.toString());
        assertTrue(occurrences.stream().allMatch(o -> o.toLocalTime().equals(LocalTime.of(9, 0))), occurrences.toString());
        assertEquals(List.of(8, 8, 7, 7, 7), occurrences.stream().map(o -> o.withZoneSameInstant(ZoneOffset.UTC).getHour()).toList());
        // the VTIMEZONE says the same as the JDK: +01:00 before the switch, +02:00 after
        net.fortuna.ical4j.model.TimeZone vtz = new net.fortuna.ical4j.model.TimeZone(
            (net.fortuna.ical4j.model.component.VTimeZone) ical.calendar.getComponent(Component.VTIMEZONE).orElseThrow());
        assertEquals(3_600_000, vtz.getOffset(Instant.parse("2024-03-25T08:00:00Z").toEpochMilli()));
        assertEquals(7_200_000, vtz.getOffset(Instant.parse("2024-04-01T07:00:00Z").toEpochMilli()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "daily every 2 days | {\"type\":\"daily\",\"interval\":2,\"month\":0,\"dayOfMonth\":0,\"firstDayOfWeek\":\"sunday\",\"index\":\"first\"} | FREQ=DAILY;UNTIL=20240415T070000Z;INTERVAL=2",
        "weekly mo-we-fr every 2 weeks | {\"type\":\"weekly\",\"interval\":2,\"daysOfWeek\":[\"friday\",\"monday\",\"wednesday\"],\"firstDayOfWeek\":\"sunday\"} | FREQ=WEEKLY;WKST=SU;UNTIL=20240415T070000Z;INTERVAL=2;BYDAY=MO,WE,FR",
        "every weekday | {\"type\":\"weekly\",\"interval\":1,\"daysOfWeek\":[\"monday\",\"tuesday\",\"wednesday\",\"thursday\",\"friday\"],\"firstDayOfWeek\":\"monday\"} | FREQ=WEEKLY;WKST=MO;UNTIL=20240415T070000Z;BYDAY=MO,TU,WE,TH,FR",
        "absolute monthly 18th | {\"type\":\"absoluteMonthly\",\"interval\":1,\"dayOfMonth\":18,\"month\":0,\"index\":\"first\"} | FREQ=MONTHLY;UNTIL=20240415T070000Z;BYMONTHDAY=18",
        "relative monthly 3rd monday | {\"type\":\"relativeMonthly\",\"interval\":1,\"daysOfWeek\":[\"monday\"],\"index\":\"third\"} | FREQ=MONTHLY;UNTIL=20240415T070000Z;BYDAY=3MO",
        "relative monthly last weekday every 3 months | {\"type\":\"relativeMonthly\",\"interval\":3,\"daysOfWeek\":[\"monday\",\"tuesday\",\"wednesday\",\"thursday\",\"friday\"],\"index\":\"last\"} | FREQ=MONTHLY;UNTIL=20240415T070000Z;INTERVAL=3;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        "absolute yearly march 18 | {\"type\":\"absoluteYearly\",\"interval\":1,\"dayOfMonth\":18,\"month\":3} | FREQ=YEARLY;UNTIL=20240415T070000Z;BYMONTH=3;BYMONTHDAY=18",
        "relative yearly last friday of november | {\"type\":\"relativeYearly\",\"interval\":1,\"daysOfWeek\":[\"friday\"],\"month\":11,\"index\":\"last\"} | FREQ=YEARLY;UNTIL=20240415T070000Z;BYMONTH=11;BYDAY=-1FR",
    })
    void eachRecurrencePatternBecomesItsRrule(String name, String patternJson, String expectedRrule) {
        Event master = GraphJson.single("""
            {"type": "seriesMaster", "iCalUId": "%s",
             "start": {"dateTime": "2024-03-18T08:00:00.0000000", "timeZone": "UTC"},
             "end": {"dateTime": "2024-03-18T09:00:00.0000000", "timeZone": "UTC"},
             "recurrence": {"pattern": %s, "range": %s}}""".formatted(SERIES_UID, patternJson, UNTIL_APRIL_15));
        assertEquals(expectedRrule, value(map(master).master(), Property.RRULE));
    }

    @Test
    void numberedRangeBecomesCount() {
        String rrule = value(map(weeklyMaster("""
            {"type": "numbered", "startDate": "2024-03-18", "endDate": "0001-01-01", "numberOfOccurrences": 10,
             "recurrenceTimeZone": "W. Europe Standard Time"}""")).master(), Property.RRULE);
        assertEquals("FREQ=WEEKLY;WKST=MO;COUNT=10;BYDAY=MO", rrule);
    }

    @Test
    void noEndRangeHasNeitherUntilNorCount() {
        String rrule = value(map(weeklyMaster("""
            {"type": "noEnd", "startDate": "2024-03-18", "endDate": "0001-01-01", "numberOfOccurrences": 0,
             "recurrenceTimeZone": "W. Europe Standard Time"}""")).master(), Property.RRULE);
        assertEquals("FREQ=WEEKLY;WKST=MO;BYDAY=MO", rrule);
    }

    @Test
    void allDaySeriesHasDateUntil() {
        Event master = GraphJson.single("""
            {"type": "seriesMaster", "iCalUId": "%s", "isAllDay": true,
             "start": {"dateTime": "2024-03-18T00:00:00.0000000", "timeZone": "W. Europe Standard Time"},
             "end": {"dateTime": "2024-03-19T00:00:00.0000000", "timeZone": "W. Europe Standard Time"},
             "recurrence": {"pattern": {"type": "absoluteYearly", "interval": 1, "dayOfMonth": 18, "month": 3},
                            "range": {"type": "endDate", "startDate": "2024-03-18", "endDate": "2030-03-18"}}}""".formatted(SERIES_UID));
        VEvent event = map(EventSeries.single(master)).master();
        assertEquals("20240318", value(event, Property.DTSTART));
        assertEquals("FREQ=YEARLY;UNTIL=20300318;BYMONTH=3;BYMONTHDAY=18", value(event, Property.RRULE));
    }

    @Test
    void cancelledOccurrenceBecomesExdateNotDeletion() {
        // davmail #337, integration_ews #30: deleting one occurrence must not delete (or keep) the series
        EventSeries series = new EventSeries(weeklyMaster(UNTIL_APRIL_15), List.of(),
            List.of(Instant.parse("2024-04-08T07:00:00Z"), Instant.parse("2024-03-25T08:00:00Z")));
        Ical ical = map(series);
        VEvent master = ical.master();
        assertEquals(1, ical.events().size());
        assertNotNull(value(master, Property.RRULE));
        assertEquals(List.of("20240325T090000,20240408T090000"), values(master, Property.EXDATE));
        assertEquals("Europe/Berlin", param(master, Property.EXDATE, "TZID"));
    }

    @Test
    void exceptionUsesMasterUidNotOccurrenceUid() {
        // every occurrence has its own iCalUId in Graph; an override with it would be a second event in Nextcloud
        Event moved = exception("2024-04-01T07:00:00Z", "2024-04-01T12:00:00.0000000", "2024-04-01T13:00:00.0000000", "Moved to the afternoon");
        Ical ical = map(new EventSeries(weeklyMaster(UNTIL_APRIL_15), List.of(moved), List.of()));
        assertEquals(1, ical.overrides().size());
        VEvent override = ical.overrides().get(0);
        assertAll(
            () -> assertEquals(SERIES_UID, value(override, Property.UID)),
            () -> assertEquals(SERIES_UID, value(ical.master(), Property.UID)),
            () -> assertEquals("20240401T090000", value(override, Property.RECURRENCE_ID)),
            () -> assertEquals("Europe/Berlin", param(override, Property.RECURRENCE_ID, "TZID")),
            () -> assertEquals("20240401T140000", value(override, Property.DTSTART)),
            () -> assertEquals("Moved to the afternoon", value(override, Property.SUMMARY)),
            () -> assertNull(value(override, Property.RRULE)));
    }

    @Test
    void exceptionMovedToAnotherDayKeepsItsOriginalRecurrenceId() {
        Event moved = exception("2024-03-25T08:00:00Z", "2024-03-27T15:00:00.0000000", "2024-03-27T16:00:00.0000000", "On Wednesday instead");
        VEvent override = map(new EventSeries(weeklyMaster(UNTIL_APRIL_15), List.of(moved), List.of())).overrides().get(0);
        assertEquals("20240325T090000", value(override, Property.RECURRENCE_ID));
        assertEquals("20240327T160000", value(override, Property.DTSTART));
    }

    @Test
    void modifiedOccurrenceIsNotAlsoExdated() {
        Event moved = exception("2024-04-01T07:00:00Z", "2024-04-01T12:00:00.0000000", "2024-04-01T13:00:00.0000000", "Moved");
        Ical ical = map(new EventSeries(weeklyMaster(UNTIL_APRIL_15), List.of(moved),
            List.of(Instant.parse("2024-04-01T07:00:00Z"), Instant.parse("2024-04-08T07:00:00Z"))));
        assertEquals(List.of("20240408T090000"), values(ical.master(), Property.EXDATE));
        assertEquals(1, ical.overrides().size());
    }

    @Test
    void cancelledOccurrencesOfAllDaySeriesAreDates() {
        Event master = GraphJson.single("""
            {"type": "seriesMaster", "iCalUId": "%s", "isAllDay": true,
             "start": {"dateTime": "2024-03-18T00:00:00.0000000", "timeZone": "W. Europe Standard Time"},
             "end": {"dateTime": "2024-03-19T00:00:00.0000000", "timeZone": "W. Europe Standard Time"},
             "recurrence": {"pattern": {"type": "daily", "interval": 1},
                            "range": {"type": "numbered", "startDate": "2024-03-18", "numberOfOccurrences": 5}}}""".formatted(SERIES_UID));
        VEvent event = map(new EventSeries(master, List.of(), List.of(Instant.parse("2024-03-19T23:00:00Z")))).master();
        assertEquals(List.of("20240320"), values(event, Property.EXDATE));
        assertEquals("DATE", param(event, Property.EXDATE, "VALUE"));
    }

    @Test
    void anOccurrenceCannotStandForItsSeries() {
        Event occurrence = GraphJson.single("{\"type\": \"occurrence\", \"seriesMasterId\": \"MASTER\"}");
        MappingException e = assertThrows(MappingException.class, () -> mapper.toText(EventSeries.single(occurrence)));
        assertTrue(e.getMessage().contains("MASTER"), e.getMessage());
    }

    // ---------------------------------------------------------------- people

    static final String ATTENDEES = """
        {"attendees": [
           {"type": "required", "status": {"response": "accepted", "time": "2024-05-02T10:00:00Z"},
            "emailAddress": {"name": "Megan Bowen", "address": "MeganB@contoso.example"}},
           {"type": "optional", "status": {"response": "tentativelyAccepted", "time": "2024-05-02T10:00:00Z"},
            "emailAddress": {"name": "Lee Gu", "address": "LeeG@contoso.example"}},
           {"type": "required", "status": {"response": "declined", "time": "2024-05-02T10:00:00Z"},
            "emailAddress": {"name": "Doe, John", "address": "john.doe@fabrikam.example"}},
           {"type": "required", "status": {"response": "none", "time": "0001-01-01T00:00:00Z"},
            "emailAddress": {"name": "Nestor Wilke", "address": "NestorW@contoso.example"}},
           {"type": "required", "status": {"response": "notResponded", "time": "0001-01-01T00:00:00Z"},
            "emailAddress": {"name": "Grady Archie", "address": "GradyA@contoso.example"}},
           {"type": "resource", "status": {"response": "accepted", "time": "2024-05-02T10:00:00Z"},
            "emailAddress": {"name": "Conf Room Rainier", "address": "Rainier@contoso.example"}}
        ]}""";

    @Test
    void attendeesKeepRoleAnswerAndName() {
        VEvent event = map(GraphJson.single(ATTENDEES)).master();
        List<Property> attendees = event.getProperties(Property.ATTENDEE);
        assertEquals(6, attendees.size());
        assertEquals(List.of(
                "mailto:MeganB@contoso.example|Megan Bowen|REQ-PARTICIPANT|ACCEPTED|TRUE|null",
                "mailto:LeeG@contoso.example|Lee Gu|OPT-PARTICIPANT|TENTATIVE|TRUE|null",
                "mailto:john.doe@fabrikam.example|Doe, John|REQ-PARTICIPANT|DECLINED|TRUE|null",
                "mailto:NestorW@contoso.example|Nestor Wilke|REQ-PARTICIPANT|NEEDS-ACTION|TRUE|null",
                "mailto:GradyA@contoso.example|Grady Archie|REQ-PARTICIPANT|NEEDS-ACTION|TRUE|null",
                "mailto:Rainier@contoso.example|Conf Room Rainier|NON-PARTICIPANT|ACCEPTED|null|RESOURCE"),
            attendees.stream().map(a -> a.getValue() + "|" + Ical.param(a, "CN") + "|" + Ical.param(a, "ROLE") + "|"
                + Ical.param(a, "PARTSTAT") + "|" + Ical.param(a, "RSVP") + "|" + Ical.param(a, "CUTYPE")).toList());
    }

    @Test
    void organizerIsKeptWithName() {
        // davmail #149: organizer lost
        VEvent event = map(GraphJson.single(ATTENDEES)).master();
        assertEquals("mailto:AdeleV@contoso.example", value(event, Property.ORGANIZER));
        assertEquals("Adele Vance", param(event, Property.ORGANIZER, "CN"));
    }

    @Test
    void nextcloudDoesNotSendInvitationsAgain() {
        // caldavsynchronizer #214/#153/#274: invitations sent by Exchange and again by the CalDAV server
        VEvent event = map(GraphJson.single(ATTENDEES)).master();
        assertEquals("CLIENT", param(event, Property.ORGANIZER, "SCHEDULE-AGENT"));
        for (Property attendee : event.getProperties(Property.ATTENDEE)) {
            assertEquals("CLIENT", Ical.param(attendee, "SCHEDULE-AGENT"), attendee.getValue());
        }
    }

    @Test
    void mailboxUsersOwnAnswerComesFromResponseStatus() {
        Event event = GraphJson.single("""
            {"isOrganizer": false, "responseStatus": {"response": "tentativelyAccepted", "time": "2024-05-02T10:00:00Z"},
             "attendees": [{"type": "required", "status": {"response": "none", "time": "0001-01-01T00:00:00Z"},
                            "emailAddress": {"name": "Nestor Wilke", "address": "NestorW@contoso.example"}}]}""");
        VEvent vevent = Ical.parse(mapper.toText(EventSeries.single(event), "nestorw@contoso.example")).master();
        assertEquals("TENTATIVE", param(vevent, Property.ATTENDEE, "PARTSTAT"));
    }

    @Test
    void noRsvpWhenNoResponseRequested() {
        VEvent event = map(GraphJson.single(ATTENDEES.replace("{\"attendees\"", "{\"responseRequested\": false, \"attendees\""))).master();
        assertTrue(event.getProperties(Property.ATTENDEE).stream().allMatch(a -> Ical.param(a, "RSVP") == null));
    }

    // ---------------------------------------------------------------- privacy, availability, text

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"normal,PUBLIC,", "private,PRIVATE,", "confidential,CONFIDENTIAL,", "personal,PRIVATE,PERSONAL"})
    void sensitivityBecomesClass(String sensitivity, String clazz, String xSensitivity) {
        // caldavsynchronizer #86/#234, owncloud/calendar#354: private events leaked through shared calendars
        VEvent event = map(GraphJson.single("{\"sensitivity\": \"" + sensitivity + "\"}")).master();
        assertEquals(clazz, value(event, Property.CLASS));
        assertEquals(xSensitivity, value(event, EventToICalendar.X_SENSITIVITY));
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({"free,TRANSPARENT,FREE", "tentative,OPAQUE,TENTATIVE", "busy,OPAQUE,BUSY", "oof,OPAQUE,OOF",
        "workingElsewhere,OPAQUE,WORKINGELSEWHERE", "unknown,OPAQUE,"})
    void showAsBecomesTranspAndBusyStatus(String showAs, String transp, String busyStatus) {
        VEvent event = map(GraphJson.single("{\"showAs\": \"" + showAs + "\"}")).master();
        assertEquals(transp, value(event, Property.TRANSP));
        assertEquals(busyStatus, value(event, EventToICalendar.X_BUSYSTATUS));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"high,1", "normal,5", "low,9"})
    void importanceBecomesPriority(String importance, String priority) {
        assertEquals(priority, value(map(GraphJson.single("{\"importance\": \"" + importance + "\"}")).master(), Property.PRIORITY));
    }

    @Test
    void categoriesAreKeptInOrderWithTheirCommas() {
        VEvent event = map(GraphJson.single("{\"categories\": [\"Red category\", \"Kunde, wichtig\", \"Blue category\"]}")).master();
        net.fortuna.ical4j.model.property.Categories categories =
            (net.fortuna.ical4j.model.property.Categories) event.getProperty(Property.CATEGORIES).orElseThrow();
        assertEquals(List.of("Red category", "Kunde, wichtig", "Blue category"), List.copyOf(categories.getCategories().getTexts()));
    }

    @Test
    void reminderBecomesDisplayAlarmBeforeStart() {
        VEvent event = map(GraphJson.single("{\"isReminderOn\": true, \"reminderMinutesBeforeStart\": 1080}")).master();
        List<VAlarm> alarms = event.getComponents(Component.VALARM);
        assertEquals(1, alarms.size());
        assertEquals("DISPLAY", value(alarms.get(0), Property.ACTION));
        Trigger trigger = alarms.get(0).getTrigger().orElseThrow();
        assertEquals(java.time.Duration.ofMinutes(-1080), trigger.getDuration());
    }

    @Test
    void reminderOffMeansNoAlarm() {
        VEvent event = map(GraphJson.single("{\"isReminderOn\": false, \"reminderMinutesBeforeStart\": 15}")).master();
        assertTrue(event.getComponents(Component.VALARM).isEmpty());
    }

    @Test
    void cancelledMeetingIsStatusCancelled() {
        assertEquals("CANCELLED", value(map(GraphJson.single("{\"isCancelled\": true}")).master(), Property.STATUS));
        assertNull(value(map(GraphJson.single("{}")).master(), Property.STATUS));
    }

    @Test
    void htmlBodyBecomesReadableTextAndKeepsTheHtml() {
        String html = "<html><head><meta http-equiv=\\\"Content-Type\\\" content=\\\"text/html\\\"><style>p{margin:0}</style></head>"
            + "<body><div>Agenda:</div><ul><li>Budget&nbsp;2025</li><li>Hiring</li></ul>"
            + "<p>Join: <a href=\\\"https://teams.example/l/meetup-join/19%3ameeting\\\">Click here to join</a></p>"
            + "<p>Line one<br>Line two</p></body></html>";
        VEvent event = map(GraphJson.single("{\"body\": {\"contentType\": \"html\", \"content\": \"" + html + "\"}}")).master();
        assertEquals("Agenda:\n- Budget 2025\n- Hiring\n\nJoin: Click here to join <https://teams.example/l/meetup-join/19%3ameeting>\n\nLine one\nLine two",
            value(event, Property.DESCRIPTION));
        assertEquals(html.replace("\\\"", "\""), value(event, EventToICalendar.X_ALT_DESC));
        assertEquals("text/html", param(event, EventToICalendar.X_ALT_DESC, "FMTTYPE"));
    }

    @Test
    void longUnicodeTextSurvivesFolding() {
        String subject = "Überprüfung 会議 🗓️ — " + "Ärger mit Ölförderung; Zeichen, Komma und \\\\Backslash ".repeat(12);
        String body = "Zeile 1 ✓\\nZeile 2 — ñandú 日本語\\n" + "😀".repeat(300) + "x😀".repeat(80);
        VEvent event = map(GraphJson.single("{\"subject\": \"" + subject + "\", \"body\": {\"contentType\": \"text\", \"content\": \"" + body + "\"}}")).master();
        assertEquals(subject.replace("\\\\", "\\").strip(), value(event, Property.SUMMARY).strip());
        assertEquals(body.replace("\\n", "\n"), value(event, Property.DESCRIPTION));
    }

    @Test
    void locationWithCoordinatesHasGeo() {
        VEvent event = map(GraphJson.single("""
            {"location": {"displayName": "Contoso HQ, Building 4", "locationType": "default",
                          "coordinates": {"latitude": 47.640568390488626, "longitude": -122.1293731033803}}}""")).master();
        assertEquals("Contoso HQ, Building 4", value(event, Property.LOCATION));
        net.fortuna.ical4j.model.property.Geo geo = (net.fortuna.ical4j.model.property.Geo) event.getProperty(Property.GEO).orElseThrow();
        assertEquals(47.640568390488626, geo.getLatitude().doubleValue(), 1e-12);
        assertEquals(-122.1293731033803, geo.getLongitude().doubleValue(), 1e-12);
    }

    @Test
    void severalLocationsAreNamedTogether() {
        VEvent event = map(GraphJson.single("""
            {"location": {"displayName": ""},
             "locations": [{"displayName": "Room 1"}, {"displayName": "Room 2"}]}""")).master();
        assertEquals("Room 1; Room 2", value(event, Property.LOCATION));
    }

    @Test
    void timestampsComeFromGraphNotFromTheClock() {
        VEvent event = map(GraphJson.single("{}")).master();
        assertEquals("20240503T090001Z", value(event, Property.DTSTAMP));
        assertEquals("20240503T090001Z", value(event, Property.LAST_MODIFIED));
        assertEquals("20240502T081530Z", value(event, Property.CREATED));
    }

    // ---------------------------------------------------------------- determinism

    @Test
    void sameContentGivesByteIdenticalOutput() {
        Event moved = exception("2024-04-01T07:00:00Z", "2024-04-01T12:00:00.0000000", "2024-04-01T13:00:00.0000000", "Moved");
        Event renamed = exception("2024-03-25T08:00:00Z", "2024-03-25T08:00:00.0000000", "2024-03-25T09:00:00.0000000", "Renamed");
        List<Instant> cancelled = List.of(Instant.parse("2024-04-08T07:00:00Z"), Instant.parse("2024-04-15T07:00:00Z"));
        String first = mapper.toText(new EventSeries(weeklyMaster(UNTIL_APRIL_15), List.of(moved, renamed), cancelled));
        // other instances, other order of exceptions and cancellations, a new mapper: same bytes
        String second = new EventToICalendar(WindowsZones.load()).toText(new EventSeries(weeklyMaster(UNTIL_APRIL_15),
            List.of(exception("2024-03-25T08:00:00Z", "2024-03-25T08:00:00.0000000", "2024-03-25T09:00:00.0000000", "Renamed"),
                exception("2024-04-01T07:00:00Z", "2024-04-01T12:00:00.0000000", "2024-04-01T13:00:00.0000000", "Moved")),
            List.of(cancelled.get(1), cancelled.get(0), cancelled.get(1))));
        assertEquals(first, second);
        assertEquals(2, Ical.parse(first).overrides().size());
    }

    @Test
    void outputHasCrlfLineEndingsAndFoldedLines() {
        String text = mapper.toText(EventSeries.single(GraphJson.single("{\"subject\": \"" + "x".repeat(200) + "\"}")));
        assertFalse(text.replace("\r\n", "").contains("\n"), "bare LF in output");
        for (String line : text.split("\r\n")) {
            assertTrue(line.length() <= 75, "line longer than 75: " + line);
        }
        assertTrue(text.startsWith("BEGIN:VCALENDAR\r\nPRODID:" + EventToICalendar.PRODID + "\r\nVERSION:2.0\r\n"), text);
    }
}
