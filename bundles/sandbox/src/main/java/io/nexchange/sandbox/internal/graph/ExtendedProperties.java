package io.nexchange.sandbox.internal.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexchange.sandbox.internal.http.GraphException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Single-value extended properties in queries, as Graph takes them: {@code $filter=singleValueExtendedProperties/Any(ep:
 * ep/id eq '{id}' and ep/value eq '{value}')} keeps the items carrying the property with that value (the value compared
 * without regard to case, as Graph documents), and {@code $expand=singleValueExtendedProperties($filter=id eq '{id}')}
 * adds the property to each item that has it. The property id's type and GUID ignore case, its name does not.
 */
final class ExtendedProperties {
    private static final String QUOTED = "'((?:[^']|'')*)'";
    private static final Pattern FILTER = Pattern.compile("singleValueExtendedProperties/any\\(\\s*(\\w+)\\s*:\\s*\\1/id eq "
            + QUOTED + "(?:\\s+and\\s+\\1/value eq " + QUOTED + ")?\\s*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern EXPAND = Pattern.compile("singleValueExtendedProperties\\(\\s*\\$filter=id eq " + QUOTED
            + "\\s*\\)", Pattern.CASE_INSENSITIVE);

    private ExtendedProperties() {
    }

    /** A parsed {@code $filter} on one extended property; {@code value} null: only that the item has it. */
    record Filter(String id, String value) {
        boolean matches(Map<String, String> properties) {
            for (Map.Entry<String, String> p : properties.entrySet()) {
                if (sameId(p.getKey(), id)) {
                    return value == null || (p.getValue() != null && p.getValue().equalsIgnoreCase(value));
                }
            }
            return false;
        }
    }

    /**
     * The extended-property filter of a {@code $filter}, or null if there is none.
     *
     * @throws GraphException 400 for another filter on a resource that supports only this one here
     */
    static Filter filter(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        Matcher m = FILTER.matcher(filter.trim());
        if (!m.matches()) {
            throw GraphException.badRequest("ErrorInvalidUrlQueryFilter",
                    "The sandbox filters this collection on singleValueExtendedProperties only, not: " + filter);
        }
        return new Filter(unquote(m.group(2)), m.group(3) == null ? null : unquote(m.group(3)));
    }

    /** Adds {@code singleValueExtendedProperties} to {@code body} if {@code $expand} asks for a property the item has. */
    static void expand(ObjectNode body, Map<String, String> properties, String expand) {
        if (expand == null) {
            return;
        }
        Matcher m = EXPAND.matcher(expand);
        if (!m.find()) {
            return;
        }
        String id = unquote(m.group(1));
        ArrayNode out = body.putArray("singleValueExtendedProperties");
        properties.forEach((key, value) -> {
            if (sameId(key, id)) {
                ObjectNode p = out.addObject();
                p.put("id", key);
                p.put("value", value);
            }
        });
    }

    private static boolean sameId(String a, String b) {
        int nameA = a.indexOf(" Name ");
        int nameB = b.indexOf(" Name ");
        if (nameA < 0 || nameB < 0) {
            return a.equalsIgnoreCase(b);
        }
        return a.substring(0, nameA).toLowerCase(Locale.ROOT).equals(b.substring(0, nameB).toLowerCase(Locale.ROOT))
                && a.substring(nameA).equals(b.substring(nameB));
    }

    private static String unquote(String quoted) {
        return quoted.replace("''", "'");
    }
}
