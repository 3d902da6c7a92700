package io.nexchange.sandbox.internal.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The generated, unchanged mailboxes used most recently, at most {@code capacity} of them: they stay in memory so a
 * sync cycle over a few hundred mailboxes does not generate each again; beyond that they are made again on demand.
 */
public final class MailboxCache {
    private final Map<MailboxSlot, Mailbox> recent;

    public MailboxCache(int capacity) {
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<MailboxSlot, Mailbox> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void touch(MailboxSlot slot, Mailbox mailbox) {
        recent.put(slot, mailbox);
    }

    synchronized void forget(MailboxSlot slot) {
        recent.remove(slot);
    }

    /** Drops every cached mailbox (unchanged mailboxes are generated again when next used). */
    public synchronized void clear() {
        recent.clear();
    }

    public synchronized int size() {
        return recent.size();
    }
}
