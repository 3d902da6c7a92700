package io.nexchange.vdir.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.CursorExpiredException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A vdir cursor: what the collection held when it was read (file name, version, key per item), deflated
 * and base64url-encoded behind a {@code vdir1:} prefix. A folder has no change log; the next read
 * compares the folder with this snapshot. About 30 bytes per item after compression.
 */
final class Snapshot {
    private static final String PREFIX = "vdir1:";

    record Entry(String version, ItemKey key) {}

    private Snapshot() {}

    static Cursor encode(Map<String, Entry> entries) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Entry> e : new TreeMap<>(entries).entrySet()) {
            text.append(e.getKey()).append('\t').append(e.getValue().version()).append('\t').append(e.getValue().key().value()).append('\n');
        }
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(text.toString().getBytes(StandardCharsets.UTF_8));
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return new Cursor(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray()));
    }

    static Map<String, Entry> decode(Cursor cursor, CollectionKind kind) throws CursorExpiredException {
        if (!cursor.value().startsWith(PREFIX)) {
            throw new CursorExpiredException("The stored cursor is not a vdir snapshot; reading the folder again");
        }
        try {
            byte[] compressed = Base64.getUrlDecoder().decode(cursor.value().substring(PREFIX.length()));
            Inflater inflater = new Inflater();
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IOException("truncated");
                }
                out.write(buffer, 0, n);
            }
            inflater.end();
            Map<String, Entry> entries = new TreeMap<>();
            for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] parts = line.split("\t", 3);
                if (parts.length != 3) {
                    throw new IOException("bad line");
                }
                entries.put(parts[0], new Entry(parts[1], new ItemKey(kind, parts[2])));
            }
            return entries;
        } catch (IllegalArgumentException | DataFormatException | IOException e) {
            throw new CursorExpiredException("The stored vdir snapshot is damaged (" + e.getMessage() + "); reading the folder again");
        }
    }
}
