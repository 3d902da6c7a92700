package io.nexchange.it.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;

/**
 * Compares a Graph event (series master with its exceptions and cancelled occurrences, or a single event) with the
 * iCalendar object Radicale holds, field by field, by the rules of docs/graph-mapping.md written out here again
 * independently of the product's mapper. Parsing is ical4j's (structure, unfolding, escapes); values are read with
 * java.time.
 *
 * <p>Normalised on purpose: text bodies are compared with line ends as LF and trailing blanks per line removed (the
 * mapper's documented tidying); HTML bodies are compared exactly through X-ALT-DESC and by their text fragments in
 * DESCRIPTION; zones are compared by their rules (Asia/Calcutta = Asia/Kolkata) and instants; durations of VALARM
 * triggers as durations (-PT1440M = -P1D).
 */
final class EventComparison {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;
    /** CLDR windowsZones for the zones the sandbox generator uses (territory 001). */
    private static final Map<String, String> WINDOWS = Map.ofEntries(
            Map.entry("W. Europe Standard Time", "Europe/Berlin"), Map.entry("Pacific Standard Time", "America/Los_Angeles"),
            Map.entry("India Standard Time", "Asia/Kolkata"), Map.entry("Eastern Standard Time", "America/New_York"),
            Map.entry("GMT Standard Time", "Europe/London"), Map.entry("Tokyo Standard Time", "Asia/Tokyo"),
            Map.entry("AUS Eastern Standard Time", "Australia/Sydney"), Map.entry("Romance Standard Time", "Europe/Paris"),
            Map.entry("Central Standard Time", "America/Chicago"), Map.entry("UTC", "UTC"));
    private static final List<String> WEEKDAYS = List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");

    private EventComparison() {
    }

    static Calendar parse(String text) {
        try {
            return new CalendarBuilder().build(new StringReader(text));
        } catch (IOException | ParserException e) {
            throw new AssertionError("Radicale holds an unparsable calendar object: " + e.getMessage() + "\n" + text, e);
        }
    }

    static List<VEvent> vevents(Calendar calendar) {
        return calendar.getComponents(Component.VEVENT);
    }

    static String uid(Calendar calendar) {
        return vevents(calendar).stream().map(v -> value(v, "UID")).filter(u -> u != null).findFirst().orElse(null);
    }

    /** Compares one Graph item (master with extras, or single) with the calendar object found under its UID. */
    static void compare(String mailbox, JsonNode source, Calendar target, Mismatches m) {
        String item = mailbox + " event " + source.path("iCalUId").asText() + " '" + source.path("subject").asText() + "'";
        List<VEvent> events = vevents(target);
        List<VEvent> masters = events.stream().filter(v -> value(v, "RECURRENCE-ID") == null).toList();
        List<VEvent> overrides = events.stream().filter(v -> value(v, "RECURRENCE-ID") != null).toList();
        if (masters.size() != 1) {
            m.fail(item, masters.size() + " VEVENTs without RECURRENCE-ID (expected exactly 1)");
            return;
        }
        VEvent master = masters.get(0);
        boolean series = "seriesMaster".equals(source.path("type").asText());
        compareCommon(item, source, master, m);
        if (series) {
            compareRecurrence(item, source, master, m);
        } else {
            m.check(item, "RRULE", null, value(master, "RRULE"));
            m.check(item, "EXDATE", List.of(), master.getProperties("EXDATE"));
        }
        // overrides: one per exception, by RECURRENCE-ID = the exception's original start
        Map<Instant, JsonNode> exceptions = new TreeMap<>();
        source.path("exceptionOccurrences").forEach(ex -> exceptions.put(Instant.parse(ex.path("originalStart").asText()), ex));
        Map<Instant, VEvent> byRecurrenceId = new TreeMap<>();
        for (VEvent override : overrides) {
            Instant rid = instantOrDateStart(override, "RECURRENCE-ID", source);
            if (byRecurrenceId.put(rid, override) != null) {
                m.fail(item, "two overrides with RECURRENCE-ID " + rid);
            }
        }
        m.check(item, "overrides (RECURRENCE-IDs)", exceptions.keySet(), byRecurrenceId.keySet());
        exceptions.forEach((original, ex) -> {
            VEvent override = byRecurrenceId.get(original);
            if (override != null) {
                String which = item + " override " + original;
                m.check(which, "UID (the master's iCalUId)", source.path("iCalUId").asText(), value(override, "UID"));
                compareCommon(which, ex, override, m);
            }
        });
    }

