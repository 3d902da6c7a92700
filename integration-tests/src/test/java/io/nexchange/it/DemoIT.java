package io.nexchange.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.testing.nextcloud.NextcloudExtension;
import io.nexchange.testing.nextcloud.NextcloudServer;
import io.nexchange.testing.radicale.RadicaleServer;
import io.nexchange.testing.runtime.RuntimeProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/nexchange demo} as a user runs it: the sandbox tenant synced into ./nexchange-demo/vdir with a summary; a
 * second run is incremental; with --keep-running an edit in the sandbox arrives on the next cycle; with --nextcloud
 * it syncs into a real DAV server (Radicale, and a real Nextcloud) instead.
 */
class DemoIT {
    private static final Pattern SUMMARY = Pattern.compile("Synced (\\d+) mailboxes in \\S+, (\\d+) items written \\{OK=(\\d+)}");
    private static final Pattern COUNTS = Pattern.compile("([\\d,]+) calendar objects .* and ([\\d,]+) contacts");

    @TempDir
    Path workingDirectory;

    @Test
    void demoSyncsTheSandboxTenantIntoAVdirAndASecondRunWritesNothing() throws Exception {
        String output = demo(workingDirectory, List.of());
        Matcher summary = SUMMARY.matcher(output);
        assertTrue(summary.find(), output);
        assertEquals("30", summary.group(1), output);
        assertEquals("30", summary.group(3), "every mailbox synced: " + output);
        assertTrue(Integer.parseInt(summary.group(2)) > 500, output);
        assertTrue(output.contains("mailboxes, ") && output.contains("items written ("), "progress lines: " + output);
        assertTrue(output.contains("/nexchange-demo/vdir, both ways"), "the engine's default direction: " + output);
        Matcher counts = COUNTS.matcher(output);
        assertTrue(counts.find(), output);
        Path vdir = workingDirectory.resolve("nexchange-demo/vdir");
        List<Path> ics = files(vdir, ".ics");
        List<Path> vcf = files(vdir, ".vcf");
        assertEquals(Integer.parseInt(counts.group(1).replace(",", "")), ics.size());
        assertEquals(Integer.parseInt(counts.group(2).replace(",", "")), vcf.size());
        assertEquals(Integer.parseInt(summary.group(2)), ics.size() + vcf.size(), "one file per item written");
        assertTrue(ics.stream().anyMatch(f -> read(f).contains("RRULE:") && read(f).contains("RECURRENCE-ID")),
                "a series with an exception is one file");
        assertTrue(ics.stream().allMatch(f -> read(f).startsWith("BEGIN:VCALENDAR") && read(f).contains("UID:")));
        assertTrue(vcf.stream().allMatch(f -> read(f).startsWith("BEGIN:VCARD") && read(f).contains("FN:")));
        assertTrue(Files.isRegularFile(workingDirectory.resolve("nexchange-demo/data/sandbox/sandbox-truststore.p12")),
                "the sandbox tenant served HTTPS with its own truststore");

        // the second run two-way: after its (incremental) first cycle it edits one event in the vdir, syncs, and reads
        // the event back from the sandbox's Graph
        String again = demo(workingDirectory, List.of("--two-way"));
        Matcher second = SUMMARY.matcher(again);
        assertTrue(second.find(), again);
        assertEquals("0", second.group(2), "the second run is incremental (the sandbox restarted: its delta tokens are gone, "
                + "the full listing is matched by key): " + again);
        Matcher edit = Pattern.compile("now has SUMMARY '(Edited in Nextcloud by the demo at [0-9:]+)'").matcher(again);
        assertTrue(edit.find(), again);
        assertTrue(again.contains("): subject '" + edit.group(1) + "'") && again.contains("the edit made in Nextcloud arrived in "
                + "Exchange"), again);
        assertEquals(ics.size(), files(vdir, ".ics").size(), "no duplicates");
        assertEquals(vcf.size(), files(vdir, ".vcf").size(), "no duplicates");
    }

