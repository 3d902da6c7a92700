package io.nexchange.sandbox.internal.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** A Graph error answer: HTTP status, error.code, error.message, extra headers (Retry-After, Location). */
public final class GraphException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final int status;
    public final String code;
    public final transient Map<String, String> headers = new LinkedHashMap<>();
    /** The 429 body nests code and status inside innerError too. */
    public final boolean throttled;

    public GraphException(int status, String code, String message) {
        this(status, code, message, false);
    }

    private GraphException(int status, String code, String message, boolean throttled) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.throttled = throttled;
    }

    public static GraphException throttled(String retryAfter) {
        GraphException e = new GraphException(429, "TooManyRequests", "Please retry again later.", true);
        if (retryAfter != null) {
            e.headers.put("Retry-After", retryAfter);
        }
        return e;
    }

    public GraphException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public static GraphException badRequest(String code, String message) {
        return new GraphException(400, code, message);
    }

    public static GraphException notFound(String message) {
        return new GraphException(404, "ErrorItemNotFound", message);
    }
}
