package io.nexchange.sandbox.internal.store;

import java.lang.ref.WeakReference;
import java.util.function.Supplier;

/**
 * The mailbox of one user, made on first use. A generated mailbox is a pure function of the tenant seed and the
 * user's index, so while nobody has changed it, it need not stay in memory: the slot keeps it weakly (plus a place in
 * the tenant's bounded {@link MailboxCache}) and generates it again when it was collected. The first change pins it
 * for good. So an idle mailbox costs this object, not its items; 10,000 of them fit in a few megabytes.
 */
public final class MailboxSlot {
    private final Supplier<Mailbox> generator;
    private final MailboxCache cache;
    private WeakReference<Mailbox> generated;
    private Mailbox pinned;
    private long pristineVersion = -1;

    public MailboxSlot(Supplier<Mailbox> generator, MailboxCache cache) {
        this.generator = generator;
        this.cache = cache;
    }

    /** The mailbox: the changed one, the generated one while still in memory, or a freshly generated one. */
    public Mailbox get() {
        Mailbox m;
        synchronized (this) {
            if (pinned != null) {
                return pinned;
            }
            m = generated == null ? null : generated.get();
            if (m == null) {
                m = generator.get();
                pristineVersion = m.version();
                Mailbox made = m;
                m.seal(() -> pin(made));
                generated = new WeakReference<>(m);
            }
        }
        cache.touch(this, m);
        return m;
    }

    private synchronized void pin(Mailbox m) {
        pinned = m;
        generated = null;
        cache.forget(this);
    }

    /** A throw-away copy of the mailbox as generated, never changed (what a client saw at {@link #pristineVersion}). */
    public Mailbox pristineCopy() {
        return generator.get();
    }

    /** The version of the generated mailbox (the same at every generation), -1 before the first. */
    public synchronized long pristineVersion() {
        if (pristineVersion < 0) {
            get();
        }
        return pristineVersion;
    }

    /** Has the mailbox been changed since it was generated (then it is held in memory for good)? */
    public synchronized boolean changed() {
        return pinned != null;
    }

    /** Is the mailbox's generated content in memory right now (for the memory figures)? */
    public synchronized boolean inMemory() {
        return pinned != null || generated != null && generated.get() != null;
    }
}
