package io.nexchange.graph.calendar.mapping;

import com.microsoft.graph.models.Attendee;
import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.FreeBusyStatus;
import com.microsoft.graph.models.Importance;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.Location;
import com.microsoft.graph.models.PatternedRecurrence;
import com.microsoft.graph.models.RecurrencePattern;
import com.microsoft.graph.models.RecurrencePatternType;
import com.microsoft.graph.models.RecurrenceRange;
import com.microsoft.graph.models.RecurrenceRangeType;
import com.microsoft.graph.models.Sensitivity;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The writable properties in which the event Nextcloud asks for (an event from {@link ICalendarToEvent}) differs from
 * the event in Exchange, compared by meaning (instants, not zone spellings; text, not the HTML around it; sets, not
 * orders), and the PATCH body that writes only those. Writing only what changed keeps Exchange from telling attendees
 * about changes nobody made, and lets the caller decide per property whether Exchange may be told at all.
 */
public final class EventChanges {

    /** The properties compared, as Graph groups them for a PATCH. */
    public enum Field {
        SUBJECT, BODY, TIMES, LOCATION, RECURRENCE, ATTENDEES, SENSITIVITY, SHOW_AS, IMPORTANCE, CATEGORIES, REMINDER, ONLINE_MEETING;

        /** The name an operator reads. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    private final Event current;
    private final Event wanted;
    private final Set<Field> fields;

    private EventChanges(Event current, Event wanted, Set<Field> fields) {
        this.current = current;
        this.wanted = wanted;
        this.fields = fields;
    }

    /**
     * @param current the event (master, occurrence or exception) as Graph serves it
     * @param wanted what the reverse mapping made of the Nextcloud object for it
     * @param mailbox the mailbox's address, left out of attendee comparisons (Exchange lists the organizer apart)
     */
    public static EventChanges between(Event current, Event wanted, WindowsZones zones, String mailbox) {
        Set<Field> changed = EnumSet.noneOf(Field.class);
        if (!text(current.getSubject()).equals(text(wanted.getSubject()))) {
            changed.add(Field.SUBJECT);
        }
        if (!bodyText(current).equals(bodyText(wanted))) {
            changed.add(Field.BODY);
        }
        if (!sameTimes(current, wanted, zones)) {
            changed.add(Field.TIMES);
        }
        if (!locationName(current.getLocation()).equals(locationName(wanted.getLocation()))) {
            changed.add(Field.LOCATION);
        }
        if (!recurrence(current.getRecurrence()).equals(recurrence(wanted.getRecurrence()))) {
            changed.add(Field.RECURRENCE);
        }
        if (!attendees(current, mailbox).equals(attendees(wanted, mailbox))) {
            changed.add(Field.ATTENDEES);
        }
        if (orDefault(current.getSensitivity(), Sensitivity.Normal) != orDefault(wanted.getSensitivity(), Sensitivity.Normal)) {
            changed.add(Field.SENSITIVITY);
        }
        if (orDefault(current.getShowAs(), FreeBusyStatus.Busy) != orDefault(wanted.getShowAs(), FreeBusyStatus.Busy)) {
            changed.add(Field.SHOW_AS);
        }
        if (orDefault(current.getImportance(), Importance.Normal) != orDefault(wanted.getImportance(), Importance.Normal)) {
            changed.add(Field.IMPORTANCE);
        }
        if (!new TreeSet<>(list(current.getCategories())).equals(new TreeSet<>(list(wanted.getCategories())))) {
            changed.add(Field.CATEGORIES);
        }
        if (!reminder(current).equals(reminder(wanted))) {
            changed.add(Field.REMINDER);
        }
        // Exchange keeps an online meeting online: only making one counts
        if (Boolean.TRUE.equals(wanted.getIsOnlineMeeting()) && !Boolean.TRUE.equals(current.getIsOnlineMeeting())) {
            changed.add(Field.ONLINE_MEETING);
        }
        return new EventChanges(current, wanted, changed);
    }

