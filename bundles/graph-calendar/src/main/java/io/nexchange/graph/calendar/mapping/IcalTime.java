package io.nexchange.graph.calendar.mapping;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One iCalendar DATE or DATE-TIME value in the form it is written: a date (all-day), a UTC time, a local
 * time in a zone (TZID), or a floating local time. Formatting is done here and not by ical4j's temporal
 * adapters, so that the text is fixed by this code alone (deterministic output) and parsing does not
 * depend on ical4j's zone registry.
 *
 * @param date set for a DATE value, otherwise null
 * @param local the local date-time for DATE-TIME values, otherwise null
 * @param zone the zone of a DATE-TIME value: {@link ZoneOffset#UTC} for UTC ("Z"), a region for TZID
 *     values, null for floating values and dates
 */
record IcalTime(LocalDate date, LocalDateTime local, ZoneId zone) {

    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd");
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");

    static IcalTime ofDate(LocalDate date) {
        return new IcalTime(Objects.requireNonNull(date), null, null);
    }

    /** A time shown in {@code zone}; UTC is written in the "Z" form. */
    static IcalTime of(Instant instant, ZoneId zone) {
        ZoneId normalised = WindowsZones.normalise(zone);
        return new IcalTime(null, LocalDateTime.ofInstant(instant, normalised), normalised);
    }

    boolean isDate() {
        return date != null;
    }

    boolean isUtc() {
        return ZoneOffset.UTC.equals(zone);
    }

    /** The TZID parameter value, or null when none is written (date, UTC, floating). */
    String tzid() {
        return date == null && zone != null && !isUtc() ? zone.getId() : null;
    }

    /** The property value text. */
    String value() {
        if (date != null) {
            return DATE.format(date);
        }
        return DATE_TIME.format(local) + (isUtc() ? "Z" : "");
    }

    /** The instant; floating times and dates are taken in {@code fallback}. */
    Instant instant(ZoneId fallback) {
        if (date != null) {
            return date.atStartOfDay(fallback).toInstant();
        }
        return local.atZone(zone != null ? zone : fallback).toInstant();
    }

    /**
     * Reads a value as written in a property. {@code zone} is the zone the TZID parameter names (null if
     * none); a trailing "Z" means UTC whatever the parameter says.
     */
    static IcalTime parse(String value, boolean isDateValue, ZoneId zone) {
        String text = value.trim();
        try {
            if (isDateValue || text.length() == 8) {
                return ofDate(LocalDate.parse(text.substring(0, 8), DATE));
            }
            if (text.endsWith("Z") || text.endsWith("z")) {
                return new IcalTime(null, LocalDateTime.parse(text.substring(0, text.length() - 1).toUpperCase(), DATE_TIME), ZoneOffset.UTC);
            }
            return new IcalTime(null, LocalDateTime.parse(text.toUpperCase(), DATE_TIME), zone == null ? null : WindowsZones.normalise(zone));
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new MappingException("unreadable iCalendar date or time '" + value + "'", e);
        }
    }
}
