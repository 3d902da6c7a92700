package io.nexchange.engine.internal;

import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.AccountDirectory;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.api.directory.Resolution;
import io.nexchange.api.item.Item;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.Change;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.StoreException;
import io.nexchange.api.state.StateException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shadow mode, the check before a cutover: reads a mailbox's default calendar and contacts through the backend that
 * syncs it and through the other one (graph / ews), and compares them by item key and field by field. It writes nothing
 * and touches no sync state (no cursor, no status row, no lease): both reads are full listings from the start. The
 * last report of each mailbox is kept for {@code /status}.
 */
final class ShadowReader {
    private final StoreRegistry stores;
    private final AccountDirectory accounts;
    private final BackendRouter router;
    private final Set<CollectionKind> kinds;
    private final Clock clock;
    private final Map<String, ShadowReport> last = new ConcurrentHashMap<>();

    ShadowReader(StoreRegistry stores, AccountDirectory accounts, BackendRouter router, Set<CollectionKind> kinds, Clock clock) {
        this.stores = stores;
        this.accounts = accounts;
        this.router = router;
        this.kinds = Set.copyOf(kinds);
        this.clock = clock;
    }

    /** The other backend of a pair of Exchange backends. */
    static String other(String backend) {
        return "ews".equals(backend) ? "graph" : "ews";
    }

    ShadowReport read(Mailbox mailbox) {
        String smtp = mailbox.primarySmtp();
        String primary;
        try {
            primary = router.route(smtp).backend();
        } catch (StateException e) {
            return keep(new ShadowReport(smtp, "?", "?", clock.instant(), Map.of(), "the state store failed: " + e.getMessage()));
        }
        String shadow = other(primary);
        Owner owner = new Owner(mailbox, account(mailbox));
        Map<CollectionKind, ShadowReport.KindReport> reports = new EnumMap<>(CollectionKind.class);
        for (CollectionKind kind : CollectionKind.values()) {
            if (!kinds.contains(kind)) {
                continue;
            }
            Optional<ItemStore> a = stores.store("exchange", primary, kind);
            Optional<ItemStore> b = stores.store("exchange", shadow, kind);
            if (a.isEmpty() || b.isEmpty()) {
                return keep(new ShadowReport(smtp, primary, shadow, clock.instant(), Map.of(), "no " + kind.name()
                        .toLowerCase(java.util.Locale.ROOT) + " ItemStore of backend '" + (a.isEmpty() ? primary : shadow)
                        + "' is running (install its feature: the shadow read needs both backends)"));
            }
            try {
                reports.put(kind, compare(listing(a.get(), owner, kind), listing(b.get(), owner, kind)));
            } catch (StoreException e) {
                return keep(new ShadowReport(smtp, primary, shadow, clock.instant(), Map.of(), e.getMessage()));
            }
        }
        return keep(new ShadowReport(smtp, primary, shadow, clock.instant(), reports, ""));
    }

    Map<String, ShadowReport> reports() {
        return new TreeMap<>(last);
    }

    private ShadowReport keep(ShadowReport report) {
        last.put(report.mailbox(), report);
        return report;
    }

    /** The Exchange stores need the mailbox only; the account is the mapped one when there is exactly one. */
    private Account account(Mailbox mailbox) {
        try {
            Resolution r = accounts.resolve(mailbox);
            if (r.account().isPresent()) {
                return r.account().get();
            }
        } catch (DirectoryException e) {
            // not needed to read Exchange
        }
        return new Account(mailbox.primarySmtp(), mailbox.primarySmtp(), "");
    }

    private static Map<ItemKey, Change> listing(ItemStore store, Owner owner, CollectionKind kind) throws StoreException {
        CollectionRef ref = store.collections(owner, kind).stream().filter(CollectionRef::isDefault).findFirst()
                .orElseThrow(() -> new StoreException("no default " + kind + " collection for " + owner, false));
        return ChangeReader.fullListing(new Endpoint("shadow", store.source(owner, ref), store.target(owner, ref)));
    }

    /** Both views by key: present in one only, unreadable in one (quarantine material), or rendered differently. */
    static ShadowReport.KindReport compare(Map<ItemKey, Change> primary, Map<ItemKey, Change> shadow) {
        List<String> onlyPrimary = new ArrayList<>();
        List<String> onlyShadow = new ArrayList<>();
        Map<String, List<ContentFields.Difference>> differing = new TreeMap<>();
        TreeSet<ItemKey> keys = new TreeSet<>(primary.keySet());
        keys.addAll(shadow.keySet());
        for (ItemKey key : keys) {
            Change a = primary.get(key);
            Change b = shadow.get(key);
            if (b == null) {
                onlyPrimary.add(key.value());
            } else if (a == null) {
                onlyShadow.add(key.value());
            } else if (a.isUnreadable() || b.isUnreadable()) {
                differing.put(key.value(), List.of(new ContentFields.Difference("(the whole item)", List.of(readable(a)),
                        List.of(readable(b)))));
            } else {
                Item x = a.item().orElseThrow();
                Item y = b.item().orElseThrow();
                if (!ContentHash.of(x.content()).equals(ContentHash.of(y.content()))) {
                    List<ContentFields.Difference> diffs = ContentFields.diff(x.content().text(), y.content().text());
                    if (!diffs.isEmpty()) {
                        differing.put(key.value(), diffs);
                    }
                }
            }
        }
        return new ShadowReport.KindReport(primary.size(), shadow.size(), onlyPrimary, onlyShadow, differing);
    }

    private static String readable(Change change) {
        return change.isUnreadable() ? "unreadable: " + change.problem().orElse("") : "readable";
    }
}
