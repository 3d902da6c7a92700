package io.nexchange.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code nexchange demo}: the main job on embedded defaults. Boots an instance in ./nexchange-demo with the sandbox
 * tenant (a Microsoft 365 emulator on loopback), Graph, the sync engine and a vdir sink (one .ics / .vcf per item, the
 * layout khal, khard and vdirsyncer read; synced both ways, the engine's default); follows the first sync cycle with
 * progress lines; prints a summary and stops ({@code --keep-running}: goes on syncing every 30 s so that an edit in the
 * sandbox shows up, until Ctrl-C). {@code --nextcloud URL} targets a real CalDAV/CardDAV server instead of the vdir
 * (one way unless --two-way); {@code --backend ews} reads the sandbox's mailboxes through EWS instead of Graph.
 *
 * <p>The demo instance's etc/ is rewritten from the distribution on every run (it is the demo's, on embedded
 * defaults, with the ports of --port / --sandbox-port); its data/ (sync state) is kept, so a second run is incremental.
 * A run first checks everything (no other demo in this folder: data/demo.lock; its ports free) and touches etc/ only
 * then, so a refused run leaves a running demo alone.
 */
final class Demo {
    static final String USAGE = "usage: nexchange demo [--keep-running] [--two-way] [--users N] [--backend graph|ews] [--port N]"
            + " [--sandbox-port N] [--nextcloud URL [--app-passwords DIR]]\n"
            + "  --two-way           show two-way sync (the default into the vdir): after the first cycle the demo edits\n"
            + "                      one event in the vdir, as a Nextcloud client would, syncs, and reads it back from\n"
            + "                      the sandbox's Graph; with --nextcloud (one way without it) the edit is made there\n"
            + "  --users N           mailboxes in the sandbox tenant (default 30)\n"
            + "  --backend ews       read the mailboxes through Exchange Web Services instead of Microsoft Graph\n"
            + "  --port N            the demo's operator endpoint on 127.0.0.1 (default 8182)\n"
            + "  --sandbox-port N    the sandbox tenant's HTTPS port on 127.0.0.1 (default 18443)\n"
            + "  --nextcloud URL     sync into this CalDAV/CardDAV server (Nextcloud: https://HOST/remote.php/dav/) instead\n"
            + "                      of ./nexchange-demo/vdir; mailbox alice@... goes to user 'alice'\n"
            + "  --app-passwords DIR one file per user id holding its app password (default ./nexchange-demo/app-passwords)\n";
    private static final Duration FIRST_CYCLE_LIMIT = Duration.ofMinutes(30);
    /** The Graph calendar store's defaults (GraphCalendarStoreConfiguration), shown when etc/ does not set them. */
    private static final String DEFAULT_DAYS_BACK = "30";
    private static final String DEFAULT_DAYS_AHEAD = "365";

    private final Path home;
    private final Path base;
    private final boolean keepRunning;
    private final boolean twoWay;
    private final String nextcloud;
    private final Path appPasswords;
    private final int users;
    private final String backend;
    /** 0: the distribution's port. */
    private final int opsPort;
    private final int sandboxPort;

    private Demo(Path home, Path base, boolean keepRunning, boolean twoWay, String nextcloud, Path appPasswords, int users,
            String backend, int opsPort, int sandboxPort) {
        this.home = home;
        this.base = base;
        this.keepRunning = keepRunning;
        this.twoWay = twoWay;
        this.nextcloud = nextcloud;
        this.appPasswords = appPasswords;
        this.users = users;
        this.backend = backend;
        this.opsPort = opsPort;
        this.sandboxPort = sandboxPort;
    }

