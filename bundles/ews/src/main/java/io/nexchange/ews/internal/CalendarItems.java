package io.nexchange.ews.internal;

import com.microsoft.graph.models.Attendee;
import com.microsoft.graph.models.AttendeeType;
import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.DayOfWeek;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.EventType;
import com.microsoft.graph.models.FreeBusyStatus;
import com.microsoft.graph.models.Importance;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.Location;
import com.microsoft.graph.models.PatternedRecurrence;
import com.microsoft.graph.models.PhysicalAddress;
import com.microsoft.graph.models.Recipient;
import com.microsoft.graph.models.RecurrencePattern;
import com.microsoft.graph.models.RecurrencePatternType;
import com.microsoft.graph.models.RecurrenceRange;
import com.microsoft.graph.models.RecurrenceRangeType;
import com.microsoft.graph.models.ResponseStatus;
import com.microsoft.graph.models.ResponseType;
import com.microsoft.graph.models.Sensitivity;
import com.microsoft.graph.models.WeekIndex;
import io.nexchange.ews.internal.soap.XmlElement;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * EWS {@code CalendarItem}s (GetItem, AllProperties) read into the Graph model the shared mapping
 * ({@code io.nexchange.graph.calendar.mapping}) turns into iCalendar, with the values Graph gives for the same
 * item: ids in REST encoding, times in UTC with the original Windows zone names, Graph's enum spellings.
 */
final class CalendarItems {
    private static final DateTimeFormatter GRAPH_LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'.0000000'");

    private final WindowsZones zones;

    CalendarItems(WindowsZones zones) {
        this.zones = zones;
    }

    /** An EWS id (standard base64) in Graph's REST encoding: the same bytes, URL-safe. */
    static String restId(String ewsId) {
        return ewsId.replace('/', '-').replace('+', '_');
    }

    /** A Graph REST id in EWS's encoding. */
    static String ewsId(String restId) {
        return restId.replace('-', '/').replace('_', '+');
    }

    Event toEvent(XmlElement item) {
        Event e = new Event();
        XmlElement id = item.child("ItemId").orElseThrow(() -> new IllegalArgumentException("a CalendarItem without ItemId"));
        e.setId(restId(id.attribute("Id")));
        e.setChangeKey(id.attribute("ChangeKey"));
        e.setSubject(item.childText("Subject"));
        item.child("Body").ifPresent(b -> {
            ItemBody body = new ItemBody();
            body.setContentType("HTML".equalsIgnoreCase(b.attribute("BodyType")) ? BodyType.Html : BodyType.Text);
            body.setContent(b.text());
            e.setBody(body);
        });
        text(item, "Sensitivity").ifPresent(s -> e.setSensitivity(Sensitivity.forValue(lowerFirst(s))));
        e.setCategories(strings(item, "Categories"));
        text(item, "Importance").ifPresent(s -> e.setImportance(Importance.forValue(lowerFirst(s))));
        text(item, "ReminderIsSet").ifPresent(s -> e.setIsReminderOn(Boolean.parseBoolean(s)));
        text(item, "ReminderMinutesBeforeStart").ifPresent(s -> e.setReminderMinutesBeforeStart(Integer.parseInt(s.trim())));
        text(item, "DateTimeCreated").ifPresent(s -> e.setCreatedDateTime(offset(s)));
        text(item, "LastModifiedTime").ifPresent(s -> e.setLastModifiedDateTime(offset(s)));
        e.setICalUId(item.childText("UID"));
        String startZone = item.child("StartTimeZone").map(z -> z.attribute("Id")).orElse(null);
        String endZone = item.child("EndTimeZone").map(z -> z.attribute("Id")).orElse(startZone);
        e.setOriginalStartTimeZone(startZone);
        e.setOriginalEndTimeZone(endZone);
        boolean allDay = text(item, "IsAllDayEvent").map(Boolean::parseBoolean).orElse(false);
        e.setIsAllDay(allDay);
        text(item, "Start").ifPresent(s -> e.setStart(time(s, allDay, startZone)));
        text(item, "End").ifPresent(s -> e.setEnd(time(s, allDay, endZone)));
        text(item, "LegacyFreeBusyStatus").ifPresent(s -> e.setShowAs(freeBusy(s)));
        e.setLocation(location(item));
        text(item, "IsCancelled").ifPresent(s -> e.setIsCancelled(Boolean.parseBoolean(s)));
        text(item, "IsResponseRequested").ifPresent(s -> e.setResponseRequested(Boolean.parseBoolean(s)));
        text(item, "CalendarItemType").ifPresent(s -> e.setType(switch (s) {
            case "RecurringMaster" -> EventType.SeriesMaster;
            case "Occurrence" -> EventType.Occurrence;
            case "Exception" -> EventType.Exception;
            default -> EventType.SingleInstance;
        }));
        text(item, "MyResponseType").ifPresent(s -> {
            ResponseStatus status = new ResponseStatus();
            status.setResponse(response(s));
            e.setResponseStatus(status);
        });
        item.child("Organizer").flatMap(o -> o.child("Mailbox")).ifPresent(m -> {
            Recipient organizer = new Recipient();
            organizer.setEmailAddress(address(m));
            e.setOrganizer(organizer);
        });
        List<Attendee> attendees = new ArrayList<>();
        attendees(item, "RequiredAttendees", AttendeeType.Required, attendees);
        attendees(item, "OptionalAttendees", AttendeeType.Optional, attendees);
        attendees(item, "Resources", AttendeeType.Resource, attendees);
        e.setAttendees(attendees);
        item.child("Recurrence").ifPresent(r -> e.setRecurrence(recurrence(r, startZone)));
        text(item, "OriginalStart").ifPresent(s -> e.setOriginalStart(offset(s)));
        return e;
    }

