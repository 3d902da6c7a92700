package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.EventType;
import com.microsoft.kiota.serialization.JsonParseNodeFactory;
import com.microsoft.kiota.serialization.JsonSerializationWriter;
import io.nexchange.api.CollectionKind;
import io.nexchange.graph.calendar.mapping.EventSeries;
import io.nexchange.graph.calendar.mapping.EventToICalendar;
import io.nexchange.graph.calendar.mapping.GraphEventWrite;
import io.nexchange.graph.calendar.mapping.ICalendarToEvent;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * N→E→N with the real event mappings and the engine's merge ({@link PropertyMerge}, package-private: this test sits in
 * its package), over random events within the field table of docs/graph-mapping.md ("Two-way: what round-trips"): a
 * Nextcloud event is mapped for Graph ({@link ICalendarToEvent}), sent as Graph JSON and read back as Graph holds it
 * (the server's fields added: id, type, the series' occurrences), rendered for Nextcloud ({@link EventToICalendar}) and
 * merged onto the original. Every both-ways property says what it said ({@link #nextcloudView}), Exchange reads the merge
 * exactly as it read the original (times, series, occurrences), every Nextcloud-only line is still there, and a second
 * round changes nothing. What comes back in another spelling is listed in graph-mapping.md (PRIORITY, defaults, RRULE).
 */
class EventRoundTripPropertyTest {
    private static final WindowsZones ZONES = WindowsZones.load();
    private static final ZoneId MAILBOX_ZONE = ZoneId.of("Europe/Berlin");
    private static final String MAILBOX = "dave@example.org";
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private final ICalendarToEvent toGraph = new ICalendarToEvent(ZONES, MAILBOX_ZONE);
    private final EventToICalendar toIcal = new EventToICalendar(ZONES);

    /** A generated Nextcloud event and the lines Exchange cannot hold (kept by the merge, verbatim). */
    record Generated(String text, List<String> nextcloudOnly) {
        @Override
        public String toString() {
            return text;
        }
    }

    @Property(tries = 200, shrinking = ShrinkingMode.BOUNDED)
    void nextcloudToExchangeToNextcloudKeepsEveryField(@ForAll("events") Generated event) {
        GraphEventWrite written = toGraph.fromText(event.text());
        String exchange = toIcal.toText(asGraphHoldsIt(written), MAILBOX);
        String merged = PropertyMerge.ontoNextcloud(CollectionKind.CALENDAR, event.text(), exchange);
        for (String line : event.nextcloudOnly()) {
            assertTrue(merged.contains(line + "\r\n"), line + " kept\n" + merged);
        }
        assertEquals(exchangeView(event.text()), exchangeView(merged), "Exchange reads the merge as the original\n" + merged);
        assertEquals(nextcloudView(event.text()), nextcloudView(merged), "Nextcloud's fields come back as they were\n" + merged);
        String again = toIcal.toText(asGraphHoldsIt(toGraph.fromText(merged)), MAILBOX);
        assertEquals(withoutStamps(exchange), withoutStamps(again), "Exchange's rendering of the merge is the same");
        assertEquals(merged, PropertyMerge.ontoNextcloud(CollectionKind.CALENDAR, merged, again), "a fixpoint");
    }

    /** What Exchange holds of an event: the Graph JSON of the series' writes. */
    private String exchangeView(String text) {
        GraphEventWrite write = toGraph.fromText(text);
        StringBuilder view = new StringBuilder(json(write.event()));
        write.exceptions().forEach(o -> view.append('\n').append(o.originalStart()).append(' ').append(json(o.event())));
        view.append('\n').append(write.cancelledOccurrences()).append(' ').append(write.cancelled());
        return view.toString();
    }

    /** Properties that go both ways, as text (times are compared through {@link #exchangeView}: their zone's name may change). */
    private static final java.util.Set<String> BOTH_WAYS = java.util.Set.of("SUMMARY", "DESCRIPTION", "LOCATION", "CLASS",
            "TRANSP", "PRIORITY", "CATEGORIES", "RRULE", "TRIGGER", "ACTION");

    /**
     * What Nextcloud holds of the fields that go both ways: per event (the master, the override) and its alarms, each
     * such property's values, unfolded, with the parts of an RRULE and the CATEGORIES as sets.
     */
    static java.util.Map<String, java.util.Set<String>> nextcloudView(String text) {
        java.util.Map<String, java.util.Set<String>> view = new java.util.TreeMap<>();
        java.util.Map<String, java.util.Set<String>> event = null;
        boolean override = false;
        String inside = "";
        for (String line : text.replaceAll("\r\n[ \t]", "").split("\r\n")) {
            int colon = line.indexOf(':');
            String head = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            String name = head.split(";", 2)[0].toUpperCase(java.util.Locale.ROOT);
            if (name.equals("BEGIN") && value.equals("VEVENT")) {
                event = new java.util.TreeMap<>();
                override = false;
            } else if (name.equals("END") && value.equals("VEVENT")) {
                String label = override ? "override " : "master ";
                event.forEach((k, v) -> view.computeIfAbsent(label + k, x -> new java.util.TreeSet<>()).addAll(v));
                event = null;
            } else if ((name.equals("BEGIN") || name.equals("END")) && value.equals("VALARM")) {
                inside = name.equals("BEGIN") ? "VALARM/" : "";
            } else if (event != null && name.equals("RECURRENCE-ID")) {
                override = true;
            } else if (event != null && BOTH_WAYS.contains(name)
                    && (inside.isEmpty() || name.equals("TRIGGER") || name.equals("ACTION"))) {
                java.util.Set<String> values = event.computeIfAbsent(inside + name, k -> new java.util.TreeSet<>());
                if (name.equals("RRULE")) {
                    // the same rule in Exchange's spelling: RFC 5545's defaults INTERVAL=1 and WKST=MO said or not, and
                    // UNTIL as the day Graph holds (its range ends on a date: the last occurrence's start comes back)
                    java.util.List.of(value.split(";")).stream().filter(part -> !part.equals("INTERVAL=1") && !part.equals("WKST=MO"))
                            .map(part -> part.startsWith("UNTIL=") ? part.substring(0, Math.min(part.length(), 14)) : part)
                            .forEach(values::add);
                } else if (name.equals("CATEGORIES")) {
                    values.addAll(java.util.List.of(value.split("(?<!\\\\),")));
                } else {
                    values.add(value);
                }
            }
        }
        return view;
    }

    /** The write sent as Graph JSON and read back with what Graph adds: ids, the type, the occurrences' originals. */
    private static EventSeries asGraphHoldsIt(GraphEventWrite write) {
        Event master = roundTrip(write.event());
        master.setId("AAMkAG-master");
        master.setICalUId(write.uid());
        master.setChangeKey("ck1");
        master.setType(master.getRecurrence() == null ? EventType.SingleInstance : EventType.SeriesMaster);
        master.setOriginalStartTimeZone(master.getStart().getTimeZone());
        master.setOriginalEndTimeZone(master.getEnd().getTimeZone());
        List<Event> exceptions = new ArrayList<>();
        int n = 0;
        for (GraphEventWrite.Occurrence occurrence : write.exceptions()) {
            Event exception = roundTrip(occurrence.event());
            exception.setId("AAMkAG-exception-" + n++);
            exception.setType(EventType.Exception);
            exception.setSeriesMasterId(master.getId());
            exception.setICalUId(write.uid());
            exception.setOriginalStart(occurrence.originalStart().atOffset(ZoneOffset.UTC));
            exception.setOriginalStartTimeZone(exception.getStart().getTimeZone());
            exception.setOriginalEndTimeZone(exception.getEnd().getTimeZone());
            exceptions.add(exception);
        }
        return new EventSeries(master, exceptions, write.cancelledOccurrences());
    }

    private static Event roundTrip(Event event) {
        byte[] bytes = json(event).getBytes(StandardCharsets.UTF_8);
        return new JsonParseNodeFactory().getParseNode("application/json", new ByteArrayInputStream(bytes))
                .getObjectValue(Event::createFromDiscriminatorValue);
    }

    private static String json(Event event) {
        try (JsonSerializationWriter writer = new JsonSerializationWriter()) {
            writer.writeObjectValue(null, event);
            JsonObject object = JsonParser.parseString(new String(writer.getSerializedContent().readAllBytes(),
                    StandardCharsets.UTF_8)).getAsJsonObject();
            return object.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String withoutStamps(String text) {
        return text.replaceAll("(?m)^(DTSTAMP|CREATED|LAST-MODIFIED):.*\r\n", "");
    }

    // ---------------------------------------------------------------- generated events

    private static final String[] WORDS = {"Planning", "Review", "Lunch, with team", "Call; room 4", "Stand-up", "Ünïcödé ✓"};

    @Provide
    Arbitrary<Generated> events() {
        Arbitrary<LocalDateTime> start = Combinators.combine(Arbitraries.integers().between(0, 400),
                Arbitraries.integers().between(6, 20), Arbitraries.of(0, 15, 30, 45))
                .as((day, hour, minute) -> LocalDate.of(2030, 1, 7).plusDays(day).atTime(hour, minute));
        Arbitrary<Integer> minutes = Arbitraries.of(15, 30, 60, 90, 240);
        Arbitrary<Integer> timing = Arbitraries.integers().between(0, 2); // UTC, Europe/Berlin, all day
        Arbitrary<Integer> recurrence = Arbitraries.integers().between(0, 4);
        Arbitrary<Integer> fields = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Integer> extras = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        return Combinators.combine(start, minutes, timing, recurrence, fields, extras).as(EventRoundTripPropertyTest::event);
    }

    private static Generated event(LocalDateTime start, int minutes, int timing, int recurrence, int fields, int extras) {
        List<String> lines = new ArrayList<>(List.of("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Nextcloud calendar//EN"));
        List<String> only = new ArrayList<>();
        if ((extras & 1) != 0) {
            lines.add("X-WR-CALNAME:Personal");
            only.add("X-WR-CALNAME:Personal");
        }
        lines.addAll(List.of("BEGIN:VEVENT", "UID:nc-" + Integer.toHexString(fields), "DTSTAMP:20300101T000000Z"));
        boolean allDay = timing == 2;
        LocalDateTime end = allDay ? start.toLocalDate().plusDays(1 + minutes % 3).atStartOfDay() : start.plusMinutes(minutes);
        lines.add(time("DTSTART", start, timing));
        lines.add(time("DTEND", end, timing));
        String rrule = switch (recurrence) {
            case 1 -> "RRULE:FREQ=DAILY;COUNT=" + (3 + fields % 5);
            case 2 -> "RRULE:FREQ=WEEKLY;INTERVAL=" + (1 + fields % 2) + ";BYDAY=" + start.getDayOfWeek().name().substring(0, 2)
                    + ";COUNT=6";
            case 3 -> "RRULE:FREQ=MONTHLY;BYMONTHDAY=" + start.getDayOfMonth() + ";COUNT=4";
            case 4 -> "RRULE:FREQ=WEEKLY;BYDAY=" + start.getDayOfWeek().name().substring(0, 2) + ";UNTIL="
                    + start.toLocalDate().plusWeeks(5).format(DATE) + (allDay ? "" : "T235959Z");
            default -> null;
        };
        if (rrule != null) {
            lines.add(rrule);
        }
        int f = fields;
        lines.add("SUMMARY:" + escape(WORDS[f % WORDS.length]));
        f /= WORDS.length;
        if (f % 2 == 1) {
            lines.add("DESCRIPTION:" + escape("Agenda: " + WORDS[(f / 2) % WORDS.length]) + "\\nsecond line");
        }
        f /= 2;
        if (f % 2 == 1) {
            lines.add("LOCATION:" + escape(WORDS[(f / 2) % WORDS.length]));
        }
        f /= 2;
        // Exchange always names a sensitivity, importance and free/busy: CLASS, PRIORITY and TRANSP come back even
        // where the original had none (graph-mapping.md), so the generated events carry them
        String[] classes = {"PUBLIC", "PRIVATE", "CONFIDENTIAL"};
        lines.add("CLASS:" + classes[f % 3]);
        f /= 3;
        lines.add("TRANSP:" + (f % 2 == 0 ? "OPAQUE" : "TRANSPARENT"));
        f /= 2;
        // Exchange's importance has three values: PRIORITY 1, 5 and 9 round-trip (graph-mapping.md, "PRIORITY")
        lines.add("PRIORITY:" + new int[] {1, 5, 9}[f % 3]);
        f /= 3;
        if (f % 2 == 1) {
            lines.add("CATEGORIES:" + escape(WORDS[(f / 2) % WORDS.length]) + ",Blue");
        }
        f /= 2;
        // Nextcloud-only properties: other clients' X- properties and what Exchange has no field for
        for (String extra : List.of("X-MOZ-GENERATION:" + (extras % 7), "COMMENT:a comment", "RESOURCES:Projector",
                "COLOR:teal", "X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC")) {
            extras >>>= 1;
            if ((extras & 1) != 0) {
                lines.add(extra);
                only.add(extra);
            }
        }
        boolean alarm = f % 2 == 1;
        f /= 2;
        if (alarm) {
            lines.addAll(List.of("BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Reminder", "TRIGGER:-PT" + (5 + f % 4 * 10) + "M",
                    "END:VALARM"));
        }
        if (rrule != null && (extras & 2) != 0) {
            lines.add(time("EXDATE", start.plusDays(recurrence == 1 ? 1 : recurrence == 3 ? 0 : 7)
                    .plusMonths(recurrence == 3 ? 1 : 0), timing));
        }
        lines.add("END:VEVENT");
        if (rrule != null && (extras & 4) != 0) {
            // an override of the third occurrence: moved by an hour, renamed
            LocalDateTime original = recurrence == 1 ? start.plusDays(2) : recurrence == 3 ? start.plusMonths(2) : start.plusWeeks(
                    recurrence == 2 ? 2L * (1 + fields % 2) : 2);
            lines.addAll(List.of("BEGIN:VEVENT", "UID:nc-" + Integer.toHexString(fields), "DTSTAMP:20300101T000000Z",
                    time("RECURRENCE-ID", original, timing), time("DTSTART", allDay ? original : original.plusHours(1), timing),
                    time("DTEND", allDay ? original.plusDays(1) : original.plusHours(1).plusMinutes(minutes), timing),
                    "SUMMARY:Moved " + escape(WORDS[fields % WORDS.length]), "CLASS:PUBLIC", "TRANSP:OPAQUE", "PRIORITY:5", "END:VEVENT"));
        }
        lines.add("END:VCALENDAR");
        return new Generated(String.join("\r\n", lines) + "\r\n", only);
    }

    private static String time(String name, LocalDateTime local, int timing) {
        return switch (timing) {
            case 0 -> name + ":" + local.atZone(MAILBOX_ZONE).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime().format(LOCAL) + "Z";
            case 1 -> name + ";TZID=Europe/Berlin:" + local.format(LOCAL);
            default -> name + ";VALUE=DATE:" + local.toLocalDate().format(DATE);
        };
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;");
    }
}
