package io.nexchange.engine.internal;

import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code nexchange:sync-status}: per mailbox state, last run, items, last error and alerts. A command name with a
 * hyphen matches no Java method name, so Gogo calls {@code _main} (its fallback) on this one-function service.
 */
@Component(service = SyncStatusCommand.class, property = {
    "osgi.command.scope=nexchange",
    "osgi.command.function=sync-status"
})
public final class SyncStatusCommand {
    private final SyncControl engine;

    @Activate
    public SyncStatusCommand(@Reference SyncControl engine) {
        this.engine = engine;
    }

    public String _main(String... args) {
        return render(engine.snapshot());
    }

    static String render(EngineSnapshot s) {
        StringBuilder out = new StringBuilder();
        if (s.cycleRunning()) {
            out.append(String.format(Locale.ROOT, "cycle running: %d/%d mailboxes, %d items written (%.1f items/s)%s%n",
                    s.mailboxesDone(), s.mailboxesTotal(), s.itemsWritten(), s.itemsPerSecond(),
                    s.eta().map(e -> ", ETA " + SyncScheduler.human(e)).orElse("")));
        } else {
            out.append(s.lastCycleFinished().map(t -> "last cycle: finished " + DateTimeFormatter.ISO_INSTANT.format(
                    t.truncatedTo(ChronoUnit.SECONDS)) + " after " + SyncScheduler.human(s.lastCycleDuration()) + ", "
                    + s.mailboxesTotal() + " mailboxes, " + s.itemsWritten() + " items written").orElse("no cycle yet"))
                    .append('\n');
        }
        if (!s.directoryError().isEmpty()) {
            out.append("MAILBOX LIST UNREADABLE: ").append(s.directoryError()).append('\n');
        }
        out.append(String.format(Locale.ROOT, "%-36s %-17s %-20s %7s %7s  %s%n", "MAILBOX", "STATE", "LAST RUN", "READ",
                "WRITTEN", "LAST ERROR / ALERTS"));
        for (EngineSnapshot.MailboxStatus m : s.mailboxes()) {
            String state = m.running() ? "RUNNING" : m.last().map(r -> r.state().name()).orElse("-");
            String last = m.last().map(r -> DateTimeFormatter.ISO_INSTANT.format(r.finished().truncatedTo(ChronoUnit.SECONDS)))
                    .orElse("-");
            String read = m.last().map(r -> Integer.toString(r.read())).orElse("-");
            String written = m.last().map(r -> Integer.toString(r.writes())).orElse("-");
            String problems = m.last().map(r -> String.join(" | ", r.notes()) + (r.error().isEmpty() ? ""
                    : (r.notes().isEmpty() ? "" : " | ") + r.error())).orElse("");
            out.append(String.format(Locale.ROOT, "%-36s %-17s %-20s %7s %7s  %s%n", m.mailbox(), state, last, read, written,
                    problems));
        }
        return out.toString();
    }
}
