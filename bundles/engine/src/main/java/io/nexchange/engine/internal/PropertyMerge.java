package io.nexchange.engine.internal;

import io.nexchange.api.CollectionKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Merge, not overwrite: an Exchange edit applied to Nextcloud keeps what Nextcloud holds and Exchange cannot represent.
 * The Exchange side's rendering (what Graph's or EWS's mapping makes of the Exchange item) replaces the item, then the
 * properties of the Nextcloud item's current version that Exchange's mapping never carries are put back into the
 * component they came from: X- properties of other clients, ATTACH, COMMENT, RESOURCES, a second and later VALARM, an
 * event's URL when Exchange has none; a vCard's fourth and later EMAIL, a second URL, TITLE, ROLE or PHOTO, an ADR past
 * one home, one work and one other, ANNIVERSARY, GENDER, RELATED and any other property the mapping does not produce
 * ({@code docs/graph-mapping.md}, "Two-way: what is kept"). What Exchange does carry is Exchange's to decide: a property
 * Exchange removed stays removed.
 *
 * <p>Content lines are read as RFC 5545 3.1 / RFC 6350 3.2 define them (folded lines, groups, BEGIN/END components);
 * the lines carried over are written as they were read. Hand-written rather than with ical4j/ez-vcard: the engine
 * bundle carries no iCalendar or vCard library (the stores embed them), and the merge moves whole content lines, never
 * interpreting a value, so a parse and re-serialisation would only add the risk of changing what it keeps.
 */
final class PropertyMerge {
    private PropertyMerge() {
    }

    /** Properties of an event (VEVENT) that the Exchange mappings write and read (EventToICalendar, ICalendarToEvent). */
    static final Set<String> EXCHANGE_EVENT = Set.of("UID", "DTSTAMP", "CREATED", "LAST-MODIFIED", "DTSTART", "DTEND",
            "DURATION", "RRULE", "EXDATE", "RECURRENCE-ID", "SUMMARY", "DESCRIPTION", "X-ALT-DESC", "LOCATION", "GEO",
            "ORGANIZER", "ATTENDEE", "CLASS", "X-NEXCHANGE-SENSITIVITY", "TRANSP", "X-MICROSOFT-CDO-BUSYSTATUS", "PRIORITY",
            "CATEGORIES", "STATUS", "CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL", "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
            "X-MICROSOFT-ONLINEMEETINGCONFLINK");
    /** Properties of the calendar object itself that Exchange's rendering sets. */
    static final Set<String> EXCHANGE_CALENDAR = Set.of("VERSION", "PRODID", "CALSCALE", "METHOD");
    /** Properties of a vCard the contact mappings write and read (ContactToVCard, VCardToContact). */
    static final Set<String> EXCHANGE_CONTACT = Set.of("VERSION", "PRODID", "UID", "N", "FN", "NICKNAME", "ORG", "TITLE",
            "ROLE", "EMAIL", "TEL", "ADR", "URL", "IMPP", "BDAY", "NOTE", "CATEGORIES", "PHOTO", "REV", "X-MS-IMADDRESS",
            "X-MS-MANAGER", "X-MS-ASSISTANT", "X-MS-SPOUSE", "X-MS-CHILD", "X-MS-FILEAS", "X-MS-INITIALS",
            "X-MS-OFFICELOCATION", "X-PHONETIC-FIRST-NAME", "X-PHONETIC-LAST-NAME", "X-PHONETIC-ORG");
    /** How many of a repeated vCard property Exchange keeps (the first ones; VCardToContact): the rest is Nextcloud's. */
    static final Map<String, Integer> EXCHANGE_CONTACT_SLOTS = Map.of("EMAIL", 3, "URL", 1, "TITLE", 1, "ROLE", 1, "PHOTO", 1);

    /**
     * The content to write to Nextcloud for an Exchange edit: {@code exchange} with the properties of {@code nextcloud}
     * (the Nextcloud item as it is now) that Exchange cannot represent. Text that cannot be read as the kind's format is
     * left to the caller: {@code exchange} is returned as it is.
     */
    static String ontoNextcloud(CollectionKind kind, String nextcloud, String exchange) {
        Component current = Component.parse(nextcloud);
        Component incoming = Component.parse(exchange);
        if (current == null || incoming == null) {
            return exchange;
        }
        boolean changed = kind == CollectionKind.CONTACTS ? keepContact(current, incoming) : keepEvent(current, incoming);
        return changed ? incoming.write(lineEnd(exchange)) : exchange;
    }

