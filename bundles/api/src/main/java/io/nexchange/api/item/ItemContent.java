package io.nexchange.api.item;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The content of an item in its interchange format: one iCalendar object (one UID: a series master
 * with its overrides, or a single event) or one vCard.
 *
 * @param mediaType {@code text/calendar} or {@code text/vcard}
 * @param text the serialised object, CRLF line endings as the formats require
 */
public record ItemContent(String mediaType, String text) {
    public ItemContent {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(text, "text");
    }

    /**
     * A SHA-256 over the text. Sync compares hashes, not only versions, so that an etag that changed
     * without a change of content (a server re-serialising) is not mistaken for an edit.
     */
    public String sha256() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return mediaType + " (" + text.length() + " chars)";
    }
}
