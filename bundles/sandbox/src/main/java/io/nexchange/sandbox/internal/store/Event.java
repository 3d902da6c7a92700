package io.nexchange.sandbox.internal.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.nexchange.sandbox.internal.store.Values.Attendee;
import io.nexchange.sandbox.internal.store.Values.DateTimeTimeZone;
import io.nexchange.sandbox.internal.store.Values.ItemBody;
import io.nexchange.sandbox.internal.store.Values.Location;
import io.nexchange.sandbox.internal.store.Values.PatternedRecurrence;
import io.nexchange.sandbox.internal.store.Values.Recipient;
import io.nexchange.sandbox.internal.store.Values.ResponseStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A calendar item as Graph shows it (public fields named and ordered like Graph's JSON). Start and end
 * keep the time zone they were written in; rendering converts them. A series master also holds its
 * exceptions and cancelled occurrences (keyed by original start), which is how Exchange stores them
 * too (inside the master item), so Graph and a later EWS view read the same data.
 */
@JsonPropertyOrder({"id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "transactionId",
        "originalStartTimeZone", "originalEndTimeZone", "iCalUId", "reminderMinutesBeforeStart", "isReminderOn",
        "hasAttachments", "subject", "bodyPreview", "importance", "sensitivity", "isAllDay", "isCancelled",
        "isOrganizer", "responseRequested", "seriesMasterId", "showAs", "type", "webLink", "onlineMeetingUrl",
        "isOnlineMeeting", "onlineMeetingProvider", "allowNewTimeProposals", "isDraft", "hideAttendees",
        "originalStart", "responseStatus", "body", "start", "end", "location", "locations", "recurrence",
        "attendees", "organizer", "onlineMeeting"})
public final class Event {
    public String id;
    public String createdDateTime;
    public String lastModifiedDateTime;
    public String changeKey;
    public List<String> categories = new ArrayList<>();
    public String transactionId;
    public String originalStartTimeZone;
    public String originalEndTimeZone;
    public String iCalUId;
    public Integer reminderMinutesBeforeStart = 15;
    public Boolean isReminderOn = Boolean.TRUE;
    public Boolean hasAttachments = Boolean.FALSE;
    public String subject = "";
    /**
     * What EWS shows as the subject when it is made to differ from Graph's (SandboxServer.setEwsSubject), for tests of
     * the shadow comparison; null: the same subject on both. Not part of the Graph resource.
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String ewsSubject;
    public String bodyPreview = "";
    public String importance = "normal";
    public String sensitivity = "normal";
    public Boolean isAllDay = Boolean.FALSE;
    public Boolean isCancelled = Boolean.FALSE;
    public Boolean isOrganizer = Boolean.TRUE;
    public Boolean responseRequested = Boolean.TRUE;
    public String seriesMasterId;
    public String showAs = "busy";
    public String type = "singleInstance";
    public String webLink;
    public String onlineMeetingUrl;
    public Boolean isOnlineMeeting = Boolean.FALSE;
    public String onlineMeetingProvider = "unknown";
    public Boolean allowNewTimeProposals = Boolean.TRUE;
    public Boolean isDraft = Boolean.FALSE;
    public Boolean hideAttendees = Boolean.FALSE;
    /** Only occurrences and exceptions carry it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String originalStart;
    public ResponseStatus responseStatus = new ResponseStatus("organizer", "0001-01-01T00:00:00Z");
    public ItemBody body = new ItemBody();
    public DateTimeTimeZone start;
    public DateTimeTimeZone end;
    public Location location = new Location();
    public List<Location> locations = new ArrayList<>();
    public PatternedRecurrence recurrence;
    public List<Attendee> attendees = new ArrayList<>();
    public Recipient organizer;
    public Object onlineMeeting;

    /**
     * Graph JSON served over this event's rendering as it is (admin {@code …/events/{id}/malform}): a half-filled or
     * malformed event as real Graph can send one ({@code start.dateTime} that is no date, a {@code null} start). The
     * model itself (windows, recurrence, EWS) keeps the well-formed values. Null: served as it is.
     */
    @JsonIgnore
    public com.fasterxml.jackson.databind.node.ObjectNode graphOverride;

    /** The calendar folder holding the item. */
    @JsonIgnore
    public String calendarId;
    /** Modified occurrences of a series master, by original start. */
    @JsonIgnore
    public final TreeMap<Instant, Event> exceptions = new TreeMap<>();
    /** Deleted occurrences of a series master, by original start. */
    @JsonIgnore
    public final Set<Instant> cancelledOccurrences = new TreeSet<>();

    private static final java.lang.reflect.Field[] COPIED = java.util.Arrays.stream(Event.class.getFields())
            .filter(f -> !java.lang.reflect.Modifier.isFinal(f.getModifiers()) && !java.lang.reflect.Modifier.isStatic(f.getModifiers()))
            .toArray(java.lang.reflect.Field[]::new);

    /**
     * A copy sharing nested values: for read-only views (occurrences, answers), which only ever
     * assign fields. Anything that is then edited must be deep-copied instead.
     */
    public Event shallowCopy() {
        Event copy = new Event();
        try {
            for (java.lang.reflect.Field f : COPIED) {
                f.set(copy, f.get(this));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return copy;
    }

    @JsonIgnore
    public boolean isSeriesMaster() {
        return "seriesMaster".equals(type);
    }
}
