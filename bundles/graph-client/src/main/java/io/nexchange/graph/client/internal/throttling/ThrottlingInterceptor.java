package io.nexchange.graph.client.internal.throttling;

import io.nexchange.api.throttle.Permit;
import io.nexchange.api.throttle.ThrottleKey;
import io.nexchange.api.throttle.ThrottlePolicy;
import io.nexchange.throttling.WeightedThrottlePolicy;
import io.nexchange.throttling.hints.GraphBatch;
import io.nexchange.throttling.hints.RetryAfter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;

/**
 * Acquires a permit for every request, reports throttling answers to it and releases it when the response
 * headers have arrived.
 *
 * <ul>
 *   <li>Key: the request's {@link ThrottleKey} tag ({@code builder.tag(ThrottleKey.class, key)}) if present, else
 *       this interceptor's registration and the mailbox in the path ({@code /users/{mailbox}/...}, lower-cased;
 *       {@code ""} for tenant-wide calls). Address users consistently (by SMTP address) or tag the requests.</li>
 *   <li>{@code $batch}: the body is read to charge each inner request to its mailbox (a weighted permit per
 *       mailbox, all or nothing). Inner 429/503 items pause their mailbox with the largest inner Retry-After.</li>
 *   <li>429, and 503/504 with Retry-After: the key is paused by the hint (fractional seconds and HTTP-dates are
 *       understood), or backs off exponentially without one. A 503 without hint also backs off.</li>
 *   <li>If no permit can be had within {@code maxWait}, the request is not sent: a local {@code 429} answers it,
 *       with {@code Retry-After} set to when the key admits again and {@value #LOCAL_HEADER}: {@code true}, so the
 *       caller (or the SDK's RetryHandler, placed outside this interceptor) retries later and the worker moves on.</li>
 * </ul>
 * Add it as an application interceptor inside the SDK's retry handler, so each retry passes through the policy.
 */
public final class ThrottlingInterceptor implements Interceptor {

    /** Marks a 429 made up locally instead of sending a request the policy did not admit. */
    public static final String LOCAL_HEADER = "X-Nexchange-Throttled-Locally";

    /** Batch responses larger than this are not inspected for inner 429s. */
    static final long MAX_BATCH_PEEK = 16L * 1024 * 1024;

    private final ThrottlePolicy policy;
    private final String registration;
    private final Duration maxWait;
    private final Clock clock;

    /**
     * @param policy the throttling policy (weighted if it supports it, for {@code $batch})
     * @param registration the app registration this client authenticates as
     * @param maxWait how long a request may wait for a permit before it is answered locally with 429
     */
    public ThrottlingInterceptor(ThrottlePolicy policy, String registration, Duration maxWait) {
        this(policy, registration, maxWait, Clock.systemUTC());
    }

    ThrottlingInterceptor(ThrottlePolicy policy, String registration, Duration maxWait, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.registration = Objects.requireNonNull(registration, "registration");
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        ThrottleKey tagged = request.tag(ThrottleKey.class);
        boolean batch = request.url().encodedPath().endsWith("/$batch") && request.body() != null;
        List<GraphBatch.Request> inner = batch ? innerRequests(request.body()) : List.of();
        // mailbox -> requests charged; sorted so that concurrent batches acquire in the same order
        Map<ThrottleKey, Integer> charges = new TreeMap<>((a, b) -> a.mailbox().compareTo(b.mailbox()));
        Map<String, ThrottleKey> keyOfInnerId = new HashMap<>();
        if (batch && !inner.isEmpty()) {
            for (GraphBatch.Request r : inner) {
                ThrottleKey key = tagged != null ? tagged : new ThrottleKey(registration, mailboxOf(r.url()));
                charges.merge(key, 1, Integer::sum);
                keyOfInnerId.put(r.id(), key);
            }
        } else {
            charges.put(tagged != null ? tagged : new ThrottleKey(registration, mailboxOf(request.url().encodedPath())), 1);
        }

        Map<ThrottleKey, Permit> permits = new HashMap<>();
        try {
            for (Map.Entry<ThrottleKey, Integer> charge : charges.entrySet()) {
                Optional<Permit> permit = acquire(charge.getKey(), charge.getValue());
                if (permit.isEmpty()) {
                    Duration delay = delay(charge.getKey(), charge.getValue());
                    releaseAll(permits);
                    return localThrottle(request, delay);
                }
                permits.put(charge.getKey(), permit.get());
            }
        } catch (InterruptedException e) {
            releaseAll(permits);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a throttling permit");
        }

        Response response;
        try {
            response = chain.proceed(request);
        } catch (IOException | RuntimeException e) {
            releaseAll(permits);
            throw e;
        }
        try {
            report(response, batch, permits, keyOfInnerId);
        } finally {
            releaseAll(permits);
        }
        return response;
    }

