package io.nexchange.ews.internal;

import com.microsoft.graph.models.Attendee;
import com.microsoft.graph.models.AttendeeType;
import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.DayOfWeek;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.FreeBusyStatus;
import com.microsoft.graph.models.PatternedRecurrence;
import com.microsoft.graph.models.RecurrencePattern;
import com.microsoft.graph.models.RecurrenceRange;
import io.nexchange.ews.internal.soap.SoapRequest;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A Graph event (what the shared mapping makes of an iCalendar object) as the writable properties of an EWS
 * {@code CalendarItem}, in the schema's order: ItemType's (Subject, Sensitivity, Body, Categories, Importance,
 * reminder), then CalendarItemType's (UID, Start, End, IsAllDayEvent, LegacyFreeBusyStatus, Location, attendees,
 * Recurrence, StartTimeZone, EndTimeZone). Times go out in UTC with the Windows zone names.
 */
final class CalendarItemWriter {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private final WindowsZones zones;

    CalendarItemWriter(WindowsZones zones) {
        this.zones = zones;
    }

    /**
     * The item's properties.
     *
     * @param uid the iCalendar UID to set (create only: EWS does not change a UID), or null
     * @param occurrence an override of one occurrence: no UID, no recurrence
     */
    List<ItemField> fields(Event e, String uid, boolean occurrence) {
        List<ItemField> f = new ArrayList<>();
        f.add(ItemField.of("item:Subject", e.getSubject() == null ? null : r -> r.tv("Subject", e.getSubject())));
        // Sensitivity, Importance, LegacyFreeBusyStatus always have a value in Exchange: written as Exchange's default
        // when the iCalendar object has none, never deleted
        String sensitivity = e.getSensitivity() == null ? "Normal" : upperFirst(e.getSensitivity().getValue());
        f.add(ItemField.of("item:Sensitivity", r -> r.tv("Sensitivity", sensitivity)));
        f.add(ItemField.of("item:Body", e.getBody() == null || e.getBody().getContent() == null ? null
                : r -> r.t("Body").attr("BodyType", e.getBody().getContentType() == BodyType.Html ? "HTML" : "Text")
                        .text(e.getBody().getContent()).end()));
        List<String> categories = e.getCategories() == null ? List.of() : e.getCategories();
        f.add(ItemField.of("item:Categories", categories.isEmpty() ? null : r -> {
            r.t("Categories");
            categories.forEach(c -> r.tv("String", c));
            r.end();
        }));
        String importance = e.getImportance() == null ? "Normal" : upperFirst(e.getImportance().getValue());
        f.add(ItemField.of("item:Importance", r -> r.tv("Importance", importance)));
        f.add(ItemField.of("item:ReminderIsSet", r -> r.tv("ReminderIsSet", Boolean.TRUE.equals(e.getIsReminderOn()))));
        f.add(ItemField.of("item:ReminderMinutesBeforeStart", e.getReminderMinutesBeforeStart() == null ? null
                : r -> r.tv("ReminderMinutesBeforeStart", e.getReminderMinutesBeforeStart())));
        if (uid != null && !occurrence) {
            f.add(ItemField.of("calendar:UID", r -> r.tv("UID", uid)));
        }
        String startZone = windowsName(e.getStart());
        String endZone = e.getEnd() == null ? startZone : windowsName(e.getEnd());
        f.add(ItemField.of("calendar:Start", r -> r.tv("Start", utc(e.getStart()))));
        f.add(ItemField.of("calendar:End", r -> r.tv("End", utc(e.getEnd() == null ? e.getStart() : e.getEnd()))));
        f.add(ItemField.of("calendar:IsAllDayEvent", r -> r.tv("IsAllDayEvent", Boolean.TRUE.equals(e.getIsAllDay()))));
        String freeBusy = e.getShowAs() == null ? "Busy" : freeBusy(e.getShowAs());
        f.add(ItemField.of("calendar:LegacyFreeBusyStatus", r -> r.tv("LegacyFreeBusyStatus", freeBusy)));
        String location = e.getLocation() == null ? null : e.getLocation().getDisplayName();
        f.add(ItemField.of("calendar:Location", location == null || location.isEmpty() ? null : r -> r.tv("Location", location)));
        f.add(attendees(e, "calendar:RequiredAttendees", "RequiredAttendees", AttendeeType.Required));
        f.add(attendees(e, "calendar:OptionalAttendees", "OptionalAttendees", AttendeeType.Optional));
        f.add(attendees(e, "calendar:Resources", "Resources", AttendeeType.Resource));
        if (!occurrence) {
            f.add(ItemField.of("calendar:Recurrence", e.getRecurrence() == null || e.getRecurrence().getPattern() == null ? null
                    : r -> recurrence(r, e.getRecurrence())));
            f.add(ItemField.of("calendar:StartTimeZone", r -> r.t("StartTimeZone").attr("Id", startZone).end()));
            f.add(ItemField.of("calendar:EndTimeZone", r -> r.t("EndTimeZone").attr("Id", endZone).end()));
        }
        return f;
    }