    /** The ids of the modified occurrences a recurring master lists (ModifiedOccurrences/Occurrence/ItemId). */
    static List<String> modifiedOccurrenceIds(XmlElement master) {
        List<String> out = new ArrayList<>();
        master.child("ModifiedOccurrences").ifPresent(m -> m.children("Occurrence").forEach(o -> o.child("ItemId")
                .ifPresent(id -> out.add(id.attribute("Id")))));
        return out;
    }

    /** The original starts of the deleted occurrences a recurring master lists. */
    static List<Instant> deletedOccurrences(XmlElement master) {
        List<Instant> out = new ArrayList<>();
        master.child("DeletedOccurrences").ifPresent(d -> d.children("DeletedOccurrence").forEach(o -> text(o, "Start")
                .ifPresent(s -> out.add(instant(s)))));
        return out;
    }

    /** When the series (or single item) begins and ends: FirstOccurrence/LastOccurrence, else Start/End. */
    static Instant[] span(XmlElement item) {
        Instant start = item.child("FirstOccurrence").flatMap(f -> text(f, "Start")).or(() -> text(item, "Start"))
                .map(CalendarItems::instant).orElse(Instant.MIN);
        Instant end;
        if (item.child("Recurrence").flatMap(r -> r.child("NoEndRecurrence")).isPresent()) {
            end = Instant.MAX;
        } else {
            end = item.child("LastOccurrence").flatMap(l -> text(l, "End")).or(() -> text(item, "End"))
                    .map(CalendarItems::instant).orElse(start);
        }
        return new Instant[] {start, end};
    }

