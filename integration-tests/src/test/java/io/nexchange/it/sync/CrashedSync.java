package io.nexchange.it.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.sandbox.SandboxServer;
import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.runtime.RuntimeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety through the real runtime: the initial sync of one sandbox tenant into a fresh DAV server, once without
 * interruption (the reference) and once killed with {@code kill -9} at 2-3 random moments (seeded, printed; a
 * moment is "after the k-th PUT the server logged") and restarted each time. Both servers must then hold exactly the
 * same resources: same hrefs, same content, no UID twice. The subclasses run it against Radicale ({@link SyncCrashIT})
 * and Nextcloud ({@link SyncCrashNextcloudIT}).
 *
 * <p>Both runs read the same sandbox (it lives in the test JVM, so a killed runtime does not take it along), so the
 * source data, including Graph's lastModifiedDateTime that becomes DTSTAMP/LAST-MODIFIED/REV, is identical: nothing
 * is normalised but line folding (Radicale re-folds what it stores). Rerun a failure with {@code -De2e.crash.seed=N}.
 */
abstract class CrashedSync {
    static final int MAILBOXES = 4;
    static final long TENANT_SEED = 11;

    @TempDir
    Path temp;

    /** A new, empty DAV server (two per test: the reference and the crashed one). */
    abstract DavTestServer startServer();

    @Test
    void initialSyncKilledAndRestartedEndsExactlyAsAnUninterruptedOne() throws Exception {
        long seed = Long.getLong("e2e.crash.seed", System.nanoTime());
        System.out.println("SyncCrashIT seed " + seed + " (rerun with -De2e.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        try (SandboxServer sandbox = SyncRig.sandbox(temp.resolve("sandbox"), MAILBOXES, TENANT_SEED);
             DavTestServer reference = startServer();
             DavTestServer crashed = startServer()) {
            List<String> mailboxes = SyncRig.mailboxes(sandbox);

            // the reference: one uninterrupted initial sync
            SyncRig.addAccounts(reference, mailboxes, temp.resolve("passwords-reference"));
            Path referenceBase = instance("reference", sandbox, reference, temp.resolve("passwords-reference"));
            try (RuntimeProcess runtime = SyncRig.start(referenceBase)) {
                SyncRig.syncAll(runtime, MAILBOXES);
                runtime.stop(Duration.ofSeconds(30));
            }
            long puts = reference.countSince(0, "PUT");
            assertTrue(puts > 20, "the reference run wrote the tenant: " + puts + " PUTs");

            // the crashed run: kill -9 after the k-th PUT for 2-3 random k, restart each time
            TreeSet<Long> killPoints = new TreeSet<>();
            int kills = 2 + random.nextInt(2);
            while (killPoints.size() < kills) {
                killPoints.add(1 + (long) random.nextInt((int) puts - 1));
            }
            System.out.println("kill -9 after these PUTs of " + puts + ": " + killPoints);
            SyncRig.addAccounts(crashed, mailboxes, temp.resolve("passwords-crashed"));
            Path crashedBase = instance("crashed", sandbox, crashed, temp.resolve("passwords-crashed"));
            List<String> log = new ArrayList<>();
            for (long killAt : killPoints) {
                RuntimeProcess runtime = SyncRig.start(crashedBase);
                try {
                    CompletableFuture<Void> sync = CompletableFuture.runAsync(() -> {
                        try {
                            runtime.console("nexchange:sync --all");
                        } catch (Exception killed) {
                            // the runtime is killed under the running command: expected
                        }
                    });
                    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                    while (crashed.countSince(0, "PUT") < killAt && !sync.isDone() && System.nanoTime() < deadline) {
                        Thread.sleep(5);
                    }
                    boolean ended = sync.isDone();
                    runtime.kill();
                    log.add("target " + killAt + ": killed after " + crashed.countSince(0, "PUT") + " PUTs"
                            + (ended ? " (the sync had already ended)" : ""));
                } finally {
                    runtime.kill();
                }
            }
            System.out.println("kills: " + log);
            try (RuntimeProcess runtime = SyncRig.start(crashedBase)) {
                String out = syncAllAfterRestart(runtime);
                System.out.println("after the last restart: " + SyncRig.okCount(out) + " mailboxes OK");
                runtime.stop(Duration.ofSeconds(30));
            }

            // the example items of new Nextcloud accounts have random UIDs and hrefs: not part of the comparison
            DavContent expected = DavContent.of(reference).withoutExampleItems();
            DavContent actual = DavContent.of(crashed).withoutExampleItems();
            List<String> differences = differences(expected, actual);
            assertTrue(differences.isEmpty(), "seed " + seed + ", kills " + log + ": the crashed run differs from the reference in "
                    + differences.size() + " ways:\n  " + String.join("\n  ", differences.subList(0, Math.min(40, differences.size()))));
            assertEquals(expected.total(), actual.total());
            System.out.println("identical: " + actual.total() + " resources in " + MAILBOXES + " accounts");
        }
    }

