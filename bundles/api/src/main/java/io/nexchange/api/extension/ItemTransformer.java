package io.nexchange.api.extension;

import io.nexchange.api.item.ItemContent;
import io.nexchange.api.state.Side;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Rewrites or drops an item on its way to one side: the engine hands every item it is about to create or update on
 * the {@link #TARGET target} side through the transformers registered for that side and the item's {@link #KIND
 * kind}, in order of {@code service.ranking} (highest first; then the older service first), each getting what the
 * one before returned.
 *
 * <p><b>Identity.</b> A transformer changes content, never identity: the item keeps its key (it is not the
 * transformer's to choose), and the engine refuses a result whose {@code UID} lines or media type differ from the
 * input's: the item is then not written, and the error names the transformer and the item.
 *
 * <p><b>Dropping.</b> {@link Optional#empty()} means the item does not travel to that side: it is not created there,
 * and a copy written earlier is deleted there (subject to the engine's mass-deletion guard). The item stays on its own
 * side and in the sync state; when the transformer lets it through again, it is written again.
 *
 * <p><b>Fingerprint.</b> What the engine wrote depends on the transformers, so the engine remembers, per pair and
 * side, the {@link #fingerprint() fingerprints} of the transformers it rendered the items with. When they change (a
 * transformer installed, reconfigured or removed), the next cycle reads every item of the pair again and rewrites on
 * the target side exactly the items whose rendered content differs from what was written: a redaction takes effect
 * on existing items, and its removal restores them.
 *
 * <p><b>Threading and blocking.</b> Called from the engine's worker threads, concurrently for different mailboxes:
 * implementations must be thread-safe. A call should be quick and must not do I/O per item; a transformer that needs
 * data from elsewhere caches it. A {@link RuntimeException} is treated like a {@link TransformException}.
 *
 * <p><b>Service properties.</b> {@link #TARGET} and {@link #KIND}, each absent for "all".
 *
 * @since 1.0
 */
@ConsumerType
public interface ItemTransformer {
    /** Service property: the side whose writes it transforms, {@code nextcloud} or {@code exchange}; absent: both. */
    String TARGET = "nexchange.transform.target";

    /** Service property: the kind of item it transforms, {@code calendar} or {@code contacts}; absent: both. */
    String KIND = "nexchange.transform.kind";

    /**
     * Transforms one item.
     *
     * @param item whose item this is
     * @param target the side it is about to be written to
     * @param content the item as the source side has it, or as the transformer before this one left it
     * @return the content to write, of the same media type and with the same {@code UID}; empty: do not write it there
     * @throws TransformException if the item cannot be transformed (it is not written this cycle)
     */
    Optional<ItemContent> transform(ItemContext item, Side target, ItemContent content) throws TransformException;

    /**
     * What this transformer does, as a short stable text that changes whenever its output for some item would change:
     * its name, its version and every setting that affects its output (for example
     * {@code "private-redactor 1 DESCRIPTION,LOCATION,ATTENDEE"}). Must not hold secrets (it is stored in the sync
     * state).
     */
    String fingerprint();
}
