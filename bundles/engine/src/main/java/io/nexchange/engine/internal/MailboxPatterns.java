package io.nexchange.engine.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A named list of mailboxes as an operator writes it ({@code group.NAME} / {@code wave.NAME} of the engine's
 * configuration): addresses and patterns with {@code *} and {@code ?}, e.g. {@code *@sales.example.org, bob@example.org}.
 * Matching ignores case.
 */
record MailboxPatterns(String setting, List<String> patterns) {
    MailboxPatterns {
        patterns = List.copyOf(patterns);
    }

    /** Parses a comma- or space-separated list; the message names {@code setting} and the bad entry. */
    static MailboxPatterns parse(String setting, Object value) {
        List<String> patterns = new ArrayList<>();
        for (String entry : values(value)) {
            for (String part : entry.split("[,\\s]+")) {
                String p = part.trim().toLowerCase(Locale.ROOT);
                if (p.isEmpty()) {
                    continue;
                }
                int at = p.indexOf('@');
                if (at < 0 || at != p.lastIndexOf('@') || at == p.length() - 1) {
                    throw new IllegalArgumentException(setting + " lists mailboxes as addresses or patterns with * and ? "
                            + "(bob@example.org, *@sales.example.org), was '" + part.trim() + "'");
                }
                patterns.add(p);
            }
        }
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException(setting + " lists no mailbox (addresses or patterns such as *@sales.example.org)");
        }
        return new MailboxPatterns(setting, patterns);
    }

    boolean matches(String primarySmtp) {
        String smtp = primarySmtp.toLowerCase(Locale.ROOT);
        for (String p : patterns) {
            if (p.equals(smtp) || (p.indexOf('*') >= 0 || p.indexOf('?') >= 0) && glob(p, smtp)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code text} matches the glob ({@code *} any run, {@code ?} one character), without compiling a regular
     * expression: the console matches every mailbox against every wave on each page view.
     */
    static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** A configuration value as strings: a String, a String[] or a collection (Configuration Admin gives any of them). */
    static List<String> values(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String[] array) {
            return List.of(array);
        }
        if (value instanceof Iterable<?> iterable) {
            List<String> out = new ArrayList<>();
            iterable.forEach(v -> out.add(String.valueOf(v)));
            return out;
        }
        return List.of(String.valueOf(value));
    }

    @Override
    public String toString() {
        return String.join(", ", patterns);
    }
}
