package io.nexchange.nextcloud.internal;

import ezvcard.Ezvcard;
import ezvcard.VCard;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.item.ItemKey;
import java.io.IOException;
import java.io.StringReader;
import java.util.Locale;
import java.util.Optional;
import net.fortuna.ical4j.data.CalendarParserImpl;
import net.fortuna.ical4j.data.ContentHandler;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.data.UnfoldingReader;

/**
 * Reads the {@link ItemKey} out of item content: the UID of the iCalendar object (of its first component
 * that has one: the series master or single event, whose overrides share it) or of the vCard. The content
 * itself is never changed.
 *
 * <p>iCalendar goes through ical4j's streaming parser with a handler that keeps only the UID, so no
 * time zone or model objects are built; vCards through ez-vcard.
 */
public final class ItemKeys {
    private static final String URN_UUID = "urn:uuid:";

    private ItemKeys() {}

    /** The key, or empty if the content has no UID or cannot be parsed. */
    public static Optional<ItemKey> fromContent(CollectionKind kind, String text) {
        Optional<String> uid = kind == CollectionKind.CALENDAR ? calendarUid(text) : vcardUid(text);
        return uid.map(String::strip).filter(u -> !u.isEmpty()).map(u -> new ItemKey(kind, kind == CollectionKind.CONTACTS ? stripUrn(u) : u));
    }

    /** vCard UIDs are often {@code urn:uuid:...}; keys never carry the prefix, whichever way the vCard wrote it. */
    public static String stripUrn(String uid) {
        return uid.toLowerCase(Locale.ROOT).startsWith(URN_UUID) ? uid.substring(URN_UUID.length()) : uid;
    }

    static Optional<String> calendarUid(String text) {
        UidHandler handler = new UidHandler();
        try {
            // the parser does not unfold lines itself (CalendarBuilder wraps its input the same way)
            new CalendarParserImpl().parse(new UnfoldingReader(new StringReader(text), true), handler);
        } catch (IOException | ParserException | RuntimeException e) {
            // a broken object later in the text does not matter once the UID is known
            return Optional.ofNullable(handler.uid);
        }
        return Optional.ofNullable(handler.uid);
    }

    static Optional<String> vcardUid(String text) {
        try {
            VCard card = Ezvcard.parse(text).first();
            if (card == null || card.getUid() == null) {
                return Optional.empty();
            }
            return Optional.ofNullable(card.getUid().getValue());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Keeps the first UID of a component directly below VCALENDAR (not of a VALARM inside it). */
    private static final class UidHandler implements ContentHandler {
        private int depth;
        private boolean inUid;
        private String uid;

        @Override
        public void startCalendar() {}

        @Override
        public void endCalendar() {}

        @Override
        public void startComponent(String name) {
            depth++;
        }

        @Override
        public void endComponent(String name) {
            depth--;
        }

        @Override
        public void startProperty(String name) {
            inUid = uid == null && depth == 1 && "UID".equalsIgnoreCase(name);
        }

        @Override
        public void propertyValue(String value) {
            if (inUid) {
                uid = value;
            }
        }

        @Override
        public void endProperty(String name) {
            inUid = false;
        }

        @Override
        public void parameter(String name, String value) {}
    }
}
