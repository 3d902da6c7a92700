package io.nexchange.graph.calendar.internal.store;

import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.events.item.EventItemRequestBuilder;
import com.microsoft.kiota.RequestInformation;
import io.nexchange.graph.client.GraphBatchReader;
import java.io.IOException;

/**
 * Reads events by id for {@link GraphBatchReader}: series masters with their exceptions and cancelled occurrences,
 * single events, or only id and changeKey to see which masters changed.
 */
final class EventRead implements GraphBatchReader.Read<Event> {

    /**
     * Every property the mapping reads, plus what makes the series whole, plus the {@code transactionId} that marks an
     * event the engine created ({@code Change.creationMark}).
     */
    static final String[] SELECT = {"id", "iCalUId", "changeKey", "type", "subject", "body", "start", "end",
        "originalStartTimeZone", "originalEndTimeZone", "isAllDay", "recurrence", "location", "locations", "organizer",
        "attendees", "sensitivity", "showAs", "importance", "categories", "isReminderOn", "reminderMinutesBeforeStart",
        "isCancelled", "createdDateTime", "lastModifiedDateTime", "responseStatus", "seriesMasterId", "originalStart",
        "cancelledOccurrences", "isOnlineMeeting", "onlineMeetingProvider", "onlineMeeting", "onlineMeetingUrl", "transactionId"};

    private final GraphServiceClient graph;
    private final String mailbox;
    private final boolean full;

    /** @param full whole events ({@link #SELECT} + exceptionOccurrences) or only id and changeKey */
    EventRead(GraphServiceClient graph, String mailbox, boolean full) {
        this.graph = graph;
        this.mailbox = mailbox;
        this.full = full;
    }

    @Override
    public String item() {
        return "event";
    }

    private EventItemRequestBuilder event(String id) {
        return graph.users().byUserId(mailbox).events().byEventId(id);
    }

    @Override
    public RequestInformation request(String id) {
        return event(id).toGetRequestInformation(c -> configure(c.queryParameters));
    }

    @Override
    public Event sendOne(String id) {
        return event(id).get(c -> configure(c.queryParameters));
    }

    @Override
    public Event body(BatchResponseContent response, String stepId) throws IOException {
        return response.getResponseById(stepId, Event::createFromDiscriminatorValue);
    }

    private void configure(EventItemRequestBuilder.GetQueryParameters q) {
        if (full) {
            q.select = SELECT;
            q.expand = new String[] {"exceptionOccurrences"};
        } else {
            q.select = new String[] {"id", "changeKey"};
        }
    }
}
