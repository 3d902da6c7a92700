package io.nexchange.engine.internal;

import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;

/**
 * One item is one key for ever, whatever each side calls it. A side may name an item it holds by its own identifier:
 * Graph gives an event created through it a new iCalUId and a contact a new id. The status row keeps where each side
 * keeps the item (its ref), so an item listed at a ref that status knows is the item of that row, under the row's key,
 * and its content carries the row's key as its UID: the Nextcloud UID never changes, and both sides' contents hash
 * alike when they say the same.
 */
final class ItemIdentity {
    /** Components whose UID is the item's (a VALARM's own UID, RFC 9074, is not). */
    private static final Set<String> KEYED = Set.of("VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VCARD");
    private static final int FOLD_OCTETS = 75;

    private ItemIdentity() {
    }

    /** The change under {@code key}: as it is if the side names it so or it has no content, else re-keyed. */
    static Change under(ItemKey key, Change change) {
        if (key == null || change.key().equals(key)) {
            return change;
        }
        if (change.isRemoval()) {
            return Change.removal(key, change.ref());
        }
        if (change.isUnreadable()) {
            return Change.unreadable(key, change.ref(), change.version().orElseThrow(), change.summary(),
                    change.problem().orElseThrow());
        }
        if (change.item().isEmpty()) {
            return Change.listed(key, change.ref(), change.version().orElseThrow());
        }
        Item item = change.item().get();
        return Change.upsert(new Item(key, item.ref(), item.version(), withUid(item.content(), key.value())));
    }

    /**
     * The content with {@code uid} as the UID of every iCalendar component that carries the object's (the series and
     * its overrides) or of the vCard; the other lines as they were. A keyed component without a UID gets one.
     */
    static ItemContent withUid(ItemContent content, String uid) {
        String text = content.text();
        String eol = text.contains("\r\n") ? "\r\n" : "\n";
        String[] physical = text.split("\r?\n", -1);
        StringBuilder out = new StringBuilder(text.length() + uid.length());
        Deque<Component> components = new ArrayDeque<>();
        int i = 0;
        while (i < physical.length) {
            // a logical line: the physical line and its continuations (folded lines start with a space or a tab)
            int end = i + 1;
            while (end < physical.length && !physical[end].isEmpty()
                    && (physical[end].charAt(0) == ' ' || physical[end].charAt(0) == '\t')) {
                end++;
            }
            String first = physical[i];
            String name = name(first);
            Component current = components.peek();
            if (name.equals("BEGIN")) {
                components.push(new Component(KEYED.contains(value(first).toUpperCase(Locale.ROOT))));
            } else if (name.equals("END") && current != null) {
                if (current.keyed && !current.uidWritten) {
                    out.append(folded("UID:" + uid, eol)).append(eol);
                }
                components.pop();
            }
            if (name.equals("UID") && current != null && current.keyed) {
                if (!current.uidWritten) {
                    out.append(folded("UID:" + uid, eol));
                    if (end < physical.length) {
                        out.append(eol);
                    }
                    current.uidWritten = true;
                }
                // a second UID line in the same component is dropped
            } else {
                for (int j = i; j < end; j++) {
                    out.append(physical[j]);
                    if (j < physical.length - 1) {
                        out.append(eol);
                    }
                }
            }
            i = end;
        }
        return new ItemContent(content.mediaType(), out.toString());
    }

    private static final class Component {
        final boolean keyed;
        boolean uidWritten;

        Component(boolean keyed) {
            this.keyed = keyed;
        }
    }

    /** The property name of a logical line (before its parameters or value), upper case; a vCard group is dropped. */
    private static String name(String line) {
        int end = 0;
        while (end < line.length() && line.charAt(end) != ':' && line.charAt(end) != ';') {
            end++;
        }
        String name = line.substring(0, end);
        int dot = name.lastIndexOf('.');
        return (dot >= 0 ? name.substring(dot + 1) : name).trim().toUpperCase(Locale.ROOT);
    }

    private static String value(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? "" : line.substring(colon + 1).trim();
    }

    /** Folds a line at 75 octets (RFC 5545 3.1, RFC 6350 3.2), never inside a UTF-8 sequence. */
    private static String folded(String line, String eol) {
        if (line.getBytes(StandardCharsets.UTF_8).length <= FOLD_OCTETS) {
            return line;
        }
        StringBuilder out = new StringBuilder();
        int octets = 0;
        for (int offset = 0; offset < line.length(); ) {
            int cp = line.codePointAt(offset);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + size > FOLD_OCTETS) {
                out.append(eol).append(' ');
                octets = 1;
            }
            out.appendCodePoint(cp);
            octets += size;
            offset += Character.charCount(cp);
        }
        return out.toString();
    }
}
