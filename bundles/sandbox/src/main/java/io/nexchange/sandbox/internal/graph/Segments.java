package io.nexchange.sandbox.internal.graph;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Path segment helpers: the three spellings of the delta function, endpoint templates for counters. */
final class Segments {
    private static final Set<String> KEYWORDS = Set.of("users", "calendar", "calendars", "events", "calendarview",
            "delta", "instances", "contacts", "contactfolders", "childfolders", "photo", "$value", "$batch", "translateexchangeids",
            "groups", "members", "transitivemembers", "microsoft.graph.user", "microsoft.graph.group",
            "graph.user", "graph.group");

    private Segments() {
    }

    static boolean isDelta(String segment) {
        String s = segment.toLowerCase(Locale.ROOT);
        return s.equals("delta") || s.equals("delta()") || s.equals("microsoft.graph.delta") || s.equals("microsoft.graph.delta()");
    }

    static boolean is(String segment, String name) {
        return segment.equalsIgnoreCase(name);
    }

    /** "GET /users/{id}/calendarView/delta": the endpoint a request counts toward. */
    static String template(String method, List<String> segments) {
        StringBuilder sb = new StringBuilder(method).append(' ');
        for (String s : segments) {
            if (s.equalsIgnoreCase("v1.0")) {
                continue;
            }
            String name = isDelta(s) ? "delta" : s;
            sb.append('/').append(KEYWORDS.contains(name.toLowerCase(Locale.ROOT)) ? name : "{id}");
        }
        return sb.toString();
    }
}
