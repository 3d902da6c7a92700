package io.nexchange.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A meeting message Exchange would have sent because of a Graph or EWS write: an invitation, an update, a
 * cancellation or an attendee's response. The sandbox sends no mail; it records what would have gone out
 * ({@link SandboxServer#meetingMessages()}, {@code GET /_sandbox/meeting-messages}).
 *
 * @param type what kind of message
 * @param protocol {@code graph} or {@code ews}: the write that caused it
 * @param mailbox the mailbox that was written (the sender)
 * @param to the recipients' addresses (attendees for requests, updates and cancellations; the organizer for responses)
 * @param eventId the Graph id of the event (an occurrence id when only one occurrence is concerned)
 * @param iCalUId the series' or event's iCalUId
 * @param subject the event's subject
 * @param occurrence the original start of the one occurrence concerned, or null for the whole event
 * @param comment the text sent along (cancel, accept, decline), or null
 * @param sentAt when
 */
public record MeetingMessage(Type type, String protocol, String mailbox, List<String> to, String eventId, String iCalUId, String subject,
        Instant occurrence, String comment, Instant sentAt) {

    /** The kinds of meeting message. */
    public enum Type {
        INVITATION, UPDATE, CANCELLATION, ACCEPTED, TENTATIVELY_ACCEPTED, DECLINED
    }

    public MeetingMessage {
        Objects.requireNonNull(type, "type");
        to = List.copyOf(to);
    }
}
