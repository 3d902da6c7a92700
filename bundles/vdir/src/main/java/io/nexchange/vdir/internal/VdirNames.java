package io.nexchange.vdir.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.item.ItemKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * File and folder names. Item files are named after their key the same way the CalDAV store names its
 * resources (the key when it is made of safe characters, else {@code x-<sha256>}), so a retried create
 * finds the first attempt and the two stores lay items out alike.
 */
final class VdirNames {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@-][A-Za-z0-9._@-]{0,99}");
    private static final String HASHED_PREFIX = "x-";

    private VdirNames() {}

    static String extension(CollectionKind kind) {
        return kind == CollectionKind.CALENDAR ? ".ics" : ".vcf";
    }

    static String forKey(ItemKey key) {
        String value = key.value();
        boolean looksHashed = value.startsWith(HASHED_PREFIX) && value.length() == HASHED_PREFIX.length() + 64;
        String stem = SAFE.matcher(value).matches() && !looksHashed ? value : HASHED_PREFIX + sha256(value);
        return stem + extension(key.kind());
    }

    /** The key of a removed file: its name without extension (callers match removals by ref). */
    static ItemKey keyFromName(CollectionKind kind, String fileName) {
        String ext = extension(kind);
        String stem = fileName.endsWith(ext) ? fileName.substring(0, fileName.length() - ext.length()) : fileName;
        return new ItemKey(kind, stem);
    }

    /** A folder name for a collection's display name: deterministic, safe, distinct for distinct names. */
    static String collectionFolder(String displayName) {
        String slug = displayName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.isEmpty() || slug.length() > 60 || !slug.equals(displayName.toLowerCase(Locale.ROOT))) {
            String readable = slug.length() > 40 ? slug.substring(0, 40) : slug;
            return (readable.isEmpty() ? "" : readable + "-") + sha256(displayName).substring(0, 8);
        }
        return slug;
    }

    /** An account's user id as a folder name: nothing that could leave the root. */
    static String ownerFolder(String userId) {
        String safe = userId.replaceAll("[^A-Za-z0-9._@+-]", "_");
        return safe.startsWith(".") ? "_" + safe.substring(1) : safe;
    }

    static String sha256(String value) {
        return sha256(value.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
