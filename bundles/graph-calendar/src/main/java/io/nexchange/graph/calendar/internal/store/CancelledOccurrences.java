package io.nexchange.graph.calendar.internal.store;

import com.microsoft.graph.models.Event;
import io.nexchange.graph.calendar.mapping.WindowsZones;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the cancelled occurrences of a series master start, read by the source and compared by the target. */
final class CancelledOccurrences {
    private static final Logger LOG = LoggerFactory.getLogger(CancelledOccurrences.class);

    private CancelledOccurrences() {
    }

    /**
     * The original starts of a master's cancelled occurrences. Graph lists them as {@code OID.{master id}.{date}},
     * the date in the series' time zone; the occurrence starts at the master's local start time that day (all-day:
     * the date at midnight UTC, which the mapping reads as a DATE).
     */
    static List<Instant> starts(Event master, WindowsZones zones, String mailbox) {
        List<String> cancelled = master.getCancelledOccurrences();
        if (cancelled == null || cancelled.isEmpty() || master.getStart() == null) {
            return List.of();
        }
        ZoneId delivered = zoneOf(zones, master.getStart().getTimeZone()).orElse(ZoneOffset.UTC);
        ZoneId series = Optional.ofNullable(master.getRecurrence()).map(r -> r.getRange())
                .map(r -> r.getRecurrenceTimeZone()).flatMap(z -> zoneOf(zones, z))
                .or(() -> zoneOf(zones, master.getOriginalStartTimeZone())).orElse(delivered);
        Instant masterStart = LocalDateTime.parse(trimFraction(master.getStart().getDateTime())).atZone(delivered).toInstant();
        LocalTime localStart = masterStart.atZone(series).toLocalTime();
        boolean allDay = Boolean.TRUE.equals(master.getIsAllDay());
        List<Instant> out = new ArrayList<>();
        for (String oid : cancelled) {
            int dot = oid.lastIndexOf('.');
            LocalDate date;
            try {
                date = LocalDate.parse(oid.substring(dot + 1));
            } catch (RuntimeException e) {
                LOG.warn("Ignored cancelled occurrence '{}' of {} in {}: not OID.<id>.<date>", oid, master.getId(), mailbox);
                continue;
            }
            out.add(allDay ? date.atStartOfDay(ZoneOffset.UTC).toInstant() : date.atTime(localStart).atZone(series).toInstant());
        }
        return out;
    }

    private static Optional<ZoneId> zoneOf(WindowsZones zones, String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        return zones.zoneOf(name);
    }

    private static String trimFraction(String dateTime) {
        int dot = dateTime.indexOf('.');
        String s = dot < 0 ? dateTime : dateTime.substring(0, dot);
        return s.endsWith("Z") ? s.substring(0, s.length() - 1) : s;
    }

}
