package io.nexchange.engine.internal;

import io.nexchange.api.item.ItemContent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash the engine stores in status and compares. SHA-256 over the text with line ends normalised to LF and
 * trailing line ends dropped: DAV servers (and the XML parsing of a multiget) may hand back CRLF where we wrote LF,
 * which must not count as an edit.
 */
final class ContentHash {
    private ContentHash() {}

    static String of(ItemContent content) {
        String text = content.text().replace("\r\n", "\n").replace('\r', '\n');
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '\n') {
            end--;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.substring(0, end).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
