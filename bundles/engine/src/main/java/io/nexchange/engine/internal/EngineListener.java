package io.nexchange.engine.internal;

import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.time.Duration;

/** Told what the engine does, for meters. Called on worker threads; implementations must be quick and thread-safe. */
public interface EngineListener {
    default void written(SyncPair pair, Side target, String action) {}

    default void mailboxDone(MailboxResult result) {}

    default void cycleDone(Duration duration, int mailboxes) {}
}
