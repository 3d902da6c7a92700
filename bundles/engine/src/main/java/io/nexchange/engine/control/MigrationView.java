package io.nexchange.engine.control;

import java.util.List;
import java.util.Set;

/**
 * The move between Exchange backends (EWS and Graph) as the engine routes it now: the configured waves and groups,
 * the switches made, every mailbox's backend for its next run and the rule that chose it, and the last shadow reads.
 *
 * @param backendsRunning the Exchange-side backends whose stores run now (graph, ews)
 * @param defaultBackend {@code backend.default}
 * @param rules the configured routing in one line ({@code backend.*} of {@code io.nexchange.engine})
 * @param automaticRouting whether {@code routing.automatic} is on
 * @param waves the migration waves ({@code wave.NAME}), by name
 * @param groups the groups ({@code group.NAME}), by name
 * @param switches the {@code nexchange:switch} decisions in force, oldest first
 * @param mailboxes the mailboxes the engine knows (the last directory listing and every mailbox it ran), by address
 * @param shadowReads the last shadow read of each mailbox that had one, by address
 */
public record MigrationView(Set<String> backendsRunning, String defaultBackend, String rules, boolean automaticRouting,
        List<MailboxSet> waves, List<MailboxSet> groups, List<SwitchView> switches, List<RouteView> mailboxes,
        List<ShadowView> shadowReads) {
    public MigrationView {
        backendsRunning = Set.copyOf(backendsRunning);
        waves = List.copyOf(waves);
        groups = List.copyOf(groups);
        switches = List.copyOf(switches);
        mailboxes = List.copyOf(mailboxes);
        shadowReads = List.copyOf(shadowReads);
    }

    /**
     * A named list of mailboxes of the engine's configuration: a migration wave or a group.
     *
     * @param name the NAME of {@code wave.NAME} / {@code group.NAME}
     * @param patterns its addresses and {@code *}/{@code ?} patterns
     * @param backend the backend {@code backend.wave} / {@code backend.group} gives it, or empty
     */
    public record MailboxSet(String name, List<String> patterns, String backend) {
        public MailboxSet {
            patterns = List.copyOf(patterns);
        }
    }

    /**
     * One mailbox's backend for its next run.
     *
     * @param backend graph or ews
     * @param because the rule that chose it ({@code backend.default}, {@code nexchange:switch --wave 1 graph at ...},
     *     {@code automatic: ...})
     * @param automatic whether automatic routing chose it (the configured backend refused the mailbox)
     * @param waves the waves the mailbox is in
     * @param groups the groups the mailbox is in
     */
    public record RouteView(String mailbox, String backend, String because, boolean automatic, List<String> waves,
            List<String> groups) {
        public RouteView {
            waves = List.copyOf(waves);
            groups = List.copyOf(groups);
        }
    }

    /**
     * A switch in force.
     *
     * @param selector as the command is written: {@code --wave 1}, {@code --all}, {@code alice@example.org}
     */
    public record SwitchView(String selector, String backend, java.time.Instant at) {}
}
