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

    /**
     * The EWS/Graph migration now: waves, groups, switches, each mailbox's backend for its next run, the last shadow
     * reads. Built from the engine's memory and one read of the switches from the state database (the mailbox directory
     * is not listed).
     *
     * @since 1.1
     */
    MigrationView migration();

    /**
     * Moves mailboxes to another Exchange backend from their next run, as {@code nexchange:switch} does: kept in the
     * state database, sync state kept (one full listing matched by item key; nothing written for an unchanged item).
     *
     * @param selector {@code MAILBOX}, {@code --wave NAME}, {@code --group NAME}, {@code --domain DOMAIN} or {@code --all}
     * @param backend graph or ews
     * @throws IllegalArgumentException naming what to fix (an unknown wave, group or backend, a bad selector)
     * @throws IllegalStateException if the state database failed
     * @since 1.1
     */
    SwitchOutcome switchBackend(String selector, String backend);

    /**
     * A shadow read of one mailbox, as {@code nexchange:shadow MAILBOX} does: both backends' views compared, nothing
     * written; the report is also kept as the mailbox's last one.
     *
     * @return the report; fails if the mailbox is not in the directory's scope
     * @since 1.1
     */
    CompletableFuture<ShadowView> shadowRead(String mailbox);
}
