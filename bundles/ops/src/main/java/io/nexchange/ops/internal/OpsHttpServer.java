package io.nexchange.ops.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.nexchange.features.FeatureService;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator endpoint: {@code /health} (liveness), {@code /health/ready} (readiness: every Nexchange
 * component is satisfied), {@code /metrics} (Prometheus), {@code /status} (JSON) and {@code /status.txt},
 * and {@code POST /console} which runs one console command and returns its output (token required).
 */
@Component(service = OpsHttpServer.class, immediate = true, configurationPid = "io.nexchange.ops.http",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = OpsHttpConfiguration.class)
public final class OpsHttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(OpsHttpServer.class);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> new Thread(r, "nexchange-ops-http"));
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final StatusReport status;
    private final MetricsComponent metrics;
    private final RemoteConsole console;
    private final byte[] token;

    @Activate
    public OpsHttpServer(BundleContext context, OpsHttpConfiguration config,
            @Reference ServiceComponentRuntime scr,
            @Reference MetricsComponent metrics,
            @Reference RemoteConsole console,
            @Reference FeatureService features) throws IOException {
        this.status = new StatusReport(context, scr, Optional.of(features));
        this.metrics = metrics;
        this.console = console;
        String base = context.getProperty("nexchange.base");
        this.token = loadOrCreateToken(Path.of(base == null ? "." : base).resolve(config.tokenFile()));
        InetSocketAddress address = new InetSocketAddress(config.host(), config.port());
        try {
            server = HttpServer.create(address, 50);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + config.host() + ":" + config.port()
                    + " (setting port in etc/io.nexchange.ops.http.cfg): " + e.getMessage(), e);
        }
        server.setExecutor(executor);
        server.createContext("/health", this::health);
        server.createContext("/metrics", exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.createContext("/status", this::status);
        server.createContext("/console", this::console);
        server.start();
        LOG.info("Operator endpoint on http://{}:{}/ (health, metrics, status, console)", config.host(),
                server.getAddress().getPort());
    }

    @Deactivate
    void deactivate() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void health(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/health") || path.equals("/health/live")) {
            respond(exchange, 200, "application/json", "{\"status\":\"UP\"}\n");
        } else if (path.equals("/health/ready")) {
            List<String> problems = status.problems();
            String body = json.writeValueAsString(Map.of("status", problems.isEmpty() ? "UP" : "DOWN", "problems", problems));
            respond(exchange, problems.isEmpty() ? 200 : 503, "application/json", body + "\n");
        } else {
            respond(exchange, 404, "text/plain", "not found\n");
        }
    }

    private void status(HttpExchange exchange) throws IOException {
        if (exchange.getRequestURI().getPath().equals("/status.txt")) {
            respond(exchange, 200, "text/plain; charset=utf-8", status.toText());
        } else {
            respond(exchange, 200, "application/json", json.writeValueAsString(status.toMap()) + "\n");
        }
    }

    private void console(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "text/plain", "POST a console command\n");
            return;
        }
        String presented = exchange.getRequestHeaders().getFirst("X-Nexchange-Token");
        if (presented == null || !MessageDigest.isEqual(token, presented.strip().getBytes(StandardCharsets.UTF_8))) {
            respond(exchange, 401, "text/plain", "missing or wrong X-Nexchange-Token (the token is in the runtime's data/ops.token)\n");
            return;
        }
        String command = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).strip();
        RemoteConsole.Result result = console.execute(command);
        respond(exchange, result.ok() ? 200 : 500, "text/plain; charset=utf-8", result.output());
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] loadOrCreateToken(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            return Files.readString(file).strip().getBytes(StandardCharsets.UTF_8);
        }
        Files.createDirectories(file.getParent());
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String value = HexFormat.of().formatHex(random);
        Path temp = Files.createTempFile(file.getParent(), ".ops-token-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, value + "\n");
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
