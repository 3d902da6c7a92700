package io.nexchange.engine.internal;

import io.nexchange.api.state.ConflictRecord;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.SyncStateStore;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.felix.service.command.CommandSession;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code nexchange:conflicts list [MAILBOX] | show ID | restore ID}: the conflicts the engine resolved, with both
 * versions kept in the state database, and an operator's restore of the losing version (written back to the side that
 * lost at the pair's next run, then carried to the other side; {@code nexchange:sync MAILBOX} for at once).
 */
@Component(service = ConflictCommands.class, property = {
    "osgi.command.scope=nexchange",
    "osgi.command.function=conflicts"
})
public final class ConflictCommands {
    private static final Logger LOG = LoggerFactory.getLogger(ConflictCommands.class);
    static final String USAGE = "usage: nexchange:conflicts list [MAILBOX] | show ID | restore ID\n"
            + "  restore writes the losing version back as the current one (to the side that lost, then to the other side)\n";
    /** The session variable the remote console sets to the operator who sent the command. */
    static final String OPERATOR = "nexchange.operator";
    static final int LIST_LIMIT = 200;

    private final SyncStateStore state;

    @Activate
    public ConflictCommands(@Reference SyncStateStore state) {
        this.state = state;
    }

    public String conflicts(CommandSession session, String... args) throws StateException {
        if (args.length >= 1 && args.length <= 2 && args[0].equals("list")) {
            return list(state.conflicts(args.length == 2 ? args[1] : null, LIST_LIMIT));
        }
        if (args.length == 2 && (args[0].equals("show") || args[0].equals("restore"))) {
            long id;
            try {
                id = Long.parseLong(args[1]);
            } catch (NumberFormatException e) {
                return "not a conflict id: '" + args[1] + "' (the number nexchange:conflicts list shows)\n" + USAGE;
            }
            if (args[0].equals("show")) {
                return state.conflict(id).map(ConflictCommands::show).orElse("no conflict " + id + " (nexchange:conflicts list)\n");
            }
            return restore(id, operator(session));
        }
        return USAGE;
    }

    /** Who sent the command: the remote console's operator, else the local shell's user. */
    static String operator(CommandSession session) {
        Object who = session == null ? null : session.get(OPERATOR);
        return who != null ? who.toString() : "shell " + System.getProperty("user.name", "user");
    }

    private String restore(long id, String by) throws StateException {
        Optional<ConflictRecord> before = state.conflict(id);
        if (before.isEmpty()) {
            return "no conflict " + id + " (nexchange:conflicts list)\n";
        }
        if (before.get().restore() != null) {
            return "conflict " + id + " was already " + restoreState(before.get().restore()) + "\n";
        }
        ConflictRecord asked = state.requestRestore(id, by).orElseThrow();
        LOG.info("Conflict {} ({} {} {}) restore asked by {}: the {} version goes back at the pair's next run", id,
                asked.pair().mailbox(), kind(asked), asked.key().value(), by, Planner.name(asked.loser()));
        return "conflict " + id + ": the " + Planner.name(asked.loser()) + " version of " + describe(asked)
                + " is written back at the next run of " + asked.pair().mailbox() + " (now: nexchange:sync "
                + asked.pair().mailbox() + ")\n";
    }

    static String list(List<ConflictRecord> conflicts) {
        StringBuilder out = new StringBuilder();
        out.append(conflicts.size()).append(conflicts.size() == 1 ? " conflict" : " conflicts").append(" kept")
                .append(conflicts.size() == LIST_LIMIT ? " (the newest " + LIST_LIMIT + ")" : "").append('\n');
        for (ConflictRecord c : conflicts) {
            out.append(String.format(Locale.ROOT, "%6d  %s  %s  %s %s wins (%s), lost: %s%s%n", c.id(), time(c.at()),
                    c.pair().mailbox(), kind(c), Planner.name(c.winner()), c.policy(), describe(c),
                    c.restore() == null ? "" : ", " + restoreState(c.restore())));
        }
        return out.toString();
    }

    static String show(ConflictRecord c) {
        StringBuilder out = new StringBuilder();
        out.append("conflict ").append(c.id()).append(": ").append(c.pair().mailbox()).append(' ').append(kind(c)).append(' ')
                .append(c.key().value()).append(c.summary().isEmpty() ? "" : " '" + c.summary() + "'").append('\n')
                .append("resolved ").append(time(c.at())).append(": ").append(Planner.name(c.winner())).append(" wins (")
                .append(c.policy()).append(")\n");
        if (c.restore() != null) {
            out.append(restoreState(c.restore())).append('\n');
        }
        for (Side side : List.of(c.loser(), c.winner())) {
            ConflictRecord.Version v = c.version(side);
            out.append("--- ").append(Planner.name(side)).append(side == c.winner() ? " (kept)" : " (lost)").append(", ")
                    .append(v.ref()).append(" version ").append(v.version()).append('\n')
                    .append(v.content().text().replace("\r\n", "\n"));
            if (!v.content().text().endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    static String restoreState(ConflictRecord.Restore r) {
        return r.done() ? "restored " + time(r.doneAt()) + " (asked by " + r.requestedBy() + ")"
                : "restore asked by " + r.requestedBy() + " " + time(r.requestedAt()) + ", waiting for the next run";
    }

    private static String describe(ConflictRecord c) {
        return c.key().value() + (c.summary().isEmpty() ? "" : " '" + c.summary() + "'");
    }

    private static String kind(ConflictRecord c) {
        return c.pair().kind().name().toLowerCase(Locale.ROOT);
    }

    private static String time(java.time.Instant at) {
        return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS));
    }
}
