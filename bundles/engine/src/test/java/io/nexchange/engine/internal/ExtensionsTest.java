package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.extension.AuditEvent;
import io.nexchange.api.extension.ConflictResolver;
import io.nexchange.api.extension.ItemContext;
import io.nexchange.api.extension.ItemTransformer;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The extension points as the engine applies them, with in-memory stores on both sides. */
class ExtensionsTest {
    static final SyncPair PAIR = new SyncPair("alice@example.org", CollectionKind.CALENDAR, "default", "nc:personal");

    MemoryStore.Collection ex;
    MemoryStore.Collection nc;
    MemoryStateStore state;
    Extensions extensions;

    @BeforeEach
    void setUp() {
        ex = new MemoryStore.Collection(CollectionKind.CALENDAR, "graph:cal");
        nc = new MemoryStore.Collection(CollectionKind.CALENDAR, "dav:personal");
        state = new MemoryStateStore();
        extensions = new Extensions(Clock.systemUTC());
    }

    PairResult sync(SyncSettings settings) throws Exception {
        return new PairSync(state, settings, PairSync.Listener.NONE, Heartbeat.ALWAYS, extensions)
                .sync(PAIR, new Endpoint("graph", ex, ex), new Endpoint("caldav", nc, nc), false);
    }

    static String privateEvent(String uid) {
        return ics(uid, "private " + uid).replace("END:VEVENT", "CLASS:PRIVATE\r\nLOCATION:Clinic\r\nEND:VEVENT");
    }

    /** A transformer of the tests: a fingerprint and a function over the text. */
    static ItemTransformer transformer(String fingerprint, UnaryOperator<String> f) {
        return new ItemTransformer() {
            @Override
            public Optional<ItemContent> transform(ItemContext item, Side target, ItemContent content) {
                String out = f.apply(content.text());
                return out == null ? Optional.empty() : Optional.of(new ItemContent(content.mediaType(), out));
            }

            @Override
            public String fingerprint() {
                return fingerprint;
            }
        };
    }

    static final ItemTransformer REDACT = transformer("redact 1",
            t -> t.contains("CLASS:PRIVATE") ? t.replace("LOCATION:Clinic\r\n", "") : t);

    static Map<String, Object> props(int ranking, String target, String kind) {
        Map<String, Object> p = new HashMap<>();
        p.put("service.ranking", ranking);
        p.put("service.id", (long) (100 - ranking));
        if (target != null) {
            p.put(ItemTransformer.TARGET, target);
        }
        if (kind != null) {
            p.put(ItemTransformer.KIND, kind);
        }
        return p;
    }

    @Test
    void transformersRunInRankingOrderForTheirTargetAndKindOnly() throws Exception {
        ex.put("e1", ics("e1", "one"));
        extensions.addTransformer(transformer("b", t -> t.replace("END:VEVENT", "X-B:1\r\nEND:VEVENT")), props(5, "nextcloud", null));
        extensions.addTransformer(transformer("a", t -> t.replace("END:VEVENT", "X-A:1\r\nEND:VEVENT")), props(10, null, "calendar"));
        extensions.addTransformer(transformer("c", t -> t + "X-CONTACTS-ONLY"), props(20, "nextcloud", "contacts"));
        extensions.addTransformer(transformer("d", t -> t + "X-TO-EXCHANGE-ONLY"), props(20, "exchange", null));
        assertEquals(PairResult.Outcome.SYNCED, sync(SyncSettings.defaults()).outcome());
        String written = nc.byUid("e1").content().text();
        assertTrue(written.contains("X-A:1\r\nX-B:1\r\nEND:VEVENT"), "ranking 10 first, then 5: " + written);
        assertFalse(written.contains("CONTACTS-ONLY") || written.contains("TO-EXCHANGE-ONLY"), written);
        assertEquals(0, sync(SyncSettings.defaults()).writes(), "the echo of a transformed write is no change");
    }

