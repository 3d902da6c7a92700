package io.nexchange.engine.internal;

/**
 * Asked between pages and between actions of a pair run whether it may go on: the lease heartbeat (renewed when due)
 * and the engine's stop. A run that may not go on ends at the next such point: while reading it writes nothing; while
 * executing, {@link Pulse#STOP} commits the rows of the actions done (cursors kept) and {@link Pulse#LEASE_LOST}
 * abandons them (another instance owns the mailbox now; the next run adopts the writes already made).
 */
@FunctionalInterface
interface Heartbeat {
    enum Pulse {
        GO,
        /** The engine is stopping (deactivation, SIGTERM). */
        STOP,
        /** The mailbox's lease could not be renewed. */
        LEASE_LOST
    }

    Pulse check();

    Heartbeat ALWAYS = () -> Pulse.GO;

    /** Ends a read early: the pair run stops at a page boundary. */
    final class Halted extends Exception {
        private static final long serialVersionUID = 1L;

        final transient Pulse pulse;

        Halted(Pulse pulse) {
            super(pulse.name(), null, false, false);
            this.pulse = pulse;
        }
    }
}
