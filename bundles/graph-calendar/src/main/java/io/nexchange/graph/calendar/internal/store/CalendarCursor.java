package io.nexchange.graph.calendar.internal.store;

import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.CursorExpiredException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * What a calendar cursor carries: the Graph link to read next (a nextLink inside a round, the deltaLink between
 * rounds), whether the round lists everything, and an index of the singles and series masters the source has
 * emitted (Graph id → iCalUId, and the master's changeKey).
 *
 * <p>The index exists because Graph's {@code @removed} entries carry only an id: to report the removal of an
 * event under its ItemKey (the iCalUId) the source must remember which id had which iCalUId. Occurrence ids are
 * not indexed (a series has hundreds): a removed occurrence id the source cannot place triggers a check of the
 * indexed series masters at the end of the round. Deflated, an entry costs ~60–90 bytes.
 */
final class CalendarCursor {

    private static final String PREFIX = "graph-calendar:1:";

    record Entry(String uid, boolean master, String changeKey) {
    }

    String link;
    boolean complete;
    /** The day (UTC) the window of this delta chain was set; the window does not move with a delta link. */
    long windowDay;
    /**
     * The window setting (days back, days ahead) the chain was started with; -1 in a cursor written before it was
     * recorded. A changed setting ends the chain, so the full read lists exactly the items of the new window.
     */
    int daysBack = -1;
    int daysAhead = -1;
    /** A removed id could not be placed this round: check the masters when the round ends. */
    boolean unresolvedRemovals;
    final Map<String, Entry> index;

    CalendarCursor(String link, boolean complete, boolean unresolvedRemovals, long windowDay, Map<String, Entry> index) {
        this.link = link;
        this.windowDay = windowDay;
        this.complete = complete;
        this.unresolvedRemovals = unresolvedRemovals;
        this.index = index;
    }

    static CalendarCursor initial() {
        return new CalendarCursor(null, true, false, 0, new LinkedHashMap<>());
    }

    Cursor toCursor() {
        StringBuilder text = new StringBuilder();
        text.append(link == null ? "" : link).append('\n').append(complete ? 'C' : 'I').append(unresolvedRemovals ? 'U' : '-')
                .append(windowDay).append('/').append(daysBack).append('/').append(daysAhead).append('\n');
        index.forEach((id, e) -> text.append(e.master() ? 'M' : 'S').append('\t').append(id).append('\t').append(e.uid())
                .append('\t').append(e.changeKey() == null ? "" : e.changeKey()).append('\n'));
        byte[] raw = text.toString().getBytes(StandardCharsets.UTF_8);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return new Cursor(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray()));
    }

    static CalendarCursor parse(Cursor cursor) throws CursorExpiredException {
        if (cursor.isInitial()) {
            return initial();
        }
        String value = cursor.value();
        if (!value.startsWith(PREFIX)) {
            throw new CursorExpiredException("The calendar cursor was not written by the Graph calendar store (another"
                    + " backend's, or an older format); the calendar is read again from the start.");
        }
        try {
            byte[] compressed = Base64.getUrlDecoder().decode(value.substring(PREFIX.length()));
            Inflater inflater = new Inflater();
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("truncated");
                }
                out.write(buffer, 0, n);
            }
            inflater.end();
            String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
            Map<String, Entry> index = new LinkedHashMap<>();
            for (int i = 2; i < lines.length; i++) {
                if (lines[i].isEmpty()) {
                    continue;
                }
                String[] f = lines[i].split("\t", -1);
                index.put(f[1], new Entry(f[2], f[0].equals("M"), f[3].isEmpty() ? null : f[3]));
            }
            String[] window = lines[1].substring(2).split("/");
            CalendarCursor parsed = new CalendarCursor(lines[0].isEmpty() ? null : lines[0], lines[1].charAt(0) == 'C',
                    lines[1].charAt(1) == 'U', Long.parseLong(window[0]), index);
            if (window.length == 3) {
                parsed.daysBack = Integer.parseInt(window[1]);
                parsed.daysAhead = Integer.parseInt(window[2]);
            }
            return parsed;
        } catch (IllegalArgumentException | DataFormatException | IndexOutOfBoundsException e) {
            // NumberFormatException is an IllegalArgumentException
            throw new CursorExpiredException("The calendar cursor is damaged (" + e.getMessage() + "); the calendar is read"
                    + " again from the start.");
        }
    }
}
