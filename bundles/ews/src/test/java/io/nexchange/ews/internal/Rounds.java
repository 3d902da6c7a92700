package io.nexchange.ews.internal;

import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads whole rounds of an ItemSource, as the engine does. */
final class Rounds {
    private Rounds() {
    }

    /** One round: the changes by key (a later one wins), how many pages, the cursor to keep, whether it lists everything. */
    record Round(Map<ItemKey, Change> changes, int pages, Cursor cursor, boolean complete) {
    }

    static Round read(ItemSource source, Cursor from) throws StoreException {
        Map<ItemKey, Change> changes = new LinkedHashMap<>();
        Cursor cursor = from;
        int pages = 0;
        boolean complete = false;
        ChangePage page;
        do {
            page = source.changes(cursor);
            if (pages == 0) {
                complete = page.complete();
            }
            pages++;
            page.changes().forEach(c -> changes.put(c.key(), c));
            cursor = page.next();
        } while (page.hasMore());
        return new Round(changes, pages, cursor, complete);
    }
}