    /** The fields every VEVENT carries, master, single or override. */
    private static void compareCommon(String item, JsonNode e, VEvent v, Mismatches m) {
        if (!item.contains(" override ")) {
            m.check(item, "UID", e.path("iCalUId").asText(), value(v, "UID"));
        }
        m.check(item, "SUMMARY", e.path("subject").asText(), value(v, "SUMMARY"));
        boolean allDay = e.path("isAllDay").asBoolean();
        if (allDay) {
            m.check(item, "DTSTART (all-day date)", LocalDateTime.parse(e.at("/start/dateTime").asText()).toLocalDate(), date(v, "DTSTART"));
            m.check(item, "DTEND (all-day date, exclusive)", LocalDateTime.parse(e.at("/end/dateTime").asText()).toLocalDate(), date(v, "DTEND"));
        } else {
            m.check(item, "DTSTART (instant)", utc(e.path("start")), instant(v, "DTSTART"));
            m.check(item, "DTEND (instant)", utc(e.path("end")), instant(v, "DTEND"));
            m.check(item, "DTSTART (zone rules)", rules(e.path("originalStartTimeZone").asText()), zoneRules(v, "DTSTART"));
            m.check(item, "DTEND (zone rules)", rules(e.path("originalEndTimeZone").asText(e.path("originalStartTimeZone").asText())),
                    zoneRules(v, "DTEND"));
        }
        compareBody(item, e.path("body"), v, m);
        String location = e.at("/location/displayName").asText("");
        m.check(item, "LOCATION", location.isEmpty() ? null : location, value(v, "LOCATION"));
        compareOrganizer(item, e, v, m);
        compareAttendees(item, e, v, m);
        String sensitivity = e.path("sensitivity").asText("normal");
        m.check(item, "CLASS", switch (sensitivity) {
            case "private", "personal" -> "PRIVATE";
            case "confidential" -> "CONFIDENTIAL";
            default -> "PUBLIC";
        }, value(v, "CLASS"));
        m.check(item, "X-NEXCHANGE-SENSITIVITY", "personal".equals(sensitivity) ? "PERSONAL" : null, value(v, "X-NEXCHANGE-SENSITIVITY"));
        String showAs = e.path("showAs").asText("busy");
        m.check(item, "TRANSP", "free".equals(showAs) ? "TRANSPARENT" : "OPAQUE", value(v, "TRANSP"));
        m.check(item, "X-MICROSOFT-CDO-BUSYSTATUS", showAs.toUpperCase(Locale.ROOT), value(v, "X-MICROSOFT-CDO-BUSYSTATUS"));
        String importance = e.path("importance").asText("normal");
        m.check(item, "PRIORITY", importance.equals("high") ? "1" : importance.equals("low") ? "9" : "5", value(v, "PRIORITY"));
        Set<String> categories = new TreeSet<>();
        e.path("categories").forEach(c -> categories.add(c.asText()));
        m.check(item, "CATEGORIES", categories, categories(v));
        m.check(item, "STATUS", e.path("isCancelled").asBoolean() ? "CANCELLED" : null, value(v, "STATUS"));
        // VALARM: one display alarm n minutes before the start while the reminder is on
        List<Duration> triggers = v.getAlarms().stream().map(a -> duration(value(a, "TRIGGER"))).toList();
        m.check(item, "VALARM TRIGGER", e.path("isReminderOn").asBoolean()
                ? List.of(Duration.ofMinutes(-e.path("reminderMinutesBeforeStart").asLong())) : List.of(), triggers);
        m.check(item, "VALARM ACTION", e.path("isReminderOn").asBoolean() ? List.of("DISPLAY") : List.of(),
                v.getAlarms().stream().map(a -> value(a, "ACTION")).toList());
    }

