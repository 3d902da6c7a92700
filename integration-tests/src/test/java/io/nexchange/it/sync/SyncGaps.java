package io.nexchange.it.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each mailbox's OK runs as the engine logged them (the end of each run and how long it took; runs that wrote nothing
 * are logged at DEBUG, which the test turns on for the scheduler), and the longest time a mailbox went without one:
 * between the starts of two OK runs (an edit made just after a run began is read by the next one) and between their ends.
 */
record SyncGaps(Map<String, List<SyncGaps.Run>> runs, int intervalSeconds) {
    /** One OK run: when it began and ended, by the runtime's log clock. */
    record Run(LocalDateTime started, LocalDateTime finished) {
        Duration took() {
            return Duration.between(started, finished);
        }
    }

    /** One gap: the runs before and after it. */
    record Gap(String mailbox, Run before, Run after) {
        Duration betweenStarts() {
            return Duration.between(before.started(), after.started());
        }

        Duration betweenEnds() {
            return Duration.between(before.finished(), after.finished());
        }
    }

    private static final Pattern RUN = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) (?:DEBUG|INFO) +\\[[^\\]]*\\] \\S+ - (\\S+@\\S+): OK \\(\\w+\\), "
                    + "\\d+ changes read, \\d+ written in (\\d+) ms$");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    static SyncGaps fromLog(Path log, int intervalSeconds) throws IOException {
        Map<String, List<Run>> runs = new TreeMap<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = RUN.matcher(line);
            if (m.matches()) {
                LocalDateTime finished = LocalDateTime.parse(m.group(1), LOG_TIME);
                runs.computeIfAbsent(m.group(2), k -> new ArrayList<>()).add(new Run(finished.minusNanos(
                        Long.parseLong(m.group(3)) * 1_000_000L), finished));
            }
        }
        runs.values().forEach(list -> list.sort(java.util.Comparator.comparing(Run::started)));
        return new SyncGaps(runs, intervalSeconds);
    }

    /** Every gap after each mailbox's first run (the initial sync, which the test awaits before anything else). */
    List<Gap> gaps() {
        List<Gap> gaps = new ArrayList<>();
        runs.forEach((mailbox, list) -> {
            for (int i = 2; i < list.size(); i++) {
                gaps.add(new Gap(mailbox, list.get(i - 1), list.get(i)));
            }
        });
        return gaps;
    }

    /**
     * The gaps longer than the engine's rule allows: a mailbox starts a run an interval after the last one started, or
     * the moment that one ended if it took longer; {@code tolerance} for the timer and the workers on a loaded machine.
     */
    List<Gap> beyond(Duration tolerance) {
        Duration interval = Duration.ofSeconds(intervalSeconds);
        return gaps().stream().filter(g -> {
            LocalDateTime due = g.before().started().plus(interval);
            LocalDateTime latest = (g.before().finished().isAfter(due) ? g.before().finished() : due).plus(tolerance);
            return g.after().started().isAfter(latest);
        }).toList();
    }

    Gap longestBetweenStarts() {
        return gaps().stream().max(java.util.Comparator.comparing(Gap::betweenStarts)).orElseThrow();
    }

    Gap longestBetweenEnds() {
        return gaps().stream().max(java.util.Comparator.comparing(Gap::betweenEnds)).orElseThrow();
    }

    /** The longest run after each mailbox's first (the initial sync). */
    Duration longestRun() {
        return runs.values().stream().flatMap(list -> list.stream().skip(1)).map(Run::took).max(Duration::compareTo)
                .orElse(Duration.ZERO);
    }

    static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    String report() {
        StringBuilder out = new StringBuilder();
        Gap starts = longestBetweenStarts();
        Gap ends = longestBetweenEnds();
        out.append(String.format(java.util.Locale.ROOT, "[figures] longest time without a sync (interval %d s, %d OK runs of %d "
                + "mailboxes in the log): %.1f s between the starts of two OK runs (%s, %s -> %s), %.1f s between their ends "
                + "(%s); longest run %.1f s (first runs, the initial sync, left out)%n", intervalSeconds, runs.values().stream().mapToInt(List::size).sum(), runs.size(),
                seconds(starts.betweenStarts()), starts.mailbox(), starts.before().started().toLocalTime(),
                starts.after().started().toLocalTime(), seconds(ends.betweenEnds()), ends.mailbox(), seconds(longestRun())));
        gaps().stream().filter(g -> g.betweenStarts().toMillis() > intervalSeconds * 1000L).forEach(g -> out.append(String.format(
                java.util.Locale.ROOT, "[gap] %s: %.1f s between the starts of OK runs at %s (took %.1f s) and %s (took %.1f s)%n",
                g.mailbox(), seconds(g.betweenStarts()), g.before().started().toLocalTime(), seconds(g.before().took()),
                g.after().started().toLocalTime(), seconds(g.after().took()))));
        return out.toString();
    }
}
