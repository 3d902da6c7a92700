package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import io.nexchange.engine.control.EngineView;
import io.nexchange.engine.control.MailboxView;

/** The exported operator view maps the engine's own snapshot: a real scheduler syncs one mailbox of a memory store. */
class EngineControlServiceTest {
    private static final String SMTP = "alice@example.org";
    final MemoryStore graph = new MemoryStore("graph");
    final MemoryStore vdir = new MemoryStore("vdir");
    SyncScheduler scheduler;

    @AfterEach
    void tearDown() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    void syncNowAndTheViewShowTheMailboxItsBackendAndItsPairs() throws Exception {
        EngineSettings settings = new EngineSettings(SyncSettings.defaults(), Routing.parse("graph", new String[0], "vdir"),
                EnumSet.of(CollectionKind.CALENDAR), "Exchange", "Exchange", 1, Duration.ofMinutes(5), "test-instance");
        Map<String, ItemStore> stores = Map.of("exchange/graph", graph, "nextcloud/vdir", vdir);
        MemoryStateStore state = new MemoryStateStore();
        BackendRouter router = new BackendRouter(settings.routing(), state, Clock.systemUTC());
        scheduler = new SyncScheduler(new StaticMailboxDirectory(SMTP),
                listener -> new MailboxSync(mailbox -> new Resolution(mailbox, List.of(new Account("alice", SMTP, ""))),
                        state, (side, backend, kind) -> Optional.ofNullable(stores.get(side + "/" + backend)),
                        settings, listener, Clock.systemUTC(), router), 1, Clock.systemUTC());
        Owner owner = new Owner(new Mailbox(SMTP, SMTP, ""), new Account("alice", SMTP, ""));
        MemoryStore.Collection source = graph.collections.get(graph.ensureCollection(owner, CollectionKind.CALENDAR, "").id());
        source.put("e1", MemoryStore.ics("e1", "one"));
        source.put("e2", MemoryStore.ics("e2", "two"));
        // the console's view reads the scheduler only; shadow reads are not part of it
        EngineControlService control = new EngineControlService(
                new SyncSchedulerTest.ControlOf(scheduler, router, new StaticMailboxDirectory(SMTP), null));
        assertTrue(control.view().mailboxes().isEmpty(), "no run yet");

        MailboxView done = control.syncNow(SMTP, false).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("OK", done.state());
        assertEquals(2, done.written());
        assertTrue(done.lastSuccess().isPresent());

        EngineView view = control.view();
        assertFalse(view.cycle().running());
        MailboxView row = view.mailboxes().get(0);
        assertEquals(SMTP, row.mailbox());
        assertEquals("graph", row.backend());
        assertEquals("calendar", row.pairs().get(0).kind());
        assertEquals("SYNCED", row.pairs().get(0).outcome());
        assertEquals(2, row.pairs().get(0).written());
        assertEquals("", row.error());

        java.util.concurrent.ExecutionException unknown = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> control.syncNow("nobody@example.org", false).get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(unknown.getCause().getMessage().contains("not in the mailbox directory's scope"), unknown.getMessage());
    }
}
