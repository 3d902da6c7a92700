package io.nexchange.vdir.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Changes of a vdir folder: every read lists the folder and hashes each file; from {@link Cursor#INITIAL}
 * everything is reported ({@code complete}), otherwise the difference to the snapshot in the cursor.
 * One page per read.
 */
final class VdirItemSource implements ItemSource {
    private final CollectionRef collection;
    private final Path folder;
    private final CollectionKind kind;

    VdirItemSource(CollectionRef collection, Path folder) {
        this.collection = collection;
        this.folder = folder;
        this.kind = collection.kind();
    }

    @Override
    public ChangePage changes(Cursor cursor) throws StoreException {
        Map<String, Snapshot.Entry> before = cursor.isInitial() ? Map.of() : Snapshot.decode(cursor, kind);
        Map<String, Snapshot.Entry> now = new TreeMap<>();
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : readFiles().entrySet()) {
            String name = file.getKey();
            String text = new String(file.getValue(), StandardCharsets.UTF_8);
            String version = VdirItemTarget.versionOf(file.getValue());
            ItemKey key = Uids.key(kind, text).orElseGet(() -> VdirNames.keyFromName(kind, name));
            now.put(name, new Snapshot.Entry(version, key));
            Snapshot.Entry old = before.get(name);
            if (old == null || !old.version().equals(version)) {
                changes.add(Change.upsert(new Item(key, ref(name), version, new ItemContent(kind.mediaType(), text))));
            }
        }
        for (Map.Entry<String, Snapshot.Entry> old : before.entrySet()) {
            if (!now.containsKey(old.getKey())) {
                changes.add(Change.removal(old.getValue().key(), ref(old.getKey())));
            }
        }
        return new ChangePage(changes, Snapshot.encode(now), false, cursor.isInitial());
    }

    private String ref(String name) {
        return collection.id() + "/" + name;
    }

    /** The item files (hidden temporary files and metadata skipped), by name. */
    private Map<String, byte[]> readFiles() throws StoreException {
        String extension = VdirNames.extension(kind);
        Map<String, byte[]> files = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".") || !name.endsWith(extension) || !Files.isRegularFile(entry)) {
                    continue;
                }
                try {
                    files.put(name, Files.readAllBytes(entry));
                } catch (NoSuchFileException gone) {
                    // deleted while listing: it simply is not there
                }
            }
        } catch (IOException e) {
            throw VdirItemStore.failure("reading " + folder, e);
        }
        return files;
    }
}
