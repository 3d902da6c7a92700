package io.nexchange.it.sync;

import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.nextcloud.NextcloudServer;
import io.nexchange.testing.radicale.RadicaleServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a DAV server holds: every resource of every collection by user, collection and resource name, as the server
 * stored it ({@link DavTestServer#storedItems()}: Radicale's storage folder, Nextcloud's database).
 */
record DavContent(Map<String, Map<String, Map<String, String>>> byUser) {
    /** The summary of the event and the name of the card every new Nextcloud account holds (the kit's README, (a)). */
    static final String EXAMPLE_EVENT = "SUMMARY:Example event - open me!";
    static final String EXAMPLE_CARD = "FN:Leon Green";

    static DavContent of(DavTestServer server) {
        return new DavContent(server.storedItems());
    }

    /** The example items of new Nextcloud accounts, by user -> collection/name. */
    Map<String, Map<String, String>> exampleItems() {
        Map<String, Map<String, String>> found = new TreeMap<>();
        byUser.forEach((user, collections) -> collections.forEach((collection, items) -> items.forEach((name, text) -> {
            if (isExample(text)) {
                found.computeIfAbsent(user, u -> new TreeMap<>()).put(collection + "/" + name, text);
            }
        })));
        return found;
    }

    /** The same content without the example items (whose UIDs and hrefs are random per account). */
    DavContent withoutExampleItems() {
        Map<String, Map<String, Map<String, String>>> users = new TreeMap<>();
        byUser.forEach((user, collections) -> collections.forEach((collection, items) -> items.forEach((name, text) -> {
            if (!isExample(text)) {
                users.computeIfAbsent(user, u -> new TreeMap<>()).computeIfAbsent(collection, c -> new TreeMap<>()).put(name, text);
            }
        })));
        return new DavContent(users);
    }

    private static boolean isExample(String text) {
        return text.contains(EXAMPLE_EVENT + "\r\n") || text.contains(EXAMPLE_CARD + "\r\n");
    }

    /** The resources of a user's collections whose names end with {@code extension} (".ics" or ".vcf"), by href. */
    Map<String, String> items(String user, String extension) {
        Map<String, String> found = new TreeMap<>();
        byUser.getOrDefault(user, Map.of()).forEach((collection, items) -> items.forEach((name, text) -> {
            if (name.endsWith(extension)) {
                found.put(collection + "/" + name, text);
            }
        }));
        return found;
    }

    int total() {
        return byUser.values().stream().flatMap(c -> c.values().stream()).mapToInt(Map::size).sum();
    }
}