    private static void compareBody(String item, JsonNode body, VEvent v, Mismatches m) {
        String content = body.path("content").asText("");
        if ("html".equalsIgnoreCase(body.path("contentType").asText())) {
            m.check(item, "X-ALT-DESC (the original HTML)", content, value(v, "X-ALT-DESC"));
            String description = value(v, "DESCRIPTION");
            // every text fragment of the HTML is in the plain-text DESCRIPTION, in order
            String body2 = content.replaceAll("(?s)<head>.*?</head>", "");
            List<String> fragments = Arrays.stream(body2.split("<[^>]*>")).map(f -> f.replace("&amp;", "&").strip())
                    .filter(f -> !f.isEmpty()).toList();
            int at = 0;
            for (String fragment : fragments) {
                int found = description == null ? -1 : description.indexOf(fragment, at);
                if (found < 0) {
                    m.fail(item, "DESCRIPTION lacks the HTML body's text '" + fragment + "' (after position " + at + "): " + description);
                    return;
                }
                at = found + fragment.length();
            }
            m.check(item, "DESCRIPTION (HTML text fragments)", true, true);
        } else {
            String tidy = content.replace("\r\n", "\n").lines().map(String::stripTrailing).collect(Collectors.joining("\n")).strip();
            m.check(item, "DESCRIPTION", tidy.isEmpty() ? null : tidy, value(v, "DESCRIPTION"));
            m.check(item, "X-ALT-DESC", null, value(v, "X-ALT-DESC"));
        }
    }

    private static void compareOrganizer(String item, JsonNode e, VEvent v, Mismatches m) {
        JsonNode organizer = e.at("/organizer/emailAddress");
        String expected = organizer.path("address").asText("");
        Optional<Property> actual = v.getProperty("ORGANIZER");
        m.check(item, "ORGANIZER", expected.isEmpty() ? null : "mailto:" + expected.toLowerCase(Locale.ROOT),
                actual.map(p -> p.getValue().toLowerCase(Locale.ROOT)).orElse(null));
        if (!expected.isEmpty() && actual.isPresent()) {
            m.check(item, "ORGANIZER CN", organizer.path("name").asText(null), param(actual.get(), "CN"));
            m.check(item, "ORGANIZER SCHEDULE-AGENT", "CLIENT", param(actual.get(), "SCHEDULE-AGENT"));
        }
    }

    private static void compareAttendees(String item, JsonNode e, VEvent v, Mismatches m) {
        Map<String, String> expected = new TreeMap<>();
        boolean rsvp = e.path("responseRequested").asBoolean(true);
        for (JsonNode a : e.path("attendees")) {
            String address = a.at("/emailAddress/address").asText().toLowerCase(Locale.ROOT);
            String type = a.path("type").asText("required");
            String response = a.at("/status/response").asText("none");
            String role = type.equals("resource") ? "NON-PARTICIPANT" : response.equals("organizer") ? "CHAIR"
                    : type.equals("optional") ? "OPT-PARTICIPANT" : "REQ-PARTICIPANT";
            String partStat = switch (response) {
                case "accepted", "organizer" -> "ACCEPTED";
                case "declined" -> "DECLINED";
                case "tentativelyAccepted" -> "TENTATIVE";
                default -> "NEEDS-ACTION";
            };
            expected.put(address, "CN=" + a.at("/emailAddress/name").asText() + ";ROLE=" + role + ";PARTSTAT=" + partStat
                    + (type.equals("resource") ? ";CUTYPE=RESOURCE" : "") + (rsvp && !type.equals("resource") ? ";RSVP=TRUE" : "")
                    + ";SCHEDULE-AGENT=CLIENT");
        }
        Map<String, String> actual = new TreeMap<>();
        for (Property p : v.getProperties("ATTENDEE")) {
            actual.put(p.getValue().toLowerCase(Locale.ROOT).replaceFirst("^mailto:", ""), "CN=" + param(p, "CN") + ";ROLE="
                    + param(p, "ROLE") + ";PARTSTAT=" + param(p, "PARTSTAT")
                    + (param(p, "CUTYPE") != null ? ";CUTYPE=" + param(p, "CUTYPE") : "")
                    + (param(p, "RSVP") != null ? ";RSVP=" + param(p, "RSVP") : "")
                    + ";SCHEDULE-AGENT=" + param(p, "SCHEDULE-AGENT"));
        }
        m.check(item, "ATTENDEEs (address -> CN, ROLE, PARTSTAT, CUTYPE, RSVP, SCHEDULE-AGENT)", expected, actual);
    }

