package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import org.junit.jupiter.api.Test;

/** Merge, not overwrite: an Exchange edit applied to Nextcloud keeps what Exchange cannot represent. */
class PropertyMergeTest {
    static final String NEXTCLOUD_CARD = String.join("\r\n", "BEGIN:VCARD", "VERSION:3.0", "UID:c1", "FN:Ann Example",
            "N:Example;Ann;;;", "EMAIL;TYPE=internet:a1@example.org", "EMAIL;TYPE=internet:a2@example.org",
            "EMAIL;TYPE=internet:a3@example.org", "EMAIL;TYPE=internet:a4@example.org", "ADR;TYPE=home:;;1 Home St;;;;",
            "ADR;TYPE=work:;;2 Work St;;;;", "ADR;TYPE=other:;;3 Other St;;;;", "ADR;TYPE=postal:;;4 Postal St;;;;",
            "item1.X-ABLabel:_$!<Anniversary>!$_", "ANNIVERSARY:2010-06-01", "X-SOCIALPROFILE;TYPE=mastodon:https://example.s",
            " ocial/@ann", "URL:https://one.example.org", "URL:https://two.example.org", "X-MS-MANAGER:Boss", "END:VCARD", "");

    @Test
    void aContactKeepsWhatExchangeCannotHold() {
        String exchange = String.join("\r\n", "BEGIN:VCARD", "VERSION:3.0", "UID:c1", "FN:Ann Changed", "N:Changed;Ann;;;",
                "EMAIL;TYPE=internet:a1@example.org", "EMAIL;TYPE=internet:a2@example.org", "EMAIL;TYPE=internet:a3@example.org",
                "ADR;TYPE=home:;;1 Home St;;;;", "ADR;TYPE=work:;;2 Work St;;;;", "ADR;TYPE=other:;;3 Other St;;;;",
                "URL;TYPE=work:https://one.example.org", "END:VCARD", "");
        String merged = PropertyMerge.ontoNextcloud(CollectionKind.CONTACTS, NEXTCLOUD_CARD, exchange);
        assertTrue(merged.startsWith(exchange.substring(0, exchange.indexOf("END:VCARD"))), "Exchange's edit as it came:\n" + merged);
        for (String kept : new String[] {"EMAIL;TYPE=internet:a4@example.org", "ADR;TYPE=postal:;;4 Postal St;;;;",
                "item1.X-ABLabel:_$!<Anniversary>!$_", "ANNIVERSARY:2010-06-01", "X-SOCIALPROFILE;TYPE=mastodon:https://example.s\r\n ocial/@ann",
                "URL:https://two.example.org"}) {
            assertTrue(merged.contains(kept + "\r\n"), kept + " kept, folded as it was:\n" + merged);
        }
        assertFalse(merged.contains("X-MS-MANAGER"), "an Exchange field Exchange removed stays removed");
        assertFalse(merged.contains("FN:Ann Example"));
        assertTrue(merged.endsWith("END:VCARD\r\n"));
        assertEquals(merged, PropertyMerge.ontoNextcloud(CollectionKind.CONTACTS, merged, exchange), "a fixpoint: applied twice, the same");
    }