    private static boolean keepContact(Component current, Component incoming) {
        Component card = current.first("VCARD");
        Component target = incoming.first("VCARD");
        if (card == null || target == null) {
            return false;
        }
        List<Line> kept = new ArrayList<>();
        Map<String, Integer> seen = new java.util.HashMap<>();
        Set<String> addressSlots = new HashSet<>();
        for (Line line : card.lines) {
            String name = line.name();
            int n = seen.merge(name, 1, Integer::sum);
            boolean exchangeHolds = EXCHANGE_CONTACT.contains(name) && n <= EXCHANGE_CONTACT_SLOTS.getOrDefault(name, Integer.MAX_VALUE);
            if (exchangeHolds && name.equals("ADR")) {
                String slot = addressSlot(line, addressSlots);
                exchangeHolds = !slot.isEmpty() && addressSlots.add(slot);
            }
            if (!exchangeHolds) {
                kept.add(line);
            }
        }
        return target.add(kept);
    }

    /** The Exchange address an ADR goes to (VCardToContact): the first home, the first work, one other; "" for none. */
    private static String addressSlot(Line line, Set<String> taken) {
        String params = line.params().toUpperCase(Locale.ROOT);
        if (params.contains("HOME") && !taken.contains("home")) {
            return "home";
        }
        if (params.contains("WORK") && !taken.contains("work")) {
            return "work";
        }
        return taken.contains("other") ? "" : "other";
    }

    private static boolean keepEvent(Component current, Component incoming) {
        Component calendar = current.first("VCALENDAR");
        Component target = incoming.first("VCALENDAR");
        if (calendar == null || target == null) {
            return false;
        }
        boolean changed = target.add(calendar.lines.stream().filter(l -> !EXCHANGE_CALENDAR.contains(l.name())).toList());
        for (Component event : calendar.children) {
            if (!event.name.equals("VEVENT")) {
                continue;
            }
            Component match = target.children.stream().filter(c -> c.name.equals("VEVENT")
                    && Objects.equals(c.value("RECURRENCE-ID"), event.value("RECURRENCE-ID"))).findFirst().orElse(null);
            if (match == null) {
                continue; // Exchange has no such occurrence (any more): its decision
            }
            List<Line> kept = new ArrayList<>();
            // the attendees of a meeting made in Nextcloud are never written to Exchange (that would invite them): when
            // Exchange holds none, they are Nextcloud's, and so is the organizer they need if Exchange names none
            boolean attendeesNextcloudOnly = match.value("ATTENDEE") == null;
            boolean organizerNextcloudOnly = attendeesNextcloudOnly && match.value("ORGANIZER") == null;
            for (Line line : event.lines) {
                boolean exchangeHolds = EXCHANGE_EVENT.contains(line.name())
                        && !(attendeesNextcloudOnly && line.name().equals("ATTENDEE"))
                        && !(organizerNextcloudOnly && line.name().equals("ORGANIZER"))
                        || line.name().equals("URL") && match.value("URL") != null; // Exchange has a URL only for an online meeting
                if (!exchangeHolds) {
                    kept.add(line);
                }
            }
            changed |= match.add(kept);
            List<Component> alarms = event.children.stream().filter(c -> c.name.equals("VALARM")).toList();
            for (Component alarm : alarms.subList(Math.min(1, alarms.size()), alarms.size())) { // Exchange keeps one reminder
                match.children.add(alarm);
                changed = true;
            }
        }
        return changed;
    }

    private static String lineEnd(String text) {
        return text.contains("\r\n") ? "\r\n" : "\n";
    }

