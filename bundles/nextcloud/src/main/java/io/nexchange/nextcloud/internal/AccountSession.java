package io.nexchange.nextcloud.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.source.StoreException;
import io.nexchange.nextcloud.credentials.DavLogin;
import io.nexchange.nextcloud.internal.dav.DavClient;
import io.nexchange.nextcloud.internal.dav.DavHttpException;
import io.nexchange.nextcloud.internal.dav.DavResponse;
import io.nexchange.nextcloud.internal.dav.DavXml;
import java.io.IOException;
import io.nexchange.api.throttle.Permit;
import io.nexchange.throttling.hints.RetryAfter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One account's connection to the DAV server: its login, an HTTP client, the collection homes found by
 * discovery (looked up once) and the collections ensureCollection settled on (trusted for an hour, or until a
 * request finds one gone), so that an idle cycle sends only its sync-collection REPORTs. Thread-safe.
 */
final class AccountSession implements AutoCloseable {
    /** One request, or a few, against the server. */
    interface DavCall<T> {
        T run(DavClient client) throws IOException, StoreException;
    }

    /** Where the account's calendars and address books live, as discovery found them. */
    record Homes(String principal, Optional<String> calendarHome, Optional<String> addressbookHome) {}

    private final String account;
    private final DavLogin login;
    private final DavSettings settings;
    private final DavClient client;
    private final Runnable onRejectedLogin;
    private final LoginGuard guard;
    private final ServerThrottle throttle;
    private volatile Homes homes;
    /** Homes guessed from the layout other accounts showed ({@link HomeLayout}), until the server confirms or refutes them. */
    private volatile Homes guessed;
    /** The kinds whose guessed home the server confirmed. */
    private final java.util.Set<CollectionKind> confirmedKinds = ConcurrentHashMap.newKeySet();
    /** Collections found or made by ensureCollection, by kind and wanted name, with when they were looked up (nanoTime). */
    private final Map<String, KnownCollection> collections = new ConcurrentHashMap<>();

    private record KnownCollection(CollectionRef ref, long since) {}

    /**
     * Collections the home listing showed with few changes ever (a sabre/dav change counter of at most
     * {@link #SMALL_COLLECTION}), with when (nanoTime): their first listing asks for the content along (one request
     * instead of a listing and a multiget; a new Nextcloud account's collections hold only the example items).
     */
    private final Map<String, Long> smallCollections = new ConcurrentHashMap<>();

    /** A collection with at most this many changes ever holds at most this many items. */
    static final long SMALL_COLLECTION = 100;
    /** How long the home listing's word on a collection's size is taken: it grows as it is written into. */
    static final Duration SMALL_HINT_LIFE = Duration.ofMinutes(10);

    /** How long a collection found by ensureCollection is trusted without listing the home again. */
    static final Duration COLLECTION_RECHECK = Duration.ofHours(1);
    private volatile boolean accepted;
    private volatile boolean closed;

    AccountSession(String account, DavLogin login, DavSettings settings, LoginGuard guard, ServerThrottle throttle, Runnable onRejectedLogin) {
        this.account = account;
        this.login = login;
        this.settings = settings;
        this.guard = guard;
        this.throttle = throttle;
        this.onRejectedLogin = onRejectedLogin;
        this.client = new DavClient(settings.baseUrl(), login.username(), login.password().reveal(),
                settings.connectTimeout(), settings.readTimeout(), settings.maxConnections(), settings.maxAnswerBytes());
    }

    DavLogin login() {
        return login;
    }

    String account() {
        return account;
    }

    DavSettings settings() {
        return settings;
    }

    /**
     * Runs a call, turning failures into operator-readable {@link StoreException}s: a 401 into a
     * {@link io.nexchange.api.source.CredentialsRejectedException} (the account is then held back, see {@link LoginGuard}),
     * a 429 into a {@link io.nexchange.api.source.ServerThrottledException} (every account waits, see {@link ServerThrottle}).
     */
    <T> T call(String what, DavCall<T> call) throws StoreException {
        if (closed) {
            throw stopping(what);
        }
        Optional<Permit> permit = throttle.admit();
        T result;
        try {
            result = call.run(client);
        } catch (IOException e) {
            if (e instanceof DavHttpException http && throttling(http)) {
                Duration hint = http.retryAfter().flatMap(RetryAfter::parse).orElse(null);
                throw throttle.throttled(permit, hint, http.status(), DavErrors.fromStatus(http, what, account, login.username()));
            }
            throttle.answered(permit);
            if (e instanceof DavHttpException http && http.status() == 401) {
                // the password may have been rotated: the next call looks the login up again
                onRejectedLogin.run();
                StoreException translated = DavErrors.fromStatus(http, what, account, login.username());
                throw guard.rejected(account, login, translated.getMessage(), http);
            }
            throw DavErrors.translate(e, what, account, login.username(), settings.baseUrl());
        } catch (RuntimeException | StoreException e) {
            throttle.answered(permit);
            if (closed && e instanceof IllegalStateException) {
                // HttpClient's "Connection pool shut down": the store was stopped (the runtime shuts down, the bundle
                // is updated) while a worker was at it
                throw stopping(what);
            }
            throw e;
        }
        throttle.answered(permit);
        if (!accepted) {
            accepted = true;
            guard.accepted(login);
        }
        return result;
    }

