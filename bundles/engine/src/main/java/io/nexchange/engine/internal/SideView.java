package io.nexchange.engine.internal;

import io.nexchange.api.item.Item;
import io.nexchange.api.source.Change;
import io.nexchange.api.state.SideStatus;

/**
 * One side of one item in one round: what status remembers and what this round observed (null: nothing new). An
 * observed item comes with its content unless its version equals the status row's (then the engine did not fetch it,
 * and the status row's hash stands for the content).
 */
final class SideView {
    final SideStatus status;
    final Change change;
    /** Observed by asking the source for it after its windowed full listing left it out: it is outside the window. */
    private final boolean outsideWindow;
    private String hash;

    SideView(SideStatus status, Change change) {
        this(status, change, false);
    }

    SideView(SideStatus status, Change change, boolean outsideWindow) {
        this.status = status;
        this.change = change;
        this.outsideWindow = outsideWindow;
    }

    boolean observed() {
        return change != null && !change.isRemoval();
    }

    /** Exists on this side now (unobserved items are as status remembers them). */
    boolean present() {
        return change == null ? status != null : !change.isRemoval();
    }

    /**
     * Changed since the last sync: new, deleted, or edited. An edit needs the version AND the content hash to
     * differ (vdirsyncer's is_changed): a new ETag/changeKey over the same content is churn and writes nothing.
     */
    boolean changed() {
        if (change == null) {
            return false;
        }
        if (change.isRemoval()) {
            return status != null;
        }
        return status == null || (!status.version().equals(version()) && !status.hash().equals(hash()));
    }

    /** The observed item with its content (fetched for every observation whose version differs from status). */
    Item item() {
        return change.item().orElseThrow(() -> new IllegalStateException(change + " was listed without content"));
    }

    private String version() {
        return change.version().orElseThrow();
    }

    String hash() {
        if (hash == null) {
            hash = observed() && change.item().isPresent() ? ContentHash.of(item().content()) : status.hash();
        }
        return hash;
    }

    /**
     * The side's status row as of now (null if absent). An observed item is outside the side's window only if it was
     * found by asking after a windowed full listing left it out; any listing of it ends the mark.
     */
    SideStatus current() {
        if (observed()) {
            return new SideStatus(change.ref(), version(), hash(), outsideWindow);
        }
        return present() ? status : null;
    }

    /**
     * Whether the remembered ref/version (or the mark of an item outside the side's window) differ from what was observed
     * (a status refresh without writes), or the side
     * handed its content along in the very version written (the echo of our own write, e.g. in Graph's delta) and it
     * hashes otherwise than status remembers: the side keeps its own rendering of what was written (Graph's mapping
     * of a Nextcloud item), so its hash is learnt here. Without it, the next version churn of the item (a new changeKey
     * over the same content) would differ from the hash of what was sent, count as an edit and write the side's lossy
     * rendering back over the richer original.
     */
    boolean drifted() {
        SideStatus now = current();
        return now != null && (status == null || !status.ref().equals(now.ref()) || !status.version().equals(now.version())
                || !status.hash().equals(now.hash()) || status.outsideWindow() != now.outsideWindow());
    }
}
