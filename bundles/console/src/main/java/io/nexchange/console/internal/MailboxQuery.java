package io.nexchange.console.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mailbox table's search, filters, sort and page, as they come from the URL (so a filtered view can be bookmarked
 * and the page needs no script): {@code q}, {@code state}, {@code backend}, {@code wave} (a migration wave, {@code -}: in
 * none), {@code sort}, {@code dir}, {@code page}, {@code size}.
 */
record MailboxQuery(String q, String state, String backend, String wave, String sort, boolean descending, int page, int size) {
    static final int DEFAULT_SIZE = 100;
    static final int MAX_SIZE = 1000;

    static MailboxQuery parse(Map<String, String[]> parameters) {
        String sort = value(parameters, "sort");
        return new MailboxQuery(value(parameters, "q").strip(), value(parameters, "state"), value(parameters, "backend"),
                value(parameters, "wave"), MailboxRow.SORTS.contains(sort) ? sort : "mailbox", "desc".equals(value(parameters, "dir")),
                Math.max(1, number(parameters, "page", 1)), Math.min(MAX_SIZE, Math.max(10, number(parameters, "size", DEFAULT_SIZE))));
    }

    /** The rows that pass the search and filters, sorted. */
    List<MailboxRow> apply(List<MailboxRow> rows) {
        Comparator<MailboxRow> order = MailboxRow.comparator(sort);
        return rows.stream()
                .filter(r -> q.isEmpty() || r.matches(q))
                .filter(r -> state.isEmpty() || r.state().equals(state))
                .filter(r -> backend.isEmpty() || r.backend().equals(backend))
                .filter(r -> wave.isEmpty() || (wave.equals(MigrationSummary.NO_WAVE) ? r.waves().isEmpty() : r.waves().contains(wave)))
                .sorted(descending ? order.reversed() : order)
                .toList();
    }

    /** The rows of the current page (the last page if {@code page} is past the end). */
    List<MailboxRow> pageOf(List<MailboxRow> filtered) {
        int from = (Math.min(page, pages(filtered.size())) - 1) * size;
        return filtered.subList(Math.max(0, from), Math.min(filtered.size(), Math.max(0, from) + size));
    }

    int pages(int rows) {
        return Math.max(1, (rows + size - 1) / size);
    }

    /** This query's URL with some parameters changed (a null value drops it). */
    String url(Map<String, String> changes) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("q", q);
        p.put("state", state);
        p.put("backend", backend);
        p.put("wave", wave);
        p.put("sort", sort.equals("mailbox") ? "" : sort);
        p.put("dir", descending ? "desc" : "");
        p.put("page", page == 1 ? "" : Integer.toString(page));
        p.put("size", size == DEFAULT_SIZE ? "" : Integer.toString(size));
        p.putAll(changes);
        StringBuilder out = new StringBuilder("/");
        char separator = '?';
        for (var entry : p.entrySet()) {
            if (entry.getValue() != null && !entry.getValue().isEmpty()) {
                out.append(separator).append(entry.getKey()).append('=')
                        .append(URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return out.toString();
    }

    private static String value(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        return values == null || values.length == 0 || values[0] == null ? "" : values[0];
    }

    private static int number(Map<String, String[]> parameters, String name, int fallback) {
        try {
            return Integer.parseInt(value(parameters, name));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
