package io.nexchange.nextcloud.internal;

import io.nexchange.api.source.StoreException;
import io.nexchange.nextcloud.internal.dav.DavHttpException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import org.apache.http.conn.ConnectTimeoutException;

/**
 * Turns what the DAV server (or the network) answered into a {@link StoreException} an operator can act
 * on: which account, which setting, what the server said. Never includes a password.
 */
final class DavErrors {
    private static final int MAX_SERVER_TEXT = 300;

    private DavErrors() {}

    /**
     * @param what the operation, e.g. "reading changes of /alice/work/"
     * @param account the Nextcloud account (user id) the request was for
     * @param login the login name used
     */
    static StoreException translate(IOException e, String what, String account, String login, URI baseUrl) {
        if (e instanceof DavHttpException http) {
            return fromStatus(http, what, account, login);
        }
        if (e instanceof ConnectTimeoutException || e.getCause() instanceof ConnectTimeoutException) {
            return new StoreException("Timed out connecting to the DAV server at " + baseUrl + " while " + what
                    + " for account " + account + ": check the Nextcloud base URL setting and that the server is reachable", true, e);
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return new StoreException("Cannot connect to the DAV server at " + baseUrl + " (" + e.getMessage() + ") while " + what
                    + " for account " + account + ": check the Nextcloud base URL setting and that the server is running", true, e);
        }
        if (e instanceof UnknownHostException) {
            return new StoreException("Unknown host in the DAV server URL " + baseUrl + " while " + what
                    + ": check the Nextcloud base URL setting", true, e);
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return new StoreException("The DAV server at " + baseUrl + " did not answer in time while " + what
                    + " for account " + account + " (raise the read timeout if the server is slow)", true, e);
        }
        if (e instanceof SSLException) {
            return new StoreException("TLS with the DAV server at " + baseUrl + " failed while " + what + ": " + e.getMessage(), false, e);
        }
        return new StoreException("I/O error with the DAV server at " + baseUrl + " while " + what + " for account " + account
                + ": " + e.getMessage(), true, e);
    }

    static StoreException fromStatus(DavHttpException http, String what, String account, String login) {
        int status = http.status();
        String server = serverText(http);
        if (status == 401) {
            return new StoreException("The DAV server rejected the credentials of Nextcloud account '" + account + "' (login '" + login
                    + "') while " + what + " (HTTP 401): the account's app password is wrong, revoked or missing; create a new app"
                    + " password for the account and import it with nexchange:credentials import FILE.csv (or update the configured"
                    + " logins of io.nexchange.nextcloud.credentials)", false, http);
        }
        // 412 stays a plain StoreException carrying the status: DavItemTarget, the only sender of
        // preconditions, turns it into a PreconditionFailedException that says what exactly failed
        if (status == 403) {
            return new StoreException("The DAV server forbids login '" + login + "' " + what + " (HTTP 403 on " + http.method() + " "
                    + http.url() + ")" + server + ": check that the collection belongs to or is shared with account " + account, false, http);
        }
        // 423 Locked: a WebDAV lock another client holds on the resource, which it releases; never the item's own fault
        boolean transientFailure = status >= 500 || status == 429 || status == 408 || status == 423;
        return new StoreException("The DAV server answered HTTP " + status + " " + http.reason() + " to " + http.method() + " " + http.url()
                + " while " + what + " for account " + account + server, transientFailure, http);
    }

    private static String serverText(DavHttpException http) {
        String body = http.body().replaceAll("\\s+", " ").strip();
        if (body.isEmpty()) {
            return "";
        }
        return "; the server said: " + (body.length() > MAX_SERVER_TEXT ? body.substring(0, MAX_SERVER_TEXT) + "..." : body);
    }
}