    private static void compareRecurrence(String item, JsonNode master, VEvent v, Mismatches m) {
        JsonNode pattern = master.at("/recurrence/pattern");
        JsonNode range = master.at("/recurrence/range");
        Map<String, String> expected = new TreeMap<>();
        String type = pattern.path("type").asText();
        expected.put("FREQ", switch (type) {
            case "daily" -> "DAILY";
            case "weekly" -> "WEEKLY";
            case "absoluteMonthly", "relativeMonthly" -> "MONTHLY";
            default -> "YEARLY";
        });
        int interval = pattern.path("interval").asInt(1);
        if (interval != 1) {
            expected.put("INTERVAL", Integer.toString(interval));
        }
        List<String> days = new ArrayList<>();
        pattern.path("daysOfWeek").forEach(d -> days.add(d.asText().substring(0, 2).toUpperCase(Locale.ROOT)));
        String ordinal = switch (pattern.path("index").asText("first")) {
            case "second" -> "2";
            case "third" -> "3";
            case "fourth" -> "4";
            case "last" -> "-1";
            default -> "1";
        };
        switch (type) {
            case "weekly" -> {
                expected.put("BYDAY", sortedList(days));
                expected.put("WKST", pattern.path("firstDayOfWeek").asText("sunday").substring(0, 2).toUpperCase(Locale.ROOT));
            }
            case "absoluteMonthly" -> expected.put("BYMONTHDAY", pattern.path("dayOfMonth").asText());
            case "absoluteYearly" -> {
                expected.put("BYMONTH", pattern.path("month").asText());
                expected.put("BYMONTHDAY", pattern.path("dayOfMonth").asText());
            }
            case "relativeMonthly", "relativeYearly" -> {
                if (days.size() == 1) {
                    expected.put("BYDAY", ordinal + days.get(0));
                } else {
                    expected.put("BYDAY", sortedList(days));
                    expected.put("BYSETPOS", ordinal);
                }
                if (type.equals("relativeYearly")) {
                    expected.put("BYMONTH", pattern.path("month").asText());
                }
            }
            default -> {
            }
        }
        boolean allDay = master.path("isAllDay").asBoolean();
        ZoneId zone = zone(range.path("recurrenceTimeZone").asText(master.path("originalStartTimeZone").asText()));
        LocalTime localStart = allDay ? LocalTime.MIDNIGHT : utc(master.path("start")).atZone(zone(master.path("originalStartTimeZone").asText())).toLocalTime();
        switch (range.path("type").asText()) {
            case "endDate" -> {
                LocalDate end = LocalDate.parse(range.path("endDate").asText());
                expected.put("UNTIL", allDay ? end.format(DATE)
                        : end.atTime(localStart).atZone(zone).withZoneSameInstant(ZoneOffset.UTC).format(LOCAL) + "Z");
            }
            case "numbered" -> expected.put("COUNT", range.path("numberOfOccurrences").asText());
            default -> {
            }
        }
        String rrule = value(v, "RRULE");
        Map<String, String> actual = new TreeMap<>();
        if (rrule != null) {
            for (String part : rrule.split(";")) {
                String[] kv = part.split("=", 2);
                actual.put(kv[0], kv[0].equals("BYDAY") && !kv[1].matches("-?\\d.*") ? sortedList(List.of(kv[1].split(","))) : kv[1]);
            }
        }
        m.check(item, "RRULE", expected, actual);
        // EXDATEs: the cancelled occurrences (OID.{master}.{date}) at the series' local start time
        Set<Instant> expectedExdates = new TreeSet<>();
        ZoneId masterZone = zone(master.path("originalStartTimeZone").asText());
        for (JsonNode oid : master.path("cancelledOccurrences")) {
            String text = oid.asText();
            LocalDate date = LocalDate.parse(text.substring(text.lastIndexOf('.') + 1));
            expectedExdates.add(allDay ? date.atStartOfDay().toInstant(ZoneOffset.UTC) : date.atTime(localStart).atZone(masterZone).toInstant());
        }
        Set<Instant> actualExdates = new TreeSet<>();
        for (Property exdate : v.getProperties("EXDATE")) {
            for (String one : exdate.getValue().split(",")) {
                actualExdates.add(allDay ? LocalDate.parse(one, DATE).atStartOfDay().toInstant(ZoneOffset.UTC) : toInstant(one, param(exdate, "TZID")));
            }
        }
        m.check(item, "EXDATEs", expectedExdates, actualExdates);
    }

