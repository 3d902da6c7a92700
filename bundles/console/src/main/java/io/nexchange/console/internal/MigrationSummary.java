package io.nexchange.console.internal;

import io.nexchange.engine.control.MailboxView;
import io.nexchange.engine.control.MigrationView;
import io.nexchange.engine.control.ShadowView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The migration page's figures: per wave (and for the mailboxes in no wave) how many mailboxes go through each backend
 * at their next run, how many did not end OK, and what their shadow reads found; and whom a switch selector takes in.
 */
final class MigrationSummary {
    /** The wave filter's value for mailboxes in no wave. */
    static final String NO_WAVE = "-";

    /**
     * One wave's figures.
     *
     * @param name the wave, or {@link #NO_WAVE}
     * @param byBackend mailboxes per backend of their next run
     * @param notOk mailboxes whose last run did not end OK
     * @param shadowRead mailboxes with a shadow read
     * @param shadowDiffering of those, the ones with differences (or not compared)
     */
    record Wave(String name, List<String> patterns, String configuredBackend, int mailboxes, Map<String, Integer> byBackend,
            int notOk, int shadowRead, int shadowDiffering) {}

    final List<Wave> waves;
    final TreeSet<String> backends = new TreeSet<>();
    final Map<String, Integer> byBackend = new TreeMap<>();

    MigrationSummary(MigrationView migration, List<MailboxView> mailboxes) {
        Map<String, MailboxView> lastRuns = new TreeMap<>();
        mailboxes.forEach(m -> lastRuns.put(m.mailbox(), m));
        Map<String, ShadowView> shadows = new TreeMap<>();
        migration.shadowReads().forEach(s -> shadows.put(s.mailbox(), s));
        backends.addAll(migration.backendsRunning());
        migration.mailboxes().forEach(r -> {
            backends.add(r.backend());
            byBackend.merge(r.backend(), 1, Integer::sum);
        });
        Map<String, MigrationView.MailboxSet> defined = new LinkedHashMap<>();
        migration.waves().forEach(w -> defined.put(w.name(), w));
        List<Wave> out = new ArrayList<>();
        for (MigrationView.MailboxSet wave : migration.waves()) {
            out.add(wave(wave.name(), wave.patterns(), wave.backend(), migration.mailboxes().stream()
                    .filter(r -> r.waves().contains(wave.name())).toList(), lastRuns, shadows));
        }
        List<MigrationView.RouteView> none = migration.mailboxes().stream().filter(r -> r.waves().isEmpty()).toList();
        if (!none.isEmpty() || migration.waves().isEmpty()) {
            out.add(wave(NO_WAVE, List.of(), "", none, lastRuns, shadows));
        }
        this.waves = List.copyOf(out);
    }

    private static Wave wave(String name, List<String> patterns, String configured, List<MigrationView.RouteView> members,
            Map<String, MailboxView> lastRuns, Map<String, ShadowView> shadows) {
        Map<String, Integer> byBackend = new TreeMap<>();
        int notOk = 0;
        int shadowRead = 0;
        int differing = 0;
        for (MigrationView.RouteView r : members) {
            byBackend.merge(r.backend(), 1, Integer::sum);
            MailboxView last = lastRuns.get(r.mailbox());
            if (last != null && !last.state().equals("OK")) {
                notOk++;
            }
            ShadowView shadow = shadows.get(r.mailbox());
            if (shadow != null) {
                shadowRead++;
                if (shadow.differences() != 0) {
                    differing++;
                }
            }
        }
        return new Wave(name, patterns, configured, members.size(), byBackend, notOk, shadowRead, differing);
    }

    /**
     * Whether a switch selector ({@code MAILBOX}, {@code --wave W}, {@code --group G}, {@code --domain D}, {@code --all})
     * takes the mailbox in, as the engine decides it (for the confirmation page's preview).
     */
    static boolean takes(String selector, MigrationView.RouteView route) {
        String[] words = selector.strip().split("\\s+");
        String smtp = route.mailbox().toLowerCase(Locale.ROOT);
        if (words.length == 1) {
            return words[0].equals("--all") || words[0].toLowerCase(Locale.ROOT).equals(smtp);
        }
        if (words.length != 2) {
            return false;
        }
        return switch (words[0]) {
            case "--wave" -> route.waves().contains(words[1]);
            case "--group" -> route.groups().contains(words[1]);
            case "--domain" -> smtp.endsWith("@" + words[1].toLowerCase(Locale.ROOT));
            default -> false;
        };
    }
}
