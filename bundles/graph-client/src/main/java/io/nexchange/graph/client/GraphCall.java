package io.nexchange.graph.client;

import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ApiException;
import io.nexchange.api.auth.AuthException;
import io.nexchange.api.source.CursorExpiredException;
import io.nexchange.api.source.ItemRejectedException;
import io.nexchange.api.source.MailboxNotServedException;
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.StoreException;
import io.nexchange.graph.client.internal.throttling.ThrottlingInterceptor;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Runs Graph SDK calls for one mailbox and turns their failures into {@link StoreException}s whose messages
 * name what to fix: the Entra step for 401/403, the licence for {@code MailboxNotEnabledForRESTAPI}; 400/415/422 an
 * {@link ItemRejectedException} (the request's item was refused, not the mailbox); 429/503/504,
 * 5xx and network failures are transient; 410 / {@code syncStateNotFound} is a {@link CursorExpiredException};
 * 412 a {@link PreconditionFailedException}.
 *
 * <p>Retries: a request the server throttled (429, or 503/504) is tried again up to {@link #MAX_ATTEMPTS} times.
 * There is no sleep here: the throttling interceptor has paused the mailbox's key by the server's Retry-After,
 * so the next attempt waits for its permit in the policy. A 429 the interceptor made up locally (no permit within
 * its wait) is not retried: the mailbox is busy for longer, the caller reschedules it (transient failure).
 *
 * @param mailbox the mailbox's SMTP address, for messages
 * @param permission the application permission the calls need ({@code Calendars.ReadWrite}, ...)
 */
public record GraphCall(String mailbox, String permission) {

    /** Attempts of one request while the server throttles it. */
    public static final int MAX_ATTEMPTS = 4;

    private static final Set<String> DEAD_CURSOR_CODES = Set.of("syncstatenotfound", "syncstateinvalid", "resyncrequired");

    public GraphCall {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(permission, "permission");
    }

    /** A call that may be retried as a whole while throttled. */
    @FunctionalInterface
    public interface Request<T> {
        T send();
    }

    /**
     * Runs {@code request}, retrying while the server throttles it.
     *
     * @param what what the request does, for messages ("read the calendar changes")
     */
    public <T> T run(String what, Request<T> request) throws StoreException {
        for (int attempt = 1;; attempt++) {
            try {
                return request.send();
            } catch (RuntimeException e) {
                if (attempt < MAX_ATTEMPTS && retryable(e)) {
                    continue;
                }
                throw failure(what, e);
            }
        }
    }

    /** Same as {@link #run} for a call without result. */
    public void exec(String what, Runnable request) throws StoreException {
        run(what, () -> {
            request.run();
            return null;
        });
    }

    /**
     * {@link #run} for a read of something that may be gone: Graph's 404 is an empty answer.
     *
     * @since 1.1
     */
    public <T> java.util.Optional<T> runIfPresent(String what, Request<T> request) throws StoreException {
        try {
            return java.util.Optional.ofNullable(run(what, request));
        } catch (StoreException e) {
            if (status(e.getCause()) == 404) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    /**
     * {@link #exec} for a delete: what is already gone (404) counts as deleted.
     *
     * @since 1.1
     */
    public void execUnlessGone(String what, Runnable request) throws StoreException {
        runIfPresent(what, () -> {
            request.run();
            return Boolean.TRUE;
        });
    }

    static boolean retryable(RuntimeException e) {
        if (!(e instanceof ApiException api)) {
            return false;
        }
        int status = api.getResponseStatusCode();
        return (status == 429 || status == 503 || status == 504) && !isLocalThrottle(api);
    }

    private static boolean isLocalThrottle(ApiException e) {
        return e.getResponseHeaders() != null && e.getResponseHeaders().containsKey(ThrottlingInterceptor.LOCAL_HEADER)
                || e.getResponseHeaders() != null && e.getResponseHeaders().containsKey(ThrottlingInterceptor.LOCAL_HEADER.toLowerCase(Locale.ROOT));
    }

    /** The error code of a Graph error answer, or "". */
    public static String code(Throwable e) {
        if (e instanceof ODataError odata && odata.getError() != null && odata.getError().getCode() != null) {
            return odata.getError().getCode();
        }
        return "";
    }

    /** The HTTP status of a Graph error answer, or 0 (no answer). */
    public static int status(Throwable e) {
        return e instanceof ApiException api ? api.getResponseStatusCode() : 0;
    }

    /** The StoreException for a failed call. */
    public StoreException failure(String what, RuntimeException e) {
        AuthException auth = GraphTokenException.find(e);
        if (auth != null) {
            return new StoreException("Could not " + what + " of " + mailbox + ": " + auth.getMessage(), auth.isTransient(), e);
        }
        if (!(e instanceof ApiException api)) {
            boolean network = hasCause(e, IOException.class);
            return new StoreException("Could not " + what + " of " + mailbox + ": " + (network ? "Graph did not answer ("
                    + rootMessage(e) + ")" : rootMessage(e)), network, e);
        }
        int status = api.getResponseStatusCode();
        String code = code(e);
        String said = "Graph answered " + status + (code.isEmpty() ? "" : " " + code) + serverMessage(e);
        String prefix = "Could not " + what + " of " + mailbox + ": " + said + ". ";
        if (status == 410 || DEAD_CURSOR_CODES.contains(code.toLowerCase(Locale.ROOT))) {
            return new CursorExpiredException(prefix + "The delta token has expired; the collection is read again from the"
                    + " start and reconciled.");
        }
        if (status == 412 || "ErrorIrresolvableConflict".equalsIgnoreCase(code)) {
            return new PreconditionFailedException(prefix + "The item changed since it was read.");
        }
        if ("MailboxNotEnabledForRESTAPI".equalsIgnoreCase(code) || "MailboxNotSupportedForRESTAPI".equalsIgnoreCase(code)) {
            return new MailboxNotServedException(prefix + "The user has no Exchange Online mailbox (or it is on-premises):"
                    + " assign an Exchange Online licence in the Microsoft 365 admin center, use the EWS backend for"
                    + " on-premises mailboxes, or exclude the user from sync.", MailboxNotServedException.Reason.ELSEWHERE, e);
        }
        if (status == 401) {
            return new StoreException(prefix + "Graph did not accept the app's token: check tenantId and clientId of the app"
                    + " registration, and that the token is for https://graph.microsoft.com.", false, e);
        }
        if (status == 403) {
            return new StoreException(prefix + "The app registration may not access this mailbox: in Microsoft Entra ID, API"
                    + " permissions, add the Microsoft Graph application permission " + permission + " and click 'Grant"
                    + " admin consent'; if an Exchange application access policy or RBAC for Applications scopes the app,"
                    + " include this mailbox.", false, e);
        }
        if (status == 404) {
            return new StoreException(prefix + "Not found.", false, e);
        }
        if (status == 413) {
            return new ItemRejectedException(prefix + "The item is larger than Graph takes in one request (4 MB): shorten its"
                    + " description or remove attachments embedded in it.", e);
        }
        if (status == 400 || status == 415 || status == 422) {
            // Graph refused what was sent (ErrorInvalidRequest, ErrorInvalidRecurrence, ...): the item's, not the mailbox's
            return new ItemRejectedException(prefix + "Graph refused the item as it was sent.", e);
        }
        if (status == 429 || status == 503 || status == 504) {
            return new StoreException(prefix + "Microsoft is throttling this mailbox; it is retried when the throttling"
                    + " pause ends.", true, e);
        }
        return new StoreException(prefix.trim(), status >= 500, e);
    }

    private static String serverMessage(Throwable e) {
        if (e instanceof ODataError odata && odata.getError() != null && odata.getError().getMessage() != null) {
            return " (\"" + odata.getError().getMessage() + "\")";
        }
        return "";
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

}