    @Test
    void aTransformerThatChangesTheUidIsRefusedForThatItemOnly() throws Exception {
        ex.put("e1", ics("e1", "one"));
        ex.put("e2", ics("e2", "two"));
        extensions.addTransformer(transformer("renamer", t -> t.replace("UID:e2", "UID:other")), props(0, null, null));
        PairResult r = sync(SyncSettings.defaults());
        assertTrue(nc.byUid("e1") != null && nc.byUid("e2") == null && nc.byUid("other") == null, nc.contentsByUid().keySet().toString());
        assertEquals(1, r.quarantined(), r.toString());
        String why = state.quarantined(PAIR).toString();
        assertTrue(why.contains("changed the UID of") && why.contains("e2") && why.contains("ExtensionsTest"),
                "the refusal names the item and the transformer: " + why);
    }

    @Test
    void aTransformerAddedReconfiguredOrRemovedRewritesExactlyTheItemsItChanges() throws Exception {
        for (int i = 0; i < 10; i++) {
            ex.put("e" + i, i < 3 ? privateEvent("e" + i) : ics("e" + i, "event " + i));
        }
        Map<String, String> original = ex.contentsByUid();
        sync(SyncSettings.defaults());
        assertEquals(original, nc.contentsByUid());

        extensions.addTransformer(REDACT, props(0, "nextcloud", "calendar"));
        PairResult redacted = sync(SyncSettings.defaults());
        assertEquals(3, redacted.writes(), "only the private events are rewritten: " + redacted);
        assertFalse(nc.byUid("e0").content().text().contains("Clinic"));
        assertTrue(nc.byUid("e0").content().text().contains("CLASS:PRIVATE"));
        assertEquals(original.get("e5"), nc.byUid("e5").content().text());
        assertEquals(0, sync(SyncSettings.defaults()).writes(), "then nothing");

        // reconfigured: another fingerprint, another output
        extensions.removeTransformer(REDACT);
        ItemTransformer marker = transformer("redact 2", t -> t.contains("CLASS:PRIVATE") ? t.replace("LOCATION:Clinic", "LOCATION:-") : t);
        extensions.addTransformer(marker, props(0, "nextcloud", "calendar"));
        assertEquals(3, sync(SyncSettings.defaults()).writes());
        assertTrue(nc.byUid("e1").content().text().contains("LOCATION:-"));

        extensions.removeTransformer(marker);
        PairResult restored = sync(SyncSettings.defaults());
        assertEquals(3, restored.writes());
        assertEquals(original, nc.contentsByUid(), "removing it restores every item");
        assertEquals(0, sync(SyncSettings.defaults()).writes());
    }

    @Test
    void whatATransformerTakesOutIsNotPutBackByTheMergeWithNextcloudsVersion() throws Exception {
        // the attendees: PropertyMerge keeps Nextcloud's ATTENDEE lines when Exchange's rendering holds none (a
        // meeting made in Nextcloud); a redactor's removal must not look like that (ExtensionDeployIT found it)
        String meeting = privateEvent("m1").replace("END:VEVENT",
                "ORGANIZER:mailto:alice@example.org\r\nATTENDEE;CN=Bob:mailto:bob@example.org\r\nEND:VEVENT");
        ex.put("m1", meeting);
        sync(SyncSettings.defaults());
        nc.put("m1", nc.byUid("m1").content().text().replace("END:VEVENT", "X-NEXTCLOUD-ONLY:kept\r\nEND:VEVENT"));
        sync(SyncSettings.defaults());

        extensions.addTransformer(transformer("no attendees", t -> t.contains("CLASS:PRIVATE")
                ? t.replace("ATTENDEE;CN=Bob:mailto:bob@example.org\r\n", "") : t), props(0, "nextcloud", "calendar"));
        ex.put("m1", meeting.replace("SUMMARY:private m1", "SUMMARY:private m1, moved"));
        PairResult r = sync(SyncSettings.defaults());
        String written = nc.byUid("m1").content().text();
        assertEquals(1, r.writes(), r.toString());
        assertTrue(written.contains("SUMMARY:private m1, moved") && written.contains("X-NEXTCLOUD-ONLY:kept"), written);
        assertFalse(written.contains("ATTENDEE"), "the transformer's removal stands: " + written);
        assertEquals(0, sync(SyncSettings.defaults()).writes(), "then nothing");
    }

