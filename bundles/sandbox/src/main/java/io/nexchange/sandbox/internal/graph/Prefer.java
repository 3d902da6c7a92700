package io.nexchange.sandbox.internal.graph;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Prefer header values Graph honours for calendars and contacts. */
record Prefer(Integer maxPageSize, String timeZone) {
    private static final Pattern PAGE = Pattern.compile("odata\\.maxpagesize\\s*=\\s*\"?(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ZONE = Pattern.compile("outlook\\.timezone\\s*=\\s*\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    static Prefer parse(String header) {
        if (header == null) {
            return new Prefer(null, null);
        }
        Matcher p = PAGE.matcher(header);
        Matcher z = ZONE.matcher(header);
        return new Prefer(p.find() ? Integer.valueOf(p.group(1)) : null, z.find() ? z.group(1) : null);
    }
}
