package io.nexchange.vdir.internal;

import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.PreconditionFailedException;
import io.nexchange.api.source.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Writes item files with version checks: a create fails if the file exists, an update or delete if the
 * file's content hash is not the expected version. Versions are the first 32 hex digits of the SHA-256
 * of the file's bytes, so an edit by khal or by hand always shows, and a rewrite with the same text does
 * not.
 */
final class VdirItemTarget implements ItemTarget {
    private final CollectionRef collection;
    private final Path folder;

    VdirItemTarget(CollectionRef collection, Path folder) {
        this.collection = collection;
        this.folder = folder;
    }

    static String versionOf(byte[] bytes) {
        return VdirNames.sha256(bytes).substring(0, 32);
    }

    @Override
    public ItemVersion create(ItemKey key, ItemContent content) throws StoreException {
        checkKind(key);
        String name = VdirNames.forKey(key);
        Path file = folder.resolve(name);
        try {
            AtomicFiles.create(file, content.text());
        } catch (FileAlreadyExistsException e) {
            throw new PreconditionFailedException("An item with key " + key + " already exists at " + file);
        } catch (IOException e) {
            throw VdirItemStore.failure("writing " + file, e);
        }
        return new ItemVersion(collection.id() + "/" + name, versionOf(content.text().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public ItemVersion update(ItemKey key, String ref, String expectedVersion, ItemContent content) throws StoreException {
        checkKind(key);
        Path file = file(ref);
        String current = currentVersion(file).orElseThrow(() -> new PreconditionFailedException("The item " + key + " at " + file + " is gone"));
        if (!current.equals(expectedVersion)) {
            throw new PreconditionFailedException("The item " + key + " at " + file + " changed since version " + expectedVersion);
        }
        try {
            AtomicFiles.write(file, content.text());
        } catch (IOException e) {
            throw VdirItemStore.failure("writing " + file, e);
        }
        return new ItemVersion(ref, versionOf(content.text().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void delete(ItemKey key, String ref, String expectedVersion) throws StoreException {
        Path file = file(ref);
        Optional<String> current = currentVersion(file);
        if (current.isEmpty()) {
            return; // already gone
        }
        if (!current.get().equals(expectedVersion)) {
            throw new PreconditionFailedException("The item " + key + " at " + file + " changed since version " + expectedVersion + "; not deleted");
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw VdirItemStore.failure("deleting " + file, e);
        }
    }

    @Override
    public Optional<ItemVersion> version(String ref) throws StoreException {
        return currentVersion(file(ref)).map(v -> new ItemVersion(ref, v));
    }

    private Optional<String> currentVersion(Path file) throws StoreException {
        try {
            return Optional.of(versionOf(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw VdirItemStore.failure("reading " + file, e);
        }
    }

    /** The file of a ref, which must name a file directly in this collection's folder. */
    private Path file(String ref) throws StoreException {
        String prefix = collection.id() + "/";
        String name = ref.startsWith(prefix) ? ref.substring(prefix.length()) : ref;
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new StoreException("The ref " + ref + " does not name an item of " + collection.id(), false);
        }
        return folder.resolve(name);
    }

    private void checkKind(ItemKey key) {
        if (key.kind() != collection.kind()) {
            throw new IllegalArgumentException(key + " does not belong in the " + collection.kind() + " collection " + collection.id());
        }
    }
}
