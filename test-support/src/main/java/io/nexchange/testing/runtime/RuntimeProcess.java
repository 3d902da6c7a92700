package io.nexchange.testing.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Nexchange distribution running as a separate process ({@code bin/nexchange run}), with an
 * instance directory of its own and its operator endpoint on a free loopback port.
 */
public final class RuntimeProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final Path base;
    private final int port;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private RuntimeProcess(Path home, Path base, int port, Process process) {
        this.home = home;
        this.base = base;
        this.port = port;
        this.process = process;
    }

    /** The distribution the build made ({@code -Dnexchange.dist}, set by the integration-tests pom). */
    public static Path distribution() {
        String dist = System.getProperty("nexchange.dist");
        if (dist == null) {
            throw new IllegalStateException("system property nexchange.dist is not set (run through Maven: mvn verify)");
        }
        Path path = Path.of(dist).toAbsolutePath().normalize();
        if (!Files.isExecutable(path.resolve("bin/nexchange"))) {
            throw new IllegalStateException(path + " is not a built distribution (bin/nexchange missing); build the runtime module first");
        }
        return path;
    }

    /** Copies a distribution into {@code target}, so a test may add features or bundles to its system/. */
    public static Path copyDistribution(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path destination = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(file, destination, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    /**
     * Prepares an instance directory: the distribution's etc/, the operator endpoint on a free port, and
     * {@code extraConfig} files (name to content) on top.
     */
    public static Path prepareInstance(Path home, Path base, Map<String, String> extraConfig) throws IOException {
        Path etc = Files.createDirectories(base.resolve("etc"));
        try (Stream<Path> files = Files.list(home.resolve("etc"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, etc.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.writeString(etc.resolve("io.nexchange.ops.http.cfg"), "host = 127.0.0.1\nport = " + freePort() + "\n");
        for (var entry : extraConfig.entrySet()) {
            Files.writeString(etc.resolve(entry.getKey()), entry.getValue());
        }
        return base;
    }

    /** Starts {@code bin/nexchange run} for the instance and waits until it answers /health/ready with 200. */
    public static RuntimeProcess start(Path home, Path base, Duration readyWithin) throws IOException, InterruptedException {
        int port = Integer.parseInt(readCfg(base.resolve("etc/io.nexchange.ops.http.cfg"), "port"));
        Files.createDirectories(base.resolve("log"));
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/nexchange").toString(), "run")
                .redirectErrorStream(true)
                .redirectOutput(base.resolve("log/console.out").toFile());
        builder.environment().put("NEXCHANGE_BASE", base.toString());
        builder.environment().put("NEXCHANGE_JAVA_OPTS", "-Xmx512m");
        RuntimeProcess runtime = new RuntimeProcess(home, base, port, builder.start());
        try {
            runtime.awaitReady(readyWithin);
        } catch (RuntimeException | InterruptedException | IOException e) {
            // never leave a runtime behind: the caller has no handle to stop it
            runtime.kill();
            throw e;
        }
        return runtime;
    }

    public void awaitReady(Duration within) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + within.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("runtime exited with " + process.exitValue() + "; console:\n" + consoleOutput());
            }
            try {
                HttpResponse<String> response = http.send(request("/health/ready").build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("runtime not ready within " + within + ": " + last + "\nconsole:\n" + consoleOutput()
                + "\nlog:\n" + logTail());
    }

    public Path base() {
        return base;
    }

    public Path home() {
        return home;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public long pid() {
        return process.pid();
    }

    /** Runs a console command in the runtime (POST /console) and returns its output; fails on an error answer. */
    public String console(String command) throws IOException, InterruptedException {
        String token = Files.readString(base.resolve("data/ops.token")).strip();
        HttpResponse<String> response = http.send(request("/console").header("X-Nexchange-Token", token)
                .POST(HttpRequest.BodyPublishers.ofString(command)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("'" + command + "' answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** GET a path of the operator endpoint. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The /status document. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> status() throws IOException, InterruptedException {
        return JSON.readValue(get("/status").body(), Map.class);
    }

    /** The bundles of /status, by symbolic name. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> bundles() throws IOException, InterruptedException {
        return new ArrayList<>((List<Map<String, Object>>) status().get("bundles"));
    }

    private String logTail() {
        try {
            Path log = base.resolve("log/nexchange.log");
            if (!Files.exists(log)) {
                return "(no log/nexchange.log)";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    public String consoleOutput() {
        try {
            Path out = base.resolve("log/console.out");
            return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the runtime as an operator would (SIGTERM) and waits for it; returns its exit code. */
    public int stop(Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("runtime did not stop within " + within + " after SIGTERM");
        }
        return process.exitValue();
    }

    /** Kills the runtime without warning (kill -9), as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        // a console command such as nexchange:sync --all answers when it is done: minutes for a large first sync
        return HttpRequest.newBuilder(endpoint().resolve(path)).timeout(Duration.ofMinutes(path.equals("/console") ? 10 : 1));
    }

    private static String readCfg(Path file, String key) throws IOException {
        java.util.Properties properties = new java.util.Properties();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties.getProperty(key).strip();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
