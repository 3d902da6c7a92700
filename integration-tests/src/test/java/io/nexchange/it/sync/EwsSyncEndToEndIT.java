package io.nexchange.it.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.sandbox.RequestCounts;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.testing.radicale.RadicaleServer;
import io.nexchange.testing.runtime.RuntimeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real forked runtime syncing the sandbox tenant through EWS (backend ews: SyncFolderItems, GetItem,
 * GetAttachment with the Entra app's full_access_as_app token) into Radicale: the result equals the sandbox's
 * content field by field, checked by the same comparison as the Graph end-to-end test, so EWS delivers the same
 * content as Graph.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EwsSyncEndToEndIT {
    static final int MAILBOXES = 3;
    static final long SEED = 23;

    Path temp;
    SandboxServer sandbox;
    RadicaleServer radicale;
    RuntimeProcess runtime;
    List<String> mailboxes;

    @BeforeAll
    void startRig() throws Exception {
        temp = Files.createTempDirectory("ews-e2e-");
        sandbox = SyncRig.sandbox(temp.resolve("sandbox"), MAILBOXES, SEED);
        radicale = RadicaleServer.start(RadicaleServer.PasswordEncryption.PLAIN);
        mailboxes = SyncRig.mailboxes(sandbox);
        SyncRig.addAccounts(radicale, mailboxes, temp.resolve("passwords"));
        Path base = SyncRig.prepareInstance(temp.resolve("instance"), sandbox, radicale, temp.resolve("passwords"), "ews");
        runtime = SyncRig.start(base);
    }

    @AfterAll
    void stopRig() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        if (radicale != null) {
            radicale.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        SyncRig.deleteQuietly(temp);
    }

    @Test
    @Order(1)
    void initialSyncThroughEwsEqualsTheSourceFieldByField() throws Exception {
        sandbox.resetCounters();
        long started = System.nanoTime();
        String out = SyncRig.syncAll(runtime, MAILBOXES);
        long millis = (System.nanoTime() - started) / 1_000_000;
        RequestCounts counts = sandbox.counters();
        Map<String, Long> ews = new TreeMap<>(counts.byEndpoint());
        ews.keySet().removeIf(k -> !k.startsWith("EWS"));
        Map<String, Long> graphMailboxCalls = new TreeMap<>(counts.byEndpoint());
        graphMailboxCalls.keySet().removeIf(k -> !k.contains("/users/{id}/") && !k.contains("$batch"));
        System.out.printf("initial sync of %d mailboxes through EWS: %d ms, EWS requests %s%n", MAILBOXES, millis, ews);
        assertTrue(out.contains("calendar SYNCED") && out.contains("contacts SYNCED"), "both pairs of every mailbox ran:\n" + out);
        assertTrue(ews.getOrDefault("EWS SyncFolderItems", 0L) >= 2L * MAILBOXES && ews.getOrDefault("EWS GetItem", 0L) > 0, ews.toString());
        assertEquals(Map.of(), graphMailboxCalls, "no mailbox was read through Graph");

        Mismatches m = new Mismatches();
        SourceVsRadicale.Counts compared = SourceVsRadicale.compare(new GraphSource(sandbox), RadicaleContent.read(radicale.storageFolder()),
                mailboxes, m);
        System.out.printf("compared %d events and %d contacts, %d field checks%n", compared.events(), compared.contacts(), compared.checks());
        assertTrue(m.isEmpty(), m.report());
        assertTrue(compared.events() >= MAILBOXES * 20 && compared.contacts() >= MAILBOXES * 10, "the generator's mix reached Radicale: "
                + compared);
    }

    @Test
    @Order(2)
    void idleCycleIsOneSyncFolderItemsPerCollectionAndNoWrite() throws Exception {
        SyncRig.syncAll(runtime, MAILBOXES); // absorbs the echo of the first cycle's own writes from Radicale
        sandbox.resetCounters();
        String out = SyncRig.syncAll(runtime, MAILBOXES);
        Map<String, Long> ews = new TreeMap<>(sandbox.counters().byEndpoint());
        ews.keySet().removeIf(k -> !k.startsWith("EWS"));
        System.out.println("idle cycle, EWS requests: " + ews);
        assertTrue(out.lines().filter(l -> l.matches("^\\S+@\\S+: OK .*")).allMatch(l -> l.contains(" 0 written")), out);
        assertEquals(Map.of("EWS SyncFolderItems", 2L * MAILBOXES), ews, "one SyncFolderItems per collection, nothing else");
    }
}
