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
