package io.nexchange.graph.calendar.mapping;

/**
 * Folds iCalendar content lines the way RFC 5545 section 3.1 asks: at most 75 octets per line (UTF-8), a fold never
 * inside a character. Hand-written because ical4j 4.0.8's FoldingWriter folds at 75 UTF-16 chars: a line of Greek
 * grows to 150 octets, and an emoji (two chars) is cut in half, which turns into "??" once encoded.
 */
final class ContentLines {
    static final int MAX_OCTETS = 75;

    private ContentLines() {}

    /** Unfolds {@code text} (CRLF followed by a space or tab) and folds it again at 75 octets. */
    static String refold(String text) {
        String unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
        StringBuilder out = new StringBuilder(unfolded.length() + unfolded.length() / 60 * 3);
        int lineStart = 0;
        while (lineStart < unfolded.length()) {
            int end = unfolded.indexOf("\r\n", lineStart);
            if (end < 0) {
                end = unfolded.length();
            }
            fold(unfolded, lineStart, end, out);
            if (end < unfolded.length()) {
                out.append("\r\n");
            }
            lineStart = end + 2;
        }
        return out.toString();
    }

    private static void fold(String text, int from, int to, StringBuilder out) {
        int octets = 0;
        int i = from;
        while (i < to) {
            int codePoint = text.codePointAt(i);
            int width = utf8Length(codePoint);
            if (octets + width > MAX_OCTETS) {
                out.append("\r\n ");
                octets = 1; // the leading space of the continuation line
            }
            out.appendCodePoint(codePoint);
            octets += width;
            i += Character.charCount(codePoint);
        }
    }

    private static int utf8Length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        return codePoint < 0x10000 ? 3 : 4;
    }
}
