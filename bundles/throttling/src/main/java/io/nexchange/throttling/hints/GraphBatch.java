package io.nexchange.throttling.hints;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Graph JSON batching ({@code POST /$batch}) as the throttling policy sees it. The envelope is one HTTP
 * request, but Outlook counts each inner request against its mailbox, and inner items can be throttled on
 * their own ({@code status: 429} with a {@code Retry-After} in the item's headers) while the envelope is 200.
 * The SDKs do not retry those; the caller retries them after the <em>largest</em> inner hint.
 *
 * <p>Streaming parse (jackson-core): bodies of items are skipped, not materialised.
 */
public final class GraphBatch {

    private static final JsonFactory JSON = new JsonFactory();

    private GraphBatch() {
    }

    /**
     * One inner response as far as throttling is concerned.
     *
     * @param id the request id the caller chose
     * @param status the inner HTTP status
     * @param headers the inner headers (names as sent)
     */
    public record Item(String id, int status, Map<String, String> headers) {
        public Item {
            headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        /** The inner {@code Retry-After} value (header names are case-insensitive), or {@code null}. */
        public String retryAfter() {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase("Retry-After")) {
                    return e.getValue();
                }
            }
            return null;
        }

        /** 429, or 503 (which Graph also answers with Retry-After when an inner workload is busy). */
        public boolean throttled() {
            return status == 429 || status == 503;
        }
    }

    /**
     * The throttling outcome of a batch response.
     *
     * @param items number of inner responses
     * @param throttledIds ids of inner requests answered 429/503, to be sent again
     * @param retryAfter the largest inner hint; empty if no throttled item carried a usable one
     */
    public record Outcome(int items, List<String> throttledIds, Optional<Duration> retryAfter) {
        public Outcome {
            throttledIds = List.copyOf(throttledIds);
        }

        public boolean throttled() {
            return !throttledIds.isEmpty();
        }
    }

    /** Evaluates inner responses a client library has already parsed (e.g. the SDK's BatchResponseContent). */
    public static Outcome outcome(Iterable<Item> items, Instant now) {
        int count = 0;
        List<String> throttled = new ArrayList<>();
        Duration largest = null;
        for (Item item : items) {
            count++;
            if (!item.throttled()) {
                continue;
            }
            throttled.add(item.id());
            Optional<Duration> hint = RetryAfter.parse(item.retryAfter(), now);
            if (hint.isPresent() && (largest == null || hint.get().compareTo(largest) > 0)) {
                largest = hint.get();
            }
        }
        return new Outcome(count, throttled, Optional.ofNullable(largest));
    }

    /**
     * Reads a {@code $batch} response body ({@code {"responses":[{"id","status","headers","body"}]}}).
     *
     * @throws IOException if the body is not JSON
     */
    public static Outcome readResponse(InputStream body, Instant now) throws IOException {
        List<Item> items = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a $batch response is a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("responses".equals(field) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        items.add(readItem(p));
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return outcome(items, now);
    }

    /**
     * One inner request of a {@code $batch} request body.
     *
     * @param id the caller's request id
     * @param url the relative URL, e.g. {@code /users/a@example.com/events}; empty if missing
     */
    public record Request(String id, String url) {
    }

    /**
     * Reads the inner requests of a {@code $batch} request body ({@code {"requests":[{"id","method","url"}]}}),
     * so that each can be charged to its mailbox.
     *
     * @throws IOException if the body is not JSON
     */
    public static List<Request> readRequests(InputStream body) throws IOException {
        List<Request> requests = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a $batch request is a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("requests".equals(field) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        String id = null;
                        String url = null;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String name = p.currentName();
                            JsonToken t = p.nextToken();
                            if ("url".equals(name) && t == JsonToken.VALUE_STRING) {
                                url = p.getText();
                            } else if ("id".equals(name) && t.isScalarValue()) {
                                id = p.getValueAsString();
                            } else {
                                p.skipChildren();
                            }
                        }
                        requests.add(new Request(id, url == null ? "" : url));
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return requests;
    }

    private static Item readItem(JsonParser p) throws IOException {
        String id = null;
        int status = 0;
        Map<String, String> headers = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName().toLowerCase(Locale.ROOT);
            JsonToken t = p.nextToken();
            switch (name) {
                case "id":
                    id = p.getValueAsString();
                    break;
                case "status":
                    status = p.getValueAsInt();
                    break;
                case "headers":
                    if (t == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String header = p.currentName();
                            JsonToken hv = p.nextToken();
                            if (hv.isScalarValue()) {
                                headers.put(header, p.getValueAsString());
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                    break;
                default:
                    p.skipChildren();
            }
        }
        return new Item(id, status, headers);
    }
}
