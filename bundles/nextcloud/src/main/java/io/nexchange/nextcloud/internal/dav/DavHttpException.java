package io.nexchange.nextcloud.internal.dav;

import java.io.IOException;

/**
 * A DAV request answered with an unexpected status. Carries the start of the server's body, which for
 * DAV errors is a {@code <d:error>} element naming the failed precondition (e.g. {@code valid-sync-token}).
 */
public final class DavHttpException extends IOException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_BODY = 2000;

    private final String method;
    private final String url;
    private final int status;
    private final String reason;
    private final String body;
    private final String retryAfter;
    private final boolean answerRefused;

    public DavHttpException(String method, String url, int status, String reason, String body) {
        this(method, url, status, reason, body, null);
    }

    /** @param retryAfter the answer's Retry-After header, or null */
    public DavHttpException(String method, String url, int status, String reason, String body, String retryAfter) {
        this(method, url, status, reason, body, retryAfter, false);
    }

    private DavHttpException(String method, String url, int status, String reason, String body, String retryAfter,
            boolean answerRefused) {
        super(method + " " + url + " answered " + status + " " + reason);
        this.answerRefused = answerRefused;
        this.retryAfter = retryAfter;
        this.method = method;
        this.url = url;
        this.status = status;
        this.reason = reason == null ? "" : reason;
        String text = body == null ? "" : body.strip();
        this.body = text.length() > MAX_BODY ? text.substring(0, MAX_BODY) : text;
    }

    /**
     * A successful status whose answer the client refused to take: over the size bound, not well-formed XML (invalid
     * UTF-8, a broken item inside), or declaring a DTD. A multiget answered so is asked again in smaller parts, down to
     * the one item it is about.
     */
    public static DavHttpException refusedAnswer(String method, String url, int status, String reason, String body) {
        return new DavHttpException(method, url, status, reason, body, null, true);
    }

    /** Whether the answer was refused by the client ({@link #refusedAnswer}), not the request by the server. */
    public boolean answerRefused() {
        return answerRefused;
    }

    public String method() {
        return method;
    }

    public String url() {
        return url;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** The server's answer body, shortened. */
    public String body() {
        return body;
    }

    /** The answer's Retry-After header, if it had one. */
    public java.util.Optional<String> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    /** Whether the body is a DAV error naming this precondition element, e.g. {@code valid-sync-token}. */
    public boolean namesPrecondition(String element) {
        return body.contains(element);
    }
}
