package io.nexchange.engine.internal;

import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.state.ItemStatus;
import io.nexchange.api.state.Side;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /**
     * Creates of one item in Exchange: the key's own, then further attempts under {@link #attempt} when Exchange answers
     * with an item another status row holds (Graph answers a POST with the transactionId of an earlier creation for the
     * key with that event, which may since be another item's: the original was deleted before its creation was seen).
     */
    static final int CREATE_ATTEMPTS = 3;

    private ItemIdentity() {
    }

    /** The key a further create attempt goes under ({@code n} from 2): what its creation mark is taken from. */
    static ItemKey attempt(ItemKey key, int n) {
        return new ItemKey(key.kind(), key.value() + "#" + n);
    }

    /**
     * Takes every item a side lists at a ref status does not know, carrying the {@linkplain Change#creationMark() creation
     * mark} of a key that status or the other side knows, for that key's item: the engine created it there for that key
     * (its answer lost to a crash or a failure), and the side lists it under a key of its own. The change moves to that
     * key in {@code seen}, re-keyed, unless the key already has an item on that side (in status, or listed there).
     *
     * @param seen each side's changes of this round by key; changed in place
     * @return the keys whose item on a side was claimed so, by side
     */
    static Map<Side, Set<ItemKey>> claimMarked(Map<ItemKey, ItemStatus> rows, Map<Side, Map<ItemKey, Change>> seen) {
        Map<Side, Set<ItemKey>> claimed = new java.util.EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            Map<ItemKey, Change> here = seen.get(side);
            Set<String> knownRefs = new HashSet<>();
            rows.values().forEach(row -> row.side(side).ifPresent(st -> knownRefs.add(st.ref())));
            List<Map.Entry<ItemKey, Change>> marked = new ArrayList<>();
            for (Map.Entry<ItemKey, Change> e : here.entrySet()) {
                Change c = e.getValue();
                if (!c.isRemoval() && c.creationMark().isPresent() && !knownRefs.contains(c.ref())) {
                    marked.add(e);
                }
            }
            if (marked.isEmpty()) {
                continue; // the usual case: no mark to resolve, no key hashed
            }
            Map<String, ItemKey> byMark = new HashMap<>();
            java.util.function.Consumer<ItemKey> candidate = k -> {
                byMark.put(Change.markFor(k), k);
                for (int n = 2; n <= CREATE_ATTEMPTS; n++) {
                    byMark.put(Change.markFor(attempt(k, n)), k);
                }
            };
            rows.keySet().forEach(candidate);
            seen.get(side.other()).keySet().forEach(candidate);
            Set<ItemKey> mine = new HashSet<>();
            for (Map.Entry<ItemKey, Change> e : marked) {
                ItemKey owner = byMark.get(e.getValue().creationMark().get());
                if (owner == null || owner.equals(e.getKey())) {
                    continue;
                }
                ItemStatus row = rows.get(owner);
                Change listed = here.get(owner);
                if (row != null && row.side(side).isPresent() || listed != null && !listed.isRemoval() || mine.contains(owner)) {
                    continue; // the key has its item on this side: the marked one is another
                }
                here.remove(e.getKey());
                here.put(owner, under(owner, e.getValue()));
                mine.add(owner);
            }
            claimed.put(side, mine);
        }
        return claimed;
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
