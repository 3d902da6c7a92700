package io.nexchange.engine.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fields of an iCalendar or vCard text, for telling two renderings of one item apart field by field: each
 * property under the path of its component ({@code VEVENT/SUMMARY}; an override by its RECURRENCE-ID,
 * {@code VEVENT[20300111T090000Z]/SUMMARY}; a repeated component numbered from its second, {@code VEVENT/VALARM#2/TRIGGER}),
 * its value with
 * its parameters. Lines are unfolded first (RFC 5545 3.1, RFC 6350 3.2). A property that occurs several times
 * (ATTENDEE) is compared as a set.
 */
final class ContentFields {
    private ContentFields() {
    }

    /** One field that differs: its path and the values on each side (empty: absent there). */
    record Difference(String field, List<String> left, List<String> right) {
        @Override
        public String toString() {
            return field + ": " + show(left) + " vs " + show(right);
        }

        private static String show(List<String> values) {
            return values.isEmpty() ? "(absent)" : values.size() == 1 ? "'" + values.get(0) + "'" : values.toString();
        }
    }

    static Map<String, List<String>> fields(String text) {
        List<String> lines = unfold(text);
        Map<String, List<String>> fields = new TreeMap<>();
        List<String> path = new ArrayList<>();
        List<List<String>> pending = new ArrayList<>(); // per open component: its lines until END (to find RECURRENCE-ID)
        Map<String, Integer> seen = new TreeMap<>();
        for (String line : lines) {
            String name = name(line);
            if (name.equals("BEGIN")) {
                path.add(value(line));
                pending.add(new ArrayList<>());
            } else if (name.equals("END") && !path.isEmpty()) {
                List<String> own = pending.remove(pending.size() - 1);
                String component = path.remove(path.size() - 1);
                String rid = own.stream().filter(l -> name(l).equals("RECURRENCE-ID")).map(ContentFields::value).findFirst()
                        .orElse(null);
                String prefix = String.join("/", path);
                String id = component + (rid != null ? "[" + rid + "]" : "");
                String where = (prefix.isEmpty() ? "" : prefix + "/") + id;
                int n = seen.merge(where, 1, Integer::sum);
                if (n > 1) { // a repeated component (a second VALARM) numbered in order
                    where = where + "#" + n;
                }
                for (String l : own) {
                    fields.computeIfAbsent(where + "/" + name(l), k -> new ArrayList<>()).add(l.substring(name(l).length()));
                }
            } else if (!pending.isEmpty()) {
                pending.get(pending.size() - 1).add(line);
            }
        }
        fields.replaceAll((k, v) -> List.copyOf(new TreeSet<>(v)));
        return fields;
    }

    /** The fields that differ between two renderings, in field order. */
    static List<Difference> diff(String left, String right) {
        Map<String, List<String>> a = fields(left);
        Map<String, List<String>> b = fields(right);
        TreeSet<String> names = new TreeSet<>(a.keySet());
        names.addAll(b.keySet());
        List<Difference> out = new ArrayList<>();
        for (String n : names) {
            List<String> x = a.getOrDefault(n, List.of());
            List<String> y = b.getOrDefault(n, List.of());
            if (!Objects.equals(x, y)) {
                out.add(new Difference(n, x.stream().map(ContentFields::strip).toList(), y.stream().map(ContentFields::strip).toList()));
            }
        }
        return out;
    }

    /** ":value" or ";PARAM=x:value" as read; shown without the leading colon. */
    private static String strip(String rest) {
        return rest.startsWith(":") ? rest.substring(1) : rest;
    }

    private static List<String> unfold(String text) {
        List<String> out = new ArrayList<>();
        for (String raw : text.replace("\r\n", "\n").replace('\r', '\n').split("\n")) {
            if ((raw.startsWith(" ") || raw.startsWith("\t")) && !out.isEmpty()) {
                out.set(out.size() - 1, out.get(out.size() - 1) + raw.substring(1));
            } else if (!raw.isEmpty()) {
                out.add(raw);
            }
        }
        return out;
    }

    /** The property name in upper case (a vCard group prefix such as ITEM1. is kept). */
    private static String name(String line) {
        int end = 0;
        while (end < line.length() && line.charAt(end) != ':' && line.charAt(end) != ';') {
            end++;
        }
        return line.substring(0, end).toUpperCase(java.util.Locale.ROOT);
    }

    private static String value(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? "" : line.substring(colon + 1).trim();
    }
}
