package io.nexchange.engine.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The engine as the console commands and the meters see it (a service private to this bundle). */
public interface SyncControl {
    CompletableFuture<MailboxResult> syncNow(String primarySmtp, boolean allowDeletions);

    CompletableFuture<List<MailboxResult>> syncAll(boolean allowDeletions);

    EngineSnapshot snapshot();

    double lagSeconds();

    void addListener(EngineListener listener);

    void removeListener(EngineListener listener);

    /** Which backend serves which mailbox, and the switches ({@code nexchange:switch}). */
    BackendRouter router();

    /** The mailboxes in scope now (the mailbox directory's list). */
    List<io.nexchange.api.Mailbox> mailboxes() throws io.nexchange.api.directory.DirectoryException;

    /** Shadow reads ({@code nexchange:shadow}) and their last reports. */
    ShadowReader shadowReader();

    /** This instance's part of the fleet sharing the state database. */
    Fleet fleet();

    /** The Exchange-side backends whose ItemStores are running now. */
    java.util.Set<String> runningExchangeBackends();
}
