package io.nexchange.engine.control;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/** What the engine shows and does for an operator; offered by the engine bundle while the engine runs. */
@ProviderType
public interface EngineControl {

    /** The current (or last) cycle and every mailbox the engine has run or is running, ordered by address. */
    EngineView view();

    /**
     * Syncs one mailbox now (joins a run of it in progress), as {@code nexchange:sync MAILBOX} does.
     *
     * @param allowDeletions let the mass-deletion guard pass, for this run only
     * @return the run's outcome; fails if the mailbox is not in the directory's scope
     */
    CompletableFuture<MailboxView> syncNow(String mailbox, boolean allowDeletions);

    /** Starts a cycle over every mailbox now (joins the running one), as {@code nexchange:sync --all} does. */
    CompletableFuture<List<MailboxView>> syncAll();
}
