package io.nexchange.graph.calendar.internal.store;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestInformation;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.client.GraphCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads series masters (with their exceptions and cancelled occurrences) and single events by id, up to 20 per
 * {@code $batch}. Inner 429s are retried in the next batch; the throttling interceptor has paused the mailbox by
 * the largest inner Retry-After, so the next batch waits for its permit.
 */
final class SeriesReader {

    /** Graph's limit of requests in one $batch. */
    static final int BATCH_LIMIT = 20;

    /** Every property the mapping reads, plus what makes the series whole. */
    static final String[] SELECT = {"id", "iCalUId", "changeKey", "type", "subject", "body", "start", "end",
        "originalStartTimeZone", "originalEndTimeZone", "isAllDay", "recurrence", "location", "locations", "organizer",
        "attendees", "sensitivity", "showAs", "importance", "categories", "isReminderOn", "reminderMinutesBeforeStart",
        "isCancelled", "createdDateTime", "lastModifiedDateTime", "responseStatus", "seriesMasterId", "originalStart",
        "cancelledOccurrences", "isOnlineMeeting", "onlineMeetingProvider", "onlineMeeting", "onlineMeetingUrl"};

    private final GraphServiceClient graph;
    private final String mailbox;
    private final GraphCall call;
    private int requests;

    SeriesReader(GraphServiceClient graph, String mailbox, GraphCall call) {
        this.graph = graph;
        this.mailbox = mailbox;
        this.call = call;
    }

    /**
     * The events with these ids, complete: present (200) or absent (404) each. Other failures throw.
     *
     * @param full whole events ({@link #SELECT} + exceptionOccurrences) or only id and changeKey
     */
    Map<String, Optional<Event>> read(Set<String> ids, boolean full) throws StoreException {
        Map<String, Optional<Event>> out = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>(new LinkedHashSet<>(ids));
        for (int round = 1; !pending.isEmpty(); round++) {
            List<String> retry = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += BATCH_LIMIT) {
                List<String> chunk = pending.subList(from, Math.min(pending.size(), from + BATCH_LIMIT));
                readChunk(chunk, full, out, retry, round);
            }
            pending = retry;
        }
        return out;
    }

    private void readChunk(List<String> chunk, boolean full, Map<String, Optional<Event>> out, List<String> retry, int round)
            throws StoreException {
        if (chunk.size() == 1) {
            // one request needs no envelope
            String id = chunk.get(0);
            try {
                requests++;
                out.put(id, Optional.of(call.run("read an event", () -> graph.users().byUserId(mailbox).events().byEventId(id)
                        .get(c -> configure(c.queryParameters, full)))));
            } catch (StoreException e) {
                if (GraphCall.status(e.getCause()) == 404) {
                    out.put(id, Optional.empty());
                } else {
                    throw e;
                }
            }
            return;
        }
        BatchRequestContent batch = new BatchRequestContent(graph);
        Map<String, String> idOfStep = new LinkedHashMap<>();
        for (String id : chunk) {
            RequestInformation info = graph.users().byUserId(mailbox).events().byEventId(id)
                    .toGetRequestInformation(c -> configure(c.queryParameters, full));
            idOfStep.put(batch.addBatchRequestStep(info), id);
        }
        requests++;
        BatchResponseContent response = call.run("read series masters", () -> {
            try {
                return graph.getBatchRequestBuilder().post(batch, null);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Map<String, Integer> status = response.getResponsesStatusCode();
        for (Map.Entry<String, String> step : idOfStep.entrySet()) {
            int code = status.getOrDefault(step.getKey(), 0);
            String id = step.getValue();
            if (code == 200) {
                out.put(id, Optional.of(response.getResponseById(step.getKey(), Event::createFromDiscriminatorValue)));
            } else if (code == 404) {
                out.put(id, Optional.empty());
            } else if ((code == 429 || code == 503 || code == 504) && round < GraphCall.MAX_ATTEMPTS) {
                retry.add(id);
            } else {
                throw new StoreException("Could not read event " + id + " of " + mailbox + ": Graph answered " + code
                        + " inside a $batch" + (code == 403 ? "; in Microsoft Entra ID add the application permission"
                        + " Calendars.ReadWrite and grant admin consent" : ""), code == 0 || code >= 429, null);
            }
        }
    }

    private static void configure(com.microsoft.graph.users.item.events.item.EventItemRequestBuilder.GetQueryParameters q, boolean full) {
        if (full) {
            q.select = SELECT;
            q.expand = new String[] {"exceptionOccurrences"};
        } else {
            q.select = new String[] {"id", "changeKey"};
        }
    }

    /** Requests sent so far (a $batch counts once). */
    int requests() {
        return requests;
    }
}
