package io.nexchange.graph.calendar.mapping;

import com.microsoft.graph.models.Event;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One calendar object as Graph holds it: a single event, or a series master with its modified
 * occurrences (Graph {@code type=exception}, carrying {@code originalStart} and {@code seriesMasterId})
 * and the original starts of its cancelled occurrences. Graph has no list of cancelled occurrences in
 * calendarView delta; the caller finds them (an occurrence of the pattern missing from /instances).
 *
 * <p>Lists are put in a fixed order (exceptions by original start, cancellations ascending, duplicates
 * dropped), so that the iCalendar written for the same content is the same whatever order Graph paged
 * it in.
 *
 * @param master the single event or the series master
 * @param exceptions the modified occurrences; empty for a single event
 * @param cancelledOccurrences the original starts of deleted occurrences; empty for a single event
 */
public record EventSeries(Event master, List<Event> exceptions, List<Instant> cancelledOccurrences) {

    private static final Comparator<Event> BY_ORIGINAL_START = Comparator.comparing(
        (Event e) -> e.getOriginalStart() == null ? Instant.MIN : e.getOriginalStart().toInstant());

    public EventSeries {
        Objects.requireNonNull(master, "master");
        exceptions = exceptions == null ? List.of() : exceptions.stream().sorted(BY_ORIGINAL_START).toList();
        cancelledOccurrences = cancelledOccurrences == null ? List.of() : List.copyOf(new TreeSet<>(cancelledOccurrences));
    }

    public static EventSeries single(Event event) {
        return new EventSeries(event, List.of(), List.of());
    }

    static Instant originalStartOf(Event exception) {
        OffsetDateTime originalStart = exception.getOriginalStart();
        if (originalStart == null) {
            throw new MappingException("modified occurrence " + exception.getId() + " has no originalStart");
        }
        return originalStart.toInstant();
    }
}
