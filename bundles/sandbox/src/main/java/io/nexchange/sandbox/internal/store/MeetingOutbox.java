package io.nexchange.sandbox.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexchange.sandbox.MeetingMessage;
import io.nexchange.sandbox.internal.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The meeting messages Exchange would send for the Graph and EWS writes of one tenant, by Exchange Online's rules:
 * <ul>
 *   <li>creating an event with attendees in the organizer's calendar invites them (Graph always; EWS unless
 *       {@code SendMeetingInvitations="SendToNone"});</li>
 *   <li>changing a meeting the mailbox organises sends an update to its attendees; a change of the attendees alone
 *       invites the added ones and cancels for the removed ones (Graph "Update event": an update of only the attendees
 *       goes to the attendees that changed). The organizer's own properties (categories, reminder) send nothing;</li>
 *   <li>deleting a meeting the mailbox organises, or one occurrence of it, cancels it for the attendees (Graph always;
 *       EWS unless {@code SendMeetingCancellations="SendToNone"}); {@code /cancel} does the same with a comment;</li>
 *   <li>{@code /accept}, {@code /tentativelyAccept}, {@code /decline} answer the organizer unless
 *       {@code sendResponse=false}.</li>
 * </ul>
 * Attendee copies (the mailbox is not the organizer) send nothing when edited or deleted. The admin API, the test's
 * hand on the mailbox, sends nothing either.
 */
public final class MeetingOutbox {
    /** Properties that are the organizer's own: changing them in a meeting tells the attendees nothing. */
    private static final Set<String> PERSONAL = Set.of("categories", "isReminderOn", "reminderMinutesBeforeStart", "transactionId",
            "responseStatus");
    /** What the server keeps up to date by itself. */
    private static final Set<String> SERVER_OWNED = Set.of("id", "createdDateTime", "lastModifiedDateTime", "changeKey", "iCalUId",
            "type", "seriesMasterId", "originalStart", "bodyPreview", "webLink", "originalStartTimeZone", "originalEndTimeZone",
            "onlineMeeting", "onlineMeetingUrl");

    private final Clock clock;
    private final List<MeetingMessage> sent = new ArrayList<>();

    public MeetingOutbox(Clock clock) {
        this.clock = clock;
    }

    /** Every message so far, oldest first. */
    public synchronized List<MeetingMessage> messages() {
        return List.copyOf(sent);
    }

    public synchronized int count() {
        return sent.size();
    }

    public synchronized void clear() {
        sent.clear();
    }

    /** A new item in the mailbox's calendar: invitations when it is a meeting and sending is asked for. */
    public void created(String protocol, Mailbox mb, Event item, boolean send) {
        if (send && organizes(mb, item)) {
            send(MeetingMessage.Type.INVITATION, protocol, mb, attendees(mb, item), item, null, null);
        }
    }

    /**
     * An item or occurrence changed from {@code before} to {@code after}. {@code scope}: Graph always sends to every
     * attendee concerned ({@link Scope#CONCERNED}); EWS sends what {@code SendMeetingInvitationsOrCancellations} says.
     */
    public void updated(String protocol, Mailbox mb, Event before, Event after, Instant occurrence, Scope scope) {
        if (scope == Scope.NONE || !isOrganizerOf(before) && !isOrganizerOf(after)) {
            return;
        }
        List<String> was = attendees(mb, before);
        List<String> now = attendees(mb, after);
        List<String> added = minus(now, was);
        List<String> removed = minus(was, now);
        boolean meetingChanged = !meetingFields(before).equals(meetingFields(after));
        if (scope == Scope.ALL || meetingChanged) {
            send(MeetingMessage.Type.UPDATE, protocol, mb, scope == Scope.ALL ? now : minus(now, added), after, occurrence, null);
            send(MeetingMessage.Type.INVITATION, protocol, mb, scope == Scope.ALL ? List.of() : added, after, occurrence, null);
        } else {
            send(MeetingMessage.Type.INVITATION, protocol, mb, added, after, occurrence, null);
        }
        send(MeetingMessage.Type.CANCELLATION, protocol, mb, removed, before, occurrence, null);
    }

    /** A meeting (or one occurrence of it) deleted or cancelled by its organizer: a cancellation, if sending. */
    public void deleted(String protocol, Mailbox mb, Event item, Instant occurrence, boolean send, String comment) {
        if (send && organizes(mb, item)) {
            send(MeetingMessage.Type.CANCELLATION, protocol, mb, attendees(mb, item), item, occurrence, comment);
        }
    }

    /** An attendee's answer to the organizer. */
    public void responded(String protocol, Mailbox mb, Event item, Instant occurrence, MeetingMessage.Type answer, String comment) {
        if (item.organizer != null && item.organizer.emailAddress != null && item.organizer.emailAddress.address != null) {
            send(answer, protocol, mb, List.of(item.organizer.emailAddress.address), item, occurrence, comment);
        }
    }

    /** Who gets an update: everyone ({@code SendOnlyToAll}), the attendees concerned, or nobody ({@code SendToNone}). */
    public enum Scope {
        NONE, CONCERNED, ALL
    }

    /** The mailbox organises the item and it has attendees other than the mailbox: a meeting Exchange sends for. */
    public static boolean organizes(Mailbox mb, Event item) {
        return isOrganizerOf(item) && !attendees(mb, item).isEmpty();
    }

    private static boolean isOrganizerOf(Event item) {
        return !Boolean.FALSE.equals(item.isOrganizer);
    }

    private static List<String> attendees(Mailbox mb, Event item) {
        Set<String> out = new LinkedHashSet<>();
        for (Values.Attendee a : item.attendees == null ? List.<Values.Attendee>of() : item.attendees) {
            if (a.emailAddress != null && a.emailAddress.address != null && !a.emailAddress.address.equalsIgnoreCase(mb.owner.mail)) {
                out.add(a.emailAddress.address.toLowerCase(Locale.ROOT));
            }
        }
        return new ArrayList<>(out);
    }

    private static List<String> minus(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.removeAll(b);
        return out;
    }

    /** The event's JSON without the organizer's own and the server's properties, attendees by address only. */
    private static ObjectNode meetingFields(Event e) {
        ObjectNode n = Json.MAPPER.valueToTree(e);
        PERSONAL.forEach(n::remove);
        SERVER_OWNED.forEach(n::remove);
        n.remove("attendees");
        return n;
    }

    private synchronized void send(MeetingMessage.Type type, String protocol, Mailbox mb, List<String> to, Event item, Instant occurrence,
            String comment) {
        if (to.isEmpty()) {
            return;
        }
        String seriesId = item.seriesMasterId != null ? item.seriesMasterId : item.id;
        String eventId = occurrence != null ? ItemIds.occurrenceId(seriesId, occurrence) : item.id;
        sent.add(new MeetingMessage(type, protocol, mb.owner.mail, to, eventId, item.iCalUId, item.subject, occurrence, comment,
                clock.instant()));
    }
}