    @Test
    void anEventKeepsOtherClientsPropertiesAndAlarmsPerOccurrence() {
        String nextcloud = String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Nextcloud//EN", "X-WR-CALNAME:Work",
                "BEGIN:VEVENT", "UID:e1", "DTSTART:20300110T090000Z", "RRULE:FREQ=DAILY;COUNT=5", "SUMMARY:Standup",
                "X-MOZ-LASTACK:20300101T000000Z", "ATTACH:https://files.example.org/agenda.pdf", "COLOR:red", "URL:https://wiki.example.org",
                "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT15M", "END:VALARM", "BEGIN:VALARM", "ACTION:AUDIO", "TRIGGER:-P1D", "END:VALARM",
                "END:VEVENT", "BEGIN:VEVENT", "UID:e1", "RECURRENCE-ID:20300111T090000Z", "DTSTART:20300111T100000Z", "SUMMARY:Moved",
                "COMMENT:room B", "END:VEVENT", "END:VCALENDAR", "");
        String exchange = String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Nexchange//EN", "BEGIN:VEVENT", "UID:e1",
                "DTSTART:20300110T090000Z", "RRULE:FREQ=DAILY;COUNT=5", "SUMMARY:Standup (edited in Outlook)", "BEGIN:VALARM",
                "ACTION:DISPLAY", "TRIGGER:-PT30M", "END:VALARM", "END:VEVENT", "BEGIN:VEVENT", "UID:e1",
                "RECURRENCE-ID:20300111T090000Z", "DTSTART:20300111T110000Z", "SUMMARY:Moved again", "END:VEVENT", "END:VCALENDAR", "");
        String merged = PropertyMerge.ontoNextcloud(CollectionKind.CALENDAR, nextcloud, exchange);
        String master = merged.substring(merged.indexOf("BEGIN:VEVENT"), merged.indexOf("RECURRENCE-ID"));
        for (String kept : new String[] {"X-MOZ-LASTACK:20300101T000000Z", "ATTACH:https://files.example.org/agenda.pdf", "COLOR:red",
                "URL:https://wiki.example.org", "TRIGGER:-P1D", "SUMMARY:Standup (edited in Outlook)", "TRIGGER:-PT30M"}) {
            assertTrue(master.contains(kept), kept + " in the master:\n" + merged);
        }
        assertFalse(merged.contains("TRIGGER:-PT15M"), "Exchange's one reminder is Exchange's");
        assertTrue(merged.contains("X-WR-CALNAME:Work\r\n") && merged.contains("PRODID:-//Nexchange//EN"));
        String override = merged.substring(merged.indexOf("RECURRENCE-ID"));
        assertTrue(override.contains("COMMENT:room B") && override.contains("SUMMARY:Moved again"), merged);
        assertTrue(merged.indexOf("COMMENT:room B") < merged.lastIndexOf("END:VEVENT"));
        assertEquals(merged, PropertyMerge.ontoNextcloud(CollectionKind.CALENDAR, merged, exchange));
    }

    /** A meeting made in Nextcloud is created in Exchange without its attendees (writing them would invite them). */
    @Test
    void attendeesExchangeDoesNotHoldStayInNextcloud() {
        String nextcloud = String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Nextcloud//EN", "BEGIN:VEVENT", "UID:m1",
                "DTSTART:20300110T090000Z", "SUMMARY:Planning", "ORGANIZER;CN=Alice:mailto:alice@example.org",
                "ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION:mailto:bob@example.org", "END:VEVENT", "END:VCALENDAR", "");
        String exchangeWithout = String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Nexchange//EN", "BEGIN:VEVENT",
                "UID:m1", "DTSTART:20300110T100000Z", "SUMMARY:Planning (moved in Outlook)", "END:VEVENT", "END:VCALENDAR", "");
        String merged = PropertyMerge.ontoNextcloud(CollectionKind.CALENDAR, nextcloud, exchangeWithout);
        assertTrue(merged.contains("ATTENDEE;CN=Bob;PARTSTAT=NEEDS-ACTION:mailto:bob@example.org")
                && merged.contains("ORGANIZER;CN=Alice:mailto:alice@example.org") && merged.contains("DTSTART:20300110T100000Z"), merged);
        // when Exchange holds attendees, they are Exchange's: Nextcloud's are replaced, not added to
        String exchangeWith = exchangeWithout.replace("SUMMARY:Planning (moved in Outlook)\r\n",
                "SUMMARY:Planning\r\nORGANIZER:mailto:alice@example.org\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:carol@example.org\r\n");
        String replaced = PropertyMerge.ontoNextcloud(CollectionKind.CALENDAR, nextcloud, exchangeWith);
        assertFalse(replaced.contains("bob@example.org"), replaced);
        assertEquals(1, replaced.split("ORGANIZER", -1).length - 1, replaced);
    }

    @Test
    void unreadableTextIsLeftToTheWriter() {
        String exchange = ics("e1", "x");
        assertEquals(exchange, PropertyMerge.ontoNextcloud(CollectionKind.CALENDAR, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", exchange));
        assertEquals(exchange, PropertyMerge.ontoNextcloud(CollectionKind.CALENDAR, ics("e1", "same"), exchange), "nothing to keep");
    }

    @Test
    void anExchangeEditReachesNextcloudWithoutItsOwnProperties() throws Exception {
        SyncPair pair = new SyncPair("alice@example.org", CollectionKind.CALENDAR, "default", "nc:personal");
        MemoryStore.Collection ex = new MemoryStore.Collection(CollectionKind.CALENDAR, "graph:cal");
        MemoryStore.Collection nc = new MemoryStore.Collection(CollectionKind.CALENDAR, "dav:personal");
        MemoryStateStore state = new MemoryStateStore();
        SyncSettings twoWay = SyncSettings.defaults().with(Direction.TWO_WAY);
        PairSync sync = new PairSync(state, twoWay);
        ex.put("e1", ics("e1", "planning"));
        sync.sync(pair, new Endpoint("graph", ex, ex), new Endpoint("caldav", nc, nc), false);
        nc.put("e1", ics("e1", "planning").replace("END:VEVENT", "X-NC-ONLY:kept\r\nEND:VEVENT"));
        sync.sync(pair, new Endpoint("graph", ex, ex), new Endpoint("caldav", nc, nc), false);
        assertTrue(ex.byUid("e1").content().text().contains("X-NC-ONLY"), "in-memory Exchange holds anything");
        ex.put("e1", ics("e1", "moved in Outlook"));
        int fetched = nc.contentsRead;
        PairResult edit = sync.sync(pair, new Endpoint("graph", ex, ex), new Endpoint("caldav", nc, nc), false);
        assertEquals(1, edit.updated().get(Side.NEXTCLOUD));
        assertEquals(1, nc.contentsRead - fetched, "the Nextcloud item read once, in a batch");
        String now = nc.byUid("e1").content().text();
        assertTrue(now.contains("SUMMARY:moved in Outlook") && now.contains("X-NC-ONLY:kept"), now);
        assertEquals(0, sync.sync(pair, new Endpoint("graph", ex, ex), new Endpoint("caldav", nc, nc), false).writes(),
                "the hash stored is that of what was written: its echo is no edit");
    }
}
