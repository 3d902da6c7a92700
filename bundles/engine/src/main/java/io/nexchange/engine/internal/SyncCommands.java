package io.nexchange.engine.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code nexchange:sync MAILBOX | --all [--allow-deletions]}: syncs now, waits and prints the outcome. Gogo finds the
 * method by the function name.
 */
@Component(service = SyncCommands.class, property = {
    "osgi.command.scope=nexchange",
    "osgi.command.function=sync"
})
public final class SyncCommands {
    static final Duration WAIT = Duration.ofMinutes(30);
    static final String USAGE = "usage: nexchange:sync [--allow-deletions] (MAILBOX | --all)\n";

    private final SyncControl engine;

    @Activate
    public SyncCommands(@Reference SyncControl engine) {
        this.engine = engine;
    }

    public String sync(String... args) throws InterruptedException {
        boolean all = false;
        boolean allowDeletions = false;
        String mailbox = null;
        for (String arg : args) {
            if (arg.equals("--all")) {
                all = true;
            } else if (arg.equals("--allow-deletions")) {
                allowDeletions = true;
            } else if (!arg.startsWith("-") && mailbox == null) {
                mailbox = arg;
            } else {
                return USAGE;
            }
        }
        if (all == (mailbox != null)) {
            return USAGE;
        }
        try {
            if (all) {
                List<MailboxResult> results = engine.syncAll(allowDeletions).get(WAIT.toMinutes(), TimeUnit.MINUTES);
                if (results.isEmpty()) {
                    return "no mailbox synced (the mailbox list is empty or could not be read: see nexchange:sync-status)\n";
                }
                StringBuilder out = new StringBuilder();
                results.forEach(r -> out.append(r.summary()).append('\n'));
                return out.toString();
            }
            return engine.syncNow(mailbox, allowDeletions).get(WAIT.toMinutes(), TimeUnit.MINUTES).summary() + "\n";
        } catch (ExecutionException e) {
            return "sync failed: " + e.getCause().getMessage() + "\n";
        } catch (TimeoutException e) {
            return "still running after " + WAIT.toMinutes() + " minutes; it goes on in the background (nexchange:sync-status)\n";
        }
    }
}