    private void report(Response response, boolean batch, Map<ThrottleKey, Permit> permits,
            Map<String, ThrottleKey> keyOfInnerId) {
        int code = response.code();
        Optional<Duration> hint = RetryAfter.parse(response.header("Retry-After"), clock.instant());
        if (code == 429 || code == 503 || code == 504 && hint.isPresent()) {
            permits.values().forEach(p -> p.throttled(hint.orElse(null)));
            return;
        }
        if (!batch || code / 100 != 2 || keyOfInnerId.isEmpty()) {
            return;
        }
        GraphBatch.Outcome outcome;
        try (ResponseBody peek = response.peekBody(MAX_BATCH_PEEK)) {
            outcome = GraphBatch.readResponse(peek.byteStream(), clock.instant());
        } catch (IOException | RuntimeException e) {
            // not our business to fail the call: the caller parses the body and sees the problem itself
            return;
        }
        if (!outcome.throttled()) {
            return;
        }
        Duration largest = outcome.retryAfter().orElse(null);
        outcome.throttledIds().stream().map(keyOfInnerId::get).filter(Objects::nonNull).distinct()
                .forEach(key -> permits.get(key).throttled(largest));
    }

    private Optional<Permit> acquire(ThrottleKey key, int requests) throws InterruptedException {
        if (requests > 1 && policy instanceof WeightedThrottlePolicy) {
            return ((WeightedThrottlePolicy) policy).acquire(key, requests, maxWait);
        }
        return policy.acquire(key, maxWait);
    }

    private Duration delay(ThrottleKey key, int requests) {
        if (requests > 1 && policy instanceof WeightedThrottlePolicy) {
            return ((WeightedThrottlePolicy) policy).delay(key, requests);
        }
        return policy.delay(key);
    }

    private static void releaseAll(Map<ThrottleKey, Permit> permits) {
        permits.values().forEach(Permit::close);
    }

    private static List<GraphBatch.Request> innerRequests(RequestBody body) {
        try {
            if (body.isOneShot()) {
                return List.of();
            }
            Buffer buffer = new Buffer();
            body.writeTo(buffer);
            return GraphBatch.readRequests(buffer.inputStream());
        } catch (IOException | RuntimeException e) {
            // unreadable: charge the envelope as one request to its own key
            return List.of();
        }
    }

    private static Response localThrottle(Request request, Duration delay) {
        long seconds = Math.max(1, (delay.toMillis() + 999) / 1000);
        String body = "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Not sent: the throttling policy"
                + " admits no request for this mailbox for " + seconds + " s.\"}}";
        return new Response.Builder()
                .request(request)
                .protocol(Protocol.HTTP_1_1)
                .code(429)
                .message("Too Many Requests (local)")
                .header("Retry-After", Long.toString(seconds))
                .header(LOCAL_HEADER, "true")
                .body(ResponseBody.create(body, MediaType.get("application/json")))
                .build();
    }

    /**
     * The mailbox a Graph path addresses: the segment after {@code users} (URL-decoded, lower-cased), or
     * {@code ""} for tenant-wide paths. Accepts absolute URLs and the relative URLs of {@code $batch} items.
     */
    public static String mailboxOf(String pathOrUrl) {
        if (pathOrUrl == null) {
            return "";
        }
        String path = pathOrUrl;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        String[] segments = path.split("/");
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            String id = null;
            if (segment.equalsIgnoreCase("users") && i + 1 < segments.length && !segments[i + 1].isEmpty()) {
                id = segments[i + 1];
            } else if (segment.regionMatches(true, 0, "users(", 0, 6) && segment.endsWith(")")) {
                // key syntax: /users('a@b.com') is the same user as /users/a@b.com
                id = segment.substring(6, segment.length() - 1);
            }
            if (id != null) {
                id = URLDecoder.decode(id, StandardCharsets.UTF_8);
                if (id.length() >= 2 && id.startsWith("'") && id.endsWith("'")) {
                    id = id.substring(1, id.length() - 1);
                }
                return id.toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }
}
