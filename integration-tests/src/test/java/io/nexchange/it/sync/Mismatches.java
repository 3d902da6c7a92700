package io.nexchange.it.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Differences found, each naming the mailbox, the item and the field; the test fails with all of them listed. */
final class Mismatches {
    private final List<String> found = new ArrayList<>();
    private int checks;

    void check(String item, String field, Object expected, Object actual) {
        checks++;
        if (!Objects.equals(expected, actual)) {
            found.add(item + " / " + field + ": " + difference(String.valueOf(expected), String.valueOf(actual)));
        }
    }

    /** Short values in full; long ones (bodies) from a little before the first differing character. */
    static String difference(String expected, String actual) {
        if (expected.length() + actual.length() < 300) {
            return "expected <" + expected + "> but Radicale has <" + actual + ">";
        }
        int at = 0;
        while (at < expected.length() && at < actual.length() && expected.charAt(at) == actual.charAt(at)) {
            at++;
        }
        int from = Math.max(0, at - 40);
        return "first difference at character " + at + " (lengths " + expected.length() + " / " + actual.length() + "): expected <..."
                + expected.substring(from, Math.min(expected.length(), at + 40)) + "...> but Radicale has <..."
                + actual.substring(Math.min(from, actual.length()), Math.min(actual.length(), at + 40)) + "...>";
    }

    void fail(String item, String what) {
        checks++;
        found.add(item + ": " + what);
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    int checks() {
        return checks;
    }

    List<String> list() {
        return List.copyOf(found);
    }

    String report() {
        StringBuilder out = new StringBuilder(found.size() + " of " + checks + " field checks failed:\n");
        found.stream().map(f -> f.replace("\n", "\\n")).limit(60).forEach(f -> out.append("  ").append(f).append('\n'));
        if (found.size() > 60) {
            out.append("  ... and ").append(found.size() - 60).append(" more\n");
        }
        return out.toString();
    }
}
