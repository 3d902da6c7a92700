package io.nexchange.testing.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol with the JDK's WebSocket client: one page,
 * navigate, evaluate JavaScript in it (the test reads and clicks the DOM that way, as a user's browser would run it),
 * wait for loads, take screenshots. Started with a fresh profile and without any background networking (the machine
 * has no network beyond loopback).
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Where Debian puts it. */
    public static Path executable() {
        return Path.of(System.getProperty("chromium", "/usr/bin/chromium"));
    }

    public static boolean installed() {
        return Files.isExecutable(executable());
    }

    /** Starts Chromium with an empty page of the given size and attaches to that page. */
    public static HeadlessChromium start(int width, int height) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("nexchange-chromium-");
        List<String> command = new ArrayList<>(List.of(executable().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--disable-features=Translate,MediaRouter,OptimizationHints", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank"));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String browserUrl = null;
        StringBuilder seen = new StringBuilder();
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (browserUrl == null && System.nanoTime() < deadline) {
            String line = err.readLine();
            if (line == null) {
                break;
            }
            seen.append(line).append('\n');
            Matcher m = DEVTOOLS.matcher(line);
            if (m.find()) {
                browserUrl = m.group(1);
            }
        }
        if (browserUrl == null) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not start its DevTools endpoint:\n" + seen);
        }
        Thread drain = new Thread(() -> {
            try {
                while (err.readLine() != null) {
                    // Chromium's own chatter; read so that it never blocks on a full pipe
                }
            } catch (IOException closed) {
                // it ended
            }
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        URI browser = URI.create(browserUrl);
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        String pageUrl = null;
        for (JsonNode target : targets) {
            if ("page".equals(target.path("type").asText())) {
                pageUrl = target.path("webSocketDebuggerUrl").asText();
            }
        }
        if (pageUrl == null) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium has no page target: " + targets);
        }
        HeadlessChromium[] self = new HeadlessChromium[1];
        WebSocket socket;
        try {
            socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new WebSocket.Listener() {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    String text = message.toString();
                    message.setLength(0);
                    self[0].receive(text);
                }
                ws.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("cannot connect to Chromium's page at " + pageUrl + ": " + e, e);
        }
        HeadlessChromium chromium = new HeadlessChromium(process, profile, socket);
        self[0] = chromium;
        chromium.send("Page.enable", Map.of());
        chromium.send("Runtime.enable", Map.of());
        return chromium;
    }

    private void receive(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> waiting = pending.remove(message.get("id").asLong());
                if (waiting != null) {
                    if (message.has("error")) {
                        waiting.completeExceptionally(new IllegalStateException("CDP error: " + message.get("error")));
                    } else {
                        waiting.complete(message.path("result"));
                    }
                }
            } else {
                events.add(message);
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable CDP message: " + text, e);
        }
    }

    /** Sends one DevTools command and waits for its result. */
    public JsonNode send(String method, Map<String, ?> params) {
        long id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        pending.put(id, result);
        socket.sendText(message.toString(), true).join();
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(method + " failed: " + e.getMessage(), e);
        }
    }

    /** Opens a URL and waits until the page has loaded. */
    public void navigate(String url) throws InterruptedException {
        events.clear();
        send("Page.navigate", Map.of("url", url));
        awaitEvent("Page.loadEventFired", Duration.ofSeconds(30));
    }

    /** Runs an action that makes the page navigate (a click on a submit button, a link) and waits for the new page. */
    public void andWaitForLoad(Runnable action) throws InterruptedException {
        events.clear();
        action.run();
        awaitEvent("Page.loadEventFired", Duration.ofSeconds(30));
    }

    private void awaitEvent(String method, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode event = events.poll(200, TimeUnit.MILLISECONDS);
            if (event != null && method.equals(event.path("method").asText())) {
                return;
            }
        }
        throw new AssertionError("no " + method + " within " + within);
    }

    /** Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value as JSON. */
    public JsonNode eval(String expression) {
        JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("JavaScript failed: " + expression + "\n" + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Waits until a JavaScript condition holds in the current page (which may reload meanwhile). */
    public void await(String condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                if (eval("!!(" + condition + ")").asBoolean()) {
                    return;
                }
            } catch (IllegalStateException reloading) {
                last = reloading.getMessage();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not true within " + within + ": " + condition + " " + last + "\npage: "
                + eval("document.body ? document.body.innerText.slice(0, 2000) : ''").asText());
    }

    /** Saves a PNG of the page (the whole page when {@code fullPage}). */
    public Path screenshot(Path file, boolean fullPage) throws IOException {
        JsonNode shot = send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", fullPage));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
        return file;
    }

    /**
     * What loading the current page cost, from the browser's Performance API.
     *
     * @param htmlBytes the page's HTML, decoded (uncompressed) size
     * @param transferredBytes HTML, stylesheet and scripts as transferred (headers included)
     * @param firstContentfulPaintMs from navigation start to the first paint of content
     * @param domContentLoadedMs to DOMContentLoaded
     * @param loadMs to the load event's end
     */
    public record PageTiming(long htmlBytes, long transferredBytes, double firstContentfulPaintMs, double domContentLoadedMs,
            double loadMs) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "HTML %,d bytes, %,d bytes transferred with CSS and script, first "
                    + "contentful paint %.0f ms, DOMContentLoaded %.0f ms, load %.0f ms", htmlBytes, transferredBytes,
                    firstContentfulPaintMs, domContentLoadedMs, loadMs);
        }
    }

    /** The Performance API's figures for the page last loaded (call after {@link #navigate}). */
    public PageTiming timing() {
        JsonNode t = eval("(() => { const n = performance.getEntriesByType('navigation')[0];"
                + " const fcp = performance.getEntriesByName('first-contentful-paint')[0];"
                + " const res = performance.getEntriesByType('resource').reduce((s, r) => s + r.transferSize, 0);"
                + " return {html: n.decodedBodySize, transferred: n.transferSize + res, fcp: fcp ? fcp.startTime : -1,"
                + " dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd}; })()");
        return new PageTiming(t.path("html").asLong(), t.path("transferred").asLong(), t.path("fcp").asDouble(),
                t.path("dcl").asDouble(), t.path("load").asDouble());
    }

    /**
     * Loads a page {@code runs} times (fresh each time, cache disabled) and prints its timing: {@code java -cp ...
     * io.nexchange.testing.browser.HeadlessChromium URL [RUNS]}, e.g. against a demo with 1,000 mailboxes.
     */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (HeadlessChromium browser = start(1280, 900)) {
            browser.send("Network.enable", Map.of());
            browser.send("Network.setCacheDisabled", Map.of("cacheDisabled", true));
            browser.navigate(args[0]); // the first visit sets the session cookie
            for (int i = 0; i < runs; i++) {
                browser.navigate(args[0]);
                Thread.sleep(300); // the paint entries are filed just after load
                System.out.println("[figures] " + args[0] + ": " + browser.timing() + ", "
                        + browser.eval("document.querySelectorAll('tbody tr').length").asInt() + " table rows");
            }
        }
    }

    /** The events received so far that match (for example Network events), removed from the queue. */
    public List<JsonNode> drainEvents(Predicate<JsonNode> which) {
        List<JsonNode> out = new ArrayList<>();
        events.removeIf(e -> {
            if (which.test(e)) {
                out.add(e);
                return true;
            }
            return false;
        });
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            socket.abort();
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