    public Set<Field> fields() {
        return EnumSet.copyOf(fields.isEmpty() ? EnumSet.noneOf(Field.class) : fields);
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /** The changed fields outside {@code allowed}. */
    public Set<Field> outside(Set<Field> allowed) {
        Set<Field> out = EnumSet.noneOf(Field.class);
        out.addAll(fields);
        out.removeAll(allowed);
        return out;
    }

    /** A PATCH body carrying the wanted values of the changed fields in {@code which} (organizer never). */
    public Event patch(Set<Field> which) {
        Event body = new Event();
        for (Field f : fields) {
            if (!which.contains(f)) {
                continue;
            }
            switch (f) {
                case SUBJECT -> body.setSubject(text(wanted.getSubject()));
                case BODY -> body.setBody(wanted.getBody());
                case TIMES -> {
                    body.setStart(wanted.getStart());
                    body.setEnd(wanted.getEnd());
                    body.setIsAllDay(Boolean.TRUE.equals(wanted.getIsAllDay()));
                }
                case LOCATION -> body.setLocation(wanted.getLocation() == null ? new Location() : wanted.getLocation());
                case RECURRENCE -> body.setRecurrence(wanted.getRecurrence());
                case ATTENDEES -> {
                    body.setAttendees(wanted.getAttendees() == null ? List.of() : wanted.getAttendees());
                    body.setResponseRequested(wanted.getResponseRequested());
                }
                case SENSITIVITY -> body.setSensitivity(orDefault(wanted.getSensitivity(), Sensitivity.Normal));
                case SHOW_AS -> body.setShowAs(orDefault(wanted.getShowAs(), FreeBusyStatus.Busy));
                case IMPORTANCE -> body.setImportance(orDefault(wanted.getImportance(), Importance.Normal));
                case CATEGORIES -> body.setCategories(list(wanted.getCategories()));
                case REMINDER -> {
                    body.setIsReminderOn(Boolean.TRUE.equals(wanted.getIsReminderOn()));
                    if (Boolean.TRUE.equals(wanted.getIsReminderOn())) {
                        body.setReminderMinutesBeforeStart(wanted.getReminderMinutesBeforeStart());
                    }
                }
                case ONLINE_MEETING -> {
                    body.setIsOnlineMeeting(true);
                    body.setOnlineMeetingProvider(wanted.getOnlineMeetingProvider());
                }
                default -> throw new IllegalStateException(f.name());
            }
        }
        return body;
    }

    /** The event Exchange holds now. */
    public Event current() {
        return current;
    }

    // ---------------------------------------------------------------- comparisons

    private static String text(String s) {
        return s == null ? "" : s.strip();
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /** The text a reader sees: HTML as text, without the join text of an online meeting, whitespace runs as one space. */
    private static String bodyText(Event e) {
        ItemBody body = e.getBody();
        String content = body == null || body.getContent() == null ? "" : body.getContent();
        String plain = body != null && body.getContentType() == BodyType.Html ? HtmlText.toPlainText(content) : content;
        Optional<OnlineMeetings.Join> join = OnlineMeetings.of(e);
        if (join.isPresent()) {
            plain = OnlineMeetings.withoutJoinText(plain, join.get());
            plain = plain.replace(join.get().url(), "");
        }
        return plain.replaceAll("\\s+", " ").strip();
    }

    private static boolean sameTimes(Event current, Event wanted, WindowsZones zones) {
        boolean allDay = Boolean.TRUE.equals(current.getIsAllDay());
        if (allDay != Boolean.TRUE.equals(wanted.getIsAllDay())) {
            return false;
        }
        return Objects.equals(instant(current.getStart(), zones), instant(wanted.getStart(), zones))
            && Objects.equals(instant(current.getEnd(), zones), instant(wanted.getEnd(), zones));
    }

    private static Instant instant(DateTimeTimeZone time, WindowsZones zones) {
        if (time == null || time.getDateTime() == null) {
            return null;
        }
        ZoneId zone = time.getTimeZone() == null ? ZoneOffset.UTC : zones.zoneOf(time.getTimeZone()).orElse(ZoneOffset.UTC);
        return GraphTimes.parseLocal(time.getDateTime(), "the event's time").atZone(zone).toInstant();
    }

    private static String locationName(Location location) {
        return location == null ? "" : text(location.getDisplayName());
    }

    /** The pattern as Exchange keeps it: fields that do not apply to the pattern's type left out, weekdays as a set. */
    private static String recurrence(PatternedRecurrence recurrence) {
        if (recurrence == null || recurrence.getPattern() == null || recurrence.getRange() == null) {
            return "";
        }
        RecurrencePattern p = recurrence.getPattern();
        RecurrenceRange r = recurrence.getRange();
        RecurrencePatternType type = p.getType();
        StringBuilder s = new StringBuilder(String.valueOf(type)).append('/').append(p.getInterval() == null ? 1 : p.getInterval());
        if (type == RecurrencePatternType.Weekly || type == RecurrencePatternType.RelativeMonthly || type == RecurrencePatternType.RelativeYearly) {
            TreeSet<String> days = new TreeSet<>();
            list(p.getDaysOfWeek()).forEach(d -> days.add(String.valueOf(d).toLowerCase(Locale.ROOT)));
            s.append('/').append(days);
        }
        if (type == RecurrencePatternType.RelativeMonthly || type == RecurrencePatternType.RelativeYearly) {
            s.append('/').append(p.getIndex());
        }
        if (type == RecurrencePatternType.AbsoluteMonthly || type == RecurrencePatternType.AbsoluteYearly) {
            s.append("/d").append(p.getDayOfMonth());
        }
        if (type == RecurrencePatternType.AbsoluteYearly || type == RecurrencePatternType.RelativeYearly) {
            s.append("/m").append(p.getMonth());
        }
        RecurrenceRangeType range = r.getType();
        s.append('|').append(range).append('/').append(r.getStartDate());
        if (range == RecurrenceRangeType.EndDate) {
            s.append('/').append(r.getEndDate());
        } else if (range == RecurrenceRangeType.Numbered) {
            s.append('/').append(r.getNumberOfOccurrences());
        }
        return s.toString();
    }

    private static Set<String> attendees(Event e, String mailbox) {
        Set<String> out = new TreeSet<>();
        for (Attendee a : list(e.getAttendees())) {
            if (a.getEmailAddress() == null || a.getEmailAddress().getAddress() == null) {
                continue;
            }
            String address = a.getEmailAddress().getAddress().strip().toLowerCase(Locale.ROOT);
            if (!address.equalsIgnoreCase(mailbox)) {
                out.add(address + "/" + (a.getType() == null ? "required" : a.getType().getValue()));
            }
        }
        return out;
    }

    private static String reminder(Event e) {
        if (!Boolean.TRUE.equals(e.getIsReminderOn())) {
            return "off";
        }
        return String.valueOf(e.getReminderMinutesBeforeStart() == null ? 15 : e.getReminderMinutesBeforeStart());
    }

    /** The field names, for messages. */
    public static String labels(Set<Field> fields) {
        List<String> out = new ArrayList<>();
        fields.forEach(f -> out.add(f.label()));
        return String.join(", ", out);
    }
}
