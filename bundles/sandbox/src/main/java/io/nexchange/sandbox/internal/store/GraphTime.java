package io.nexchange.sandbox.internal.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The date-time spellings Graph uses on the wire. */
public final class GraphTime {
    /** dateTimeTimeZone.dateTime: no offset, seven fractional digits. */
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS");
    /** createdDateTime and friends: UTC with seven fractional digits. */
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'");

    private GraphTime() {
    }

    public static String local(LocalDateTime time) {
        return LOCAL.format(time);
    }

    public static String timestamp(Instant instant) {
        return OFFSET.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** originalStart and other Edm.DateTimeOffset values Graph writes without fraction. */
    public static String offsetSeconds(Instant instant) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC).withNano(0));
    }

    /** Parses a dateTimeTimeZone.dateTime; an offset, if a client sends one, is dropped. */
    public static LocalDateTime parseLocal(String text) {
        String t = text.trim();
        try {
            return LocalDateTime.parse(t);
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(t).toLocalDateTime();
        }
    }

    /** Parses startDateTime/endDateTime query values: with offset, or without (then UTC). */
    public static Instant parseInstant(String text) {
        String t = text.trim().replace(' ', '+');
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
        }
    }
}
