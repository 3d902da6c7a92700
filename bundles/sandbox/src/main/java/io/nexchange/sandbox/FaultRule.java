package io.nexchange.sandbox;

import java.util.Locale;
import java.util.Objects;

/**
 * A fault the sandbox injects until removed: on each matching request with a probability, or on the
 * next N matching requests only. Graph faults match Graph requests (optionally one mailbox and/or a
 * path fragment); {@link Kind#TOKEN_OUTAGE} matches the token endpoint.
 */
public final class FaultRule {
    /** What goes wrong. */
    public enum Kind {
        /** Answer normally after {@code latencyMillis}. */
        LATENCY,
        /** Answer {@code status} (500/503/504 …) with Graph's error body and optional Retry-After. */
        STATUS,
        /** Close the connection without an answer. */
        CONNECTION_RESET,
        /** Announce the full length, send half the body, close. */
        TRUNCATED_BODY,
        /** Treat the delta/skip token of a delta request as expired (answer per the dead-token mode). */
        DEAD_DELTA_TOKEN,
        /** The token endpoint answers {@code status} (default 503) with Entra's error body. */
        TOKEN_OUTAGE
    }

    private final Kind kind;
    private final int status;
    private final String retryAfter;
    private final long latencyMillis;
    private final double probability;
    private final int count;
    private final String mailbox;
    private final String pathContains;

    private FaultRule(Kind kind, int status, String retryAfter, long latencyMillis, double probability, int count,
            String mailbox, String pathContains) {
        this.kind = Objects.requireNonNull(kind);
        this.status = status;
        this.retryAfter = retryAfter;
        this.latencyMillis = latencyMillis;
        this.probability = probability;
        this.count = count;
        this.mailbox = mailbox;
        this.pathContains = pathContains;
    }

    public static FaultRule of(Kind kind) {
        return new FaultRule(kind, kind == Kind.TOKEN_OUTAGE ? 503 : 500, null, 0, 1.0, 0, null, null);
    }

    public static FaultRule latency(long millis) {
        return of(Kind.LATENCY).withLatencyMillis(millis);
    }

    public static FaultRule status(int status) {
        return of(Kind.STATUS).withStatus(status);
    }

    public FaultRule withStatus(int s) {
        return new FaultRule(kind, s, retryAfter, latencyMillis, probability, count, mailbox, pathContains);
    }

    /** Retry-After value as sent, e.g. "2" or "0.5"; null sends none. */
    public FaultRule withRetryAfter(String seconds) {
        return new FaultRule(kind, status, seconds, latencyMillis, probability, count, mailbox, pathContains);
    }

    public FaultRule withLatencyMillis(long millis) {
        return new FaultRule(kind, status, retryAfter, millis, probability, count, mailbox, pathContains);
    }

    /** Chance per matching request (0..1]. */
    public FaultRule withProbability(double p) {
        return new FaultRule(kind, status, retryAfter, latencyMillis, p, count, mailbox, pathContains);
    }

    /** Only the next {@code n} matching requests (0 = until removed). */
    public FaultRule forNext(int n) {
        return new FaultRule(kind, status, retryAfter, latencyMillis, probability, n, mailbox, pathContains);
    }

    /** Only requests for this mailbox (user id, UPN or mail). */
    public FaultRule forMailbox(String idOrUpn) {
        return new FaultRule(kind, status, retryAfter, latencyMillis, probability, count, idOrUpn, pathContains);
    }

    /** Only requests whose path contains this text (case-insensitive). */
    public FaultRule forPathContaining(String text) {
        return new FaultRule(kind, status, retryAfter, latencyMillis, probability, count, mailbox,
                text == null ? null : text.toLowerCase(Locale.ROOT));
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public String retryAfter() {
        return retryAfter;
    }

    public long latencyMillis() {
        return latencyMillis;
    }

    public double probability() {
        return probability;
    }

    public int count() {
        return count;
    }

    public String mailbox() {
        return mailbox;
    }

    public String pathContains() {
        return pathContains;
    }

    @Override
    public String toString() {
        return "FaultRule[" + kind + ", status=" + status + ", retryAfter=" + retryAfter + ", latencyMillis=" + latencyMillis
                + ", probability=" + probability + ", count=" + count + ", mailbox=" + mailbox + ", path=" + pathContains + "]";
    }
}