    private static String sortedList(List<String> values) {
        return values.stream().sorted().collect(Collectors.joining(","));
    }

    // ---- values ------------------------------------------------------------------------------------

    static String value(Component c, String name) {
        return c.getProperty(name).map(Property::getValue).orElse(null);
    }

    static String param(Property p, String name) {
        return p.getParameter(name).map(Parameter::getValue).orElse(null);
    }

    private static Set<String> categories(VEvent v) {
        Set<String> all = new TreeSet<>();
        for (Property p : v.getProperties("CATEGORIES")) {
            // ical4j has already unescaped the value; commas inside a category are escaped and kept as one
            for (String c : p.getValue().split("(?<!\\\\),")) {
                if (!c.isEmpty()) {
                    all.add(c.replace("\\,", ","));
                }
            }
        }
        return all;
    }

    /** A Graph dateTimeTimeZone delivered in UTC (no Prefer: outlook.timezone) as an instant. */
    static Instant utc(JsonNode dateTimeTimeZone) {
        LocalDateTime local = LocalDateTime.parse(dateTimeTimeZone.path("dateTime").asText());
        return local.atZone(zone(dateTimeTimeZone.path("timeZone").asText("UTC"))).toInstant();
    }

    static ZoneId zone(String graphZone) {
        String iana = WINDOWS.getOrDefault(graphZone, graphZone);
        return ZoneId.of(iana.isEmpty() ? "UTC" : iana);
    }

    private static Object rules(String graphZone) {
        return zone(graphZone).getRules();
    }

    private static Object zoneRules(VEvent v, String name) {
        Optional<Property> p = v.getProperty(name);
        if (p.isEmpty()) {
            return null;
        }
        String tzid = param(p.get(), "TZID");
        if (tzid == null) {
            return p.get().getValue().endsWith("Z") ? ZoneOffset.UTC.getRules() : "floating";
        }
        try {
            return ZoneId.of(tzid).getRules();
        } catch (RuntimeException e) {
            return "unknown TZID " + tzid;
        }
    }

    private static Instant instant(VEvent v, String name) {
        Optional<Property> p = v.getProperty(name);
        return p.map(prop -> toInstant(prop.getValue(), param(prop, "TZID"))).orElse(null);
    }

    private static Instant instantOrDateStart(VEvent v, String name, JsonNode master) {
        Property p = v.getProperty(name).orElseThrow();
        String value = p.getValue();
        if (value.length() == 8) {
            return LocalDate.parse(value, DATE).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        return toInstant(value, param(p, "TZID"));
    }

    static Instant toInstant(String value, String tzid) {
        if (value.endsWith("Z")) {
            return LocalDateTime.parse(value.substring(0, value.length() - 1), LOCAL).toInstant(ZoneOffset.UTC);
        }
        if (value.length() == 8) {
            return LocalDate.parse(value, DATE).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        return LocalDateTime.parse(value, LOCAL).atZone(tzid == null ? ZoneOffset.UTC : ZoneId.of(tzid)).toInstant();
    }

    private static Object date(VEvent v, String name) {
        Optional<Property> p = v.getProperty(name);
        if (p.isEmpty()) {
            return null;
        }
        String value = p.get().getValue();
        if (!"DATE".equals(param(p.get(), "VALUE")) || value.length() != 8) {
            return "not a DATE: " + value;
        }
        return LocalDate.parse(value, DATE);
    }

    static Duration duration(String trigger) {
        if (trigger == null) {
            return null;
        }
        String t = trigger.replace("+", "");
        boolean negative = t.startsWith("-");
        String body = negative ? t.substring(1) : t;
        Duration d;
        if (body.endsWith("W")) {
            d = Duration.ofDays(7L * Long.parseLong(body.substring(1, body.length() - 1)));
        } else {
            d = Duration.parse(body);
        }
        return negative ? d.negated() : d;
    }

    static Map<String, Integer> countByUid(List<Calendar> calendars) {
        Map<String, Integer> counts = new HashMap<>();
        calendars.forEach(c -> counts.merge(uid(c), 1, Integer::sum));
        return counts;
    }
}
