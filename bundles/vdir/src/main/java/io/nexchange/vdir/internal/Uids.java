package io.nexchange.vdir.internal;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.item.ItemKey;
import java.util.Locale;
import java.util.Optional;

/**
 * The UID of an iCalendar object or vCard: the first {@code UID} property directly inside the outer
 * component's first child (the event, not its alarm) or inside the VCARD, after unfolding (RFC 5545 3.1).
 *
 * <p>Hand-written on purpose: it is all this bundle needs from the formats, and a parser library (ical4j,
 * ez-vcard, as the CalDAV store embeds) would make this small bundle embed non-modular jars. The rules
 * match the CalDAV store's, so both key the same text alike: the value as written, {@code urn:uuid:}
 * stripped for vCards.
 */
final class Uids {
    private Uids() {}

    static Optional<ItemKey> key(CollectionKind kind, String text) {
        String unfolded = text.replace("\r\n ", "").replace("\r\n\t", "").replace("\n ", "").replace("\n\t", "");
        int depth = 0;
        // a calendar's objects sit one level below VCALENDAR; a vCard's properties directly in VCARD
        int wanted = kind == CollectionKind.CALENDAR ? 2 : 1;
        for (String line : unfolded.split("\r?\n")) {
            String upper = line.toUpperCase(Locale.ROOT);
            if (upper.startsWith("BEGIN:")) {
                depth++;
            } else if (upper.startsWith("END:")) {
                depth--;
            } else if (depth == wanted && (upper.startsWith("UID:") || upper.startsWith("UID;"))) {
                String value = valueOf(line).strip();
                if (kind == CollectionKind.CONTACTS && value.toLowerCase(Locale.ROOT).startsWith("urn:uuid:")) {
                    value = value.substring("urn:uuid:".length());
                }
                return value.isEmpty() ? Optional.empty() : Optional.of(new ItemKey(kind, value));
            }
        }
        return Optional.empty();
    }

    /** The value after the first colon that is not inside a quoted parameter value. */
    private static String valueOf(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ':' && !quoted) {
                return line.substring(i + 1);
            }
        }
        return "";
    }
}
