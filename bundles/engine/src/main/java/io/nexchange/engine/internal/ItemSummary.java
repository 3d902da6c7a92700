package io.nexchange.engine.internal;

import io.nexchange.api.item.ItemContent;

/**
 * What a person knows an item by, for the quarantine and its log line: the first {@code SUMMARY} of an iCalendar object
 * or the {@code FN} of a vCard, unfolded, unescaped only for commas and semicolons, at most 120 characters. A scan of the
 * content lines instead of ical4j / ez-vcard: the engine stays free of both libraries, and an item that is in
 * quarantine because it cannot be parsed must still show its name.
 */
final class ItemSummary {
    static final int MAX = 120;

    private ItemSummary() {}

    static String of(ItemContent content) {
        String unfolded = content.text().replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "");
        for (String line : unfolded.split("\n")) {
            String upper = line.length() > 8 ? line.substring(0, 8).toUpperCase(java.util.Locale.ROOT) : line.toUpperCase(java.util.Locale.ROOT);
            if (upper.startsWith("SUMMARY") || upper.startsWith("FN")) {
                int colon = valueStart(line);
                String name = upper.startsWith("SUMMARY") ? "SUMMARY" : "FN";
                char after = line.length() > name.length() ? line.charAt(name.length()) : ':';
                if (colon < 0 || (after != ':' && after != ';')) {
                    continue;
                }
                String value = line.substring(colon + 1).replace("\\,", ",").replace("\\;", ";").replace("\\n", " ").strip();
                return value.length() > MAX ? value.substring(0, MAX - 3) + "..." : value;
            }
        }
        return "";
    }

    /** The colon that ends the property name and parameters (a quoted parameter value may hold colons). */
    private static int valueStart(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ':' && !quoted) {
                return i;
            }
        }
        return -1;
    }
}
