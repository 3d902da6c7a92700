package io.nexchange.testing.faults;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One fault a {@link FaultProxy} injects into the next {@code count} matching requests (0: every matching request until
 * {@link FaultProxy#clear()}). In {@link FaultProxy.Mode#TCP} mode a "request" is the next data the client sends on any
 * connection (the proxy cannot read TLS), so method and path filters are for {@link FaultProxy.Mode#HTTP} only.
 */
public record Fault(Kind kind, int status, Duration stall, int count, String method, String pathContains) {

    /** What goes wrong. */
    public enum Kind {
        /** HTTP only: the proxy answers {@code status} itself (with {@code Connection: close}); the server sees nothing. */
        STATUS,
        /** The connection is reset (RST) before the request reaches the server. */
        RESET,
        /** The request reaches the server (which acts on it), then the connection is reset before any answer byte. */
        RESPONSE_LOST,
        /** The request reaches the server; the client gets the answer's head and half its body, then the connection closes. */
        TRUNCATE,
        /** The request reaches the server; its answer is held back for {@code stall}, then the connection closes. */
        STALL,
        /** The request is relayed after {@code stall}, and its answer as it comes (a slow network, not a failure). */
        DELAY
    }

    public Fault {
        Objects.requireNonNull(kind, "kind");
        stall = stall == null ? Duration.ZERO : stall;
        pathContains = pathContains == null ? null : pathContains.toLowerCase(Locale.ROOT);
        method = method == null ? null : method.toUpperCase(Locale.ROOT);
    }

    public static Fault status(int status) {
        return new Fault(Kind.STATUS, status, null, 0, null, null);
    }

    public static Fault reset() {
        return new Fault(Kind.RESET, 0, null, 0, null, null);
    }

    public static Fault responseLost() {
        return new Fault(Kind.RESPONSE_LOST, 0, null, 0, null, null);
    }

    public static Fault truncate() {
        return new Fault(Kind.TRUNCATE, 0, null, 0, null, null);
    }

    public static Fault stall(Duration howLong) {
        return new Fault(Kind.STALL, 0, howLong, 0, null, null);
    }

    public static Fault delay(Duration howLong) {
        return new Fault(Kind.DELAY, 0, howLong, 0, null, null);
    }

    /** Only the next {@code n} matching requests. */
    public Fault times(int n) {
        return new Fault(kind, status, stall, n, method, pathContains);
    }

    /** HTTP only: requests with this method (e.g. {@code PUT}). */
    public Fault onMethod(String m) {
        return new Fault(kind, status, stall, count, m, pathContains);
    }

    /** HTTP only: requests whose path contains this text (case-insensitive). */
    public Fault onPathContaining(String text) {
        return new Fault(kind, status, stall, count, method, text);
    }

    boolean matches(String requestMethod, String requestPath) {
        return (method == null || method.equals(requestMethod))
                && (pathContains == null || (requestPath != null && requestPath.toLowerCase(Locale.ROOT).contains(pathContains)));
    }

    @Override
    public String toString() {
        return kind + (kind == Kind.STATUS ? " " + status : "") + (kind == Kind.STALL || kind == Kind.DELAY ? " " + stall.toMillis() + " ms" : "")
                + (method != null ? " on " + method : "") + (pathContains != null ? " path~" + pathContains : "")
                + (count > 0 ? " x" + count : "");
    }
}
