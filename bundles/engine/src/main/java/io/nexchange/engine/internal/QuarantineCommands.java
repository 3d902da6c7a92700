package io.nexchange.engine.internal;

import io.nexchange.api.state.QuarantinedItem;
import io.nexchange.api.state.StateException;
import io.nexchange.api.state.SyncStateStore;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code nexchange:quarantine list [MAILBOX]} and {@code nexchange:quarantine retry MAILBOX [ITEM]}: the items held
 * back after failing on their own, and an operator's retry of them (the side they live on is read in full at the next
 * run, so they are tried again although they did not change).
 */
@Component(service = QuarantineCommands.class, property = {
    "osgi.command.scope=nexchange",
    "osgi.command.function=quarantine"
})
public final class QuarantineCommands {
    static final String USAGE = "usage: nexchange:quarantine list [MAILBOX] | retry MAILBOX [ITEM]\n"
            + "  ITEM is the item's id (ref) or key as list shows it; without it every quarantined item of the mailbox\n";

    private final SyncStateStore state;

    @Activate
    public QuarantineCommands(@Reference SyncStateStore state) {
        this.state = state;
    }

    public String quarantine(String... args) throws StateException {
        if (args.length >= 1 && args.length <= 2 && args[0].equals("list")) {
            List<QuarantinedItem> items = state.quarantined().stream()
                    .filter(q -> args.length == 1 || q.pair().mailbox().equalsIgnoreCase(args[1])).toList();
            return render(items);
        }
        if (args.length >= 2 && args.length <= 3 && args[0].equals("retry")) {
            List<QuarantinedItem> released = state.retryQuarantined(args[1], args.length == 3 ? args[2] : null);
            if (released.isEmpty()) {
                return "nothing quarantined for " + args[1] + (args.length == 3 ? " matches '" + args[2] + "'" : "")
                        + " (nexchange:quarantine list " + args[1] + ")\n";
            }
            StringBuilder out = new StringBuilder();
            for (QuarantinedItem q : released) {
                out.append("released ").append(describe(q)).append('\n');
            }
            return out.append("the next run of ").append(args[1]).append(" reads ").append(released.size() == 1 ? "its side" : "their sides")
                    .append(" in full and tries ").append(released.size() == 1 ? "it" : "them").append(" again (now: nexchange:sync ")
                    .append(args[1]).append(")\n").toString();
        }
        return USAGE;
    }

    /** The table of {@code list} and of the status section. */
    static String render(List<QuarantinedItem> items) {
        long held = items.stream().filter(QuarantinedItem::held).count();
        StringBuilder out = new StringBuilder();
        out.append(held).append(held == 1 ? " item" : " items").append(" quarantined");
        long mailboxes = items.stream().filter(QuarantinedItem::held).map(q -> q.pair().mailbox()).distinct().count();
        if (held > 0) {
            out.append(" in ").append(mailboxes).append(mailboxes == 1 ? " mailbox" : " mailboxes");
        }
        if (items.size() > held) {
            out.append(", ").append(items.size() - held).append(" failing (held after ").append(Quarantine.HOLD_AFTER).append(" runs)");
        }
        out.append('\n');
        String mailbox = null;
        for (QuarantinedItem q : items) {
            if (!q.pair().mailbox().equals(mailbox)) {
                mailbox = q.pair().mailbox();
                String m = mailbox;
                out.append(mailbox).append(": ").append(items.stream().filter(i -> i.pair().mailbox().equals(m) && i.held()).count())
                        .append(" quarantined\n");
            }
            out.append("  ").append(describe(q)).append('\n');
        }
        return out.toString();
    }

    private static String describe(QuarantinedItem q) {
        return (q.held() ? "" : "(failing) ") + q.pair().kind().name().toLowerCase(Locale.ROOT) + " " + Planner.name(q.side())
                + " " + q.ref() + (q.summary().isEmpty() ? "" : " '" + q.summary() + "'") + (q.key() == null ? "" : " key " + q.key().value())
                + " version " + q.version() + ", since " + DateTimeFormatter.ISO_INSTANT.format(q.firstFailed().truncatedTo(ChronoUnit.SECONDS))
                + ", " + q.attempts() + (q.attempts() == 1 ? " attempt" : " attempts") + ": " + q.reason();
    }
}
