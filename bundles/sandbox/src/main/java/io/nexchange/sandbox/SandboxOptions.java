package io.nexchange.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;

/** How to start a {@link SandboxServer}; every value has a default (see the withers). */
public final class SandboxOptions {
    int port = 0;
    int advertisedPort = 0;
    int users = 5;
    long seed = 1;
    Path stateDir;
    int eventsPerMailbox = 40;
    int contactsPerMailbox = 20;
    int emptyMailboxPercent;
    int smallMailboxPercent;
    int cachedMailboxes = 1000;
    int tokenLifetimeSeconds = 3599;
    int maxConcurrent = 4;
    int windowRequests = 10_000;
    Duration window = Duration.ofMinutes(10);
    String retryAfter = "2.128";
    DeadTokenMode deadTokenMode = DeadTokenMode.GONE_410;
    LocalDate anchorDate;
    int maxDeltaStates = 5000;
    int ewsMaxConcurrent = 27;
    String ewsServiceUser;
    String ewsServicePassword;
    boolean ewsServiceImpersonation = true;

    public static SandboxOptions defaults() {
        return new SandboxOptions();
    }

    /** TCP port on 127.0.0.1; 0 picks a free one. */
    public SandboxOptions port(int p) {
        this.port = p;
        return this;
    }

    /**
     * The port in every URL the sandbox hands out (base URL, authority, paging and delta links), when clients reach it
     * through something else on loopback, e.g. a fault-injecting TCP proxy; 0: the port it listens on.
     */
    public SandboxOptions advertisedPort(int p) {
        this.advertisedPort = p;
        return this;
    }

    /** Number of mailboxes the generator creates (besides a few users without mailbox and disabled ones). */
    public SandboxOptions users(int n) {
        this.users = n;
        return this;
    }

    public SandboxOptions seed(long s) {
        this.seed = s;
        return this;
    }

    /** Where the truststore, the demo secret and sandbox.properties are written; null: a temp dir. */
    public SandboxOptions stateDir(Path dir) {
        this.stateDir = dir;
        return this;
    }

    public SandboxOptions eventsPerMailbox(int n) {
        this.eventsPerMailbox = n;
        return this;
    }

    /**
     * A tenant of mostly quiet mailboxes: {@code emptyPercent}% without items, {@code smallPercent}% with an eighth of
     * eventsPerMailbox/contactsPerMailbox, the rest busy (all of them). Which mailbox is which follows from the seed
     * and its index. Default 0/0: every mailbox busy, as before.
     */
    public SandboxOptions mailboxMix(int emptyPercent, int smallPercent) {
        new io.nexchange.sandbox.internal.generator.TenantGenerator.MailboxMix(emptyPercent, smallPercent); // checks them
        this.emptyMailboxPercent = emptyPercent;
        this.smallMailboxPercent = smallPercent;
        return this;
    }

    /** The mix as "EMPTY/SMALL/BUSY" percentages adding up to 100, e.g. "80/15/5". */
    public SandboxOptions mailboxMix(String emptySmallBusy) {
        var mix = io.nexchange.sandbox.internal.generator.TenantGenerator.MailboxMix.parse(emptySmallBusy);
        return mailboxMix(mix.emptyPercent(), mix.smallPercent());
    }

    /**
     * How many generated mailboxes nobody changed stay in memory, most recently used first (default 1000); the others
     * are generated again from the seed when used. Changed mailboxes always stay.
     */
    public SandboxOptions cachedMailboxes(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cachedMailboxes must be 0 or more, not " + n);
        }
        this.cachedMailboxes = n;
        return this;
    }

    public SandboxOptions contactsPerMailbox(int n) {
        this.contactsPerMailbox = n;
        return this;
    }

    /** expires_in of issued tokens (msal4j caches only tokens with more than 300 s left). */
    public SandboxOptions tokenLifetimeSeconds(int s) {
        this.tokenLifetimeSeconds = s;
        return this;
    }

    /** Concurrent requests allowed per (app, mailbox); the next one gets 429. */
    public SandboxOptions maxConcurrent(int n) {
        this.maxConcurrent = n;
        return this;
    }

    /** Requests allowed per (app, mailbox) and window. */
    public SandboxOptions windowRequests(int n, Duration per) {
        this.windowRequests = n;
        this.window = per;
        return this;
    }

    /** Retry-After sent with 429 (seconds, fractional allowed, e.g. "0.2"). */
    public SandboxOptions retryAfter(String seconds) {
        this.retryAfter = seconds;
        return this;
    }

    public SandboxOptions deadTokenMode(DeadTokenMode mode) {
        this.deadTokenMode = mode;
        return this;
    }

    /** The date generated calendars are built around; default: Monday of the current week. */
    public SandboxOptions anchorDate(LocalDate date) {
        this.anchorDate = date;
        return this;
    }

    /** How many delta states (tokens) are kept before the oldest are forgotten. */
    public SandboxOptions maxDeltaStates(int n) {
        this.maxDeltaStates = n;
        return this;
    }

    /** EWS concurrent requests per (caller, mailbox), EWSMaxConcurrency (27 on Exchange Online); the next gets ErrorExceededConnectionCount. */
    public SandboxOptions ewsMaxConcurrent(int n) {
        this.ewsMaxConcurrent = n;
        return this;
    }

    /**
     * An on-prem style EWS service account for Basic authentication; {@code impersonation}: whether it
     * holds the ApplicationImpersonation role (without it, ExchangeImpersonation gets ErrorImpersonateUserDenied).
     */
    public SandboxOptions ewsServiceAccount(String username, String password, boolean impersonation) {
        this.ewsServiceUser = username;
        this.ewsServicePassword = password;
        this.ewsServiceImpersonation = impersonation;
        return this;
    }
}
