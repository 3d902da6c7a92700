package io.nexchange.it.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What Radicale holds, read from its storage folder ({@code collection-root/<user>/<collection>/<href>}): every
 * resource of every collection by user, collection and resource name, as Radicale stored it. Radicale's own files
 * ({@code .Radicale.props}, {@code .Radicale.cache/}) are left out.
 */
record RadicaleContent(Map<String, Map<String, Map<String, String>>> byUser) {

    static RadicaleContent read(Path storageFolder) throws IOException {
        Map<String, Map<String, Map<String, String>>> users = new TreeMap<>();
        Path root = storageFolder.resolve("collection-root");
        if (!Files.isDirectory(root)) {
            return new RadicaleContent(users);
        }
        try (Stream<Path> userDirs = Files.list(root)) {
            for (Path user : (Iterable<Path>) userDirs::iterator) {
                if (!Files.isDirectory(user) || user.getFileName().toString().startsWith(".")) {
                    continue;
                }
                Map<String, Map<String, String>> collections = users.computeIfAbsent(user.getFileName().toString(), u -> new TreeMap<>());
                try (Stream<Path> collectionDirs = Files.list(user)) {
                    for (Path collection : (Iterable<Path>) collectionDirs::iterator) {
                        if (!Files.isDirectory(collection) || collection.getFileName().toString().startsWith(".")) {
                            continue;
                        }
                        Map<String, String> items = collections.computeIfAbsent(collection.getFileName().toString(), c -> new TreeMap<>());
                        try (Stream<Path> files = Files.list(collection)) {
                            for (Path file : (Iterable<Path>) files::iterator) {
                                if (Files.isRegularFile(file) && !file.getFileName().toString().startsWith(".")) {
                                    items.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
                                }
                            }
                        }
                    }
                }
            }
        }
        return new RadicaleContent(users);
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
