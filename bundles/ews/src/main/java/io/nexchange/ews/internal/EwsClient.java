package io.nexchange.ews.internal;

import io.nexchange.api.source.StoreException;
import io.nexchange.api.throttle.Permit;
import io.nexchange.api.throttle.ThrottleKey;
import io.nexchange.api.throttle.ThrottlePolicy;
import io.nexchange.ews.internal.soap.SafeXmlReader;
import io.nexchange.ews.internal.soap.SoapRequest;
import io.nexchange.ews.internal.soap.XmlElement;
import io.nexchange.throttling.hints.EwsBackOff;
import io.nexchange.throttling.hints.RetryAfter;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends EWS requests for one mailbox: authentication, {@code X-AnchorMailbox}, a throttling permit per request
 * (key: registration + mailbox), and the answers EWS gives when it is overloaded, retried through the policy:
 * <ul>
 *   <li>{@code ErrorServerBusy} (SOAP fault on HTTP 500, or a response message on 200) with its
 *       {@code BackOffMilliseconds} hint, and {@code ErrorExceededConnectionCount} (no hint: the policy backs off);</li>
 *   <li>HTTP 503 (the IIS queue is full), with {@code Retry-After} when given.</li>
 * </ul>
 * A throttled request is tried again up to {@value #MAX_ATTEMPTS} times; the next attempt waits for its permit,
 * which the policy paused by the server's hint. Nothing here sleeps on its own.
 */
final class EwsClient {
    static final int MAX_ATTEMPTS = 4;

    private final HttpClient http;
    private final ThrottlePolicy policy;
    private final EwsSettings settings;
    private final SafeXmlReader xml;
    private final AtomicLong requests = new AtomicLong();

    EwsClient(HttpClient http, ThrottlePolicy policy, EwsSettings settings) {
        this.http = http;
        this.policy = policy;
        this.settings = settings;
        this.xml = new SafeXmlReader(settings.maxElements());
    }

    /** Requests sent so far (every attempt counts). */
    long requests() {
        return requests.get();
    }

    /**
     * Sends one request and returns the response messages of the operation (the children of
     * {@code ResponseMessages}), each still to be checked by the caller (per-item errors such as ErrorItemNotFound
     * are answers, not failures).
     */
    List<XmlElement> call(EwsCredentials credentials, String mailbox, String operation, SoapRequest request) throws StoreException {
        return call(credentials, mailbox, operation, request.finish());
    }

    /** As above, with the request's bytes (so that a request can be sent again with other credentials). */
    List<XmlElement> call(EwsCredentials credentials, String mailbox, String operation, byte[] body) throws StoreException {
        ThrottleKey key = new ThrottleKey(credentials.registration(), mailbox);
        for (int attempt = 1; ; attempt++) {
            Optional<Permit> permit;
            try {
                permit = policy.acquire(key, settings.throttleMaxWait());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("Interrupted while waiting to call EWS for " + mailbox, true, e);
            }
            if (permit.isEmpty()) {
                throw new StoreException("EWS calls for " + mailbox + " are paused by the throttling policy (registration '"
                        + credentials.registration() + "'); tried again later", true);
            }
            try (Permit held = permit.get()) {
                Answer answer = send(credentials, mailbox, operation, body);
                Optional<Duration> throttled = throttling(answer);
                if (throttled != null) {
                    held.throttled(throttled.orElse(null));
                    if (attempt < MAX_ATTEMPTS) {
                        continue;
                    }
                    throw new StoreException("EWS kept throttling " + operation + " for " + mailbox + " (" + answer.describe()
                            + ") after " + MAX_ATTEMPTS + " attempts; tried again later", true);
                }
                return messages(credentials, mailbox, operation, answer);
            }
        }
    }

    /** The server's throttling hint: null if the answer is not a throttling answer, empty if it gave no hint. */
    private static Optional<Duration> throttling(Answer answer) {
        if (answer.status == 503) {
            return Optional.ofNullable(answer.retryAfter).flatMap(RetryAfter::parse);
        }
        if ((answer.status == 200 || answer.status == 500) && mentionsThrottling(answer.body)) {
            EwsBackOff.Signal signal = EwsBackOff.read(new java.io.ByteArrayInputStream(answer.body));
            if (signal.throttled()) {
                return signal.hint();
            }
        }
        return null;
    }

    private static final byte[][] THROTTLING_CODES = EwsBackOff.THROTTLING_CODES.stream()
            .map(c -> c.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).toArray(byte[][]::new);

    /** A cheap scan before a second parse: most answers carry no throttling code. */
    static boolean mentionsThrottling(byte[] body) {
        for (byte[] code : THROTTLING_CODES) {
            outer:
            for (int i = 0; i + code.length <= body.length; i++) {
                for (int j = 0; j < code.length; j++) {
                    if (body[i + j] != code[j]) {
                        continue outer;
                    }
                }
                return true;
            }
        }
        return false;
    }

    private record Answer(int status, byte[] body, String retryAfter) {
        String describe() {
            return "HTTP " + status;
        }
    }

    private Answer send(EwsCredentials credentials, String mailbox, String operation, byte[] body) throws StoreException {
        HttpRequest.Builder request = HttpRequest.newBuilder(credentials.endpoint())
                .timeout(settings.readTimeout())
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("Accept", "text/xml")
                .header("Authorization", credentials.authorization())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (credentials.oauth()) {
            // Exchange Online routes an impersonating app-only request by this header; it is mandatory
            request.header("X-AnchorMailbox", mailbox);
        }
        requests.incrementAndGet();
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] bytes;
            try (InputStream in = response.body()) {
                bytes = in.readNBytes(settings.maxResponseBytes() + 1);
            }
            if (bytes.length > settings.maxResponseBytes()) {
                throw new StoreException("EWS answered " + operation + " for " + mailbox + " with more than "
                        + settings.maxResponseBytes() + " bytes (maxResponseBytes of io.nexchange.ews); lower pageSize or "
                        + "getItemBatch, or raise the limit", false);
            }
            return new Answer(response.statusCode(), bytes, response.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
            throw new StoreException("EWS at " + credentials.endpoint() + " could not be reached for " + mailbox + " ("
                    + operation + "): " + e, true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while calling EWS for " + mailbox, true, e);
        }
    }

    private List<XmlElement> messages(EwsCredentials credentials, String mailbox, String operation, Answer answer)
            throws StoreException {
        if (answer.status == 401) {
            throw EwsErrors.unauthorized(credentials, mailbox);
        }
        if (answer.status == 403) {
            throw EwsErrors.blocked(credentials, mailbox, null);
        }
        if (answer.status != 200 && answer.status != 500) {
            throw new StoreException("EWS answered " + operation + " for " + mailbox + " with HTTP " + answer.status, answer.status >= 500,
                    null);
        }
        XmlElement envelope;
        try {
            envelope = xml.read(answer.body);
        } catch (SafeXmlReader.XmlException e) {
            throw new StoreException("EWS's answer to " + operation + " for " + mailbox + " was refused: " + e.getMessage(), true, e);
        }
        XmlElement soapBody = envelope.child("Body").orElseThrow(() -> new StoreException("EWS's answer to " + operation + " for "
                + mailbox + " has no SOAP Body", true));
        Optional<XmlElement> fault = soapBody.child("Fault");
        if (fault.isPresent()) {
            String code = fault.get().find("ResponseCode").map(XmlElement::text)
                    .orElseGet(() -> localPart(fault.get().childText("faultcode")));
            String text = fault.get().childText("faultstring");
            throw EwsErrors.fault(credentials, mailbox, operation, code, text);
        }
        XmlElement response = soapBody.child(operation + "Response").orElseThrow(() -> new StoreException("EWS's answer to "
                + operation + " for " + mailbox + " has no " + operation + "Response", true));
        return response.child("ResponseMessages").map(XmlElement::children).orElse(List.of());
    }

    private static String localPart(String qname) {
        if (qname == null) {
            return "";
        }
        int colon = qname.indexOf(':');
        return colon < 0 ? qname : qname.substring(colon + 1);
    }
}
