package io.nexchange.throttling.hints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GraphBatchTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static InputStream json(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void largestInnerRetryAfterAmongThrottledItems() throws IOException {
        String body = "{\"responses\":["
                + "{\"id\":\"1\",\"status\":200,\"headers\":{\"Retry-After\":\"99\"},\"body\":{\"value\":[{\"id\":\"x\"}]}},"
                + "{\"id\":\"2\",\"status\":429,\"headers\":{\"Retry-After\":\"2.5\",\"Content-Type\":\"application/json\"},"
                + "\"body\":{\"error\":{\"code\":\"TooManyRequests\"}}},"
                + "{\"id\":\"3\",\"status\":429,\"headers\":{\"retry-after\":\"7\"}},"
                + "{\"id\":\"4\",\"status\":429},"
                + "{\"id\":\"5\",\"status\":424,\"body\":{\"error\":{\"code\":\"FailedDependency\"}}}"
                + "],\"@odata.nextLink\":null}";
        GraphBatch.Outcome o = GraphBatch.readResponse(json(body), NOW);
        assertEquals(5, o.items());
        assertTrue(o.throttled());
        assertEquals(List.of("2", "3", "4"), o.throttledIds());
        // 99 s belongs to a successful item and must not count
        assertEquals(Optional.of(Duration.ofSeconds(7)), o.retryAfter());
    }

    @Test
    void throttledItemsWithoutHint() throws IOException {
        GraphBatch.Outcome o = GraphBatch.readResponse(json("{\"responses\":[{\"id\":\"a\",\"status\":503,\"headers\":{}}]}"), NOW);
        assertEquals(List.of("a"), o.throttledIds());
        assertEquals(Optional.empty(), o.retryAfter());
    }

    @Test
    void nothingThrottled() throws IOException {
        GraphBatch.Outcome o = GraphBatch.readResponse(json("{\"responses\":[{\"id\":\"1\",\"status\":201}]}"), NOW);
        assertFalse(o.throttled());
        assertEquals(1, o.items());
    }

    @Test
    void parsedItemsFromTheSdk() {
        GraphBatch.Outcome o = GraphBatch.outcome(List.of(
                new GraphBatch.Item("1", 429, Map.of("Retry-After", "Sun, 01 Mar 2026 12:00:30 GMT")),
                new GraphBatch.Item("2", 429, Map.of("Retry-After", "3"))), NOW);
        assertEquals(Optional.of(Duration.ofSeconds(30)), o.retryAfter());
    }

    @Test
    void notJsonFails() {
        assertThrows(IOException.class, () -> GraphBatch.readResponse(json("<html>"), NOW));
        assertThrows(IOException.class, () -> GraphBatch.readResponse(json("[1]"), NOW));
    }

    @Test
    void innerRequestUrls() throws IOException {
        String body = "{\"requests\":[{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/a@x.org/events\"},"
                + "{\"id\":\"2\",\"method\":\"PATCH\",\"url\":\"/users/b@x.org/contacts/9\",\"headers\":{\"Content-Type\":\"application/json\"},"
                + "\"body\":{\"givenName\":\"B\"},\"dependsOn\":[\"1\"]}]}";
        assertEquals(List.of(new GraphBatch.Request("1", "/users/a@x.org/events"),
                new GraphBatch.Request("2", "/users/b@x.org/contacts/9")), GraphBatch.readRequests(json(body)));
    }
}