    /** One content line as read: its physical lines (folded) and the unfolded text. */
    record Line(List<String> physical, String unfolded) {
        /** The property name, upper case, without a vCard group ({@code item1.EMAIL} is {@code EMAIL}). */
        String name() {
            int end = 0;
            while (end < unfolded.length() && unfolded.charAt(end) != ';' && unfolded.charAt(end) != ':') {
                end++;
            }
            String name = unfolded.substring(0, end).toUpperCase(Locale.ROOT);
            return name.substring(name.indexOf('.') + 1);
        }

        /** The parameters, from the first ';' to the ':' that starts the value (quoted parameter values may hold ':'). */
        String params() {
            int start = name().length();
            boolean quoted = false;
            for (int i = 0; i < unfolded.length(); i++) {
                char c = unfolded.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == ':' && !quoted) {
                    return unfolded.substring(Math.min(start, i), i);
                }
            }
            return "";
        }

        String value() {
            String params = params();
            int at = unfolded.indexOf(':', unfolded.indexOf(params) + params.length());
            return at < 0 ? "" : unfolded.substring(at + 1);
        }
    }

    /** A component (VCALENDAR, VEVENT, VALARM, VCARD) with its lines and sub-components in order. */
    static final class Component {
        final String name;
        final Line begin;
        final List<Line> lines = new ArrayList<>();
        final List<Component> children = new ArrayList<>();
        Line end;

        Component(String name, Line begin) {
            this.name = name;
            this.begin = begin;
        }

        /** The root of a text (a pseudo-component holding the top-level components), or null if BEGIN/END do not pair. */
        static Component parse(String text) {
            Component root = new Component("", null);
            List<Component> open = new ArrayList<>(List.of(root));
            List<String> physical = null;
            for (String raw : (text + "\n").split("\r?\n", -1)) {
                if (!raw.isEmpty() && (raw.charAt(0) == ' ' || raw.charAt(0) == '\t') && physical != null) {
                    physical.add(raw);
                    continue;
                }
                if (physical != null && !add(open, physical)) {
                    return null;
                }
                physical = raw.isEmpty() ? null : new ArrayList<>(List.of(raw));
            }
            return open.size() == 1 && !root.children.isEmpty() ? root : null;
        }

        private static boolean add(List<Component> open, List<String> physical) {
            StringBuilder unfolded = new StringBuilder(physical.get(0));
            physical.subList(1, physical.size()).forEach(p -> unfolded.append(p, 1, p.length()));
            Line line = new Line(physical, unfolded.toString());
            Component top = open.get(open.size() - 1);
            if (line.name().equals("BEGIN")) {
                Component child = new Component(line.value().strip().toUpperCase(Locale.ROOT), line);
                top.children.add(child);
                open.add(child);
            } else if (line.name().equals("END")) {
                if (open.size() == 1 || !top.name.equals(line.value().strip().toUpperCase(Locale.ROOT))) {
                    return false;
                }
                top.end = line;
                open.remove(open.size() - 1);
            } else if (open.size() > 1) {
                top.lines.add(line);
            }
            return true;
        }

        Component first(String childName) {
            return children.stream().filter(c -> c.name.equals(childName)).findFirst().orElse(null);
        }

        /** The unfolded value of the first property of that name, or null. */
        String value(String property) {
            return lines.stream().filter(l -> l.name().equals(property)).findFirst().map(Line::value).orElse(null);
        }

        /** Adds the lines this component does not already hold (as unfolded text). @return whether any was added */
        boolean add(List<Line> more) {
            Set<String> have = new HashSet<>();
            lines.forEach(l -> have.add(l.unfolded()));
            boolean added = false;
            for (Line line : more) {
                if (have.add(line.unfolded())) {
                    lines.add(line);
                    added = true;
                }
            }
            return added;
        }

        String write(String eol) {
            StringBuilder out = new StringBuilder();
            write(out, eol);
            return out.toString();
        }

        private void write(StringBuilder out, String eol) {
            if (begin != null) {
                begin.physical().forEach(p -> out.append(p).append(eol));
            }
            for (Line line : lines) {
                line.physical().forEach(p -> out.append(p).append(eol));
            }
            for (Component child : children) {
                child.write(out, eol);
            }
            if (end != null) {
                end.physical().forEach(p -> out.append(p).append(eol));
            }
        }
    }
}
