package io.nexchange.testing.dav;

import java.util.List;

/**
 * A real CalDAV/CardDAV server started for tests (Radicale or Nextcloud), so one test can run against both:
 * accounts with app passwords, the DAV base URL that discovery starts from, and the server's request log.
 */
public interface DavTestServer extends AutoCloseable {

    /** "Radicale" or "Nextcloud", for test names and messages. */
    String product();

    /** The URL that discovery starts from (the store's {@code baseUrl}). */
    String davBaseUrl();

    int port();

    /** Creates an account (its default collections as the server makes them) and returns the password for DAV. */
    String addAccount(String user);

    /** An account that owns this e-mail address where the server knows addresses (Nextcloud); else {@link #addAccount(String)}. */
    default String addAccount(String user, String email) {
        return addAccount(user);
    }

    /** The path of a user's calendar home, e.g. {@code /remote.php/dav/calendars/alice/} (ends with a slash). */
    String calendarHome(String user);

    /** The path of a user's address book home (ends with a slash). */
    String addressBookHome(String user);

    /**
     * What the users' collections hold, read from the server's storage (no DAV request): user -> collection -> resource
     * name -> text, as stored.
     */
    java.util.Map<String, java.util.Map<String, java.util.Map<String, String>>> storedItems();

    /** One request as the server logged it. */
    record Request(String method, String path, int status) {
        @Override
        public String toString() {
            return method + " " + path + (status > 0 ? " " + status : "");
        }
    }

    /** A position in the request log: {@code requestsSince(mark())} is what arrived after it. */
    int mark();

    List<Request> requestsSince(int mark);

    default long countSince(int mark, String method) {
        return requestsSince(mark).stream().filter(r -> r.method().equals(method)).count();
    }

    @Override
    void close();
}