    private DateTimeTimeZone time(String utc, boolean allDay, String windowsZone) {
        Instant instant = instant(utc);
        DateTimeTimeZone t = new DateTimeTimeZone();
        if (allDay && windowsZone != null) {
            // EWS gives an all-day item's midnight in its zone as UTC; Graph gives the zone's local midnight
            ZoneId zone = zones.zoneOf(windowsZone).orElse(ZoneOffset.UTC);
            t.setDateTime(GRAPH_LOCAL.format(LocalDateTime.ofInstant(instant, zone)));
            t.setTimeZone(windowsZone);
            return t;
        }
        t.setDateTime(GRAPH_LOCAL.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)));
        t.setTimeZone("UTC");
        return t;
    }

    private static Location location(XmlElement item) {
        Location location = new Location();
        location.setDisplayName(item.childText("Location") == null ? "" : item.childText("Location"));
        item.child("EnhancedLocation").ifPresent(en -> {
            text(en, "DisplayName").ifPresent(location::setDisplayName);
            en.child("PostalAddress").ifPresent(p -> {
                PhysicalAddress a = new PhysicalAddress();
                a.setStreet(p.childText("Street"));
                a.setCity(p.childText("City"));
                a.setState(p.childText("State"));
                a.setCountryOrRegion(p.childText("Country"));
                a.setPostalCode(p.childText("PostalCode"));
                location.setAddress(a);
            });
        });
        return location;
    }

    private static void attendees(XmlElement item, String element, AttendeeType type, List<Attendee> out) {
        item.child(element).ifPresent(list -> list.children("Attendee").forEach(a -> {
            Attendee attendee = new Attendee();
            attendee.setType(type);
            a.child("Mailbox").ifPresent(m -> attendee.setEmailAddress(address(m)));
            ResponseStatus status = new ResponseStatus();
            status.setResponse(response(text(a, "ResponseType").orElse("Unknown")));
            status.setTime(text(a, "LastResponseTime").map(CalendarItems::offset)
                    .orElse(OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)));
            attendee.setStatus(status);
            out.add(attendee);
        }));
    }

    private static EmailAddress address(XmlElement mailbox) {
        EmailAddress a = new EmailAddress();
        a.setName(mailbox.childText("Name"));
        a.setAddress(mailbox.childText("EmailAddress"));
        return a;
    }

    private PatternedRecurrence recurrence(XmlElement r, String startZone) {
        RecurrencePattern p = new RecurrencePattern();
        RecurrenceRange range = new RecurrenceRange();
        p.setInterval(1);
        p.setMonth(0);
        p.setDayOfMonth(0);
        p.setIndex(WeekIndex.First);
        p.setFirstDayOfWeek(DayOfWeek.Sunday);
        p.setDaysOfWeek(List.of());
        for (XmlElement c : r.children()) {
            text(c, "Interval").ifPresent(i -> p.setInterval(Integer.parseInt(i.trim())));
            switch (c.name()) {
                case "DailyRecurrence" -> p.setType(RecurrencePatternType.Daily);
                case "WeeklyRecurrence" -> {
                    p.setType(RecurrencePatternType.Weekly);
                    p.setDaysOfWeek(days(c.childText("DaysOfWeek")));
                    text(c, "FirstDayOfWeek").ifPresent(f -> p.setFirstDayOfWeek(DayOfWeek.forValue(lowerFirst(f))));
                }
                case "AbsoluteMonthlyRecurrence" -> {
                    p.setType(RecurrencePatternType.AbsoluteMonthly);
                    p.setDayOfMonth(Integer.parseInt(c.childText("DayOfMonth").trim()));
                }
                case "RelativeMonthlyRecurrence" -> {
                    p.setType(RecurrencePatternType.RelativeMonthly);
                    p.setDaysOfWeek(days(c.childText("DaysOfWeek")));
                    p.setIndex(WeekIndex.forValue(lowerFirst(c.childText("DayOfWeekIndex"))));
                }
                case "AbsoluteYearlyRecurrence" -> {
                    p.setType(RecurrencePatternType.AbsoluteYearly);
                    p.setDayOfMonth(Integer.parseInt(c.childText("DayOfMonth").trim()));
                    p.setMonth(month(c.childText("Month")));
                }
                case "RelativeYearlyRecurrence" -> {
                    p.setType(RecurrencePatternType.RelativeYearly);
                    p.setDaysOfWeek(days(c.childText("DaysOfWeek")));
                    p.setIndex(WeekIndex.forValue(lowerFirst(c.childText("DayOfWeekIndex"))));
                    p.setMonth(month(c.childText("Month")));
                }
                case "NoEndRecurrence" -> {
                    range.setType(RecurrenceRangeType.NoEnd);
                    range.setStartDate(date(c.childText("StartDate")));
                }
                case "EndDateRecurrence" -> {
                    range.setType(RecurrenceRangeType.EndDate);
                    range.setStartDate(date(c.childText("StartDate")));
                    range.setEndDate(date(c.childText("EndDate")));
                }
                case "NumberedRecurrence" -> {
                    range.setType(RecurrenceRangeType.Numbered);
                    range.setStartDate(date(c.childText("StartDate")));
                    range.setNumberOfOccurrences(Integer.parseInt(c.childText("NumberOfOccurrences").trim()));
                }
                default -> throw new IllegalArgumentException("unknown recurrence element " + c.name());
            }
        }
        if (range.getNumberOfOccurrences() == null) {
            range.setNumberOfOccurrences(0);
        }
        range.setRecurrenceTimeZone(startZone);
        PatternedRecurrence out = new PatternedRecurrence();
        out.setPattern(p);
        out.setRange(range);
        return out;
    }

    /** EWS DaysOfWeek: a list ("Monday Wednesday") or one of Day, Weekday, WeekendDay. */
    private static List<DayOfWeek> days(String text) {
        List<DayOfWeek> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String d : text.trim().split("\\s+")) {
            switch (d) {
                case "" -> { }
                case "Day" -> out.addAll(List.of(DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday,
                        DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday));
                case "Weekday" -> out.addAll(List.of(DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday,
                        DayOfWeek.Friday));
                case "WeekendDay" -> out.addAll(List.of(DayOfWeek.Saturday, DayOfWeek.Sunday));
                default -> out.add(DayOfWeek.forValue(lowerFirst(d)));
            }
        }
        return out;
    }

    private static int month(String name) {
        return java.time.Month.valueOf(name.trim().toUpperCase(Locale.ROOT)).getValue();
    }

    /** EWS dates may carry a zone offset ("2030-01-07Z", "2030-01-07-08:00"); the date part is what counts. */
    private static LocalDate date(String text) {
        return LocalDate.parse(text.trim().substring(0, 10));
    }

    static FreeBusyStatus freeBusy(String ews) {
        return switch (ews) {
            case "Free" -> FreeBusyStatus.Free;
            case "Tentative" -> FreeBusyStatus.Tentative;
            case "OOF" -> FreeBusyStatus.Oof;
            case "WorkingElsewhere" -> FreeBusyStatus.WorkingElsewhere;
            case "NoData" -> FreeBusyStatus.Unknown;
            default -> FreeBusyStatus.Busy;
        };
    }

    static ResponseType response(String ews) {
        return switch (ews) {
            case "Organizer" -> ResponseType.Organizer;
            case "Tentative" -> ResponseType.TentativelyAccepted;
            case "Accept" -> ResponseType.Accepted;
            case "Decline" -> ResponseType.Declined;
            case "NoResponseReceived" -> ResponseType.NotResponded;
            default -> ResponseType.None;
        };
    }

    static Instant instant(String text) {
        return OffsetDateTime.parse(text.trim()).toInstant();
    }

    static OffsetDateTime offset(String text) {
        return OffsetDateTime.parse(text.trim()).withOffsetSameInstant(ZoneOffset.UTC);
    }

    static Optional<String> text(XmlElement parent, String local) {
        return parent.child(local).map(XmlElement::text).filter(s -> !s.isBlank());
    }

    static List<String> strings(XmlElement parent, String local) {
        List<String> out = new ArrayList<>();
        parent.child(local).ifPresent(list -> list.children("String").forEach(s -> out.add(s.text())));
        return out;
    }

    static String lowerFirst(String s) {
        return s == null || s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