    private static ItemField attendees(Event e, String uri, String element, AttendeeType type) {
        List<Attendee> matching = e.getAttendees() == null ? List.of() : e.getAttendees().stream()
                .filter(a -> (a.getType() == null ? AttendeeType.Required : a.getType()) == type && a.getEmailAddress() != null
                        && a.getEmailAddress().getAddress() != null)
                .collect(Collectors.toList());
        return ItemField.of(uri, matching.isEmpty() ? null : r -> {
            r.t(element);
            for (Attendee a : matching) {
                r.t("Attendee").t("Mailbox").tv("Name", a.getEmailAddress().getName())
                        .tv("EmailAddress", a.getEmailAddress().getAddress()).end().end();
            }
            r.end();
        });
    }

    private static void recurrence(SoapRequest r, PatternedRecurrence rec) {
        RecurrencePattern p = rec.getPattern();
        int interval = p.getInterval() == null || p.getInterval() < 1 ? 1 : p.getInterval();
        r.t("Recurrence");
        switch (p.getType()) {
            case Daily -> r.t("DailyRecurrence").tv("Interval", interval).end();
            case Weekly -> r.t("WeeklyRecurrence").tv("Interval", interval).tv("DaysOfWeek", days(p.getDaysOfWeek()))
                    .tv("FirstDayOfWeek", p.getFirstDayOfWeek() == null ? null : upperFirst(p.getFirstDayOfWeek().getValue())).end();
            case AbsoluteMonthly -> r.t("AbsoluteMonthlyRecurrence").tv("Interval", interval).tv("DayOfMonth", p.getDayOfMonth()).end();
            case RelativeMonthly -> r.t("RelativeMonthlyRecurrence").tv("Interval", interval).tv("DaysOfWeek", relativeDays(p.getDaysOfWeek()))
                    .tv("DayOfWeekIndex", upperFirst(p.getIndex() == null ? "first" : p.getIndex().getValue())).end();
            case AbsoluteYearly -> r.t("AbsoluteYearlyRecurrence").tv("DayOfMonth", p.getDayOfMonth()).tv("Month", month(p.getMonth())).end();
            case RelativeYearly -> r.t("RelativeYearlyRecurrence").tv("DaysOfWeek", relativeDays(p.getDaysOfWeek()))
                    .tv("DayOfWeekIndex", upperFirst(p.getIndex() == null ? "first" : p.getIndex().getValue()))
                    .tv("Month", month(p.getMonth())).end();
            default -> throw new IllegalArgumentException("recurrence pattern " + p.getType() + " has no EWS form");
        }
        RecurrenceRange range = rec.getRange();
        String start = range.getStartDate().toString();
        switch (range.getType()) {
            case EndDate -> r.t("EndDateRecurrence").tv("StartDate", start).tv("EndDate", range.getEndDate().toString()).end();
            case Numbered -> r.t("NumberedRecurrence").tv("StartDate", start).tv("NumberOfOccurrences", range.getNumberOfOccurrences()).end();
            default -> r.t("NoEndRecurrence").tv("StartDate", start).end();
        }
        r.end();
    }

    private static String days(List<DayOfWeek> days) {
        return days == null ? "" : days.stream().map(d -> upperFirst(d.getValue())).collect(Collectors.joining(" "));
    }

    /** Relative patterns take one day or Day / Weekday / WeekendDay. */
    private static String relativeDays(List<DayOfWeek> days) {
        java.util.Set<DayOfWeek> set = days == null ? java.util.Set.of() : java.util.Set.copyOf(days);
        if (set.size() == 7) {
            return "Day";
        }
        if (set.equals(java.util.Set.of(DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday))) {
            return "Weekday";
        }
        if (set.equals(java.util.Set.of(DayOfWeek.Saturday, DayOfWeek.Sunday))) {
            return "WeekendDay";
        }
        return set.isEmpty() ? "Monday" : upperFirst(days.get(0).getValue());
    }

    private static String month(Integer month) {
        return upperFirst(java.time.Month.of(month == null || month < 1 ? 1 : month).name().toLowerCase(Locale.ROOT));
    }

    private String windowsName(DateTimeTimeZone t) {
        String name = t == null || t.getTimeZone() == null ? "UTC" : t.getTimeZone();
        if (name.equals("UTC")) {
            return name;
        }
        ZoneId zone = zones.zoneOf(name).orElse(ZoneOffset.UTC);
        // a Windows name stays as it is; an IANA name becomes its Windows name
        return zones.zoneOf(name).isPresent() && !name.contains("/") ? name : zones.windowsNameOf(zone);
    }

    private String utc(DateTimeTimeZone t) {
        ZoneId zone = t.getTimeZone() == null ? ZoneOffset.UTC : zones.zoneOf(t.getTimeZone()).orElse(ZoneOffset.UTC);
        String local = t.getDateTime();
        int dot = local.indexOf('.');
        Instant instant = LocalDateTime.parse(dot < 0 ? local : local.substring(0, dot)).atZone(zone).toInstant();
        return UTC.format(instant.atOffset(ZoneOffset.UTC));
    }

    static String freeBusy(FreeBusyStatus s) {
        return switch (s) {
            case Free -> "Free";
            case Tentative -> "Tentative";
            case Oof -> "OOF";
            case WorkingElsewhere -> "WorkingElsewhere";
            case Unknown -> "NoData";
            default -> "Busy";
        };
    }

    static String upperFirst(String s) {
        return s == null || s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
