package io.nexchange.engine.internal;

import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.DirectoryException;
import java.util.List;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code nexchange:shadow MAILBOX | --all}: the pre-cutover check. Reads each mailbox through the backend it syncs with
 * and through the other one, writes nothing, and prints every difference (counts, keys only one backend shows, fields
 * that differ). The last report of each mailbox also shows in {@code nexchange:status} and {@code /status}.
 */
@Component(service = ShadowCommand.class, property = {
    "osgi.command.scope=nexchange",
    "osgi.command.function=shadow"
})
public final class ShadowCommand {
    static final String USAGE = "usage: nexchange:shadow (MAILBOX | --all)\n";

    private final SyncControl engine;

    @Activate
    public ShadowCommand(@Reference SyncControl engine) {
        this.engine = engine;
    }

    public String shadow(String... args) {
        if (args.length != 1) {
            return USAGE;
        }
        List<Mailbox> inScope;
        try {
            inScope = engine.mailboxes();
        } catch (DirectoryException e) {
            return "the mailbox list could not be read: " + e.getMessage() + "\n";
        }
        List<Mailbox> chosen;
        if (args[0].equals("--all")) {
            chosen = inScope;
        } else if (args[0].startsWith("-")) {
            return USAGE;
        } else {
            String wanted = args[0].trim().toLowerCase(Locale.ROOT);
            chosen = inScope.stream().filter(m -> m.primarySmtp().equals(wanted)).toList();
            if (chosen.isEmpty()) {
                return "mailbox " + wanted + " is not in the mailbox directory's scope\n";
            }
        }
        StringBuilder out = new StringBuilder();
        int differing = 0;
        for (Mailbox m : chosen) {
            ShadowReport report = engine.shadowReader().read(m);
            if (report.differences() != 0) {
                differing++;
            }
            out.append(report.render());
        }
        out.append("Shadow read of ").append(chosen.size()).append(" mailboxes: ").append(differing)
                .append(" with differences or not compared; nothing was written.\n");
        return out.toString();
    }
}
