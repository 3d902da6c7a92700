package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.Account;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.Resolution;
import io.nexchange.api.source.CredentialsRejectedException;
import io.nexchange.api.source.ItemStore;
import io.nexchange.api.source.Owner;
import io.nexchange.api.source.ServerThrottledException;
import io.nexchange.api.source.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that throttles the whole connector, or rejects one account's login, in the middle of a pair's writes: the
 * mailbox ends as THROTTLED / CREDENTIALS_REJECTED, not as per-item failures; what was written is kept, the cursors
 * are not advanced, and the next run writes exactly the rest (nothing lost, nothing twice).
 */
class ServerRefusalTest {
    private static final String SMTP = "alice@example.org";
    final MemoryStore graph = new MemoryStore("graph");
    final MemoryStore nextcloud = new MemoryStore("vdir");
    final MemoryStateStore state = new MemoryStateStore();
    SyncScheduler scheduler;

    @AfterEach
    void tearDown() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    private SyncScheduler scheduler() {
        EngineSettings settings = new EngineSettings(SyncSettings.defaults(), Routing.parse("graph", new String[0], "vdir"),
                EnumSet.of(CollectionKind.CALENDAR), "Exchange", "Exchange", 1, Duration.ofMinutes(5), "test-instance");
        Map<String, ItemStore> stores = Map.of("exchange/graph", graph, "nextcloud/vdir", nextcloud);
        scheduler = new SyncScheduler(new StaticMailboxDirectory(SMTP),
                listener -> new MailboxSync(mailbox -> new Resolution(mailbox, List.of(new Account("alice", SMTP, ""))), state,
                        (side, backend, kind) -> Optional.ofNullable(stores.get(side + "/" + backend)), settings, listener,
                        Clock.systemUTC()), 1, Clock.systemUTC());
        return scheduler;
    }

    private MemoryStore.Collection calendar(MemoryStore store) {
        Owner owner = new Owner(new Mailbox(SMTP, SMTP, ""), new Account("alice", SMTP, ""));
        CollectionRef ref = store.ensureCollection(owner, CollectionKind.CALENDAR, store == graph ? "" : "Exchange");
        return store.collections.get(ref.id());
    }

    @Test
    void throttlingMidwayStopsTheMailboxCleanlyAndTheNextRunWritesTheRest() throws Exception {
        refusedMidway(new ServerThrottledException("Nextcloud throttles the connector (HTTP 429)", Duration.ofSeconds(30), null),
                MailboxResult.State.THROTTLED);
    }

    @Test
    void rejectedCredentialsMidwayStopTheMailboxAsCredentialsRejected() throws Exception {
        refusedMidway(new CredentialsRejectedException("The DAV server rejected the credentials of Nextcloud account 'alice'",
                Instant.now().plusSeconds(300), null), MailboxResult.State.CREDENTIALS_REJECTED);
    }

    private void refusedMidway(StoreException refusal, MailboxResult.State expected) throws Exception {
        MemoryStore.Collection source = calendar(graph);
        for (int i = 0; i < 5; i++) {
            source.put("e" + i, ics("e" + i, "event " + i));
        }
        MemoryStore.Collection target = calendar(nextcloud);
        target.failAfter(2, refusal);

        MailboxResult first = scheduler().syncNow(SMTP, false).get(30, TimeUnit.SECONDS);
        assertEquals(expected, first.state(), first.summary());
        assertTrue(first.error().contains(refusal.getMessage()), first.error());
        assertTrue(first.pairs().stream().allMatch(p -> p.errors().isEmpty()), "no per-item failures: " + first.summary());
        assertEquals(2, target.items.size());
        String status = SyncStatusCommand.render(scheduler.snapshot());
        assertTrue(status.contains(expected.name()), status);

        target.heal();
        MailboxResult second = scheduler.syncNow(SMTP, false).get(30, TimeUnit.SECONDS);
        assertEquals(MailboxResult.State.OK, second.state(), second.summary());
        assertEquals(5, target.items.size(), "nothing lost, nothing twice");
        assertEquals(5, target.items.values().stream().map(item -> item.key()).distinct().count());
        MailboxResult idle = scheduler.syncNow(SMTP, false).get(30, TimeUnit.SECONDS);
        assertEquals(0, idle.writes(), idle.summary());
    }
}
