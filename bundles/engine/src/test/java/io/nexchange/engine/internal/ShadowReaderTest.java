package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Shadow mode over in-memory stores: every difference between the two backends' views, nothing written. */
class ShadowReaderTest {
    @Test
    void fieldsAreComparedPerComponentWithOverridesByRecurrenceIdAndRepeatedPropertiesAsSets() {
        String a = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:Planning\r\nATTENDEE:mailto:a@x\r\nATTENDEE:mailto:b@x\r\n"
                + "DESCRIPTION:a long\r\n  line\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:x\r\nRECURRENCE-ID:20300111T090000Z\r\n"
                + "SUMMARY:Moved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        String b = a.replace("ATTENDEE:mailto:a@x\r\nATTENDEE:mailto:b@x", "ATTENDEE:mailto:b@x\r\nATTENDEE:mailto:a@x")
                .replace("SUMMARY:Moved", "SUMMARY:Moved again").replace("DESCRIPTION:a long\r\n  line", "DESCRIPTION:a long line");
        assertEquals(List.of("VCALENDAR/VEVENT[20300111T090000Z]/SUMMARY: 'Moved' vs 'Moved again'"),
                ContentFields.diff(a, b).stream().map(Object::toString).toList(), "attendee order and line folding are no difference");
        assertEquals(List.of("VCARD/TITLE: 'Boss' vs (absent)"), ContentFields.diff("BEGIN:VCARD\nFN:A\nTITLE:Boss\nEND:VCARD\n",
                "BEGIN:VCARD\nFN:A\nEND:VCARD\n").stream().map(Object::toString).toList());
    }

    @Test
    void aShadowReadReportsCountsMissingKeysAndFieldDifferencesAndWritesNothing() throws Exception {
        SyncSchedulerTest rig = new SyncSchedulerTest();
        String smtp = "alice@example.org";
        rig.map(smtp, "alice");
        MemoryStore.Collection viaGraph = rig.calendar(rig.graph, smtp);
        MemoryStore.Collection viaEws = rig.calendar(rig.ews, smtp);
        for (int i = 0; i < 5; i++) {
            viaGraph.put("e" + i, ics("e" + i, "event " + i));
            viaEws.put("e" + i, ics("e" + i, i == 2 ? "event 2 as EWS sees it" : "event " + i));
        }
        viaEws.put("only-ews", ics("only-ews", "seen through EWS only"));
        try {
            rig.scheduler("alice@example.org:ews", smtp).syncNow(smtp, false).get(30, TimeUnit.SECONDS);
            int nextcloudWrites = rig.nextcloud.collections.values().stream().mapToInt(c -> c.writes).sum();
            String out = new ShadowCommand(rig.control()).shadow(smtp);
            assertTrue(out.startsWith("alice@example.org: ews vs graph, 2 items differ, calendar 6/5, contacts 0/0"), out);
            assertTrue(out.contains("calendar only-ews: only through ews"), out);
            assertTrue(out.contains("calendar e2: 1 field differs (ews vs graph)\n    VCALENDAR/VEVENT/SUMMARY: 'event 2 as EWS sees it' vs 'event 2'"), out);
            assertTrue(out.endsWith("Shadow read of 1 mailboxes: 1 with differences or not compared; nothing was written.\n"), out);
            assertEquals(nextcloudWrites, rig.nextcloud.collections.values().stream().mapToInt(c -> c.writes).sum());
            assertEquals(0, viaGraph.writes + viaEws.writes);
            String status = SyncStatusSection.shadowReports(rig.control().shadowReader());
            assertTrue(status.contains("1 mailboxes, 1 with differences") && status.contains("2 items differ"), status);
        } finally {
            rig.tearDown();
        }
    }
}