    private StoreException stopping(String what) {
        return new StoreException("The Nextcloud store is stopping (runtime shutdown or bundle update) while " + what + " for account "
                + account + "; it is done at the next run", true);
    }

    /** 429, or 503 with a Retry-After: the server (or a proxy before it) throttles the connector's address. */
    private static boolean throttling(DavHttpException http) {
        return http.status() == 429 || (http.status() == 503 && http.retryAfter().isPresent());
    }

    /** The absolute URL of a server-relative href. */
    URI url(String href) {
        return settings.baseUrl().resolve(href);
    }

    /** The collection ensureCollection found for this kind and name within the last hour, if any. */
    Optional<CollectionRef> knownCollection(CollectionKind kind, String name) {
        KnownCollection known = collections.get(kind + "/" + name);
        if (known == null || System.nanoTime() - known.since() > COLLECTION_RECHECK.toNanos()) {
            return Optional.empty();
        }
        return Optional.of(known.ref());
    }

    void rememberCollection(CollectionKind kind, String name, CollectionRef ref) {
        collections.put(kind + "/" + name, new KnownCollection(ref, System.nanoTime()));
    }

    /** The collection is gone or refused (404, 403): the next ensureCollection lists the home again. */
    void forgetCollection(String id) {
        collections.values().removeIf(known -> known.ref().id().equals(id));
    }

    /** The home listing showed the collection's change counter (sabre/dav's numeric sync-token): how many changes it had. */
    void noteChanges(String collectionId, long changes) {
        if (changes <= SMALL_COLLECTION) {
            smallCollections.put(collectionId, System.nanoTime());
        } else {
            smallCollections.remove(collectionId);
        }
    }

    /** Whether the home listing showed the collection small within {@link #SMALL_HINT_LIFE}; the hint is used once. */
    boolean takeSmallHint(String collectionId) {
        Long since = smallCollections.remove(collectionId);
        return since != null && System.nanoTime() - since <= SMALL_HINT_LIFE.toNanos();
    }

    /** Homes to try before discovery (the layout other accounts of the server showed). */
    void guess(Homes homes) {
        guessed = homes;
    }

    /** The guessed homes while the server has not confirmed the home of this kind. */
    Optional<Homes> unconfirmedGuess(CollectionKind kind) {
        Homes guess = guessed;
        return guess != null && !confirmedKinds.contains(kind) ? Optional.of(guess) : Optional.empty();
    }

    /** The server confirmed the guessed principal and the home of this kind: no discovery for this account. */
    void confirmGuess(CollectionKind kind, Homes guess) {
        confirmedKinds.add(kind);
        if (homes == null) {
            homes = guess;
        }
    }

    /** The server did not confirm the guess: the homes are discovered. */
    void refuteGuess() {
        Homes guess = guessed;
        guessed = null;
        if (guess != null && homes == guess) {
            homes = null;
        }
    }

    Homes homes() throws StoreException {
        Homes known = homes;
        if (known == null) {
            known = call("discovering the calendar and address book homes", this::discover);
            homes = known;
        }
        return known;
    }

    /**
     * RFC 5397 / 4791 / 6352 discovery: current-user-principal from the base URL (or from
     * {@code /.well-known/caldav} when the base URL is not a DAV root), then the homes from the principal.
     * Nothing assumes a server's URL layout.
     */
    private Homes discover(DavClient dav) throws IOException, StoreException {
        URI base = settings.baseUrl();
        Optional<String> principal = principalAt(dav, base);
        if (principal.isEmpty()) {
            principal = principalAt(dav, base.resolve("/.well-known/caldav"));
        }
        if (principal.isEmpty()) {
            throw new StoreException("The DAV server at " + base + " does not tell the current-user-principal of login '" + login.username()
                    + "': set the Nextcloud base URL to the DAV root (Nextcloud: https://<host>/remote.php/dav/)", false);
        }
        List<DavResponse> answer = dav.propfind(url(principal.get()), "0", DavXml.propfind("c:calendar-home-set", "card:addressbook-home-set"));
        Optional<String> calendarHome = Optional.empty();
        Optional<String> addressbookHome = Optional.empty();
        for (DavResponse response : answer) {
            calendarHome = calendarHome.or(() -> response.property(DavXml.CALENDAR_HOME_SET).flatMap(p -> DavXml.hrefs(p).stream().findFirst()));
            addressbookHome = addressbookHome.or(() -> response.property(DavXml.ADDRESSBOOK_HOME_SET).flatMap(p -> DavXml.hrefs(p).stream().findFirst()));
        }
        return new Homes(principal.get(), calendarHome.map(DavResponse::toPathOf), addressbookHome.map(DavResponse::toPathOf));
    }

    private Optional<String> principalAt(DavClient dav, URI url) throws IOException {
        List<DavResponse> answer;
        try {
            answer = dav.propfind(url, "0", DavXml.propfind("d:current-user-principal"));
        } catch (DavHttpException e) {
            if (e.status() == 401 || throttling(e)) {
                throw e; // the login or the whole server, not this URL
            }
            return Optional.empty();
        }
        return answer.stream()
                .flatMap(r -> r.property(DavXml.CURRENT_USER_PRINCIPAL).stream())
                .flatMap(p -> DavXml.hrefs(p).stream())
                .findFirst()
                .map(DavResponse::toPathOf);
    }

    @Override
    public void close() {
        closed = true;
        client.close();
    }
}