    @Test
    void anEditInTheSandboxArrivesOnTheNextCycleAndTheNextcloudOptionSyncsIntoADavServer() throws Exception {
        Path first = Files.createDirectories(workingDirectory.resolve("vdir-run"));
        Process process = start(first, List.of("demo", "--keep-running", "--users", "3"));
        BlockingQueue<String> lines = follow(process.getInputStream());
        StringBuilder seen = new StringBuilder();
        List<String> users = new ArrayList<>();
        try {
            awaitLine(lines, seen, "Press Ctrl-C to stop.", 180);
            Path base = first.resolve("nexchange-demo");
            try (Stream<Path> dirs = Files.list(base.resolve("vdir"))) {
                dirs.map(d -> d.getFileName().toString()).sorted().forEach(users::add);
            }
            assertEquals(3, users.size(), seen.toString());

            // a second demo in the same folder, with other options, is refused and changes nothing in etc/
            Map<String, String> etcBefore = snapshot(base.resolve("etc"));
            String refusal = refusedDemo(first, List.of("--nextcloud", "http://127.0.0.1:9/remote.php/dav/", "--users", "5"));
            assertTrue(refusal.contains("a demo is already running in " + base), refusal);
            assertEquals(etcBefore, snapshot(base.resolve("etc")), "etc/ byte-identical after the refused demo");
            // from another folder on the same ports: refused before an instance is set up there, with the way out
            Path other = Files.createDirectories(workingDirectory.resolve("other-folder"));
            String busy = refusedDemo(other, List.of());
            assertTrue(busy.contains("port 8182 (operator endpoint) and port 18443 (sandbox tenant) already in use")
                    && busy.contains("--port N --sandbox-port N"), busy);
            assertFalse(Files.exists(other.resolve("nexchange-demo/etc")), "nothing set up for a refused demo");
            assertEquals(etcBefore, snapshot(base.resolve("etc")));

            HttpClient sandbox = sandboxClient(base.resolve("data/sandbox"));
            JsonNode mailboxes = json(sandbox.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:18443/_sandbox/mailboxes"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).get("mailboxes");
            String upn = mailboxes.get(0).asText();
            String subject = "Demo edit " + UUID.randomUUID();
            LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(3);
            String event = "{\"subject\":\"" + subject + "\",\"start\":{\"dateTime\":\"" + day + "T10:00:00\",\"timeZone\":\"UTC\"},"
                    + "\"end\":{\"dateTime\":\"" + day + "T11:00:00\",\"timeZone\":\"UTC\"}}";
            HttpResponse<String> created = sandbox.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:18443/_sandbox/mailboxes/" + upn + "/events"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());

            // the demo cycles every 30 s
            Path userDir = base.resolve("vdir").resolve(upn.substring(0, upn.indexOf('@')));
            Optional<Path> arrived = Optional.empty();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(75);
            while (arrived.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                arrived = files(userDir, ".ics").stream().filter(f -> read(f).contains("SUMMARY:" + subject)).findFirst();
            }
            drain(lines, seen);
            assertTrue(arrived.isPresent(), "the new event reached the vdir on the next cycle: " + seen);
        } finally {
            process.destroy(); // SIGTERM, like Ctrl-C
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the demo stops on SIGTERM");
        }

        // the same three mailboxes into Radicale, one account per mailbox, app passwords in files
        try (RadicaleServer radicale = RadicaleServer.start()) {
            Path second = Files.createDirectories(workingDirectory.resolve("dav-run"));
            Path passwords = Files.createDirectories(second.resolve("passwords"));
            for (String user : users) {
                String password = UUID.randomUUID().toString();
                radicale.addUser(user, password);
                Files.writeString(passwords.resolve(user), password + "\n");
            }
            // on other ports than the default (the refusal's advice)
            String output = demo(second, List.of("--users", "3", "--nextcloud", radicale.baseUrl(), "--app-passwords",
                    passwords.toString(), "--port", "8183", "--sandbox-port", "18444"));
            assertTrue(output.contains("https://127.0.0.1:18444, 3 users"), output);
            assertTrue(output.contains(", one way (Exchange to Nextcloud)"), output);
            assertTrue(output.contains("Calendar window: events from 30 days back to 365 days ahead"), output);
            Matcher summary = SUMMARY.matcher(output);
            assertTrue(summary.find(), output);
            assertEquals("3", summary.group(3), output);
            long puts = radicale.requests().stream().filter(r -> r.method().equals("PUT")).count();
            assertEquals(Long.parseLong(summary.group(2)), puts, "one PUT per item written: " + output);
            for (String user : users) {
                try (Stream<Path> stored = Files.walk(radicale.storageFolder())) {
                    assertTrue(stored.anyMatch(p -> p.toString().contains("/" + user + "/") && p.toString().endsWith(".ics")),
                            "events of " + user + " in Radicale");
                }
            }
            assertFalse(output.contains(passwordsOf(passwords).get(0)), "no app password in the output");
        }
    }

    /** A demo that must refuse to start: its output (exit code 1). */
    private static String refusedDemo(Path directory, List<String> options) throws Exception {
        return demo(directory, options, 1);
    }

    /** Every file of a folder with its content (Base64), to compare byte by byte. */
    private static Map<String, String> snapshot(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path f : (Iterable<Path>) list::iterator) {
                files.put(f.getFileName().toString(), Base64.getEncoder().encodeToString(Files.readAllBytes(f)));
            }
        }
        return files;
    }

    /**
     * {@code demo --nextcloud} into a real Nextcloud (the kit's; skipped, loudly, without it), as an operator runs it:
     * one account per mailbox owning the mailbox's address, app passwords in files; a second run writes nothing, and
     * the accounts' example items are left alone.
     */
    @Test
    @ExtendWith(NextcloudExtension.class)
    void theNextcloudOptionSyncsIntoARealNextcloudAndASecondRunWritesNothing(NextcloudServer nextcloud) throws Exception {
        // the demo's tenant is generated from seed 42: the same generator in this JVM names its mailboxes
        List<String> mailboxes;
        try (SandboxServer names = SandboxServer.start(SandboxOptions.defaults().users(3).seed(42)
                .stateDir(Files.createDirectories(workingDirectory.resolve("names"))))) {
            mailboxes = names.mailboxes();
        }
        Path run = Files.createDirectories(workingDirectory.resolve("nextcloud-run"));
        Path passwords = Files.createDirectories(run.resolve("passwords"));
        for (String mailbox : mailboxes) {
            String user = mailbox.substring(0, mailbox.indexOf('@')).toLowerCase(java.util.Locale.ROOT);
            Files.writeString(passwords.resolve(user), nextcloud.addAccount(user, mailbox) + "\n");
        }
        int mark = nextcloud.mark();
        List<String> options = List.of("--users", "3", "--nextcloud", nextcloud.davBaseUrl(), "--app-passwords", passwords.toString());
        String output = demo(run, options);
        Matcher summary = SUMMARY.matcher(output);
        assertTrue(summary.find(), output);
        assertEquals("3", summary.group(3), output);
        long puts = nextcloud.countSince(mark, "PUT");
        assertTrue(Long.parseLong(summary.group(2)) > 50, output);
        assertEquals(Long.parseLong(summary.group(2)), puts, "one PUT per item written: " + output);
        assertEquals(0, nextcloud.requestsSince(mark).stream().filter(r -> r.status() >= 500).count(), "no server error");
        assertFalse(output.contains(passwordsOf(passwords).get(0)), "no app password in the output");

        String again = demo(run, options);
        Matcher second = SUMMARY.matcher(again);
        assertTrue(second.find(), again);
        assertEquals("0", second.group(2), "the second run writes nothing: " + again);
        var stored = nextcloud.storedItems();
        for (String mailbox : mailboxes) {
            String user = mailbox.substring(0, mailbox.indexOf('@')).toLowerCase(java.util.Locale.ROOT);
            String personal = String.join("\n", stored.getOrDefault(user, java.util.Map.of()).getOrDefault("personal", java.util.Map.of()).values());
            assertTrue(personal.contains("SUMMARY:Example event - open me!"), "the example event of " + user + " is left alone");
        }
    }

    private static List<String> passwordsOf(Path folder) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                out.add(Files.readString(f).strip());
            }
        }
        return out;
    }

    private static Process start(Path directory, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(RuntimeProcess.distribution().resolve("bin/nexchange").toString());
        command.addAll(args);
        return new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    }

    private static String demo(Path directory, List<String> options) throws Exception {
        return demo(directory, options, 0);
    }

    private static String demo(Path directory, List<String> options, int exitCode) throws Exception {
        List<String> args = new ArrayList<>();
        args.add("demo");
        args.addAll(options);
        Process process = start(directory, args);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES));
        assertEquals(exitCode, process.exitValue(), output);
        return output;
    }

    /** The lines a process prints, as they come (also for ConsoleBrowserIT). */
    static BlockingQueue<String> follow(InputStream in) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException closed) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    static void awaitLine(BlockingQueue<String> lines, StringBuilder seen, String wanted, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                seen.append(line).append('\n');
                if (line.contains(wanted)) {
                    return;
                }
            }
        }
        throw new AssertionError("no line '" + wanted + "' within " + seconds + " s:\n" + seen);
    }

    private static void drain(BlockingQueue<String> lines, StringBuilder seen) {
        List<String> rest = new ArrayList<>();
        lines.drainTo(rest);
        rest.forEach(l -> seen.append(l).append('\n'));
    }

    static HttpClient sandboxClient(Path state) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(state.resolve("sandbox-truststore.p12"))) {
            trust.load(in, Files.readString(state.resolve("sandbox-truststore.password")).strip().toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).build();
    }

    private static JsonNode json(String body) throws IOException {
        return new ObjectMapper().readTree(body);
    }

    static List<Path> files(Path root, String extension) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(extension)).toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