    private Path instance(String name, SandboxServer sandbox, DavTestServer server, Path passwords) throws Exception {
        // leaseSeconds stays at its default (15 minutes): a killed runtime leaves its leases behind, and the restarted
        // instance (same instance id) must end them at start instead of waiting for them to expire
        return SyncRig.prepareInstance(temp.resolve(name), sandbox, server, passwords);
    }

    /** Syncs every mailbox once the engine is up; a mailbox still LEASED_ELSEWHERE after a restart is a failure. */
    private static String syncAllAfterRestart(RuntimeProcess runtime) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String out = "";
        while (System.nanoTime() < deadline) {
            try {
                out = runtime.console("nexchange:sync --all");
            } catch (IllegalStateException notYet) {
                out = notYet.getMessage();
            }
            if (SyncRig.okCount(out) == MAILBOXES) {
                return out;
            }
            if (!out.contains("no mailbox synced") && !out.contains("Command not found")) {
                break;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("after the restart the sync did not end OK:\n" + out + "\n" + SyncRig.logTail(runtime.base(), 60));
    }

    /** Every difference between two servers' contents: missing or extra hrefs, differing content, a UID held twice. */
    static List<String> differences(DavContent expected, DavContent actual) {
        List<String> out = new ArrayList<>();
        Map<String, String> e = flatten(expected);
        Map<String, String> a = flatten(actual);
        for (String href : new TreeSet<>(e.keySet())) {
            if (!a.containsKey(href)) {
                out.add("missing after the crashes: " + href);
            } else if (!unfold(e.get(href)).equals(unfold(a.get(href)))) {
                out.add("different content: " + href + ": " + Mismatches.difference(unfold(e.get(href)), unfold(a.get(href))));
            }
        }
        for (String href : new TreeSet<>(a.keySet())) {
            if (!e.containsKey(href)) {
                out.add("extra after the crashes (a duplicate?): " + href);
            }
        }
        Map<String, String> uids = new HashMap<>();
        a.forEach((href, text) -> {
            String collection = href.substring(0, href.lastIndexOf('/'));
            String uid = unfold(text).lines().filter(l -> l.startsWith("UID:")).findFirst().orElse("UID:?");
            String previous = uids.put(collection + " " + uid, href);
            if (previous != null) {
                out.add("UID held twice in " + collection + ": " + uid + " (" + previous + ", " + href + ")");
            }
        });
        return out;
    }

    private static Map<String, String> flatten(DavContent content) {
        Map<String, String> out = new HashMap<>();
        content.byUser().forEach((user, collections) -> collections.forEach((collection, items) ->
                items.forEach((name, text) -> out.put(user + "/" + collection + "/" + name, text))));
        return out;
    }

    private static String unfold(String text) {
        return text.replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "");
    }
}