    @Test
    void aDroppedItemIsNotCreatedItsEarlierCopyGoesAndTheGuardCountsThat() throws Exception {
        for (int i = 0; i < 20; i++) {
            ex.put("e" + i, i < 2 ? privateEvent("e" + i) : ics("e" + i, "event " + i));
        }
        ItemTransformer dropPrivate = transformer("drop private", t -> t.contains("CLASS:PRIVATE") ? null : t);
        extensions.addTransformer(dropPrivate, props(0, null, null));
        sync(SyncSettings.defaults());
        assertEquals(18, nc.contentsByUid().size());
        extensions.removeTransformer(dropPrivate);
        assertEquals(2, sync(SyncSettings.defaults()).created().get(Side.NEXTCLOUD), "let through again: written again");

        ItemTransformer dropAll = transformer("drop all", t -> null);
        extensions.addTransformer(dropAll, props(0, null, null));
        PairResult guarded = sync(SyncSettings.defaults());
        assertEquals(PairResult.Outcome.GUARDED, guarded.outcome(), "dropping everything is a mass deletion: " + guarded);
        assertEquals(20, nc.contentsByUid().size());
    }

    @Test
    void aConflictResolverIsChosenByNameAndAMissingOneLeavesTheConflict() throws Exception {
        SyncSettings twoWay = SyncSettings.defaults().with(Direction.TWO_WAY).with(Extensions.parsePolicy("ours"));
        ex.put("e1", ics("e1", "one"));
        sync(twoWay);
        ex.put("e1", ics("e1", "edited in exchange"));
        nc.put("e1", ics("e1", "edited in nextcloud"));
        PairResult missing = sync(twoWay);
        assertTrue(String.join(" ", missing.errors()).contains("conflict policy 'ours' is not available"), missing.errors().toString());
        assertTrue(ex.byUid("e1").content().text().contains("edited in exchange"), "left as it is");

        Map<String, Object> p = new HashMap<>();
        p.put(ConflictResolver.NAME, "ours");
        List<ItemContext> asked = new ArrayList<>();
        extensions.addResolver((item, exchange, nextcloud) -> {
            asked.add(item);
            return Side.NEXTCLOUD;
        }, p);
        PairResult resolved = sync(twoWay);
        assertEquals(1, resolved.conflicts());
        assertTrue(ex.byUid("e1").content().text().contains("edited in nextcloud"));
        assertEquals(List.of(new ItemContext("alice@example.org", CollectionKind.CALENDAR, ex.byUid("e1").key())), asked);
    }

    @Test
    void auditSinksHearEveryWriteAndConflictAndAFailingSinkStopsNothing() throws Exception {
        List<AuditEvent> heard = new ArrayList<>();
        extensions.addSink(heard::add);
        extensions.addSink(e -> {
            throw new IllegalStateException("SIEM down");
        });
        ex.put("e1", ics("e1", "one"));
        ex.put("e2", ics("e2", "two"));
        assertEquals(PairResult.Outcome.SYNCED, sync(SyncSettings.defaults()).outcome());
        ex.remove("e2");
        ex.put("e1", ics("e1", "edited"));
        sync(SyncSettings.defaults());
        List<String> seen = heard.stream().map(e -> e.type() + " " + e.item().key().value() + " " + e.side()).toList();
        assertEquals(List.of("CREATED e1 NEXTCLOUD", "CREATED e2 NEXTCLOUD", "UPDATED e1 NEXTCLOUD", "DELETED e2 NEXTCLOUD"), seen);
        assertEquals(nc.byUid("e1").ref(), heard.get(2).ref());
        assertEquals("alice@example.org", heard.get(0).item().mailbox());
        assertNull(nc.byUid("e2"));
    }
}
