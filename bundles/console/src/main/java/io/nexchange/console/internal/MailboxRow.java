package io.nexchange.console.internal;

import io.nexchange.engine.control.MailboxView;
import io.nexchange.engine.control.MigrationView;
import io.nexchange.state.overview.MailboxSummary;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One line of the mailbox table: the engine's view of the mailbox and what the state store holds for it.
 *
 * @param items status rows stored for it (items in sync), or -1 if unknown
 * @param nextBackend the backend of its next run (a switch made since its last run shows here first), or empty if unknown
 * @param waves the migration waves it is in
 */
record MailboxRow(MailboxView view, long items, String nextBackend, List<String> waves) {
    MailboxRow {
        waves = List.copyOf(waves);
    }

    static MailboxRow of(MailboxView view, Optional<MailboxSummary> summary) {
        return of(view, summary, Optional.empty());
    }

    static MailboxRow of(MailboxView view, Optional<MailboxSummary> summary, Optional<MigrationView.RouteView> route) {
        return new MailboxRow(view, summary.map(MailboxSummary::items).orElse(-1L), route.map(MigrationView.RouteView::backend)
                .orElse(""), route.map(MigrationView.RouteView::waves).orElse(List.of()));
    }

    String mailbox() {
        return view.mailbox();
    }

    /** RUNNING while a worker is on it, else how its last run ended. */
    String state() {
        return view.running() ? "RUNNING" : view.state();
    }

    String backend() {
        return view.backend().isEmpty() ? "-" : view.backend();
    }

    Optional<Instant> lastRun() {
        return view.lastRun();
    }

    /** The problem to show: the guard's alerts, then the error (both name their fix). */
    String problem() {
        String alerts = String.join(" | ", view.alerts());
        return alerts.isEmpty() ? view.error() : view.error().isEmpty() ? alerts : alerts + " | " + view.error();
    }

    /** Whether the search text occurs in the address, state, backend or problem (case-insensitive). */
    boolean matches(String query) {
        String q = query.toLowerCase(Locale.ROOT);
        return mailbox().toLowerCase(Locale.ROOT).contains(q) || state().toLowerCase(Locale.ROOT).contains(q)
                || backend().toLowerCase(Locale.ROOT).contains(q) || problem().toLowerCase(Locale.ROOT).contains(q);
    }

    /** The table's sort keys (the column names in the page's links). */
    static final List<String> SORTS = List.of("mailbox", "state", "backend", "wave", "lastRun", "items", "written", "problem");

    static Comparator<MailboxRow> comparator(String sort) {
        Comparator<MailboxRow> byMailbox = Comparator.comparing(MailboxRow::mailbox);
        Comparator<MailboxRow> primary = switch (sort) {
            case "state" -> Comparator.comparing(MailboxRow::state);
            case "backend" -> Comparator.comparing(MailboxRow::backend);
            case "wave" -> Comparator.comparing((MailboxRow r) -> String.join(",", r.waves()));
            case "lastRun" -> Comparator.comparing(r -> r.lastRun().orElse(Instant.EPOCH));
            case "items" -> Comparator.comparingLong(MailboxRow::items);
            case "written" -> Comparator.comparingInt(r -> r.view().written());
            case "problem" -> Comparator.comparing(MailboxRow::problem);
            default -> byMailbox;
        };
        return primary.thenComparing(byMailbox);
    }
}
