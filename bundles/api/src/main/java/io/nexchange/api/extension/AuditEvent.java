package io.nexchange.api.extension;

import io.nexchange.api.state.Side;
import java.time.Instant;
import java.util.Objects;

/**
 * One thing the engine did to an item, for an {@link AuditSink}. Immutable. Carries no item content.
 *
 * @since 1.0
 */
public final class AuditEvent {
    /** What happened. */
    public enum Type {
        /** The item was created on {@link #side()}. */
        CREATED,
        /** The item was overwritten on {@link #side()}. */
        UPDATED,
        /** The item was deleted on {@link #side()}. */
        DELETED,
        /** The item changed on both sides; {@link #side()} won ({@link #detail()}: the policy); an UPDATED follows. */
        CONFLICT,
        /** A write to {@link #side()} failed ({@link #detail()}: why); it is retried next cycle. */
        FAILED
    }

    private final Instant time;
    private final Type type;
    private final ItemContext item;
    private final Side side;
    private final String ref;
    private final String detail;

    /**
     * @param side the side written to (for {@link Type#CONFLICT}, the side that won)
     * @param ref the item's reference on that side after the write, or "" if there is none (a deletion, a failure)
     * @param detail the policy of a conflict, the reason of a failure, else ""
     */
    public AuditEvent(Instant time, Type type, ItemContext item, Side side, String ref, String detail) {
        this.time = Objects.requireNonNull(time, "time");
        this.type = Objects.requireNonNull(type, "type");
        this.item = Objects.requireNonNull(item, "item");
        this.side = Objects.requireNonNull(side, "side");
        this.ref = Objects.requireNonNull(ref, "ref");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    public Instant time() {
        return time;
    }

    public Type type() {
        return type;
    }

    public ItemContext item() {
        return item;
    }

    public Side side() {
        return side;
    }

    public String ref() {
        return ref;
    }

    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return time + " " + type + " " + item + " " + side + (ref.isEmpty() ? "" : " " + ref)
                + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