    /** Parses the demo's options; the message of the exception says which one is wrong. */
    static Demo parse(Path home, Path base, List<String> args) {
        boolean keepRunning = false;
        boolean twoWay = false;
        String nextcloud = null;
        Path appPasswords = base.resolve("app-passwords");
        int users = 0;
        String backend = "graph";
        int opsPort = 0;
        int sandboxPort = 0;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--keep-running":
                    keepRunning = true;
                    break;
                case "--two-way":
                    twoWay = true;
                    break;
                case "--nextcloud":
                    nextcloud = value(args, ++i, arg);
                    URI uri = URI.create(nextcloud);
                    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                        throw new IllegalArgumentException("--nextcloud takes the server's DAV URL (http or https), e.g. "
                                + "https://cloud.example.org/remote.php/dav/, was '" + nextcloud + "'");
                    }
                    break;
                case "--app-passwords":
                    appPasswords = Path.of(value(args, ++i, arg)).toAbsolutePath();
                    break;
                case "--users":
                    try {
                        users = Integer.parseInt(value(args, ++i, arg));
                    } catch (NumberFormatException e) {
                        users = -1;
                    }
                    if (users < 1 || users > 5000) {
                        throw new IllegalArgumentException("--users takes a number of mailboxes from 1 to 5000");
                    }
                    break;
                case "--backend":
                    backend = value(args, ++i, arg);
                    if (!backend.equals("graph") && !backend.equals("ews")) {
                        throw new IllegalArgumentException("--backend takes graph or ews, not '" + backend + "'");
                    }
                    break;
                case "--port":
                    opsPort = port(value(args, ++i, arg), arg);
                    break;
                case "--sandbox-port":
                    sandboxPort = port(value(args, ++i, arg), arg);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        if (opsPort != 0 && opsPort == sandboxPort) {
            throw new IllegalArgumentException("--port and --sandbox-port must differ (both " + opsPort + ")");
        }
        return new Demo(home, base, keepRunning, twoWay, nextcloud, appPasswords, users, backend, opsPort, sandboxPort);
    }

    private static int port(String text, String option) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1024 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // the message below
        }
        throw new IllegalArgumentException(option + " takes a port number from 1024 to 65535, was '" + text + "'");
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    int run() throws Exception {
        // everything is checked before etc/ is touched: a running demo's FileInstall applies every change of etc/ live
        Files.createDirectories(base.resolve("data"));
        try (FileChannel lockFile = FileChannel.open(base.resolve("data/demo.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                System.err.println("Cannot start the demo: a demo is already running in " + base + " (operator endpoint "
                        + Main.opsEndpoint(base) + "). Stop it (Ctrl-C) first, or run the second one from another folder with"
                        + " other ports: nexchange demo --port N --sandbox-port N ...");
                return 1;
            }
            Path fresh = prepareEtc();
            try {
                String busy = busyPorts(fresh);
                if (!busy.isEmpty()) {
                    System.err.println("Cannot start the demo: " + busy + " already in use (another demo or Nexchange instance"
                            + " running?). Stop it, or choose other ports: nexchange demo --port N --sandbox-port N ...");
                    return 1;
                }
                installEtc(fresh);
            } finally {
                deleteFiles(fresh);
            }
            if (nextcloud != null) {
                Files.createDirectories(appPasswords);
            }
            return runPrepared();
        }
    }

    private int runPrepared() throws Exception {
        // the demo prints its own progress; the log file keeps everything
        System.setProperty("nexchange.console.level", "WARN");
        System.out.println("Nexchange demo in " + base + " (log: " + base.resolve("log/nexchange.log") + ")");
        Launcher launcher = new Launcher(home, base, false);
        launcher.start();
        // Ctrl-C (or SIGTERM) at any moment, the first cycle included: the JVM halts once its hooks are done, so the hook
        // itself stops the framework (the engine lets running pairs commit and releases the leases)
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            System.out.println("Stopping.");
            main.interrupt();
            launcher.stop();
        }, "nexchange-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (!awaitReady(Main.opsEndpoint(base).resolve("/health/ready"), Duration.ofSeconds(120))) {
                Main.remote(base, "GET", "/status.txt", null);
                System.err.println("The demo runtime did not become ready within 120 s; see " + base.resolve("log/nexchange.log"));
                return 1;
            }
            Properties sandbox = RuntimeHome.readCfg(base.resolve("etc/io.nexchange.sandbox-demo.cfg"));
            System.out.println("Sandbox tenant (Microsoft 365 emulator): https://127.0.0.1:" + sandbox.getProperty("port", "?").strip()
                    + ", " + sandbox.getProperty("users", "?").strip() + " users, seed " + sandbox.getProperty("seed", "?").strip()
                    + "; syncing calendars and contacts through " + (backend.equals("ews") ? "EWS" : "Graph") + " into " + sinkName()
                    + (nextcloud != null && !twoWay ? ", one way (Exchange to Nextcloud)" : ", both ways"));
            if (nextcloud != null && twoWay) {
                System.out.println("  Two-way into a real server: the sandbox tenant starts anew at every run, so what this run "
                        + "copies from the server into the sandbox is gone from Exchange later, and a full listing then deletes it "
                        + "in the server. Use a test server.");
            }
            String finished = followFirstCycle();
            if (finished == null) {
                System.err.println("The first sync cycle did not finish within " + FIRST_CYCLE_LIMIT.toMinutes() + " minutes; see "
                        + base.resolve("log/nexchange.log"));
                return 1;
            }
            boolean allOk = summarize(finished);
            if (twoWay && allOk) {
                allOk = new DemoTwoWay(base, nextcloud, appPasswords).showAnEditMadeInNextcloud();
            }
            if (keepRunning) {
                followLaterCycles(finished, sandbox);
            }
            return allOk ? 0 : 1;
        } catch (InterruptedException stopping) {
            return 130; // Ctrl-C: the hook stops the framework
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                launcher.stop();
            } catch (IllegalStateException shuttingDown) {
                // the hook is stopping the framework
            }
        }
    }

    /**
     * etc/ from the distribution and its demo overlay, then what the options change. Built in a scratch directory
     * and copied over etc/ file by file, only where the content differs: FileInstall and Configuration Admin keep
     * state about every file (a deleted and re-created etc/ had FileInstall write configurations back over it).
     */
    private Path prepareEtc() throws IOException {
        Path fresh = base.resolve("data/demo-etc");
        deleteFiles(fresh);
        Files.createDirectories(fresh);
        RuntimeHome.copyFiles(home.resolve("etc"), fresh);
        RuntimeHome.copyFiles(home.resolve("etc/demo"), fresh);
        applyOptions(fresh);
        return fresh;
    }

    private void installEtc(Path fresh) throws IOException {
        Path etc = base.resolve("etc");
        RuntimeHome.initializeBase(home, base); // etc/, data/, log/, deploy/ of a new instance
        try (Stream<Path> current = Files.list(etc)) {
            for (Path file : (Iterable<Path>) current::iterator) {
                if (Files.isRegularFile(file) && !Files.exists(fresh.resolve(file.getFileName()))) {
                    Files.delete(file); // a configuration of another demo variant (--nextcloud)
                }
            }
        }
        try (Stream<Path> wanted = Files.list(fresh)) {
            for (Path file : (Iterable<Path>) wanted::iterator) {
                Path target = etc.resolve(file.getFileName());
                if (!Files.exists(target) || Files.mismatch(file, target) >= 0) {
                    Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private void applyOptions(Path etc) throws IOException {
        if (opsPort != 0) {
            replaceSetting(etc.resolve("io.nexchange.ops.http.cfg"), "port", Integer.toString(opsPort));
        }
        if (sandboxPort != 0) {
            // the sandbox's port, and every URL that points at it (Entra authority, Graph base URL)
            String defaultPort = RuntimeHome.readCfg(etc.resolve("io.nexchange.sandbox-demo.cfg")).getProperty("port", "18443").strip();
            try (Stream<Path> files = Files.list(etc)) {
                for (Path cfg : (Iterable<Path>) files::iterator) {
                    String text = Files.readString(cfg, StandardCharsets.UTF_8);
                    String moved = text.replace("127.0.0.1:" + defaultPort, "127.0.0.1:" + sandboxPort);
                    if (!moved.equals(text)) {
                        Files.writeString(cfg, moved, StandardCharsets.UTF_8);
                    }
                }
            }
            replaceSetting(etc.resolve("io.nexchange.sandbox-demo.cfg"), "port", Integer.toString(sandboxPort));
        }
        if (users > 0) {
            replaceSetting(etc.resolve("io.nexchange.sandbox-demo.cfg"), "users", Integer.toString(users));
        }
        boolean ews = backend.equals("ews");
        if (ews) {
            // the same sandbox mailboxes through its EWS endpoint, with the demo's app registration (full_access_as_app);
            // the mailbox directory still lists the users through Graph
            replaceSetting(etc.resolve("io.nexchange.engine.cfg"), "backend.default", "ews");
            // three migration waves by the first letter of the address, to try the move wave by wave
            // (nexchange:switch --wave 1 graph, or the console's Migration page)
            replaceSetting(etc.resolve("io.nexchange.engine.cfg"), "wave.1", letters('a', 'f'));
            replaceSetting(etc.resolve("io.nexchange.engine.cfg"), "wave.2", letters('g', 'm'));
            replaceSetting(etc.resolve("io.nexchange.engine.cfg"), "wave.3", letters('n', 'z'));
            Properties sandbox = RuntimeHome.readCfg(etc.resolve("io.nexchange.sandbox-demo.cfg"));
            Files.writeString(etc.resolve("io.nexchange.ews.cfg"), "# bin/nexchange demo --backend ews: the sandbox's EWS\n"
                    + "url = https://127.0.0.1:" + sandbox.getProperty("port", "18443").strip() + "/EWS/Exchange.asmx\n"
                    + "registrations = sandbox\n"
                    + "truststorePath = ${nexchange.base}/data/sandbox/sandbox-truststore.p12\n"
                    + "truststorePasswordFile = ${nexchange.base}/data/sandbox/sandbox-truststore.password\n", StandardCharsets.UTF_8);
        }
        String boot = "core,state,ops," + (nextcloud != null ? "nextcloud" : "vdir") + ",sandbox,auth-entra,graph," + (ews ? "ews," : "")
                + "engine,console";
        replaceSetting(etc.resolve("io.nexchange.features.cfg"), "boot", boot);
        if (nextcloud != null) {
            // one way into a real server unless --two-way asks for both: the sandbox tenant starts anew at every run, so a
            // two-way run's copies in it are gone later, and a full listing then deletes them in the server
            replaceSetting(etc.resolve("io.nexchange.engine.cfg"), "direction", twoWay ? "two-way" : "exchange-to-nextcloud");
            replaceSetting(etc.resolve("io.nexchange.engine.cfg"), "nextcloudBackend", "caldav");
            Files.writeString(etc.resolve("io.nexchange.nextcloud.cfg"), "# bin/nexchange demo --nextcloud\nbaseUrl = "
                    + nextcloud + "\n", StandardCharsets.UTF_8);
            Files.writeString(etc.resolve("io.nexchange.nextcloud.credentials.cfg"), "# one file per Nextcloud user id with "
                    + "its app password\nappPasswordDirectory = " + appPasswords + "\n", StandardCharsets.UTF_8);
            Files.deleteIfExists(etc.resolve("io.nexchange.vdir.cfg"));
        }
    }

    /** The demo's loopback ports (operator endpoint, sandbox) in the configuration {@code etc} that something already listens on. */
    private static String busyPorts(Path etc) throws IOException {
        List<String> busy = new ArrayList<>();
        int ops = Integer.parseInt(RuntimeHome.readCfg(etc.resolve("io.nexchange.ops.http.cfg")).getProperty("port", "8181").strip());
        int sandbox = Integer.parseInt(RuntimeHome.readCfg(etc.resolve("io.nexchange.sandbox-demo.cfg"))
                .getProperty("port", "18443").strip());
        for (int port : new int[] {ops, sandbox}) {
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
            } catch (IOException inUse) {
                busy.add("port " + port + (port == ops ? " (operator endpoint)" : " (sandbox tenant)"));
            }
        }
        return String.join(" and ", busy);
    }

    /** {@code a*@*, b*@*, ...}: the addresses starting with one of the letters. */
    static String letters(char from, char to) {
        List<String> patterns = new ArrayList<>();
        for (char c = from; c <= to; c++) {
            patterns.add(c + "*@*");
        }
        return String.join(", ", patterns);
    }

    private static void replaceSetting(Path cfg, String key, String value) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean replaced = false;
        for (String line : Files.readAllLines(cfg, StandardCharsets.UTF_8)) {
            if (line.matches("\\s*" + java.util.regex.Pattern.quote(key) + "\\s*=.*")) {
                line = key + " = " + value;
                replaced = true;
            }
            lines.add(line);
        }
        if (!replaced) {
            lines.add(key + " = " + value);
        }
        Files.write(cfg, lines, StandardCharsets.UTF_8);
    }

    private String sinkName() {
        return nextcloud != null ? nextcloud + " (app passwords from " + appPasswords + ")" : base.resolve("vdir").toString();
    }

    /** Prints the progress of the first cycle; returns sync-status once it has finished, or null. */
    private String followFirstCycle() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + FIRST_CYCLE_LIMIT.toNanos();
        String shown = "";
        long lastShown = 0;
        while (System.nanoTime() < deadline) {
            String status = syncStatus();
            String first = status.lines().findFirst().orElse("");
            if (first.startsWith("last cycle:")) {
                return status;
            }
            if (first.startsWith("cycle running:") && !first.equals(shown) && System.nanoTime() - lastShown > 2_000_000_000L) {
                System.out.println("  " + first.substring("cycle running: ".length()));
                shown = first;
                lastShown = System.nanoTime();
            }
            Thread.sleep(250);
        }
        return null;
    }

    /** nexchange:sync-status through the operator endpoint; empty while the engine is not up yet. */
    private String syncStatus() throws InterruptedException {
        try {
            Main.Answer answer = Main.call(base, "POST", "/console", "nexchange:sync-status");
            return answer.ok() ? answer.body() : "";
        } catch (IOException notAnsweringNow) {
            return ""; // not up yet, or busy: asked again a moment later
        }
    }

    /** Prints mailboxes by state, the problems, and what the sink holds; true if every mailbox synced. */
    private boolean summarize(String status) throws IOException {
        Map<String, Integer> states = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        List<String> lines = status.lines().toList();
        boolean table = false;
        for (String line : lines) {
            if (line.startsWith("MAILBOX ")) {
                table = true;
                continue;
            }
            if (line.startsWith("MAILBOX LIST UNREADABLE")) {
                problems.add(line);
            }
            if (!table || line.isBlank()) {
                continue;
            }
            String[] columns = line.trim().split("\\s+", 6);
            if (columns.length >= 2) {
                states.merge(columns[1], 1, Integer::sum);
                if (!columns[1].equals("OK")) {
                    problems.add(line.trim());
                }
            }
        }
        String first = lines.get(0);
        java.util.regex.Matcher after = java.util.regex.Pattern.compile("after (\\S+), ").matcher(first);
        String took = after.find() ? after.group(1) : "?";
        java.util.regex.Matcher written = java.util.regex.Pattern.compile("(\\d+) items written").matcher(first);
        String items = written.find() ? written.group(1) : "?";
        int mailboxes = states.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println();
        System.out.println("Synced " + mailboxes + " mailboxes in " + took + ", " + items + " items written " + states);
        if (nextcloud == null) {
            Path vdir = base.resolve("vdir");
            long events = count(vdir, ".ics");
            long contacts = count(vdir, ".vcf");
            System.out.printf(Locale.ROOT, "  %,d calendar objects (.ics: an event, or a series with its exceptions) and %,d "
                    + "contacts (.vcf)%n  in %s/<user>/<calendar or addressbook>/ - the layout khal, khard and vdirsyncer "
                    + "read%n", events, contacts, vdir);
        } else {
            System.out.println("  into " + nextcloud + " (per-mailbox counts: bin/nexchange exec nexchange:sync-status)");
        }
        Properties calendar = RuntimeHome.readCfg(base.resolve("etc/io.nexchange.graph.calendar.cfg"));
        System.out.println("  Calendar window: events from " + calendar.getProperty("windowDaysBack", DEFAULT_DAYS_BACK).strip()
                + " days back to " + calendar.getProperty("windowDaysAhead", DEFAULT_DAYS_AHEAD).strip() + " days ahead (a series when"
                + " one occurrence is in it); windowDaysBack/windowDaysAhead in " + base.resolve("etc/io.nexchange.graph.calendar.cfg"));
        problems.forEach(p -> System.out.println("  ! " + p));
        return problems.isEmpty();
    }

    private static long count(Path root, String extension) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().endsWith(extension) && Files.isRegularFile(f)).count();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Prints one line per later cycle until Ctrl-C. */
    private void followLaterCycles(String firstStatus, Properties sandbox) throws IOException, InterruptedException {
        String port = sandbox.getProperty("port", "18443").strip();
        System.out.println();
        System.out.println("Running: a cycle every 30 s. Web console: " + Main.opsEndpoint(base) + "/ (mailboxes, sync now, "
                + "throttling; no login on loopback). Edit a mailbox in the sandbox and watch it arrive, e.g.:");
        System.out.println("  curl --cacert " + base.resolve("data/sandbox/sandbox-cert.pem") + " https://127.0.0.1:" + port
                + "/_sandbox/mailboxes");
        System.out.println("  curl --cacert " + base.resolve("data/sandbox/sandbox-cert.pem") + " -H 'Content-Type: application/json'"
                + " -d '{\"subject\":\"Demo edit\",\"start\":{\"dateTime\":\"2026-12-01T10:00:00\",\"timeZone\":\"UTC\"},"
                + "\"end\":{\"dateTime\":\"2026-12-01T11:00:00\",\"timeZone\":\"UTC\"}}' https://127.0.0.1:" + port
                + "/_sandbox/mailboxes/<UPN>/events");
        System.out.println("Press Ctrl-C to stop.");
        String lastFinished = firstStatus.lines().findFirst().orElse("");
        try {
            while (true) {
                Thread.sleep(1000);
                String first = syncStatus().lines().findFirst().orElse("");
                if (first.startsWith("last cycle:") && !first.equals(lastFinished)) {
                    System.out.println("  " + first);
                    lastFinished = first;
                }
            }
        } catch (InterruptedException stopping) {
            // the shutdown hook stops the framework
        }
    }

    private static boolean awaitReady(URI ready, Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYetListening) {
                // the endpoint comes up with the ops feature
            }
            Thread.sleep(200);
        }
        return false;
    }
}
