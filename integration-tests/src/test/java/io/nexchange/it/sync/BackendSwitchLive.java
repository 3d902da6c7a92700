package io.nexchange.it.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.sandbox.SandboxServer;
import io.nexchange.testing.dav.DavTestServer;
import io.nexchange.testing.runtime.RuntimeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 12's live test on the real forked runtime, syncing on its own schedule (every {@value #INTERVAL} s) while edits
 * keep coming in the sandbox: start with only the ews feature; install the graph feature into the running runtime;
 * switch half the mailboxes (a wave), then all, to Graph; uninstall the ews feature; install it again and compare both
 * views (shadow read, with one item made to differ); then automatic routing of an EWS-blocked mailbox to Graph, of a
 * hybrid on-premises mailbox to the on-premises EWS, and its way back when it moves to the cloud again. The framework
 * never restarts; no mailbox goes longer than an interval and its own runs without a sync; each switch writes nothing to
 * the DAV server (edits paused around it, PUT/DELETE counted in its request log); at the end the DAV server equals the
 * sandbox field by field, with no duplicates and every edit in it, and the DAV-side edits made before the switches
 * survived them. The subclasses run it against Radicale ({@link BackendSwitchLiveIT}, every step) and the real
 * Nextcloud ({@link BackendSwitchLiveNextcloudIT}: the switches and the hybrid routes; the steps about the EWS feature
 * and the other refusals are the runtime's, the same whatever the DAV server).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class BackendSwitchLive {
    static final int MAILBOXES = 4;
    static final long SEED = 31;
    static final int INTERVAL = 3;
    static final List<String> GRAPH_FILES = List.of("io.nexchange.graph.client.cfg", "io.nexchange.graph.calendar.cfg",
            "io.nexchange.graph.contacts.cfg");
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    static final Pattern STATUS_ROW = Pattern.compile("^(\\S+@\\S+)\\s+(\\S+)\\s+(\\S+)\\s", Pattern.MULTILINE);

    Path temp;
    SandboxServer sandbox;
    DavTestServer dav;
    RuntimeProcess runtime;
    List<String> mailboxes;
    Object frameworkStarted;

    final AtomicBoolean editing = new AtomicBoolean();
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger edits = new AtomicInteger();
    final Set<String> reservedForDav = ConcurrentHashMap.newKeySet();
    /** Per mailbox, the engine's finish times of its OK runs, as sync-status shows them. */
    final Map<String, List<Instant>> okRuns = new ConcurrentHashMap<>();
    final Map<String, Integer> writesAtSwitch = new LinkedHashMap<>();
    Thread editor;
    Thread monitor;
    final List<String> davEdited = new ArrayList<>(); // "mailbox|uid"

    /** Starts the DAV server (stopped when the rig stops). */
    abstract DavTestServer startServer();

    /** Whether to run the steps that do not depend on the DAV server (the EWS feature removed, shadow read, EWS blocked). */
    boolean everyStep() {
        return true;
    }

    /** What the DAV server holds for the final comparison (Nextcloud: without its accounts' example items). */
    DavContent syncedContent() throws Exception {
        return DavContent.of(dav);
    }

    @BeforeAll
    void startRig() throws Exception {
        temp = Files.createTempDirectory("switch-live-");
        sandbox = SyncRig.sandbox(temp.resolve("sandbox"), MAILBOXES, SEED);
        dav = startServer();
        mailboxes = SyncRig.mailboxes(sandbox);
        SyncRig.addAccounts(dav, mailboxes, temp.resolve("passwords"));
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("io.nexchange.features.cfg", "boot = core,state,ops,nextcloud,auth-entra,ews,engine\n");
        // a worker per mailbox, so that a mailbox never waits for a worker busy with another (the gaps measure the schedule)
        cfg.put("io.nexchange.engine.cfg", String.join("\n", "threads = " + MAILBOXES, "scheduled = true", "intervalSeconds = " + INTERVAL,
                "initialDelaySeconds = 1", "progressSeconds = 60", "backend.default = ews", "nextcloudBackend = caldav",
                "wave.1 = " + mailboxes.get(0) + ", " + mailboxes.get(1), ""));
        // no Graph directory before the graph feature: the mailboxes are listed in the configuration
        cfg.put("io.nexchange.engine.mailboxes.cfg", "mailboxes = " + String.join(", ", mailboxes) + "\n");
        Path base = SyncRig.prepareInstance(temp.resolve("instance"), sandbox, dav, temp.resolve("passwords"), "ews", cfg);
        // Graph is configured only when its feature is installed (the ews feature brings the Graph bundles for the model
        // and the mappings; their stores start only with their configuration)
        for (String file : GRAPH_FILES) {
            Files.move(base.resolve("etc").resolve(file), temp.resolve(file));
        }
        // every run's end and duration in the log (the engine logs runs that wrote nothing at DEBUG): the sync gaps
        Path logback = base.resolve("etc/logback.xml");
        Files.writeString(logback, Files.readString(logback).replace("<root ",
                "<logger name=\"io.nexchange.engine.internal.SyncScheduler\" level=\"DEBUG\"/>\n  <root "));
        runtime = SyncRig.start(base);
        frameworkStarted = runtimeInfo().get("frameworkStartedMillis");
        monitor = daemon("sync-monitor", this::monitor);
        editor = daemon("sandbox-editor", this::edit);
    }

    @AfterAll
    void stopRig() throws Exception {
        stop.set(true);
        for (Thread t : new Thread[] {editor, monitor}) {
            if (t != null) {
                t.join(5000);
            }
        }
        if (runtime != null) {
            runtime.close();
            // the runtime's log beside the test reports (every run's end and duration: the sync gaps)
            Path kept = Path.of("target", getClass().getSimpleName() + "-nexchange.log");
            Files.copy(runtime.base().resolve("log/nexchange.log"), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (dav != null) {
            dav.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        SyncRig.deleteQuietly(temp);
    }

    @Test
    @Order(1)
    void onlyEwsSyncsAndEditsFlowInBothServers() throws Exception {
        awaitAllOk("the first cycles through EWS", Duration.ofSeconds(120));
        String status = runtime.console("nexchange:switch");
        assertTrue(status.contains("Exchange-side backends running: ews\n"), status);
        // DAV-side edits of events the sandbox editor leaves alone: one-way sync leaves them as they are, and
        // a switch must not overwrite them (the Exchange side of these items does not change)
        for (String mailbox : List.of(mailboxes.get(0), mailboxes.get(2))) {
            davEdit(mailbox);
        }
        editing.set(true);
        Thread.sleep(INTERVAL * 2000L);
        assertTrue(edits.get() > 0, "the sandbox editor runs");
    }

    @Test
    @Order(2)
    void theGraphFeatureInstallsIntoTheRunningRuntime() throws Exception {
        for (String file : GRAPH_FILES) { // the sandbox's registration instead of the feature's defaults
            Files.move(temp.resolve(file), runtime.base().resolve("etc").resolve(file));
        }
        runtime.console("nexchange:features install graph");
        awaitTrue("Graph stores run beside EWS", () -> runtime.console("nexchange:switch")
                .contains("Exchange-side backends running: ews, graph\n"), Duration.ofSeconds(60));
        awaitAllOk("cycles go on after the install", Duration.ofSeconds(60));
    }

    @Test
    @Order(3)
    void switchingWaveOneThenAllToGraphWritesNothing() throws Exception {
        int wave = quietSwitch("--wave 1 graph", List.of(mailboxes.get(0), mailboxes.get(1)), "graph");
        writesAtSwitch.put("nexchange:switch --wave 1 graph (2 of 4 mailboxes)", wave);
        int all = quietSwitch("--all graph", mailboxes, "graph");
        writesAtSwitch.put("nexchange:switch --all graph (4 mailboxes)", all);
        assertEquals(0, wave, "PUT/DELETE caused by the switch of wave 1");
        assertEquals(0, all, "PUT/DELETE caused by the switch of all mailboxes");
    }

    @Test
    @Order(4)
    void theEwsFeatureUninstallsWhileGraphSyncs() throws Exception {
        Assumptions.assumeTrue(everyStep(), "run against Radicale (BackendSwitchLiveIT)");
        pauseEditsAndSettle();
        int mark = dav.mark();
        runtime.console("nexchange:features uninstall ews");
        awaitTrue("EWS is gone", () -> runtime.console("nexchange:switch").contains("Exchange-side backends running: graph\n"),
                Duration.ofSeconds(30));
        SyncRig.syncAll(runtime, MAILBOXES);
        int writes = writes(mark);
        writesAtSwitch.put("nexchange:features uninstall ews", writes);
        assertEquals(0, writes);
        editing.set(true);
        awaitAllOk("cycles go on through Graph alone", Duration.ofSeconds(60));
    }

    @Test
    @Order(5)
    void theShadowReadReportsTheOneItemMadeToDiffer() throws Exception {
        Assumptions.assumeTrue(everyStep(), "run against Radicale (BackendSwitchLiveIT)");
        runtime.console("nexchange:features install ews");
        awaitTrue("EWS is back", () -> runtime.console("nexchange:switch").contains("Exchange-side backends running: ews, graph\n"),
                Duration.ofSeconds(60));
        String mailbox = mailboxes.get(1);
        String eventId = sandbox.eventIds(mailbox).stream().filter(id -> !reservedForDav.contains(mailbox + "|" + id))
                .findFirst().orElseThrow();
        pauseEditsAndSettle(); // what the editor did is synced, so the count below is the shadow read's alone
        sandbox.setEwsSubject(mailbox, eventId, "Seen differently through EWS");
        int mark = dav.mark();
        String report = runtime.console("nexchange:shadow " + mailbox);
        System.out.println("[figures] shadow report of the test:\n" + report);
        sandbox.setEwsSubject(mailbox, eventId, null);
        editing.set(true);
        assertTrue(report.contains(mailbox + ": graph vs ews, 1 items differ"), report);
        assertTrue(report.contains("1 field differs (graph vs ews)") && report.contains("VCALENDAR/VEVENT/SUMMARY: '")
                && report.contains("' vs 'Seen differently through EWS'"), report);
        assertEquals(0, writes(mark), "a shadow read writes nothing");
        String status = runtime.get("/status.txt").body();
        assertTrue(status.contains("Shadow reads (nexchange:shadow): 1 mailboxes, 1 with differences"), status);
    }

    @Test
    @Order(6)
    void anEwsBlockedMailboxIsRoutedToGraphAutomatically() throws Exception {
        Assumptions.assumeTrue(everyStep(), "run against Radicale (BackendSwitchLiveIT)");
        String blocked = mailboxes.get(2);
        pauseEditsAndSettle();
        int mark = dav.mark();
        sandbox.setEwsBlocks(false, null, Set.of(blocked));
        runtime.console("nexchange:switch " + blocked + " ews");
        String out = syncUntil(blocked, "graph");
        int writes = writes(mark);
        writesAtSwitch.put("automatic routing: EWS blocked (403) -> graph", writes);
        assertEquals(0, writes, out);
        String status = runtime.get("/status.txt").body();
        assertTrue(status.contains(blocked + "  ews -> graph") && status.contains("EWSEnabled") && status.contains("allow list"),
                status);
        assertTrue(Files.readString(runtime.base().resolve("log/nexchange.log")).contains(blocked + ": ews refuses the mailbox"
                + " (EWS blocked, HTTP 403"), "one WARN line names the mailbox and the tenant setting");
        editing.set(true);
    }

    @Test
    @Order(7)
    void aHybridOnPremisesMailboxGraphRefusesIsRoutedToTheOnPremisesEws() throws Exception {
        String onPremises = mailboxes.get(3);
        pauseEditsAndSettle();
        sandbox.setEwsServiceAccount("svc-sync", "s3rvice!", true);
        Files.writeString(temp.resolve("onprem.password"), "s3rvice!\n");
        Path etc = runtime.base().resolve("etc");
        write(etc.resolve("io.nexchange.auth.ews.onprem-onprem.cfg"), "ewsUrl = " + sandbox.ewsUrl() + "\nusername = svc-sync\n"
                + "passwordFile = " + temp.resolve("onprem.password") + "\n");
        String ews = Files.readString(etc.resolve("io.nexchange.ews.cfg"));
        write(etc.resolve("io.nexchange.ews.cfg"), ews + "onPremisesAccounts = onprem\n");
        Thread.sleep(3000); // FileInstall applies both files within a second; the ews store restarts with them
        SyncRig.syncAll(runtime, MAILBOXES);
        int mark = dav.mark();
        sandbox.setOnPremisesMailboxes(Set.of(onPremises));
        String out = syncUntil(onPremises, "ews");
        int writes = writes(mark);
        writesAtSwitch.put("automatic routing: hybrid, Graph MailboxNotEnabledForRESTAPI -> on-premises ews", writes);
        assertEquals(0, writes, out);
        String status = runtime.get("/status.txt").body();
        assertTrue(status.contains(onPremises + "  graph -> ews") && status.contains("MailboxNotEnabledForRESTAPI"), status);
        assertTrue(Files.readString(runtime.base().resolve("log/nexchange.log")).contains(onPremises
                + ": Exchange Online's EWS does not know the mailbox"), "served through the on-premises endpoint");

        // the way back: the mailbox moves to the cloud again while another one moves on-premises. The on-premises endpoint
        // no longer knows the first (ErrorNonExistentMailbox), so the EWS store reads it through Exchange Online's EWS
        // again; Graph refuses the second, which goes to the on-premises EWS. Neither move writes anything.
        String movedThere = mailboxes.get(0);
        mark = dav.mark();
        sandbox.setOnPremisesMailboxes(Set.of(movedThere));
        out = syncUntil(onPremises, "ews");
        String there = syncUntil(movedThere, "ews");
        writes = writes(mark);
        writesAtSwitch.put("hybrid way back: the on-premises mailbox moved to the cloud (ews via Exchange Online), another moved "
                + "on-premises (graph -> on-premises ews)", writes);
        assertEquals(0, writes, out + there);
        String log = Files.readString(runtime.base().resolve("log/nexchange.log"));
        assertTrue(log.contains(onPremises + ": the on-premises EWS no longer knows the mailbox"), "back to Exchange Online's EWS");
        assertTrue(runtime.get("/status.txt").body().contains(movedThere + "  graph -> ews"), "the second one routed on-premises");
        editing.set(true);
        Thread.sleep(INTERVAL * 2000L);
    }

    @Test
    @Order(8)
    void finallyTheDavServerEqualsTheSandboxWithEveryEditNoDuplicateAndTheFrameworkNeverRestarted() throws Exception {
        editing.set(false);
        Thread.sleep(1500);
        // the tenant is no longer hybrid and EWS is allowed again (Graph serves every mailbox for the comparison)
        sandbox.setOnPremisesMailboxes(Set.of());
        sandbox.setEwsBlocks(false, null, Set.of());
        // the DAV-side edits survived every switch (one-way: left alone while Exchange did not change them)
        for (String entry : davEdited) {
            String[] p = entry.split("\\|");
            assertTrue(davText(p[0], p[1]).contains("SUMMARY:Edited in the DAV server"), "the DAV edit of " + entry + " survived");
            sandbox.updateEvent(p[0], p[2], "{\"subject\":\"Edited in Exchange at the end\"}"); // Exchange wins from here
        }
        SyncRig.syncAll(runtime, MAILBOXES);
        SyncRig.syncAll(runtime, MAILBOXES);
        stop.set(true);
        monitor.join(5000);

        Mismatches m = new Mismatches();
        SourceVsServer.Counts compared = SourceVsServer.compare(new GraphSource(sandbox), syncedContent(), mailboxes, m);
        System.out.printf("[figures] compared %d events and %d contacts (%d field checks) after %d sandbox edits%n",
                compared.events(), compared.contacts(), compared.checks(), edits.get());
        assertTrue(m.isEmpty(), m.report());
        assertTrue(edits.get() >= 10, "edits kept flowing: " + edits.get());

        assertEquals(frameworkStarted, runtimeInfo().get("frameworkStartedMillis"), "the framework never restarted");
        System.out.printf("[figures] %s: writes caused by each switch (PUT+DELETE in its request log, edits paused): %s%n",
                dav.product(), writesAtSwitch);
        SyncGaps gaps = SyncGaps.fromLog(runtime.base().resolve("log/nexchange.log"), INTERVAL);
        System.out.print(gaps.report());
        List<String> engineStarts = Files.readAllLines(runtime.base().resolve("log/nexchange.log")).stream()
                .filter(l -> l.contains("Sync engine started")).toList();
        assertEquals(1, engineStarts.size(), "the engine component never restarted (installing and removing features, "
                + "reconfiguring stores): " + engineStarts);
        // the issue: no mailbox more than one interval without a sync. A mailbox starts a run every interval at its own
        // phase; only a run that itself took longer than the interval (a full listing after a switch, or the runtime busy
        // loading the Graph feature on a loaded machine) pushes its next start to that run's end. Measured between the
        // starts of its OK runs (an edit made after a run began is read by the next one), with 0.5 s for the timer.
        List<SyncGaps.Gap> beyond = gaps.beyond(Duration.ofMillis(500));
        assertTrue(beyond.isEmpty(), "mailboxes went longer than an interval (or their own run) without a sync: " + beyond);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** Pauses the sandbox editor and lets two full cycles take in what it did, so that what follows writes only its own. */
    void pauseEditsAndSettle() throws Exception {
        editing.set(false);
        Thread.sleep(1000);
        SyncRig.syncAll(runtime, MAILBOXES);
        SyncRig.syncAll(runtime, MAILBOXES);
    }

    /** Switches with the editor paused; returns the PUT/DELETE count the DAV server received until the mailboxes ran through it. */
    int quietSwitch(String args, List<String> moved, String backend) throws Exception {
        pauseEditsAndSettle();
        int mark = dav.mark();
        String out = runtime.console("nexchange:switch " + args);
        System.out.println(out);
        for (String mailbox : moved) {
            syncUntil(mailbox, backend);
        }
        SyncRig.syncAll(runtime, MAILBOXES);
        int writes = writes(mark);
        editing.set(true);
        return writes;
    }

    /** nexchange:sync MAILBOX until a run of it went through {@code backend} (a run started before may be joined). */
    String syncUntil(String mailbox, String backend) throws Exception {
        String out = "";
        for (int i = 0; i < 20; i++) {
            out = runtime.console("nexchange:sync " + mailbox);
            if (out.contains(mailbox + ": OK (" + backend + ")")) {
                return out;
            }
            Thread.sleep(300);
        }
        throw new AssertionError(mailbox + " did not sync OK through " + backend + ":\n" + out + "\n"
                + SyncRig.logTail(runtime.base(), 60));
    }

    int writes(int mark) {
        return (int) dav.requestsSince(mark).stream().filter(r -> r.method().equals("PUT") || r.method().equals("DELETE")).count();
    }

    void awaitAllOk(String what, Duration within) throws Exception {
        Map<String, Integer> before = new ConcurrentHashMap<>();
        mailboxes.forEach(m -> before.put(m, okRuns.getOrDefault(m, List.of()).size()));
        awaitTrue(what, () -> mailboxes.stream().allMatch(m -> okRuns.getOrDefault(m, List.of()).size() > before.get(m)), within);
    }

    void monitor() {
        while (!stop.get()) {
            try {
                Matcher row = STATUS_ROW.matcher(runtime.console("nexchange:sync-status"));
                while (row.find()) {
                    if (row.group(2).equals("OK") && !row.group(3).equals("-")) {
                        Instant finished = Instant.parse(row.group(3));
                        List<Instant> runs = okRuns.computeIfAbsent(row.group(1), k -> new java.util.concurrent.CopyOnWriteArrayList<>());
                        if (runs.isEmpty() || runs.get(runs.size() - 1).isBefore(finished)) {
                            runs.add(finished);
                        }
                    }
                }
                Thread.sleep(500);
            } catch (Exception e) {
                sleepQuietly(500); // the console may be busy during a feature install
            }
        }
    }

    /** Edits event subjects in the sandbox while {@code editing} is on, about two a second. */
    void edit() {
        Random random = new Random(SEED);
        while (!stop.get()) {
            if (editing.get()) {
                String mailbox = mailboxes.get(random.nextInt(mailboxes.size()));
                List<String> ids = new ArrayList<>(sandbox.eventIds(mailbox));
                ids.removeIf(id -> reservedForDav.contains(mailbox + "|" + id));
                if (!ids.isEmpty()) {
                    int n = edits.incrementAndGet();
                    sandbox.updateEvent(mailbox, ids.get(random.nextInt(ids.size())), "{\"subject\":\"Edit " + n + " during the switch\"}");
                }
            }
            sleepQuietly(500);
        }
    }

    /** Edits one synced single event of the mailbox in the DAV server (its SUMMARY), and keeps the sandbox editor off it. */
    void davEdit(String mailbox) throws Exception {
        String user = SyncRig.account(mailbox);
        for (String id : sandbox.eventIds(mailbox)) {
            com.fasterxml.jackson.databind.JsonNode event = JSON.readTree(sandbox.event(mailbox, id));
            if ("singleInstance".equals(event.path("type").asText())) {
                String uid = event.path("iCalUId").asText();
                for (Map.Entry<String, Map<String, String>> collection : dav.storedItems().getOrDefault(user, Map.of()).entrySet()) {
                    for (Map.Entry<String, String> resource : collection.getValue().entrySet()) {
                        if (unfold(resource.getValue()).contains("UID:" + uid)) {
                            reservedForDav.add(mailbox + "|" + id);
                            String edited = unfold(resource.getValue()).replaceAll("SUMMARY[^\\r\\n]*", "SUMMARY:Edited in the DAV server");
                            put(user, dav.calendarHome(user) + collection.getKey() + "/" + resource.getKey(), edited);
                            davEdited.add(mailbox + "|" + uid + "|" + id);
                            return;
                        }
                    }
                }
            }
        }
        throw new AssertionError("no single event of " + mailbox + " found in " + dav.product());
    }

    /** iCalendar lines longer than 75 octets are folded (RFC 5545 3.1): long UIDs span lines. */
    static String unfold(String text) {
        return text.replace("\r\n ", "").replace("\n ", "");
    }

    String davText(String mailbox, String uid) {
        for (Map<String, String> collection : dav.storedItems().getOrDefault(SyncRig.account(mailbox), Map.of()).values()) {
            for (String text : collection.values()) {
                if (unfold(text).contains("UID:" + uid)) {
                    return unfold(text);
                }
            }
        }
        return "";
    }

    void put(String user, String path, String text) throws Exception {
        String password = Files.readString(temp.resolve("passwords").resolve(user)).strip();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dav.davBaseUrl()).resolve(path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "text/calendar; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(answer.statusCode() / 100 == 2, "PUT " + path + ": " + answer.statusCode() + " " + answer.body());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> runtimeInfo() throws Exception {
        return (Map<String, Object>) runtime.status().get("runtime");
    }

    static void write(Path file, String content) throws Exception {
        Path part = file.resolveSibling("." + file.getFileName() + ".part");
        Files.writeString(part, content);
        Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void awaitTrue(String what, Check check, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception | AssertionError notYet) {
                // retried until the deadline
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out: " + what);
    }

    static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
