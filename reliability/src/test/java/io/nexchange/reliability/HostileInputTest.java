package io.nexchange.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.engine.internal.Direction;
import io.nexchange.engine.internal.MailboxResult;
import io.nexchange.sandbox.SandboxServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 16 item 2 through the whole chain, two-way: hostile items sitting in the DAV server (Radicale) and coming from
 * Exchange (the sandbox's Graph, through its admin API), among good items. Each hostile item either syncs (when both
 * sides can hold it) or gets one quarantine entry and one WARN line naming it and the cause; the rest of its pair and
 * the other mailbox sync; a later cycle writes nothing and logs nothing new; nothing outside loopback is fetched (the
 * JVM's proxy points at a recording listener); and all of it runs in a test JVM of 256 MB heap (this module's surefire
 * execution {@code hostile}), whose peak is printed.
 *
 * <p>What Radicale refuses at PUT (broken folding, no UID, a UID twice, a bogus TZID) cannot sit in it: a file planted
 * in its storage fails the whole collection's listing (HTTP 500), which is Radicale's answer, not an item's. Those are
 * planted in the real Nextcloud's database instead ({@code NextcloudHostileTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FIVE_MB = 5 * 1024 * 1024;
    private static final int CANCELLED_FROM_EXCHANGE = 4_999;

    private Path temp;
    private FaultRig rig;
    private HikariDataSource pool;
    private ServerSocket outside;
    private final AtomicInteger outsideConnections = new AtomicInteger();
    private final OperatorLog log = new OperatorLog();
    private String mailbox;
    private String user;
    private final List<String> rows = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("nexchange.hostile.smallHeap"),
                "runs in this module's surefire execution 'hostile' (small heap) only");
        // anything that would fetch from outside loopback (a DTD, an entity, a time zone from tzurl.org) goes through the
        // JVM's proxy settings: they point at a listener that counts connections
        outside = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread listener = new Thread(() -> {
            while (!outside.isClosed()) {
                try (Socket s = outside.accept()) {
                    outsideConnections.incrementAndGet();
                } catch (Exception e) {
                    return;
                }
            }
        }, "outside-listener");
        listener.setDaemon(true);
        listener.start();
        for (String scheme : List.of("http", "https")) {
            System.setProperty(scheme + ".proxyHost", "127.0.0.1");
            System.setProperty(scheme + ".proxyPort", String.valueOf(outside.getLocalPort()));
        }
        temp = Files.createTempDirectory("nexchange-hostile");
        rig = new FaultRig(temp, 2, 6, 3, java.time.Duration.ofSeconds(120)); // Radicale takes seconds for a 5 MB item
        rig.direction = Direction.TWO_WAY;
        pool = FaultRig.pool("jdbc:h2:file:" + temp.resolve("state/state"), "sa", "");
        rig.useState(pool);
        List<MailboxResult> initial = rig.cycle();
        assertTrue(initial.stream().allMatch(r -> r.state() == MailboxResult.State.OK), summary(initial));
        rig.cycle();
        mailbox = rig.mailboxes.get(0);
        user = FaultRig.user(mailbox);
    }

    @AfterAll
    void stop() throws Exception {
        if (temp == null) {
            return;
        }
        System.clearProperty("http.proxyHost");
        System.clearProperty("https.proxyHost");
        if (outside != null) {
            outside.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (rig != null) {
            rig.close();
        }
        try (var paths = Files.walk(temp)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a temp folder left behind is no reason to fail
        }
        System.out.println("FIGURE hostile input table (input | side | outcome):\n" + String.join("\n", rows));
    }

    @Test
    @Order(1)
    void hostileItemsOnBothSidesAreQuarantinedOrSyncedAndTheRestSyncs() throws Exception {
        assertTrue(Runtime.getRuntime().maxMemory() <= 256L << 20, "run with a small heap (surefire execution 'hostile'): "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(12);
        // --- Exchange side (Graph through the sandbox)
        String good = event("Hostile: the good Exchange event", day, 8);
        String noUid = event("Hostile: no iCalUId", day, 9);
        rig.sandbox.malformEvent(mailbox, noUid, "{\"iCalUId\":null}");
        String first = event("Hostile: UID one", day, 10);
        String twin = event("Hostile: UID twin", day, 11);
        String firstUid = JSON.readTree(rig.sandbox.event(mailbox, first)).path("iCalUId").asText();
        rig.sandbox.malformEvent(mailbox, twin, "{\"iCalUId\":\"" + firstUid + "\"}");
        String big = idOf(rig.sandbox.createEvent(mailbox, "{\"subject\":\"Hostile: 5 MB description\",\"body\":{\"contentType\":"
                + "\"text\",\"content\":\"" + "x".repeat(FIVE_MB) + "\"}," + times(day, 12) + "}"));
        String series = idOf(rig.sandbox.createEvent(mailbox, "{\"subject\":\"Hostile: 4998 cancelled occurrences\","
                + times(day.minusDays(10), 7) + ",\"recurrence\":{\"pattern\":{\"type\":\"daily\",\"interval\":1},\"range\":{"
                + "\"type\":\"noEnd\",\"startDate\":\"" + day.minusDays(10) + "\"}}}"));
        Instant seriesStart = day.minusDays(10).atTime(7, 0).toInstant(ZoneOffset.UTC);
        // the sandbox expands at most 5,000 occurrences of a series: every one but the first and the last is cancelled
        List<Instant> cancelled = new ArrayList<>();
        for (int i = 1; i < CANCELLED_FROM_EXCHANGE; i++) {
            cancelled.add(seriesStart.plus(i, ChronoUnit.DAYS));
        }
        rig.sandbox.cancelOccurrences(mailbox, series, cancelled);
        String zone = event("Hostile: bogus time zone", day, 13);
        rig.sandbox.malformEvent(mailbox, zone, "{\"start\":{\"dateTime\":\"" + day + "T13:00:00.0000000\",\"timeZone\":"
                + "\"Mars/Olympus_Mons\"},\"end\":{\"dateTime\":\"" + day + "T13:30:00.0000000\",\"timeZone\":\"Mars/Olympus_Mons\"},"
                + "\"originalStartTimeZone\":\"Mars/Olympus_Mons\",\"originalEndTimeZone\":\"Mars/Olympus_Mons\"}");
        String utf8 = event("Hostile: invalid UTF-8", day, 14);
        rig.sandbox.malformEvent(mailbox, utf8, "{\"subject\":\"Hostile: invalid " + SandboxServer.INVALID_UTF8.replace("\u0000",
                "\\u0000") + " UTF-8\"}");
        StringBuilder phones = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            phones.append(i == 0 ? "" : ",").append("\"+49 30 ").append(1_000_000 + i).append('"');
        }
        rig.sandbox.createContact(mailbox, "{\"givenName\":\"Hostile\",\"surname\":\"Fivehundred\",\"businessPhones\":[" + phones
                + "]}");

        // --- Nextcloud side (Radicale), among a good event
        String calendar = collection("BEGIN:VCALENDAR");
        String book = collection("BEGIN:VCARD");
        put(calendar + "nc-good.ics", ics("nc-good", "Hostile: the good Nextcloud event", day, ""));
        put(calendar + "nc-big.ics", ics("nc-big", "Hostile: NC 5 MB description", day, "DESCRIPTION:" + "y".repeat(FIVE_MB) + "\r\n"));
        StringBuilder exdates = new StringBuilder("RRULE:FREQ=DAILY\r\n");
        for (int i = 1; i <= 10_000; i++) {
            exdates.append("EXDATE:").append(day.plusDays(i).toString().replace("-", "")).append("T090000Z\r\n");
        }
        put(calendar + "nc-exdates.ics", ics("nc-exdates", "Hostile: NC 10000 EXDATEs", day, exdates.toString()));
        put(calendar + "nc-minutely.ics", ics("nc-minutely", "Hostile: NC every minute", day, "RRULE:FREQ=MINUTELY;INTERVAL=1\r\n"));
        StringBuilder card = new StringBuilder("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:nc-card500\r\nFN:Hostile NC Card500\r\n"
                + "N:Card500;Hostile NC;;;\r\n");
        for (int i = 0; i < 250; i++) {
            card.append("TEL;TYPE=CELL:+4930").append(2_000_000 + i).append("\r\nX-HOSTILE-").append(i).append(":v").append(i).append("\r\n");
        }
        put(book + "nc-card500.vcf", card.append("END:VCARD\r\n").toString());

        long mark = log.mark();
        List<MailboxResult> first1 = rig.cycle();
        List<MailboxResult> second = rig.cycle(); // the echo of the first cycle's writes
        List<String> lines = log.since(mark);
        List<String> quarantined = lines.stream().filter(l -> l.contains(" WARN ") && l.contains(": quarantined ")).toList();
        MailboxResult other = second.stream().filter(r -> !r.mailbox().equals(mailbox)).findFirst().orElseThrow();
        assertEquals(MailboxResult.State.OK, other.state(), "the other mailbox syncs: " + other.summary());
        for (MailboxResult r : first1) {
            assertTrue(r.state() == MailboxResult.State.OK || r.state() == MailboxResult.State.PARTIAL, "no pair fails: " + r.summary()
                    + "\n" + r.error());
        }

        String nc = icsOf(user);
        // what is quarantined: one WARN line each, naming the item and the cause
        expectQuarantined(quarantined, "no iCalUId (Graph)", "Exchange", "Hostile: no iCalUId", "iCalUId");
        expectQuarantined(quarantined, "a UID twice in one calendar (Graph)", "Exchange", "Hostile: UID twin", "same UID");
        expectQuarantined(quarantined, "time zone 'Mars/Olympus_Mons' (Graph)", "Exchange", "Hostile: bogus time zone", "Mars/Olympus_Mons");
        expectQuarantined(quarantined, "5 MB description (to Graph)", "Nextcloud", "nc-big", "4 MB");
        expectQuarantined(quarantined, "10,000 EXDATEs (to Graph)", "Nextcloud", "nc-exdates", "10000 cancelled");
        expectQuarantined(quarantined, "RRULE FREQ=MINUTELY without end (to Graph)", "Nextcloud", "nc-minutely", "MINUTELY");
        // what syncs
        assertTrue(nc.contains("Hostile: the good Exchange event"), "the good Exchange event reached Nextcloud");
        assertTrue(graphSubjects().contains("Hostile: the good Nextcloud event"), "the good Nextcloud event reached Exchange");
        assertTrue(nc.contains("Hostile: 5 MB description") && nc.contains("x".repeat(1000)), "the 5 MB description reached Nextcloud");
        row("5 MB description", "Exchange", "synced to Nextcloud (Radicale stores it; the DAV answer bound is 16 MB)");
        String seriesText = radicaleTexts(user, "BEGIN:VCALENDAR").stream().filter(t -> t.contains("Hostile: 4998 cancelled"))
                .findFirst().orElseThrow(() -> new AssertionError("the series reached Nextcloud")).replace("\r\n ", "");
        int cancelledValues = seriesText.lines().filter(l -> l.startsWith("EXDATE")).mapToInt(l -> l.split(",").length).sum();
        row("4,998 cancelled occurrences (the sandbox's most: it expands 5,000)", "Exchange", "synced: " + cancelledValues
                + " EXDATE values in Nextcloud");
        assertTrue(nc.contains("Hostile: invalid \uFFFD\uFFFD UTF-8"), "invalid UTF-8 arrives as U+FFFD: " + grep(nc, "invalid"));
        row("invalid UTF-8 (bytes FF FE in the subject)", "Exchange", "synced: the JSON reader puts U+FFFD in place of each bad byte");
        String cards = String.join("\n", radicaleTexts(user, "BEGIN:VCARD"));
        assertTrue(cards.contains("Fivehundred"), "the contact with 500 phone numbers reached Nextcloud");
        row("contact with 500 phone numbers", "Exchange", "synced: a vCard with " + count(cards, "+49 30 1") + " TEL lines");
        assertTrue(graphContacts().contains("Hostile NC"), "the NC card with 500 properties reached Exchange");
        row("vCard with 500 properties (250 TEL, 250 X-)", "Nextcloud", "synced to Exchange with the fields a Graph contact has");

        // a later cycle: nothing written, nothing new logged (on a loaded machine Radicale may take longer than a read timeout
        // to store a 5 MB item: then the write is finished, and adopted, in a cycle or two more)
        for (int more = 0; more < 3 && rig.cycle().stream().mapToInt(MailboxResult::writes).sum() > 0; more++) {
            Thread.sleep(100);
        }
        long idleMark = log.mark();
        List<MailboxResult> idle = rig.cycle();
        assertEquals(0, idle.stream().mapToInt(MailboxResult::writes).sum(), "an idle cycle writes nothing: " + summary(idle));
        List<String> idleAlerts = OperatorLog.alerts(log.since(idleMark));
        assertEquals(List.of(), idleAlerts, "nothing new for the operator once each item is in quarantine");
        assertEquals(List.of(), OperatorLog.stackFrames(lines), "no stack trace reaches the operator");
        assertEquals(0, outsideConnections.get(), "nothing outside loopback was fetched");
        int held = idle.stream().mapToInt(MailboxResult::quarantined).sum();
        System.out.printf(Locale.ROOT, "FIGURE hostile input: %d items quarantined, %d WARN lines for them, old generation peak %d MB in a heap of at most %d MB,"
                + " 0 connections outside loopback%n", held, quarantined.size(), peakHeapMb(), Runtime.getRuntime().maxMemory() >> 20);
        assertEquals(6, held, "six items in quarantine: " + summary(idle));
        assertEquals(6, quarantined.size(), "one WARN line per quarantined item:\n" + String.join("\n", quarantined));
    }

    private void expectQuarantined(List<String> warnings, String input, String side, String names, String cause) {
        List<String> matching = warnings.stream().filter(l -> l.contains(names)).toList();
        assertEquals(1, matching.size(), input + ": one WARN line naming " + names + ":\n" + String.join("\n", warnings));
        String line = matching.get(0);
        assertTrue(line.contains(cause), input + ": the line names the cause (" + cause + "): " + line);
        assertTrue(line.contains("quarantined " + side + " item"), input + ": on the " + side + " side: " + line);
        row(input, side, "quarantined: " + line.substring(line.indexOf("): ") + 3, Math.min(line.length(),
                line.indexOf("): ") + 3 + 220)) + "...");
    }

    private void row(String input, String side, String outcome) {
        rows.add("| " + input + " | " + side + " | " + outcome + " |");
    }

    private String event(String subject, LocalDate day, int hour) {
        return idOf(rig.sandbox.createEvent(mailbox, "{\"subject\":\"" + subject + "\"," + times(day, hour) + "}"));
    }

    private static String times(LocalDate day, int hour) {
        return String.format(Locale.ROOT, "\"start\":{\"dateTime\":\"%sT%02d:00:00\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":"
                + "\"%sT%02d:30:00\",\"timeZone\":\"UTC\"}", day, hour, day, hour);
    }

    private static String ics(String uid, String summary, LocalDate day, String extra) {
        String date = day.toString().replace("-", "");
        return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20261201T000000Z\r\n"
                + "DTSTART:" + date + "T090000Z\r\nDTEND:" + date + "T093000Z\r\nSUMMARY:" + summary + "\r\n" + extra
                + "END:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    /** The user's collection (path below the server) whose items start so. */
    private String collection(String begin) {
        return rig.radicale.storedItems().get(user).entrySet().stream()
                .filter(c -> !c.getValue().isEmpty() && c.getValue().values().iterator().next().startsWith(begin))
                .map(c -> "/" + user + "/" + c.getKey() + "/").findFirst().orElseThrow();
    }

    /** A plain HTTP PUT into Radicale, as another client writes. */
    private void put(String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + rig.radicale.port() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + rig.passwords.get(user))
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", path.endsWith(".vcf") ? "text/vcard; charset=utf-8" : "text/calendar; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, "PUT " + path + ": " + r.statusCode() + " " + r.body());
    }

    private List<String> radicaleTexts(String user, String begin) {
        return rig.radicale.storedItems().getOrDefault(user, Map.of()).values().stream().flatMap(c -> c.values().stream())
                .filter(t -> t.startsWith(begin)).toList();
    }

    private String icsOf(String user) {
        return String.join("\n", radicaleTexts(user, "BEGIN:VCALENDAR")).replace("\r\n ", "").replace("\r\n", "\n");
    }

    private String graphSubjects() throws Exception {
        StringBuilder out = new StringBuilder();
        for (String id : rig.sandbox.eventIds(mailbox)) {
            String e = rig.sandbox.event(mailbox, id);
            if (e != null) {
                out.append(JSON.readTree(e).path("subject").asText()).append('\n');
            }
        }
        return out.toString();
    }

    private String graphContacts() throws Exception {
        return String.join("\n", rig.sourceTexts(mailbox, io.nexchange.api.CollectionKind.CONTACTS));
    }

    private static String idOf(String graphJson) {
        try {
            JsonNode node = JSON.readTree(graphJson);
            return node.path("id").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    private static String grep(String text, String part) {
        return text.lines().filter(l -> l.contains(part)).collect(Collectors.joining(" / "));
    }

    /** The peak of the old generation (what stays live across collections), the figure a memory bound is about. */
    private static long peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && (pool.getName().contains("Old") || pool.getName().contains("Tenured"))) {
                peak = Math.max(peak, pool.getPeakUsage().getUsed());
            }
        }
        return peak >> 20;
    }

    private static String summary(List<MailboxResult> results) {
        return results.stream().map(r -> r.summary() + (r.error().isEmpty() ? "" : ": " + r.error())).collect(Collectors.joining("\n"));
    }
}
