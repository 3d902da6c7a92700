package io.nexchange.sandbox.internal.http;

import io.nexchange.sandbox.RequestCounts;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Request counters by endpoint template, mailbox, app and status. */
public final class Counters {
    private final Map<String, LongAdder> endpoint = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> mailbox = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> app = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> status = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> throttled = new ConcurrentHashMap<>();

    public void record(String endpointKey, String mailboxUpn, String appId, int httpStatus) {
        if (endpointKey != null) {
            endpoint.computeIfAbsent(endpointKey, k -> new LongAdder()).increment();
        }
        if (mailboxUpn != null) {
            String m = mailboxUpn.toLowerCase(Locale.ROOT);
            mailbox.computeIfAbsent(m, k -> new LongAdder()).increment();
            if (httpStatus == 429) {
                throttled.computeIfAbsent(m, k -> new LongAdder()).increment();
            }
        }
        if (appId != null) {
            app.computeIfAbsent(appId, k -> new LongAdder()).increment();
        }
        status.computeIfAbsent(Integer.toString(httpStatus), k -> new LongAdder()).increment();
    }

    public RequestCounts snapshot() {
        return new RequestCounts(copy(endpoint), copy(mailbox), copy(app), copy(status), copy(throttled));
    }

    public void reset() {
        endpoint.clear();
        mailbox.clear();
        app.clear();
        status.clear();
        throttled.clear();
    }

    private static Map<String, Long> copy(Map<String, LongAdder> m) {
        Map<String, Long> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
