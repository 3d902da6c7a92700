package io.nexchange.nextcloud.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.extension.ItemContext;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.state.Side;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Nextcloud's example items are recognised (the real server's are checked in DavItemStoreNextcloudTest), nothing else. */
class NextcloudExampleItemsTest {
    private static final String SABRE = "PRODID:-//Sabre//Sabre VObject 4.5.6//EN\r\n";

    private static String event(String prodid, String uid, String extra) {
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + prodid + "CALSCALE:GREGORIAN\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\n"
                + "DTSTAMP:20261207T101500Z\r\nSUMMARY:Example event - open me!\r\nDTSTART:20261214T100000Z\r\n"
                + "DTEND:20261214T110000Z\r\nDESCRIPTION:Welcome to Nextcloud Calendar!\\n\\nThis is a sample event - explore \r\n"
                + " the flexibility of planning\r\n" + extra + "END:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    @Test
    void theExampleEventAndCardOfNewAccountsAreDroppedOnTheirWayToExchange() {
        NextcloudExampleItems examples = new NextcloudExampleItems();
        ItemContext context = new ItemContext("tina@example.org", CollectionKind.CALENDAR, ItemKey.event("x"));
        ItemContent example = new ItemContent(CollectionKind.CALENDAR.mediaType(), event(SABRE, "aZ3kQ9mPx2LwT7vB8nC4dE5fG6hJ1yR0", ""));
        assertEquals(Optional.empty(), examples.transform(context, Side.EXCHANGE, example));
        assertTrue(NextcloudExampleItems.isExample("BEGIN:VCARD\r\nVERSION:3.0\r\n" + SABRE
                + "UID:cffff367-4580-4e01-8b6d-f91e95ce7e92\r\nFN:Leon Green\r\nEMAIL;TYPE=HOME:leon@example.com\r\nEND:VCARD\r\n"));
    }

    @Test
    void usersItemsAreNotMistakenForExamples() {
        String uid = "aZ3kQ9mPx2LwT7vB8nC4dE5fG6hJ1yR0";
        assertFalse(NextcloudExampleItems.isExample(event("PRODID:-//IDN nextcloud.com//Calendar app 5.0.0//EN\r\n", uid, "")),
                "edited in the Calendar app: the client's PRODID");
        assertFalse(NextcloudExampleItems.isExample(event(SABRE, "550e8400e29b41d4a716446655440000", "")), "a UUID without dashes");
        assertFalse(NextcloudExampleItems.isExample(event(SABRE, "040000008200E00074C5B7101A82E00800000000", "")), "Outlook's UID");
        assertFalse(NextcloudExampleItems.isExample(event(SABRE, "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "")), "one case only");
        assertFalse(NextcloudExampleItems.isExample(event(SABRE, uid, "ORGANIZER:mailto:tina@example.org\r\n")), "a meeting");
        assertFalse(NextcloudExampleItems.isExample(event(SABRE, uid, "RRULE:FREQ=WEEKLY\r\n")), "a series");
        assertFalse(NextcloudExampleItems.isExample("BEGIN:VCARD\r\nVERSION:3.0\r\n" + SABRE
                + "UID:cffff367-4580-4e01-8b6d-f91e95ce7e92\r\nFN:Leon Greenberg\r\nEMAIL:leon@example.org\r\nEND:VCARD\r\n"));
    }
}
