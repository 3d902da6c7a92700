package io.nexchange.ews.internal;

import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads whole rounds of an ItemSource, as the engine does: listed, then the listed items fetched. */
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
            for (Change c : withContent(source, page.changes())) {
                changes.put(c.key(), c);
            }
            cursor = page.next();
        } while (page.hasMore());
        return new Round(changes, pages, cursor, complete);
    }

    /** Listed items replaced by what fetch answered for them; those it left out (outside the window) dropped. */
    static java.util.List<Change> withContent(ItemSource source, java.util.List<Change> listed) throws StoreException {
        java.util.List<String> refs = listed.stream().filter(c -> !c.isRemoval() && c.item().isEmpty()).map(Change::ref).toList();
        Map<String, Change> fetched = new java.util.HashMap<>();
        for (int from = 0; from < refs.size(); from += 100) {
            source.fetch(refs.subList(from, Math.min(refs.size(), from + 100))).forEach(c -> fetched.put(c.ref(), c));
        }
        java.util.List<Change> out = new java.util.ArrayList<>();
        for (Change c : listed) {
            if (c.isRemoval() || c.item().isPresent()) {
                out.add(c);
            } else if (fetched.containsKey(c.ref())) {
                out.add(fetched.get(c.ref()));
            }
        }
        return out;
    }
}
