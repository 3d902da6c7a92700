package io.nexchange.graph.client;

import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestInformation;
import io.nexchange.api.source.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reads items of one mailbox by id, up to {@value #BATCH_LIMIT} per {@code $batch} (a single id is sent without
 * envelope). An inner 429/503/504 is read again in the next round, up to {@link GraphCall#MAX_ATTEMPTS} rounds:
 * the throttling interceptor has paused the mailbox by the largest inner Retry-After, so the next batch waits for
 * its permit. Not thread-safe (it counts requests): one reader per source.
 *
 * @since 1.2
 */
public final class GraphBatchReader {

    /** Graph's limit of requests in one $batch. */
    public static final int BATCH_LIMIT = 20;

    /** One kind of read by id: its request, sent alone or as a step of a $batch. */
    @ConsumerType
    public interface Read<T> {

        /** What one id names, for messages: "event", "photo of contact". */
        String item();

        /** The GET of one id, as a $batch step. */
        RequestInformation request(String id);

        /** The same GET sent alone (SDK exceptions propagate); null: nothing there. */
        T sendOne(String id);

        /** The body of a step answered 200; null: nothing there. */
        T body(BatchResponseContent response, String stepId) throws IOException;
    }

    private final GraphServiceClient graph;
    private final GraphCall call;
    private int requests;

    public GraphBatchReader(GraphServiceClient graph, GraphCall call) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.call = Objects.requireNonNull(call, "call");
    }

    /**
     * The items with these ids, in the order given: present (200) or absent (404, or no body) each. Other failures
     * throw, naming the item and, for 403, the permission to grant.
     */
    public <T> Map<String, Optional<T>> read(Collection<String> ids, Read<T> read) throws StoreException {
        Map<String, Optional<T>> out = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>(new LinkedHashSet<>(ids));
        for (int round = 1; !pending.isEmpty(); round++) {
            List<String> retry = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += BATCH_LIMIT) {
                List<String> chunk = pending.subList(from, Math.min(pending.size(), from + BATCH_LIMIT));
                if (chunk.size() == 1) {
                    String id = chunk.get(0);
                    requests++;
                    out.put(id, call.runIfPresent("read " + read.item() + " " + id, () -> read.sendOne(id)));
                } else {
                    readBatch(chunk, read, out, retry, round);
                }
            }
            pending = retry;
        }
        return out;
    }

    private <T> void readBatch(List<String> chunk, Read<T> read, Map<String, Optional<T>> out, List<String> retry, int round)
            throws StoreException {
        BatchRequestContent batch = new BatchRequestContent(graph);
        Map<String, String> idOfStep = new LinkedHashMap<>();
        for (String id : chunk) {
            idOfStep.put(batch.addBatchRequestStep(read.request(id)), id);
        }
        requests++;
        BatchResponseContent response = call.run("read " + chunk.size() + " of " + read.item() + " in a $batch", () -> {
            try {
                return graph.getBatchRequestBuilder().post(batch, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Map<String, Integer> status = response.getResponsesStatusCode();
        for (Map.Entry<String, String> step : idOfStep.entrySet()) {
            int code = status.getOrDefault(step.getKey(), 0);
            String id = step.getValue();
            if (code == 200) {
                try {
                    out.put(id, Optional.ofNullable(read.body(response, step.getKey())));
                } catch (IOException e) {
                    throw new StoreException("Could not read " + read.item() + " " + id + " of " + call.mailbox()
                            + " from a $batch answer: " + e.getMessage(), true, e);
                }
            } else if (code == 404) {
                out.put(id, Optional.empty());
            } else if ((code == 429 || code == 503 || code == 504) && round < GraphCall.MAX_ATTEMPTS) {
                retry.add(id);
            } else {
                throw new StoreException("Could not read " + read.item() + " " + id + " of " + call.mailbox() + ": Graph answered "
                        + code + " inside a $batch" + (code == 403 ? "; in Microsoft Entra ID add the application permission "
                        + call.permission() + " and grant admin consent" : ""), code == 0 || code >= 429, null);
            }
        }
    }

    /** Requests sent so far (a $batch counts once). */
    public int requests() {
        return requests;
    }
}
