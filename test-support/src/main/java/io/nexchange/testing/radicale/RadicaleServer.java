package io.nexchange.testing.radicale;

import io.nexchange.testing.dav.DavTestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Radicale CalDAV/CardDAV server (the Debian package, 3.1.x) on 127.0.0.1 with a free port, a
 * temporary storage folder, an htpasswd file that tests add accounts to while it runs, {@code owner_only}
 * rights (each user reaches only their own collections) and a request log that tests read to count
 * requests by method.
 *
 * <p>Facts checked against Radicale 3.1.8 (see RadicaleServerTest): it answers RFC 6578 sync-collection
 * (tokens {@code http://radicale.org/ns/sync/<hash>}) and 403 {@code <valid-sync-token/>} for an unknown
 * token, but ignores {@code <limit>} (it never truncates with 507); PUT returns an ETag; MKCALENDAR and
 * extended MKCOL create collections; a second MKCALENDAR on the same path is 409; PUT with
 * {@code If-None-Match: *} on an existing resource is 412; it speaks HTTP/1.0 (one connection per request).
 *
 * <pre>{@code
 * try (RadicaleServer radicale = RadicaleServer.start()) {
 *     radicale.addUser("alice", "secret");
 *     URI base = radicale.baseUri();
 * }
 * }</pre>
 */
public final class RadicaleServer implements DavTestServer {
    /** How passwords are kept in the htpasswd file. */
    public enum PasswordEncryption { BCRYPT, PLAIN }

    private static final String INSTALL_HINT = "apt-get install radicale python3-bcrypt";
    private static final Pattern REQUEST_LINE = Pattern.compile("\\] ([A-Z]+) request for '([^']*)'");
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

    private final Path directory;
    private final Path htpasswd;
    private final Path log;
    private final String python;
    private final PasswordEncryption encryption;
    private final int port;
    private final Process process;

    private RadicaleServer(Path directory, String python, PasswordEncryption encryption, int port, Process process) {
        this.directory = directory;
        this.htpasswd = directory.resolve("users");
        this.log = directory.resolve("radicale.log");
        this.python = python;
        this.encryption = encryption;
        this.port = port;
        this.process = process;
    }

    /** Starts Radicale with bcrypt passwords. */
    public static RadicaleServer start() {
        return start(PasswordEncryption.BCRYPT);
    }

    /**
     * Starts Radicale and waits until it accepts connections.
     *
     * @throws IllegalStateException if Radicale is not installed or does not start (with its log)
     */
    public static RadicaleServer start(PasswordEncryption encryption) {
        String python = findPython(encryption);
        Path directory;
        try {
            directory = Files.createTempDirectory("radicale-");
            Files.createDirectories(directory.resolve("storage"));
            Files.writeString(directory.resolve("users"), "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Radicale's temporary folder", e);
        }
        IllegalStateException last = null;
        // A free port found here can be taken by someone else before Radicale binds it: try a few.
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            try {
                writeConfig(directory, port, encryption);
                Process process = new ProcessBuilder(python, "-m", "radicale", "--config", directory.resolve("config").toString())
                        .redirectErrorStream(true)
                        .redirectOutput(directory.resolve("radicale.log").toFile())
                        .start();
                RadicaleServer server = new RadicaleServer(directory, python, encryption, port, process);
                server.awaitReady();
                return server;
            } catch (IOException e) {
                last = new IllegalStateException("cannot start Radicale (" + INSTALL_HINT + "): " + e.getMessage(), e);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        deleteRecursively(directory);
        throw last;
    }

    private static String findPython(PasswordEncryption encryption) {
        // Debian's radicale lives in the system python; a python3 from pyenv or a venv on PATH does not see it.
        String module = encryption == PasswordEncryption.BCRYPT ? "radicale, bcrypt" : "radicale";
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import " + module).redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // not there: try the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while looking for Radicale", e);
            }
        }
        throw new IllegalStateException("Radicale (python3 -m radicale" + (encryption == PasswordEncryption.BCRYPT ? " with bcrypt" : "")
                + ") is not installed; install it with: " + INSTALL_HINT);
    }

    private static void writeConfig(Path directory, int port, PasswordEncryption encryption) throws IOException {
        String config = String.join("\n",
                "[server]",
                "hosts = 127.0.0.1:" + port,
                "[auth]",
                "type = htpasswd",
                "htpasswd_filename = " + directory.resolve("users"),
                "htpasswd_encryption = " + encryption.name().toLowerCase(Locale.ROOT),
                // Radicale sleeps this long after a wrong password; tests of bad credentials need not wait.
                "delay = 0.01",
                "[rights]",
                "type = owner_only",
                "[storage]",
                "filesystem_folder = " + directory.resolve("storage"),
                "[logging]",
                "level = info",
                "mask_passwords = True",
                "");
        Files.writeString(directory.resolve("config"), config);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Radicale exited with " + process.exitValue() + " at start; its log:\n" + logText());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("Radicale did not listen on port " + port + " within " + STARTUP_TIMEOUT.toSeconds() + " s; its log:\n" + logText());
    }

    /** Adds (or replaces) an account; Radicale reads the htpasswd file on every login, so this takes effect at once. */
    public synchronized RadicaleServer addUser(String user, String password) {
        if (user.contains(":") || user.contains("\n") || password.contains("\n")) {
            throw new IllegalArgumentException("user names must not contain ':' or line breaks");
        }
        io.nexchange.testing.secrets.SecretLedger.record("radicale password", password);
        String stored = encryption == PasswordEncryption.BCRYPT ? bcrypt(password) : password;
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(htpasswd));
            lines.removeIf(line -> line.startsWith(user + ":"));
            lines.add(user + ":" + stored);
            Files.write(htpasswd, lines, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + htpasswd, e);
        }
        return this;
    }

    private String bcrypt(String password) {
        try {
            // Cost 4 keeps each request's password check near a millisecond; the password goes through stdin, not argv.
            Process hasher = new ProcessBuilder(python, "-c",
                    "import bcrypt,sys; print(bcrypt.hashpw(sys.stdin.buffer.read(), bcrypt.gensalt(4)).decode())").start();
            try (OutputStream in = hasher.getOutputStream()) {
                in.write(password.getBytes(StandardCharsets.UTF_8));
            }
            String hash = new String(hasher.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            String error = new String(hasher.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!hasher.waitFor(20, TimeUnit.SECONDS) || hasher.exitValue() != 0 || !hash.startsWith("$2")) {
                throw new IllegalStateException("bcrypt hashing failed (" + INSTALL_HINT + "): " + error);
            }
            return hash;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + python + " to hash a password", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing a password", e);
        }
    }

    /** {@code http://127.0.0.1:<port>/}: the base URL that discovery starts from. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String product() {
        return "Radicale";
    }

    /** The same as {@link #baseUrl()}: Radicale's DAV root is its root. */
    @Override
    public String davBaseUrl() {
        return baseUrl();
    }

    /** Adds an account with a random password and returns it. */
    @Override
    public String addAccount(String user) {
        String password = java.util.UUID.randomUUID().toString();
        addUser(user, password);
        return password;
    }

    /** Where Radicale keeps collections: {@code collection-root/<user>/<collection>/}. */
    public Path storageFolder() {
        return directory.resolve("storage");
    }

    /** Radicale keeps both kinds in {@code /<user>/}. */
    @Override
    public String calendarHome(String user) {
        return "/" + user + "/";
    }

    @Override
    public String addressBookHome(String user) {
        return "/" + user + "/";
    }

    /** Read from the storage folder ({@code collection-root/<user>/<collection>/<name>}), Radicale's own dot-files left out. */
    @Override
    public java.util.Map<String, java.util.Map<String, java.util.Map<String, String>>> storedItems() {
        java.util.Map<String, java.util.Map<String, java.util.Map<String, String>>> users = new java.util.TreeMap<>();
        Path root = storageFolder().resolve("collection-root");
        if (!Files.isDirectory(root)) {
            return users;
        }
        try (Stream<Path> files = Files.walk(root, 3)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = root.relativize(file);
                boolean hidden = false;
                for (Path part : relative) {
                    hidden |= part.toString().startsWith(".");
                }
                if (relative.getNameCount() == 3 && !hidden && Files.isRegularFile(file)) {
                    users.computeIfAbsent(relative.getName(0).toString(), u -> new java.util.TreeMap<>())
                            .computeIfAbsent(relative.getName(1).toString(), c -> new java.util.TreeMap<>())
                            .put(relative.getName(2).toString(), Files.readString(file, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Radicale's storage " + root, e);
        }
        return users;
    }

    /** Radicale's log (stdout and stderr). */
    public Path logFile() {
        return log;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** Every request received so far, in order (Radicale's log has no status: it is 0). */
    public List<Request> requests() {
        List<Request> requests = new ArrayList<>();
        for (String line : logText().split("\n")) {
            Matcher m = REQUEST_LINE.matcher(line);
            if (m.find()) {
                requests.add(new Request(m.group(1), m.group(2), 0));
            }
        }
        return requests;
    }

    /** A position in the request log, to count what a piece of code sent: {@code requestsSince(mark())}. */
    @Override
    public int mark() {
        return requests().size();
    }

    @Override
    public List<Request> requestsSince(int mark) {
        List<Request> all = requests();
        return List.copyOf(all.subList(Math.min(mark, all.size()), all.size()));
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops Radicale and deletes its folder. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteRecursively(directory);
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Radicale", e);
        }
    }

    @Override
    public String toString() {
        return "Radicale at " + baseUrl();
    }
}
