package io.nexchange.testing.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A PostgreSQL 15 server of its own for a test: the Debian binaries ({@code apt-get install postgresql}),
 * a fresh data directory under the temp dir, listening on 127.0.0.1 at a free port, password
 * (scram-sha-256) authentication for TCP. {@link #close()} stops it and deletes the directory.
 *
 * <p>initdb and postgres refuse to run as root; when the tests run as root the server runs as the
 * unprivileged user {@code nobody} (through {@code runuser}), and the data directory is handed to it.
 *
 * <pre>{@code
 * try (PostgresServer server = PostgresServer.start()) {
 *     String url = server.createDatabase("state"); // jdbc:postgresql://127.0.0.1:PORT/state
 *     ... connect with server.user() / server.password()
 * }
 * }</pre>
 */
public final class PostgresServer implements AutoCloseable {
    /** Where Debian 12 installs the server binaries; else the newest /usr/lib/postgresql/N/bin; or -Dnexchange.postgres.bin=... */
    public static final String DEFAULT_BIN = "/usr/lib/postgresql/15/bin";
    private static final String RUN_AS = "nobody";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path bin;
    private final Path directory;
    private final Path dataDirectory;
    private final int port;
    private final String user = "nexchange";
    private final String password;
    private final boolean asRoot;
    private final Thread cleanupOnExit;
    private boolean closed;

    private PostgresServer(Path bin, Path directory, int port, String password, boolean asRoot) {
        this.bin = bin;
        this.directory = directory;
        this.dataDirectory = directory.resolve("data");
        this.port = port;
        this.password = password;
        this.asRoot = asRoot;
        this.cleanupOnExit = new Thread(this::stopQuietly, "postgres-cleanup-" + port);
    }

    /** Initialises and starts a server; fails with a message naming the package to install if the binaries are missing. */
    public static PostgresServer start() {
        Path bin = Path.of(System.getProperty("nexchange.postgres.bin", defaultBin()));
        for (String tool : List.of("initdb", "pg_ctl", "postgres", "createdb")) {
            if (!Files.isExecutable(bin.resolve(tool))) {
                throw new IllegalStateException("PostgreSQL server binaries not found: " + bin.resolve(tool)
                        + " is missing. Install them with: apt-get install postgresql (or point -Dnexchange.postgres.bin at"
                        + " the directory holding initdb and pg_ctl)");
            }
        }
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
        io.nexchange.testing.secrets.SecretLedger.record("postgres password", password);
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a free port can be taken between probing and binding
            Path directory = null;
            try {
                directory = Files.createTempDirectory("nexchange-postgres-");
                PostgresServer server = new PostgresServer(bin, directory, freePort(), password, asRoot);
                server.initialise();
                try {
                    server.startServer();
                } catch (IllegalStateException e) {
                    server.stopQuietly();
                    last = e;
                    continue;
                }
                Runtime.getRuntime().addShutdownHook(server.cleanupOnExit);
                return server;
            } catch (IOException e) {
                if (directory != null) {
                    deleteTree(directory);
                }
                throw new UncheckedIOException("cannot prepare a PostgreSQL data directory", e);
            }
        }
        throw last;
    }

    private static String defaultBin() {
        if (Files.isDirectory(Path.of(DEFAULT_BIN))) {
            return DEFAULT_BIN;
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin")).filter(Files::isDirectory)
                    .max(Comparator.comparingInt(bin -> versionOf(bin.getParent()))).map(Path::toString).orElse(DEFAULT_BIN);
        } catch (IOException e) {
            return DEFAULT_BIN;
        }
    }

    private static int versionOf(Path directory) {
        try {
            return Integer.parseInt(directory.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The JDBC URL of a database. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates a database with the given name prefix and a unique suffix; returns its JDBC URL. */
    public String createDatabase(String prefix) {
        String name = prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
        run(Duration.ofSeconds(30), Map.of("PGPASSWORD", password), bin.resolve("createdb").toString(), "-h", "127.0.0.1",
                "-p", String.valueOf(port), "-U", user, name);
        return jdbcUrl(name);
    }

    /** Stops the server (fast shutdown) and deletes its directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
    }

    private void initialise() throws IOException {
        Files.createDirectories(dataDirectory);
        Path passwordFile = directory.resolve("password");
        Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
        if (asRoot) {
            UserPrincipal owner = directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(RUN_AS);
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.toList()) {
                    Files.setOwner(path, owner);
                }
            }
        }
        run(Duration.ofSeconds(120), Map.of(), bin.resolve("initdb").toString(), "-D", dataDirectory.toString(), "-U", user,
                "--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8",
                "--locale=C", "--no-sync");
        Files.delete(passwordFile);
    }

    /** Stops the server (fast shutdown: sessions are cut) and keeps its data; {@link #startServer()} brings it back. */
    public synchronized void stopServer() {
        run(Duration.ofSeconds(60), Map.of(), bin.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(), "-m", "fast",
                "-w", "-t", "50", "stop");
    }

    /** Starts the server on its port (after {@link #stopServer()}). */
    public synchronized void startServer() {
        // no Unix socket: the Debian default directory belongs to the postgres user, and the tests use TCP
        String options = "-h 127.0.0.1 -p " + port + " -c unix_socket_directories='' -c max_connections=200"
                + " -c shared_buffers=32MB";
        run(Duration.ofSeconds(60), Map.of(), bin.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(), "-l",
                directory.resolve("server.log").toString(), "-o", options, "-w", "-t", "50", "start");
    }

    private synchronized void stopQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (Files.exists(dataDirectory.resolve("postmaster.pid"))) {
                run(Duration.ofSeconds(60), Map.of(), bin.resolve("pg_ctl").toString(), "-D", dataDirectory.toString(),
                        "-m", "fast", "-w", "-t", "50", "stop");
            }
        } catch (RuntimeException e) {
            System.err.println("PostgresServer: stopping the server on port " + port + " failed: " + e.getMessage());
        } finally {
            deleteTree(directory);
        }
    }

    /** Runs a server tool, as the unprivileged user when we are root; fails with its output. */
    private String run(Duration timeout, Map<String, String> environment, String... command) {
        List<String> full = new ArrayList<>();
        if (asRoot) {
            full.addAll(List.of("runuser", "-u", RUN_AS, "--"));
        }
        full.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("LC_ALL", "C");
        builder.directory(directory.toFile()); // nobody cannot read root's working directory
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes(); // pg_ctl -l detaches the server's own output
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish within " + timeout);
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed (exit " + process.exitValue() + "):\n" + text
                        + serverLog());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + full, e);
        }
    }

    private String serverLog() {
        Path log = directory.resolve("server.log");
        try {
            return Files.exists(log) ? "\nserver.log:\n" + Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("PostgresServer: cannot delete " + root + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "PostgresServer[127.0.0.1:" + port + ", " + dataDirectory + "]";
    }
}
