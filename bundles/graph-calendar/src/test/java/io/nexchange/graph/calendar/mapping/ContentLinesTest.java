package io.nexchange.graph.calendar.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentLinesTest {

    @Test
    void foldsAtSeventyFiveOctetsAndNeverInsideACharacter() {
        for (int prefix = 0; prefix < 160; prefix++) {
            String value = "x".repeat(prefix) + "😀 naïve Ελληνικά עברית 😀".repeat(4);
            String text = "BEGIN:VEVENT\r\nDESCRIPTION:" + value + "\r\nEND:VEVENT\r\n";
            String folded = ContentLines.refold(text);

            assertTrue(longestLineOctets(folded) <= 75, "prefix " + prefix + ": " + folded);
            String afterEncoding = new String(folded.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            assertEquals(text, afterEncoding.replace("\r\n ", ""), "prefix " + prefix + ": unfolding gives the text back");
        }
    }

    @Test
    void refoldingUndoesACharacterCountingFoldThatCutAnEmojiInHalf() {
        // what ical4j 4.0.8's FoldingWriter writes: the high surrogate ends a line, the low one starts the next
        String cut = "DESCRIPTION:" + "x".repeat(62) + "\uD83D\r\n \uDE00 tail\r\n";
        String folded = ContentLines.refold(cut);
        assertTrue(new String(folded.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).replace("\r\n ", "")
                .contains("x😀 tail"), folded);
    }

    @Test
    void shortLinesAreLeftAsTheyAre() {
        String text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
        assertEquals(text, ContentLines.refold(text));
    }

    /** The longest line of {@code text} in UTF-8 octets. */
    static int longestLineOctets(String text) {
        int longest = 0;
        for (String line : text.split("\r\n", -1)) {
            longest = Math.max(longest, line.getBytes(StandardCharsets.UTF_8).length);
        }
        return longest;
    }
}
