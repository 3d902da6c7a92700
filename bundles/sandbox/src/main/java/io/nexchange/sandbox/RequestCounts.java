package io.nexchange.sandbox;

import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of the sandbox's request counters: by endpoint (e.g. "GET /users/{id}/calendarView/delta"),
 * by mailbox (UPN), by app (client id) and by HTTP status, plus throttled (429) answers by mailbox.
 */
public record RequestCounts(Map<String, Long> byEndpoint, Map<String, Long> byMailbox, Map<String, Long> byApp,
        Map<String, Long> byStatus, Map<String, Long> throttledByMailbox) {
    public RequestCounts {
        byEndpoint = Map.copyOf(new TreeMap<>(byEndpoint));
        byMailbox = Map.copyOf(byMailbox);
        byApp = Map.copyOf(byApp);
        byStatus = Map.copyOf(byStatus);
        throttledByMailbox = Map.copyOf(throttledByMailbox);
    }

    public long endpoint(String key) {
        return byEndpoint.getOrDefault(key, 0L);
    }

    public long mailbox(String upn) {
        return byMailbox.getOrDefault(upn.toLowerCase(java.util.Locale.ROOT), 0L);
    }

    public long app(String clientId) {
        return byApp.getOrDefault(clientId, 0L);
    }

    public long total() {
        return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }
}
