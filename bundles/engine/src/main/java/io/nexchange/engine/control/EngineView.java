package io.nexchange.engine.control;

import java.util.List;

/**
 * A snapshot of the engine.
 *
 * @param cycle the current or last cycle
 * @param mailboxes every mailbox with a run, ordered by address
 */
public record EngineView(CycleView cycle, List<MailboxView> mailboxes) {
    public EngineView {
        mailboxes = List.copyOf(mailboxes);
    }
}
