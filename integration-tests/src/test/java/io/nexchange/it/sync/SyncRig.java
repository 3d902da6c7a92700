package io.nexchange.it.sync;

import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.runtime.RuntimeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole chain of issue 5 on loopback: a sandbox tenant (Entra + Graph) in the test JVM, a real DAV server
 * (Radicale or Nextcloud) with one account per mailbox (named by the mailbox's local part), and the real distribution forked with the
 * features core, state, ops, auth-entra, graph, engine and nextcloud, syncing on console command only.
 *
 * <p>The sandbox lives in the test JVM, not in the runtime, so that a runtime killed with {@code kill -9} leaves
 * the Microsoft side exactly as it was (as a crash of Nexchange leaves Exchange Online), and so that two runtimes
 * (a reference and a crashed one) can read the very same tenant.
 */
final class SyncRig {
    static final Duration READY = Duration.ofSeconds(120);

    private SyncRig() {
    }

    /** A sandbox tenant, state in {@code dir}: {@code users} mailboxes with the generator's default mix. */
    static SandboxServer sandbox(Path dir, int users, long seed) throws IOException {
        return SandboxServer.start(SandboxOptions.defaults().users(users).seed(seed).stateDir(dir)
                .anchorDate(LocalDate.now()));
    }

    /** The DAV account of a mailbox: its local part, as the engine's sameaddress directory names it. */
    static String account(String mailbox) {
        return mailbox.substring(0, mailbox.indexOf('@')).toLowerCase(Locale.ROOT);
    }

    /**
     * Adds one DAV account per mailbox (owning the mailbox's address, where the server knows addresses), its password
     * written to {@code passwords/<user>} (the nextcloud feature's app-password folder).
     */
    static void addAccounts(DavTestServer server, List<String> mailboxes, Path passwords) throws IOException {
        Files.createDirectories(passwords);
        for (String mailbox : mailboxes) {
            String password = server.addAccount(account(mailbox), mailbox);
            Files.writeString(passwords.resolve(account(mailbox)), password + "\n");
        }
    }

    /** Prepares a runtime instance in {@code base} wired to the sandbox (through Graph) and the DAV server. */
    static Path prepareInstance(Path base, SandboxServer sandbox, DavTestServer server, Path passwords) throws IOException {
        return prepareInstance(base, sandbox, server, passwords, "graph");
    }

    /**
     * Prepares a runtime instance in {@code base} wired to the sandbox and the DAV server, reading Exchange through
     * {@code backend}: {@code graph}, or {@code ews} (the sandbox's EWS with the same app registration; the mailbox
     * directory still lists the users through Graph).
     */
    static Path prepareInstance(Path base, SandboxServer sandbox, DavTestServer server, Path passwords, String backend)
            throws IOException {
        return prepareInstance(base, sandbox, server, passwords, backend, Map.of());
    }

    /**
     * Prepares a runtime instance in {@code base} wired to the sandbox (read through {@code backend}) and a DAV server
     * (Radicale or the real Nextcloud); {@code overrides} replace whole configuration files (file name to content).
     */
    static Path prepareInstance(Path base, SandboxServer sandbox, DavTestServer dav, Path passwords, String backend,
            Map<String, String> overrides)
            throws IOException {
        Path home = RuntimeProcess.distribution();
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("io.nexchange.features.cfg", "boot = core,state,ops,nextcloud,auth-entra,graph," + ("ews".equals(backend) ? "ews," : "")
                + "engine\n");
        cfg.put("io.nexchange.auth.entra-sandbox.cfg", String.join("\n",
                "tenantId = " + sandbox.tenantId(),
                "clientId = " + sandbox.demoApp().clientId(),
                "clientSecretFile = " + sandbox.demoSecretFile(),
                "cloud = custom",
                "authority = " + sandbox.authority(),
                "graphBaseUrl = " + sandbox.baseUrl(),
                "truststore = " + sandbox.truststorePath(),
                "truststorePasswordFile = " + sandbox.truststorePasswordFile(), ""));
        cfg.put("io.nexchange.graph.client.cfg", String.join("\n",
                "baseUrl = " + sandbox.graphBaseUrl(),
                "truststorePath = " + sandbox.truststorePath(),
                "truststorePasswordFile = " + sandbox.truststorePasswordFile(), ""));
        cfg.put("io.nexchange.graph.calendar.cfg", "registrations = sandbox\n");
        cfg.put("io.nexchange.graph.contacts.cfg", "registrations = sandbox\n");
        cfg.put("io.nexchange.graph.directory.cfg", "registration = sandbox\n");
        if ("ews".equals(backend)) {
            cfg.put("io.nexchange.ews.cfg", String.join("\n",
                    "url = " + sandbox.ewsUrl(),
                    "registrations = sandbox",
                    "truststorePath = " + sandbox.truststorePath(),
                    "truststorePasswordFile = " + sandbox.truststorePasswordFile(), ""));
        }
        cfg.put("io.nexchange.engine.cfg", String.join("\n",
                "threads = 2",
                "scheduled = false",
                "progressSeconds = 2",
                "direction = exchange-to-nextcloud",
                "backend.default = " + backend,
                "nextcloudBackend = caldav", ""));
        cfg.put("io.nexchange.engine.accounts.sameaddress.cfg", "userId = localpart\n");
        cfg.put("io.nexchange.nextcloud.cfg", "baseUrl = " + dav.davBaseUrl() + "\n");
        cfg.put("io.nexchange.nextcloud.credentials.cfg", "appPasswordDirectory = " + passwords + "\n");
        cfg.putAll(overrides);
        return RuntimeProcess.prepareInstance(home, base, cfg);
    }

    static RuntimeProcess start(Path base) throws IOException, InterruptedException {
        return RuntimeProcess.start(RuntimeProcess.distribution(), base, READY);
    }

    /**
     * {@code nexchange:sync --all}; fails unless every mailbox ended OK. The engine's components come up after
     * /health/ready only if a store is still missing, so "no mailbox synced" is retried for a while.
     */
    static String syncAll(RuntimeProcess runtime, int expectedMailboxes) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String out = "";
        while (System.nanoTime() < deadline) {
            try {
                out = runtime.console("nexchange:sync --all");
            } catch (IllegalStateException notYet) {
                out = notYet.getMessage();
            }
            if (okCount(out) == expectedMailboxes) {
                return out;
            }
            if (!out.contains("no mailbox synced") && !out.contains("Command not found")) {
                break;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("nexchange:sync --all did not end OK for " + expectedMailboxes + " mailboxes:\n" + out
                + "\nsync-status:\n" + safeConsole(runtime, "nexchange:sync-status") + "\nlog tail:\n" + logTail(runtime.base(), 80));
    }

    static long okCount(String syncOutput) {
        // the console answer also carries the log lines of the command's thread: count the summary lines only
        return syncOutput.lines().filter(l -> l.matches("^[^ @]+@[^ :]+: OK \\(.*")).count();
    }

    static String safeConsole(RuntimeProcess runtime, String command) {
        try {
            return runtime.console(command);
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }

    static String logTail(Path base, int lines) {
        try {
            Path log = base.resolve("log/nexchange.log");
            if (!Files.exists(log)) {
                return "(no log)";
            }
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Stops what a rig started (each may be null: it did not start), then deletes its folder. */
    static void stop(RuntimeProcess runtime, DavTestServer dav, SandboxServer sandbox, Path temp) throws InterruptedException {
        if (runtime != null) {
            runtime.close();
        }
        if (dav != null) {
            dav.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        deleteQuietly(temp);
    }

    static void deleteQuietly(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is not worth failing a test for
        }
    }

    static List<String> mailboxes(SandboxServer sandbox) {
        return new ArrayList<>(sandbox.mailboxes());
    }
}
