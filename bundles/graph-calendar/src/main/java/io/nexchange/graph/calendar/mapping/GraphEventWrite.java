package io.nexchange.graph.calendar.mapping;

import com.microsoft.graph.models.Event;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What an iCalendar object asks of Graph: the body of the POST/PATCH of the single event or series master,
 * the PATCH of each modified occurrence (found through /instances by its original start), and the
 * occurrences to delete. The Event objects carry only properties a client may write (no id, type,
 * iCalUId, originalStart...), so that the SDK serialises exactly the request body.
 *
 * <p>For all-day series, original starts are midnight of the mapper's mailbox zone, the zone the
 * all-day events are written in.
 *
 * @param uid the object's UID (Graph's iCalUId of the series)
 * @param event the single event or series master
 * @param exceptions modified occurrences, by original start
 * @param cancelledOccurrences original starts of occurrences to delete (EXDATE, or an override with
 *     STATUS:CANCELLED)
 * @param cancelled the whole event or series has STATUS:CANCELLED (an organiser cancels through
 *     /cancel, an attendee's copy is deleted; the caller decides)
 */
public record GraphEventWrite(String uid, Event event, List<Occurrence> exceptions, List<Instant> cancelledOccurrences, boolean cancelled) {

    public GraphEventWrite {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(event, "event");
        exceptions = List.copyOf(exceptions);
        cancelledOccurrences = List.copyOf(cancelledOccurrences);
    }

    /**
     * Why the object must not be created in {@code mailbox}'s calendar, if it is a meeting organised by someone else
     * (its ORGANIZER is another address: the mailbox's copy of an invitation): Exchange makes the creator of an event its
     * organizer, so it would become a meeting organised by the mailbox (and, through Graph, its attendees invited).
     */
    public java.util.Optional<String> organisedElsewhere(String mailbox) {
        String organizer = event.getOrganizer() == null || event.getOrganizer().getEmailAddress() == null ? null
            : event.getOrganizer().getEmailAddress().getAddress();
        if (organizer == null || organizer.isBlank() || organizer.equalsIgnoreCase(mailbox)) {
            return java.util.Optional.empty();
        }
        String subject = event.getSubject() == null ? "" : event.getSubject();
        return java.util.Optional.of("\"" + subject + "\" is a meeting organised by " + organizer + ": created in Exchange it would "
            + "become a meeting organised by " + mailbox + ", so it stays in Nextcloud only (Nexchange sends no meeting messages "
            + "and never takes over another organizer's meeting)");
    }

    /** One modified occurrence: which one (its original start) and its new content. */
    public record Occurrence(Instant originalStart, Event event) {
        public Occurrence {
            Objects.requireNonNull(originalStart, "originalStart");
            Objects.requireNonNull(event, "event");
        }
    }
}
