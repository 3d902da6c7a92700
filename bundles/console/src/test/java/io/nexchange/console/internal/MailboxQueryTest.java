package io.nexchange.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.engine.control.MailboxView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The mailbox table's search, filters, sort and pages over 1,000+ mailboxes. */
class MailboxQueryTest {
    private static MailboxRow row(int n, String state, String backend, String error) {
        MailboxView view = new MailboxView(String.format("user%04d@example.org", n), state, false, backend,
                Optional.of(Instant.parse("2026-12-07T08:00:00Z").plusSeconds(n)), Optional.empty(), n, n % 7, error, List.of(), List.of());
        // waves of 500 mailboxes (the last 200 in none)
        return new MailboxRow(view, n * 10L, backend, n <= 1000 ? List.of(Integer.toString((n - 1) / 500 + 1)) : List.of());
    }

    private static List<MailboxRow> rows() {
        List<MailboxRow> rows = new ArrayList<>();
        for (int n = 1; n <= 1200; n++) {
            rows.add(row(n, n % 100 == 0 ? "FAILED" : "OK", n % 3 == 0 ? "ews" : "graph",
                    n % 100 == 0 ? "No app password for Nextcloud account 'user" + n + "'" : ""));
        }
        return rows;
    }

    private static MailboxQuery query(String... pairs) {
        Map<String, String[]> parameters = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parameters.put(pairs[i], new String[] {pairs[i + 1]});
        }
        return MailboxQuery.parse(parameters);
    }

    @Test
    void pagesOfAHundredByDefault() {
        MailboxQuery query = query("page", "12");
        List<MailboxRow> all = query.apply(rows());
        assertEquals(1200, all.size());
        assertEquals(12, query.pages(all.size()));
        List<MailboxRow> page = query.pageOf(all);
        assertEquals(100, page.size());
        assertEquals("user1101@example.org", page.get(0).mailbox());
        assertEquals("user1200@example.org", query("page", "99").pageOf(all).get(99).mailbox(), "past the end: the last page");
        assertEquals("/?q=user&page=3", query("q", "user", "page", "2").url(Map.of("page", "3")));
    }

    @Test
    void searchFiltersAndSort() {
        List<MailboxRow> failed = query("state", "FAILED").apply(rows());
        assertEquals(12, failed.size());
        assertTrue(failed.stream().allMatch(r -> r.problem().startsWith("No app password")));
        assertEquals(400, query("backend", "ews").apply(rows()).size());
        assertEquals(List.of("user0100@example.org"), query("q", "USER100'").apply(rows()).stream().map(MailboxRow::mailbox).toList(),
                "the search looks into the error text too, case-insensitively");
        List<MailboxRow> newest = query("sort", "lastRun", "dir", "desc", "size", "10").apply(rows());
        assertEquals("user1200@example.org", newest.get(0).mailbox());
        assertEquals("mailbox", query("sort", "nonsense").sort(), "an unknown sort falls back to the address");
        assertEquals(MailboxQuery.MAX_SIZE, query("size", "1000000").size());
    }

    @Test
    void filterByWaveAndBackend() {
        assertEquals(500, query("wave", "1").apply(rows()).size());
        List<MailboxRow> ewsOfWave2 = query("wave", "2", "backend", "ews").apply(rows());
        assertEquals(167, ewsOfWave2.size());
        assertTrue(ewsOfWave2.stream().allMatch(r -> r.waves().equals(List.of("2")) && r.backend().equals("ews")));
        assertEquals(200, query("wave", MigrationSummary.NO_WAVE).apply(rows()).size(), "in no wave");
        assertEquals("/?backend=ews&wave=2&page=2", query("wave", "2", "backend", "ews").url(Map.of("page", "2")));
    }
}
