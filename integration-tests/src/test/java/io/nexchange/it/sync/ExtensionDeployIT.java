package io.nexchange.it.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.testing.radicale.RadicaleServer;
import io.nexchange.testing.runtime.RuntimeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 18 on the forked runtime: the example extension ({@code examples/extension-private-redactor}), built the way a
 * customer builds it, dropped into {@code deploy/} of a running instance (sandbox tenant through Graph into Radicale),
 * reconfigured through its {@code .cfg}, and removed; then a bundle built against an SPI this runtime does not have.
 * The framework runs throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExtensionDeployIT {
    static final int MAILBOXES = 2;
    static final String REDACTOR = "com.example.nexchange.redactor";

    Path temp;
    SandboxServer sandbox;
    RadicaleServer radicale;
    RuntimeProcess runtime;
    GraphSource source;
    String mailbox;
    String uid;
    Object frameworkStarted;
    Map<String, String> before;

    @BeforeAll
    void startRig() throws Exception {
        temp = Files.createTempDirectory("extension-it-");
        sandbox = SyncRig.sandbox(temp.resolve("sandbox"), MAILBOXES, 18);
        radicale = RadicaleServer.start(RadicaleServer.PasswordEncryption.PLAIN);
        List<String> mailboxes = SyncRig.mailboxes(sandbox);
        SyncRig.addAccounts(radicale, mailboxes, temp.resolve("passwords"));
        Path base = SyncRig.prepareInstance(temp.resolve("instance"), sandbox, radicale, temp.resolve("passwords"), "graph",
                Map.of("io.nexchange.engine.cfg", String.join("\n", "threads = 2", "scheduled = false", "kinds = calendar",
                        "direction = exchange-to-nextcloud", "backend.default = graph", "nextcloudBackend = caldav", "")));
        runtime = SyncRig.start(base);
        source = new GraphSource(sandbox);
        mailbox = mailboxes.get(0);
    }

    @AfterAll
    void stopRig() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        if (radicale != null) {
            radicale.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        SyncRig.deleteQuietly(temp);
    }

    @Test
    @Order(1)
    void withoutTheExtensionAPrivateEventSyncsInFull() throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(5);
        String id = source.admin("POST", "/mailboxes/" + mailbox + "/events", """
                {"subject":"Doctor","start":{"dateTime":"%sT09:00:00","timeZone":"UTC"},"end":{"dateTime":"%sT10:00:00","timeZone":"UTC"},
                 "location":{"displayName":"Clinic Nord"},"body":{"contentType":"text","content":"the diagnosis"},"sensitivity":"private",
                 "attendees":[{"emailAddress":{"address":"bob@example.org","name":"Bob"},"type":"required"}]}
                """.formatted(day, day)).path("id").asText();
        uid = source.event(mailbox, id).path("iCalUId").asText();
        SyncRig.syncAll(runtime, MAILBOXES);
        String event = event();
        assertTrue(event.contains("CLASS:PRIVATE") && event.contains("LOCATION:Clinic Nord") && event.contains("the diagnosis"), event);
        before = calendars();
        Map<String, Object> status = runtime.status();
        frameworkStarted = ((Map<?, ?>) status.get("runtime")).get("frameworkStartedMillis");
    }

    @Test
    @Order(2)
    void droppedIntoDeployItRedactsPrivateEventsOnTheNextCycleAndRewritesNothingElse() throws Exception {
        drop(Path.of(System.getProperty("redactor.jar")), runtime.base().resolve("deploy/private-redactor.jar"));
        await(() -> bundleState(REDACTOR).filter("ACTIVE"::equals).isPresent(), "the example bundle is ACTIVE");
        // ACTIVE is visible before SCR has processed the bundle's STARTED event and registered its component; the
        // engine's bind is what the next cycle depends on (CI once ran the cycle in between)
        await(() -> log().contains("Item transformer available: com.example.nexchange.redactor.PrivateEventRedactor"),
                "the engine has bound the example's ItemTransformer");
        int mark = radicale.mark();
        SyncRig.syncAll(runtime, MAILBOXES);
        String event = event();
        assertTrue(event.contains("CLASS:PRIVATE") && event.contains("SUMMARY:Doctor"), event);
        assertFalse(event.contains("Clinic") || event.contains("diagnosis") || event.contains("ATTENDEE"), "redacted: " + event);
        Map<String, String> now = calendars();
        long changed = now.keySet().stream().filter(href -> !now.get(href).equals(before.get(href))).count();
        System.out.printf("redaction cycle: %d PUTs, %d of %d events changed%n", radicale.countSince(mark, "PUT"), changed, now.size());
        assertEquals(changed, radicale.countSince(mark, "PUT"), "one PUT per rewritten event, none for the others");
        assertTrue(now.entrySet().stream().filter(e -> !e.getValue().equals(before.get(e.getKey())))
                .allMatch(e -> e.getValue().contains("CLASS:PRIVATE")), "only private events changed");
        mark = radicale.mark();
        SyncRig.syncAll(runtime, MAILBOXES);
        assertEquals(0, radicale.countSince(mark, "PUT"), "the cycle after writes nothing");
    }

    @Test
    @Order(3)
    void itsCfgReconfiguresItLive() throws Exception {
        write(runtime.base().resolve("etc/" + REDACTOR + ".cfg"), "properties = LOCATION\n");
        // Config Admin re-creates the component within a second; the cycle after that renders with the new settings
        await(() -> {
            SyncRig.syncAll(runtime, MAILBOXES);
            String event = event();
            return event.contains("the diagnosis") && !event.contains("Clinic");
        }, "only LOCATION stripped after the .cfg changed");
    }

    @Test
    @Order(4)
    void removingItRestoresEveryEventOnTheNextCycle() throws Exception {
        Files.delete(runtime.base().resolve("deploy/private-redactor.jar"));
        await(() -> bundleState(REDACTOR).isEmpty(), "the example bundle is uninstalled");
        SyncRig.syncAll(runtime, MAILBOXES);
        assertTrue(log().contains("Item transformer gone: com.example.nexchange.redactor.PrivateEventRedactor"));
        assertEquals(before, calendars(), "every event as it was before the extension, byte for byte");
    }

    @Test
    @Order(5)
    void anExtensionBuiltForAnotherSpiIsRefusedWithAClearMessage() throws Exception {
        Path jar = temp.resolve("build/incompatible.jar");
        Files.createDirectories(jar.getParent());
        try (Builder builder = new Builder()) {
            builder.setProperty("Bundle-SymbolicName", "com.example.incompatible");
            builder.setProperty("Bundle-Version", "1.0.0");
            builder.setProperty("Import-Package", "io.nexchange.api.extension;version=\"[3.0,4)\"");
            builder.setProperty("-includeresource", "README.txt;literal='built against a later SPI'");
            builder.setProperty("-noextraheaders", "true");
            Jar built = builder.build();
            assertTrue(builder.isOk(), builder.getErrors().toString());
            built.write(jar.toFile());
        }
        drop(jar, runtime.base().resolve("deploy/incompatible.jar"));
        await(() -> log().contains("Extension com.example.incompatible 1.0.0"), "the refusal is logged");
        String line = log().lines().filter(l -> l.contains("Extension com.example.incompatible 1.0.0")).findFirst().orElseThrow();
        assertTrue(line.contains("io.nexchange.api.extension [3.0.0,4.0.0)") && line.contains("this runtime provides io.nexchange.api.extension 1.0.0")
                && line.contains("Rebuild it against this runtime's API"), line);
        assertEquals(Optional.of("INSTALLED"), bundleState("com.example.incompatible"), "not resolved, not started");
        SyncRig.syncAll(runtime, MAILBOXES); // the sync goes on
        assertEquals(Boolean.TRUE, runtime.status().get("ready"));
    }

    @Test
    @Order(6)
    void theFrameworkWasNeverRestarted() throws Exception {
        assertEquals(frameworkStarted, ((Map<?, ?>) runtime.status().get("runtime")).get("frameworkStartedMillis"));
    }

    private String event() throws Exception {
        return calendars().values().stream().filter(text -> text.replace("\r\n ", "").contains("UID:" + uid)).findFirst()
                .orElseThrow(() -> new AssertionError("no event " + uid + " in Radicale"));
    }

    /** Every .ics in Radicale, by user and href. */
    private Map<String, String> calendars() {
        Map<String, String> all = new TreeMap<>();
        DavContent content = DavContent.of(radicale);
        content.byUser().keySet().forEach(user -> content.items(user, ".ics").forEach((href, text) -> all.put(user + "/" + href, text)));
        return all;
    }

    private Optional<String> bundleState(String symbolicName) throws Exception {
        return runtime.bundles().stream().filter(b -> symbolicName.equals(b.get("symbolicName"))).map(b -> (String) b.get("state")).findFirst();
    }

    private String log() throws Exception {
        return Files.readString(runtime.base().resolve("log/nexchange.log"));
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(250);
        }
    }

    /** Moves a file into place atomically, as an operator's copy should. */
    private static void drop(Path source, Path target) throws Exception {
        Path staging = target.resolveSibling("." + target.getFileName() + ".part");
        Files.copy(source, staging, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staging, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void write(Path file, String content) throws Exception {
        Path staging = file.resolveSibling("." + file.getFileName() + ".part");
        Files.writeString(staging, content);
        Files.move(staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
