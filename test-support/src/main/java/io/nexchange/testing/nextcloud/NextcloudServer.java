package io.nexchange.testing.nextcloud;

import io.nexchange.testing.dav.DavTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Nextcloud 32 server for tests, started from the kit in {@code <repository>/../shared/nextcloud}
 * ({@code nextcloud-server start DIR --port P}: SQLite, PHP's built-in server with one worker, on 127.0.0.1 with
 * a free port, in a temporary folder). The kit's README lists what this server really does (trash bin, example
 * items, read-only collections, sync-token quirks); this class only drives the kit's script.
 *
 * <p>The kit is found at the system property {@code nexchange.nextcloud.kit} or the environment variable
 * {@code NEXCHANGE_NEXTCLOUD_KIT}, else at {@code ../shared/nextcloud} beside the repository root (the folder
 * with {@code dev/test}). Without the kit or PHP, {@link #unavailableReason()} says why and what to install;
 * {@link NextcloudExtension} then skips the tests loudly.
 *
 * <p>Brute-force protection is ON, as on a real server (the kit installs with it off; {@link #start()} turns it on),
 * so every test against this server also proves the connector does not trip it in normal work: more than 10 failed
 * logins from 127.0.0.1 within 30 minutes and every account is answered 429. A test that causes failed logins on
 * purpose calls {@link #resetBruteForceAttempts()} when it is done, so the next test starts with a clean record;
 * {@link #disableBruteForceProtection()} exists for diagnosis, not to make a test pass.
 *
 * <pre>{@code
 * try (NextcloudServer nextcloud = NextcloudServer.start()) {
 *     NextcloudServer.User alice = nextcloud.addUser("alice", "alice@example.org", "Alice");
 *     String dav = nextcloud.davBaseUrl();   // http://127.0.0.1:<port>/remote.php/dav/
 * }
 * }</pre>
 */
public final class NextcloudServer implements DavTestServer {
    /** System property naming the kit folder. */
    public static final String KIT_PROPERTY = "nexchange.nextcloud.kit";
    /** Environment variable naming the kit folder (the property wins). */
    public static final String KIT_ENV = "NEXCHANGE_NEXTCLOUD_KIT";
    private static final String SCRIPT = "nextcloud-server";
    // PHP's built-in server logs "[date] 127.0.0.1:port [207]: PROPFIND /remote.php/dav/..."
    private static final Pattern REQUEST_LINE = Pattern.compile("\\[(\\d{3})\\]: ([A-Z]+) (\\S+)");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    /** A Nextcloud account: its login password and an app password made for it (the one for DAV). */
    public record User(String name, String password, String appPassword) {
        @Override
        public String toString() {
            return "User[" + name + "]"; // never the passwords
        }
    }

    private final Path kit;
    private final Path directory;
    private final Path instance;
    private final int port;
    private final String adminPassword;
    private final Thread stopAtExit;
    private final Map<String, User> users = new LinkedHashMap<>();
    private volatile boolean stopped;

    private NextcloudServer(Path kit, Path directory, int port, String adminPassword) {
        this.kit = kit;
        this.directory = directory;
        this.instance = directory.resolve("nc");
        this.port = port;
        this.adminPassword = adminPassword;
        // a test JVM that ends without closing the server (a crash, a killed fork) must not leave PHP running
        this.stopAtExit = new Thread(this::stopQuietly, "nextcloud-stop-at-exit");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /** The kit folder, if it is there. */
    public static Optional<Path> kit() {
        String configured = System.getProperty(KIT_PROPERTY, System.getenv(KIT_ENV));
        if (configured != null && !configured.isBlank()) {
            Path path = Paths.get(configured).toAbsolutePath();
            return Files.isRegularFile(path.resolve(SCRIPT)) ? Optional.of(path) : Optional.empty();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("dev/test")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                Path candidate = dir.resolveSibling("shared").resolve("nextcloud");
                return Files.isRegularFile(candidate.resolve(SCRIPT)) ? Optional.of(candidate) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Why no Nextcloud can be started here (no kit, no PHP), or empty if it can. */
    public static Optional<String> unavailableReason() {
        Optional<Path> kit = kit();
        if (kit.isEmpty()) {
            return Optional.of("the Nextcloud test kit was not found: expected <repository>/../shared/nextcloud/" + SCRIPT
                    + " (or set -D" + KIT_PROPERTY + "=DIR / " + KIT_ENV + "=DIR)");
        }
        if (!onPath("php")) {
            return Optional.of("PHP is not installed; install the kit's requirements: apt-get install $(" + kit.get().resolve(SCRIPT)
                    + " requirements) (dev/test does so)");
        }
        return Optional.empty();
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Installs Nextcloud into a new temporary folder and starts it on a free loopback port (4-8 s), with brute-force
     * protection on.
     *
     * @throws IllegalStateException if the kit or PHP is missing, or the server does not start (with the script's output)
     */
    public static NextcloudServer start() {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) {
            throw new IllegalStateException(reason.get());
        }
        Path kit = kit().orElseThrow();
        Path directory;
        try {
            directory = Files.createTempDirectory("nextcloud-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for Nextcloud", e);
        }
        // a random admin password known before the install, so no file has to be parsed for it
        String adminPassword = UUID.randomUUID().toString().replace("-", "");
        IllegalStateException last = null;
        // a free port found here can be taken before PHP binds it: try a few
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            try {
                Map<String, String> started = run(kit, Map.of("NEXTCLOUD_ADMIN_PASSWORD", adminPassword),
                        "start", directory.resolve("nc").toString(), "--port", Integer.toString(port));
                if (!("http://127.0.0.1:" + port).equals(started.get("NEXTCLOUD_URL"))) {
                    throw new IllegalStateException("the kit started Nextcloud at " + started.get("NEXTCLOUD_URL") + ", not on port " + port);
                }
                NextcloudServer server = new NextcloudServer(kit, directory, port, started.get("NEXTCLOUD_ADMIN_PASSWORD"));
                server.enableBruteForceProtection();
                return server;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        deleteRecursively(directory);
        throw last;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /** Runs the kit's script and returns its KEY=VALUE lines; fails with its stderr on a non-zero exit. */
    private static Map<String, String> run(Path kit, Map<String, String> env, String... args) {
        String out = runText(kit, env, args);
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return values;
    }

    private static String runText(Path kit, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", kit.resolve(SCRIPT).toString()));
        command.addAll(List.of(args));
        try {
            Path err = Files.createTempFile("nextcloud-server-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
                builder.environment().putAll(env);
                Process process = builder.start();
                byte[] out = process.getInputStream().readAllBytes();
                if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(SCRIPT + " " + args[0] + " did not finish within " + COMMAND_TIMEOUT.toSeconds() + " s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(SCRIPT + " " + args[0] + " failed (exit " + process.exitValue() + "): "
                            + (Files.readString(err, StandardCharsets.UTF_8) + "\n" + new String(out, StandardCharsets.UTF_8)).strip());
                }
                return new String(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + SCRIPT + " " + args[0], e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File("/dev/null");
    }

    @Override
    public String product() {
        return "Nextcloud";
    }

    /** {@code http://127.0.0.1:<port>}: the server's root (status.php, ocs/, remote.php/dav/). */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:<port>/remote.php/dav/}: where discovery starts. */
    @Override
    public String davBaseUrl() {
        return url() + "/remote.php/dav/";
    }

    @Override
    public int port() {
        return port;
    }

    public String adminUser() {
        return "admin";
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** The instance folder ({@code server/}, {@code data/}, {@code server.log}). */
    public Path instanceFolder() {
        return instance;
    }

    /**
     * Adds a user the way a person gets one: created through the provisioning API, a first login with the real
     * password (which makes the default calendar {@code personal} and address book {@code contacts}, with the
     * example event and card), then an app password from {@code core/getapppassword}. 1-2 s.
     */
    public synchronized User addUser(String name, String email, String displayName) {
        List<String> args = new ArrayList<>(List.of("add-user", instance.toString(), name));
        if (email != null) {
            args.addAll(List.of("--email", email));
        }
        if (displayName != null) {
            args.addAll(List.of("--display-name", displayName));
        }
        Map<String, String> out = run(kit, Map.of(), args.toArray(String[]::new));
        User user = new User(name, out.get("NEXTCLOUD_USER_PASSWORD"), out.get("APP_PASSWORD"));
        if (user.password() == null || user.appPassword() == null) {
            throw new IllegalStateException(SCRIPT + " add-user " + name + " printed no passwords");
        }
        io.nexchange.testing.secrets.SecretLedger.record("nextcloud password", user.password());
        io.nexchange.testing.secrets.SecretLedger.record("nextcloud app password", user.appPassword());
        users.put(name, user);
        return user;
    }

    public User addUser(String name) {
        return addUser(name, null, null);
    }

    /**
     * Adds a user who never logged in with the real password, with an app password made by {@code occ
     * user:add-app-password} (as an admin provisioning accounts would): Nextcloud then never fires its first-login
     * event, so the user has no default calendar {@code personal} and no address book {@code contacts}.
     */
    public synchronized User addUserWithoutFirstLogin(String name) {
        String password = UUID.randomUUID().toString();
        HttpResponse<String> created = http("POST", "/ocs/v2.php/cloud/users?format=json", adminUser(), adminPassword,
                "userid=" + name + "&password=" + password, "Content-Type", "application/x-www-form-urlencoded");
        if (created.statusCode() != 200 || !created.body().contains("\"statuscode\":200")) {
            throw new IllegalStateException("could not create user " + name + ": HTTP " + created.statusCode() + " " + created.body());
        }
        String out = runText(kit, Map.of("NC_PASS", password), "occ", instance.toString(), "user:add-app-password", "--password-from-env", name);
        String[] lines = out.strip().split("\n");
        String appPassword = lines[lines.length - 1].strip();
        if (!appPassword.matches("[A-Za-z0-9]{20,}")) {
            throw new IllegalStateException("occ user:add-app-password printed no app password for " + name);
        }
        User user = new User(name, password, appPassword);
        io.nexchange.testing.secrets.SecretLedger.record("nextcloud password", user.password());
        io.nexchange.testing.secrets.SecretLedger.record("nextcloud app password", user.appPassword());
        users.put(name, user);
        return user;
    }

    /** A user added earlier by this server object. */
    public User user(String name) {
        User user = users.get(name);
        if (user == null) {
            throw new IllegalArgumentException("no user " + name + " was added to " + this);
        }
        return user;
    }

    /** Adds the user and returns the app password. */
    @Override
    public String addAccount(String user) {
        return addUser(user).appPassword();
    }

    @Override
    public String calendarHome(String user) {
        return "/remote.php/dav/calendars/" + user + "/";
    }

    @Override
    public String addressBookHome(String user) {
        return "/remote.php/dav/addressbooks/users/" + user + "/";
    }

    /** Adds the user with this e-mail address (so Nextcloud's scheduling knows the address as theirs). */
    @Override
    public String addAccount(String user, String email) {
        return addUser(user, email, null).appPassword();
    }

    /** An app password for the admin, made the way clients make one (OCS {@code core/getapppassword}). */
    public String adminAppPassword() {
        return appPassword(adminUser(), adminPassword);
    }

    /** Makes a new app password for a login (OCS {@code core/getapppassword} with the real password). */
    public String appPassword(String user, String password) {
        HttpResponse<String> response = http("GET", "/ocs/v2.php/core/getapppassword?format=json", user, password, null);
        Matcher m = Pattern.compile("\"apppassword\":\"([A-Za-z0-9]+)\"").matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("no app password for " + user + ": HTTP " + response.statusCode());
        }
        return m.group(1);
    }

    /** Sends one request to the server (a path below {@link #url()}) with basic auth; the body may be null. */
    public HttpResponse<String> http(String method, String path, String user, String password, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("OCS-APIRequest", "true")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    /**
     * Revokes every app password (and session) of a user, as "Revoke" in the user's security settings does
     * ({@code occ user:auth-tokens:delete USER --last-used-before=<tomorrow>}): requests with them are answered 401.
     */
    public void revokeAppPasswords(String user) {
        occ("user:auth-tokens:delete", user, "--last-used-before=" + (System.currentTimeMillis() / 1000 + 86_400));
    }

    /** Runs an occ command (Nextcloud's console) and returns its standard output. */
    public String occ(String... args) {
        List<String> all = new ArrayList<>(List.of("occ", instance.toString()));
        all.addAll(List.of(args));
        return runText(kit, Map.of(), all.toArray(String[]::new));
    }

    /** Runs the background jobs once (trash-bin retention, sync-token pruning, ...). */
    public void cron() {
        runText(kit, Map.of(), "cron", instance.toString());
    }

    /** Turns brute-force protection on, as a real server has it (the kit installs with it off; {@link #start()} calls this). */
    public void enableBruteForceProtection() {
        occ("config:system:delete", "auth.bruteforce.protection.enabled");
    }

    /** Turns brute-force protection off (the kit's setting): for diagnosis only, never to make a test pass. */
    public void disableBruteForceProtection() {
        occ("config:system:set", "auth.bruteforce.protection.enabled", "--type=boolean", "--value=false");
    }

    /** Forgets the failed logins recorded for 127.0.0.1, which brute-force protection throttles as one client. */
    public void resetBruteForceAttempts() {
        occ("security:bruteforce:reset", "127.0.0.1");
    }

    private Path accessLog() {
        return instance.resolve("server.log");
    }

    /**
     * The access log once every accepted connection has been logged as closed (for up to 2 s): PHP's built-in server
     * writes a request's line after sending the answer, so a client can have it before the line is in the log (seen
     * on a loaded machine: a request counted into the next mark instead of its own).
     */
    private List<String> logLines() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
        while (true) {
            List<String> lines = readLog();
            long accepted = lines.stream().filter(l -> l.endsWith(" Accepted")).count();
            long closed = lines.stream().filter(l -> l.endsWith(" Closing")).count();
            if (accepted <= closed || System.nanoTime() > deadline) {
                return lines;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return lines;
            }
        }
    }

    private List<String> readLog() {
        try {
            return Files.exists(accessLog()) ? Files.readAllLines(accessLog(), StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + accessLog(), e);
        }
    }

    /** A position in the access log (its line count). */
    @Override
    public int mark() {
        return logLines().size();
    }

    @Override
    public List<Request> requestsSince(int mark) {
        List<String> lines = logLines();
        List<Request> requests = new ArrayList<>();
        for (String line : lines.subList(Math.min(mark, lines.size()), lines.size())) {
            Matcher m = REQUEST_LINE.matcher(line);
            if (m.find()) {
                requests.add(new Request(m.group(2), m.group(3), Integer.parseInt(m.group(1))));
            }
        }
        return requests;
    }

    /** TCP connections the server accepted since {@code mark} (PHP's built-in server closes one after each request). */
    public long connectionsSince(int mark) {
        List<String> lines = logLines();
        return lines.subList(Math.min(mark, lines.size()), lines.size()).stream().filter(l -> l.endsWith(" Accepted")).count();
    }

    /**
     * What the users' own collections hold, read from Nextcloud's database (not through DAV, so reading it sends the
     * server no request): user -> collection uri -> resource name -> text, as stored. Left out: trashed objects and
     * calendars, the generated birthday calendar and the system address book. Needs the {@code sqlite3} tool (a kit
     * requirement).
     */
    @Override
    public Map<String, Map<String, Map<String, String>>> storedItems() {
        String query = "SELECT substr(c.principaluri, 18) AS user, c.uri AS collection, o.uri AS name, CAST(o.calendardata AS TEXT) AS data"
                + " FROM oc_calendarobjects o JOIN oc_calendars c ON c.id = o.calendarid"
                + " WHERE o.deleted_at IS NULL AND c.deleted_at IS NULL AND c.principaluri LIKE 'principals/users/%' AND c.uri <> 'contact_birthdays'"
                + " UNION ALL SELECT substr(a.principaluri, 18), a.uri, k.uri, CAST(k.carddata AS TEXT)"
                + " FROM oc_cards k JOIN oc_addressbooks a ON a.id = k.addressbookid WHERE a.principaluri LIKE 'principals/users/%'";
        Map<String, Map<String, Map<String, String>>> items = new java.util.TreeMap<>();
        try {
            // the busy timeout waits for PHP's write lock (it may still be committing a request it has answered: without it
            // a read right after a PUT failed with "database is locked")
            Process sqlite = new ProcessBuilder("sqlite3", "-json", "-readonly", "-cmd", ".timeout 10000",
                    instance.resolve("data/owncloud.db").toString(), query).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] out = sqlite.getInputStream().readAllBytes();
            if (!sqlite.waitFor(60, TimeUnit.SECONDS) || sqlite.exitValue() != 0) {
                throw new IllegalStateException("sqlite3 could not read Nextcloud's database");
            }
            String json = new String(out, StandardCharsets.UTF_8).strip();
            if (json.isEmpty()) {
                return items;
            }
            for (com.fasterxml.jackson.databind.JsonNode row : new com.fasterxml.jackson.databind.ObjectMapper().readTree(json)) {
                items.computeIfAbsent(row.path("user").asText(), u -> new java.util.TreeMap<>())
                        .computeIfAbsent(row.path("collection").asText(), c -> new java.util.TreeMap<>())
                        .put(row.path("name").asText(), row.path("data").asText());
            }
            return items;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run sqlite3 (a requirement of the Nextcloud kit)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading Nextcloud's database", e);
        }
    }

    /**
     * How many iMIP invitations Nextcloud has sent: its scheduling (the dav app's IMipPlugin) records a token in
     * {@code oc_calendar_invitations} for every invitation it mails to an attendee outside the server (the kit drops
     * the mail itself), before sending. Checked with this kit: an organizer's PUT of a meeting with an outside attendee
     * adds a row and stores {@code SCHEDULE-STATUS} on the attendee; with {@code SCHEDULE-AGENT=CLIENT} neither happens.
     */
    public long invitationsSent() {
        try {
            // the busy timeout waits for PHP's write lock (it may still be committing a request it has answered)
            Process sqlite = new ProcessBuilder("sqlite3", "-readonly", "-cmd", ".timeout 10000", instance.resolve("data/owncloud.db")
                    .toString(), "SELECT count(*) FROM oc_calendar_invitations").redirectErrorStream(true).start();
            String out = new String(sqlite.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!sqlite.waitFor(60, TimeUnit.SECONDS) || sqlite.exitValue() != 0) {
                throw new IllegalStateException("sqlite3 could not count Nextcloud's invitations: " + out);
            }
            return Long.parseLong(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run sqlite3 (a requirement of the Nextcloud kit)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading Nextcloud's database", e);
        }
    }

    /**
     * Forgets every recorded calendar and address-book change, as Nextcloud's {@code PruneOutdatedSyncTokensJob} does
     * with the oldest rows of {@code oc_calendarchanges} / {@code oc_addressbookchanges} (SQL, because the job keeps at
     * least 7 days and 10,000 rows). A client's sync-token from before is then answered with 207, no changes and
     * the current token: what changed in between is missed silently.
     */
    public void pruneSyncTokens() {
        try {
            // the busy timeout waits for PHP's write lock (it may still be committing a request it has answered)
            Process sqlite = new ProcessBuilder("sqlite3", "-cmd", ".timeout 10000", instance.resolve("data/owncloud.db").toString(),
                    "DELETE FROM oc_calendarchanges; DELETE FROM oc_addressbookchanges;")
                    .redirectErrorStream(true).start();
            String out = new String(sqlite.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!sqlite.waitFor(60, TimeUnit.SECONDS) || sqlite.exitValue() != 0) {
                throw new IllegalStateException("sqlite3 could not prune Nextcloud's change log: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run sqlite3 (a requirement of the Nextcloud kit)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pruning Nextcloud's change log", e);
        }
    }

    /**
     * What the kernel accounts to the server's PHP process so far ({@code /proc/PID/schedstat}): time on a CPU and time
     * spent runnable but waiting for one. Sampled before and after a run, the two tell a server that was busy, one
     * that was starved of CPU by other processes, and (wall time minus both) one that idled or waited on its disk.
     */
    public Schedule schedule() {
        try {
            long pid = pid();
            String[] fields = Files.readString(Path.of("/proc", Long.toString(pid), "schedstat")).strip().split("\\s+");
            return new Schedule(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the scheduler statistics of Nextcloud's PHP process", e);
        }
    }

    /** The server's PHP process (the kit's pid file). */
    public long pid() throws IOException {
        return Long.parseLong(Files.readString(instance.resolve("nextcloud.pid")).strip());
    }

    /** Nanoseconds on a CPU and waiting for one, since the process started. */
    public record Schedule(long onCpuNanos, long waitingNanos) {
        public Schedule minus(Schedule earlier) {
            return new Schedule(onCpuNanos - earlier.onCpuNanos, waitingNanos - earlier.waitingNanos);
        }
    }

    /** Nextcloud's own log ({@code data/nextcloud.log}, JSON lines): where a 500's exception is. */
    public String nextcloudLog() {
        try {
            Path log = instance.resolve("data/nextcloud.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Nextcloud's log", e);
        }
    }

    public boolean isRunning() {
        try {
            runText(kit, Map.of(), "status", instance.toString());
            return true;
        } catch (IllegalStateException notRunning) {
            return false;
        }
    }

    /** Stops Nextcloud and deletes its folder. */
    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException exiting) {
            // the JVM is already shutting down: the hook runs (and finds the server stopped)
        }
        deleteRecursively(directory);
    }

    private synchronized void stopQuietly() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            runText(kit, Map.of(), "stop", instance.toString());
        } catch (RuntimeException e) {
            System.err.println("could not stop Nextcloud in " + instance + ": " + e.getMessage());
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is not worth failing a test for
        }
    }

    @Override
    public String toString() {
        return "Nextcloud at " + url();
    }
}
