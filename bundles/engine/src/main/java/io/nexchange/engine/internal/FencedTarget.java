package io.nexchange.engine.internal;

import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.item.ItemVersion;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.StoreException;
import java.util.Optional;

/**
 * An {@link ItemTarget} whose every write is preceded by the lease check ({@link LeaseHeartbeat#fresh}): a run whose
 * lease is lost, or could not be confirmed recently enough, writes nothing more to either side.
 */
final class FencedTarget implements ItemTarget {
    private final ItemTarget target;
    private final LeaseHeartbeat heartbeat;
    private final String mailbox;

    FencedTarget(ItemTarget target, LeaseHeartbeat heartbeat, String mailbox) {
        this.target = target;
        this.heartbeat = heartbeat;
        this.mailbox = mailbox;
    }

    private void fence() throws StoreException {
        if (!heartbeat.fresh()) {
            throw new StoreException("the lease of mailbox " + mailbox + " is lost (another instance may own it now); not written",
                    true, null);
        }
    }

    @Override
    public ItemVersion create(ItemKey key, ItemContent content) throws StoreException {
        fence();
        return target.create(key, content);
    }

    @Override
    public ItemVersion update(ItemKey key, String ref, String expectedVersion, ItemContent content) throws StoreException {
        fence();
        return target.update(key, ref, expectedVersion, content);
    }

    @Override
    public void delete(ItemKey key, String ref, String expectedVersion) throws StoreException {
        fence();
        target.delete(key, ref, expectedVersion);
    }

    @Override
    public Optional<ItemVersion> version(String ref) throws StoreException {
        return target.version(ref);
    }
}
