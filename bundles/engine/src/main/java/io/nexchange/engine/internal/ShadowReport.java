package io.nexchange.engine.internal;

import io.nexchange.api.CollectionKind;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a shadow read found ({@code nexchange:shadow}): one mailbox read through the backend that syncs it and through
 * the other one, nothing written. Per kind: how many items each backend shows, the keys only one shows, and the items
 * whose renderings differ, field by field.
 *
 * @param primary the backend the mailbox syncs through
 * @param shadow the other backend
 * @param kinds per kind, what was compared
 * @param error why the comparison could not be made (empty if it was)
 */
record ShadowReport(String mailbox, String primary, String shadow, Instant at, Map<CollectionKind, KindReport> kinds,
        String error) {

    /** One kind of one mailbox. */
    record KindReport(int primaryCount, int shadowCount, List<String> onlyPrimary, List<String> onlyShadow,
            Map<String, List<ContentFields.Difference>> differing) {
        int differences() {
            return onlyPrimary.size() + onlyShadow.size() + differing.size();
        }
    }

    ShadowReport {
        kinds = Map.copyOf(kinds);
        error = error == null ? "" : error;
    }

    /** Items that differ (missing on one side, or with another rendering); -1 when the comparison failed. */
    int differences() {
        return error.isEmpty() ? kinds.values().stream().mapToInt(KindReport::differences).sum() : -1;
    }

    String summary() {
        if (!error.isEmpty()) {
            return mailbox + ": " + primary + " vs " + shadow + " not compared: " + error;
        }
        StringBuilder out = new StringBuilder(mailbox).append(": ").append(primary).append(" vs ").append(shadow).append(", ")
                .append(differences() == 0 ? "the same" : differences() + " items differ");
        kinds.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.append(", ")
                .append(e.getKey().name().toLowerCase(Locale.ROOT)).append(' ').append(e.getValue().primaryCount()).append('/')
                .append(e.getValue().shadowCount()));
        return out.toString();
    }

    /** The summary, then every difference. */
    String render() {
        StringBuilder out = new StringBuilder(summary()).append('\n');
        kinds.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String kind = e.getKey().name().toLowerCase(Locale.ROOT);
            KindReport k = e.getValue();
            k.onlyPrimary().forEach(key -> out.append("  ").append(kind).append(' ').append(key).append(": only through ")
                    .append(primary).append('\n'));
            k.onlyShadow().forEach(key -> out.append("  ").append(kind).append(' ').append(key).append(": only through ")
                    .append(shadow).append('\n'));
            k.differing().forEach((key, diffs) -> {
                out.append("  ").append(kind).append(' ').append(key).append(": ").append(diffs.size())
                        .append(diffs.size() == 1 ? " field differs (" : " fields differ (").append(primary).append(" vs ")
                        .append(shadow).append(")\n");
                diffs.forEach(d -> out.append("    ").append(d).append('\n'));
            });
        });
        return out.toString();
    }
}
