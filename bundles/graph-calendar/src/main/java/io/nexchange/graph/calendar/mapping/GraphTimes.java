package io.nexchange.graph.calendar.mapping;

import com.microsoft.graph.models.DateTimeTimeZone;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Graph's {@code dateTimeTimeZone} values: a local date-time with 7 fractional digits and a zone name. */
final class GraphTimes {

    /** The shape Graph writes: {@code 2016-12-09T20:30:00.0000000}. */
    private static final DateTimeFormatter GRAPH_LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS");

    private GraphTimes() {
    }

    /**
     * Reads the local part. Graph writes 7 fractional digits; fewer, none, or a trailing offset (seen from
     * some clients) are accepted. Sub-second parts are dropped: iCalendar has none.
     */
    static LocalDateTime parseLocal(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new MappingException(what + " has no dateTime");
        }
        String text = value.trim();
        int offsetAt = Math.max(text.indexOf('Z', 10), Math.max(text.indexOf('+', 10), text.indexOf('-', 10)));
        if (offsetAt > 0) {
            text = text.substring(0, offsetAt);
        }
        try {
            return LocalDateTime.parse(text).truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException e) {
            throw new MappingException(what + " has an unreadable dateTime '" + value + "'", e);
        }
    }

    static String formatLocal(LocalDateTime local) {
        return GRAPH_LOCAL.format(local);
    }

    static DateTimeTimeZone of(LocalDateTime local, String zoneName) {
        DateTimeTimeZone value = new DateTimeTimeZone();
        value.setDateTime(formatLocal(local));
        value.setTimeZone(zoneName);
        return value;
    }
}
