package io.nexchange.sandbox.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ItemIdsTest {
    @Test
    void restAndEwsIdsAreTheSameBytesInTwoEncodings() {
        Random r = new Random(5);
        for (int i = 0; i < 200; i++) {
            byte[] mailbox = new byte[16];
            byte[] item = new byte[16];
            r.nextBytes(mailbox);
            r.nextBytes(item);
            String rest = ItemIds.newId(mailbox, ItemIds.Kind.EVENT, item);
            assertTrue(rest.startsWith("AAMkA"), rest);
            assertFalse(rest.contains("/") || rest.contains("+"), rest);
            String ews = ItemIds.restToEws(rest);
            assertArrayEquals(Base64.getDecoder().decode(ews), ItemIds.fromRest(rest));
            assertEquals(rest, ItemIds.ewsToRest(ews));
        }
    }

    @Test
    void occurrenceIdsDecodeToMasterAndOriginalStart() {
        String master = ItemIds.newId(new byte[16], ItemIds.Kind.EVENT, new byte[16]);
        Instant start = Instant.parse("2030-01-07T08:00:00Z");
        String occurrence = ItemIds.occurrenceId(master, start);
        ItemIds.Occurrence o = ItemIds.parseOccurrence(occurrence).orElseThrow();
        assertEquals(master, o.masterId());
        assertEquals(start, o.originalStart());
        assertTrue(ItemIds.parseOccurrence(master).isEmpty());
    }

    @Test
    void iCalUIdOfAnOccurrenceDiffersOnlyInTheInstanceDate() {
        String series = GlobalObjectIds.forSeries(Instant.parse("2024-01-01T00:00:00Z"), new byte[] {1, 2, 3, 4});
        String occurrence = GlobalObjectIds.forInstance(series, LocalDate.of(2024, 3, 5));
        assertNotEquals(series, occurrence);
        assertEquals(series.substring(0, 32), occurrence.substring(0, 32));
        assertEquals("07E80305", occurrence.substring(32, 40));
        assertEquals(series.substring(40), occurrence.substring(40));
    }
}
