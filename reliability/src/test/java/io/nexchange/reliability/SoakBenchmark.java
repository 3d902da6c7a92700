package io.nexchange.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.nexchange.api.CollectionKind;
import io.nexchange.engine.internal.Direction;
import io.nexchange.engine.internal.MailboxResult;
import io.nexchange.engine.internal.SyncScheduler;
import io.nexchange.sandbox.FaultRule;
import io.nexchange.testing.faults.Fault;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 5, the soak: continuous edits on both sides (Graph through the sandbox; another CalDAV client writing
 * into Radicale) over many mailboxes, two-way, with faults switched on every other round (Graph 503 on a share of the
 * requests, DAV 503 and lost answers on PUTs) and off again; after every cycle the heap after a collection, the
 * threads, the open file handles and the state database's size are sampled and printed; at the end, faults off, the
 * content of both sides must be exactly equal (per user and kind, the same items by SUMMARY / FN, duplicates counted).
 *
 * <p>A benchmark, not a test of CI's default run (its name matches no surefire pattern): it runs only when asked for,
 * with {@code -Dsoak.minutes=N} (see benchmarks/README.md): {@code mvn -pl reliability -am verify -Dtest=SoakBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsoak.minutes=60}. Other sizes: {@code soak.mailboxes} (1000),
 * {@code soak.events} (3 per mailbox), {@code soak.threads} (4).
 */
class SoakBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The first SUMMARY (iCalendar) or FN (vCard), parameters allowed, of unfolded text. */
    private static final Pattern NAME = Pattern.compile("(?m)^(?:SUMMARY|FN)(?:;[^:\\r\\n]*)?:(.*?)\\r?$");

    @Test
    void soak() throws Exception {
        long minutes = Long.getLong("soak.minutes", 0);
        Assumptions.assumeTrue(minutes > 0 && !Boolean.getBoolean("nexchange.hostile.smallHeap"),
                "the soak runs with -Dsoak.minutes=N only, in the default surefire execution");
        int mailboxCount = Integer.getInteger("soak.mailboxes", 1000);
        int events = Integer.getInteger("soak.events", 3);
        Path temp = Files.createTempDirectory("nexchange-soak");
        Random random = new Random(16);
        long started = System.nanoTime();
        try (FaultRig rig = new FaultRig(temp, mailboxCount, events, 1, Duration.ofSeconds(20));
                HikariDataSource pool = FaultRig.pool("jdbc:h2:file:" + temp.resolve("state/state"), "sa", "")) {
            rig.direction = Direction.TWO_WAY;
            rig.threads = Integer.getInteger("soak.threads", 4);
            rig.cycleTimeout = Duration.ofMinutes(40);
            RowCounter counter = new RowCounter();
            rig.useState(counter.wrap(pool));
            // as the runtime's engine: one scheduler for the whole run, in the fleet, so each lease is taken once and kept
            SyncScheduler scheduler = rig.scheduler();
            scheduler.joinFleet();
            System.out.printf(Locale.ROOT, "SOAK %d mailboxes (%d events, 1 contact each), two-way, %d engine threads, %d minutes of"
                    + " edits after the initial sync; Java %s, %d cores, max heap %d MB; set up in %.0f s%n", mailboxCount, events,
                    rig.threads, minutes,
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20, (System.nanoTime() - started) / 1e9);
            System.out.println("SOAK cycle | minute | faults | seconds | states | written | heap after GC MB | threads | open files"
                    + " | state DB MB | Exchange edits | Nextcloud edits | state write transactions | state rows written");
            Map<String, List<String>> exchangeEvents = new HashMap<>(); // mailbox -> events the soak created
            Map<String, List<String>> davEvents = new HashMap<>(); // user -> hrefs the soak PUT
            long deadline = Long.MAX_VALUE; // set when the initial sync is done: the soak's minutes are of edits
            int cycle = 0;
            int exchangeEdits = 0;
            int davEdits = 0;
            List<long[]> samples = new ArrayList<>();
            while (true) {
                boolean faults = cycle % 2 == 1;
                if (cycle > 0) {
                    exchangeEdits += editExchange(rig, random, exchangeEvents, cycle);
                    davEdits += editNextcloud(rig, random, davEvents, cycle);
                }
                if (faults) {
                    rig.sandbox.addFault(FaultRule.status(503).withRetryAfter("1").withProbability(0.02));
                    rig.davProxy.inject(Fault.status(503).onMethod("PUT").times(5));
                    rig.davProxy.inject(Fault.responseLost().onMethod("PUT").times(3));
                }
                long cycleStart = System.nanoTime();
                Map<String, Long> before = counter.snapshot();
                List<MailboxResult> results = scheduler.cycle(false).get(rig.cycleTimeout.toSeconds(), TimeUnit.SECONDS);
                Map<String, Long> written = RowCounter.since(before, counter.snapshot());
                double seconds = (System.nanoTime() - cycleStart) / 1e9;
                rig.sandbox.clearFaults();
                rig.davProxy.clear();
                rig.davProxy.forgetRequests(); // the harness's request log, else its growth shows as the heap's
                long[] sample = sample(temp);
                samples.add(sample);
                System.out.printf(Locale.ROOT, "SOAK %d | %.1f | %s | %.1f | %s | %d | %d | %d | %d | %.1f | %d | %d | %d | %d%n", cycle,
                        (System.nanoTime() - started) / 6e10, faults ? "on" : "off", seconds, states(results),
                        results.stream().mapToInt(MailboxResult::writes).sum(), sample[0], sample[1], sample[2], sample[3] / 1e6,
                        exchangeEdits, davEdits, written.getOrDefault("transactions", 0L), RowCounter.rows(written));
                if (cycle == 0) {
                    deadline = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
                }
                cycle++;
                if (System.nanoTime() > deadline && !faults) {
                    break;
                }
            }
            // faults off: cycles until every mailbox is OK and one writes nothing, then both sides must hold the same
            int settle = 0;
            List<MailboxResult> last;
            do {
                last = scheduler.cycle(false).get(rig.cycleTimeout.toSeconds(), TimeUnit.SECONDS);
                settle++;
            } while (settle < 6 && (last.stream().anyMatch(r -> r.state() != MailboxResult.State.OK)
                    || last.stream().mapToInt(MailboxResult::writes).sum() > 0));
            long[] end = sample(temp);
            scheduler.close();
            // the same items on both sides: per user and kind, the names (SUMMARY / FN) of the items, as multisets
            Map<String, List<String>> exchange = new TreeMap<>();
            Map<String, List<String>> nextcloud = new TreeMap<>();
            for (String upn : rig.mailboxes) {
                for (CollectionKind kind : CollectionKind.values()) {
                    for (String text : rig.sourceTexts(upn, kind)) {
                        exchange.computeIfAbsent(FaultRig.user(upn) + " " + kind, k -> new ArrayList<>()).add(name(text));
                    }
                }
            }
            rig.radicale.storedItems().forEach((user, collections) -> collections.values().forEach(items -> items.values().forEach(text -> {
                String kind = text.startsWith("BEGIN:VCARD") ? "CONTACTS" : "CALENDAR";
                nextcloud.computeIfAbsent(user + " " + kind, k -> new ArrayList<>()).add(name(text));
            })));
            exchange.values().forEach(java.util.Collections::sort);
            nextcloud.values().forEach(java.util.Collections::sort);
            List<String> differing = new ArrayList<>();
            for (String key : new java.util.TreeSet<>(java.util.Set.copyOf(exchange.keySet()))) {
                if (!exchange.get(key).equals(nextcloud.getOrDefault(key, List.of()))) {
                    differing.add(key);
                }
            }
            nextcloud.keySet().stream().filter(k -> !exchange.containsKey(k) && !nextcloud.get(k).isEmpty()).forEach(differing::add);
            differing.stream().limit(5).forEach(key -> System.out.println("SOAK differs: " + key + ": Exchange "
                    + exchange.getOrDefault(key, List.of()) + ", Nextcloud " + nextcloud.getOrDefault(key, List.of())));
            int exchangeItems = exchange.values().stream().mapToInt(List::size).sum();
            int nextcloudItems = nextcloud.values().stream().mapToInt(List::size).sum();
            System.out.printf(Locale.ROOT, "SOAK end after %.1f minutes, %d cycles (+%d to settle, the last writing %d):"
                    + " %d Exchange edits, %d Nextcloud edits; items Exchange %d, Nextcloud %d, collections differing %d;"
                    + " heap after GC %d MB (first cycle %d, max %d), threads %d (first %d, max %d), open files %d (first %d, max %d),"
                    + " state DB %.1f MB (first %.1f)%n", (System.nanoTime() - started) / 6e10, cycle, settle,
                    last.stream().mapToInt(MailboxResult::writes).sum(), exchangeEdits, davEdits, exchangeItems, nextcloudItems,
                    differing.size(), end[0], samples.get(0)[0], max(samples, 0), end[1], samples.get(0)[1], max(samples, 1),
                    end[2], samples.get(0)[2], max(samples, 2), end[3] / 1e6, samples.get(0)[3] / 1e6);
            assertTrue(last.stream().allMatch(r -> r.state() == MailboxResult.State.OK), "every mailbox settles OK");
            assertEquals(List.of(), differing, "final content exact: the same items (by name) on both sides of every collection");
        } finally {
            try (var paths = Files.walk(temp)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Creates, edits and deletes events and creates contacts in random mailboxes (as users do in Outlook). */
    static int editExchange(FaultRig rig, Random random, Map<String, List<String>> created, int round) throws Exception {
        int edits = 0;
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(3 + round % 60);
        for (int i = 0; i < 30; i++) {
            String mailbox = rig.mailboxes.get(random.nextInt(rig.mailboxes.size()));
            List<String> mine = created.computeIfAbsent(mailbox, m -> new ArrayList<>());
            int what = random.nextInt(10);
            if (what < 5 || mine.isEmpty()) {
                String json = rig.sandbox.createEvent(mailbox, String.format(Locale.ROOT, "{\"subject\":\"Soak %d.%d\",\"start\":{"
                        + "\"dateTime\":\"%sT%02d:00:00\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\"%sT%02d:30:00\",\"timeZone\":"
                        + "\"UTC\"}}", round, i, day, 6 + i % 12, day, 6 + i % 12));
                mine.add(JSON.readTree(json).path("id").asText());
            } else if (what < 8) {
                rig.sandbox.updateEvent(mailbox, mine.get(random.nextInt(mine.size())), "{\"subject\":\"Soak edited " + round + "." + i + "\"}");
            } else if (what < 9) {
                rig.sandbox.deleteEvent(mailbox, mine.remove(random.nextInt(mine.size())));
            } else {
                rig.sandbox.createContact(mailbox, "{\"givenName\":\"Soak\",\"surname\":\"C" + round + "x" + i + "\"}");
            }
            edits++;
        }
        return edits;
    }

    /** Another CalDAV client: new events and edits of its own earlier events in random users' calendars. */
    static int editNextcloud(FaultRig rig, Random random, Map<String, List<String>> created, int round) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(5 + round % 60);
        int edits = 0;
        Map<String, Map<String, Map<String, String>>> stored = null;
        for (int i = 0; i < 15; i++) {
            String user = FaultRig.user(rig.mailboxes.get(random.nextInt(rig.mailboxes.size())));
            List<String> mine = created.computeIfAbsent(user, u -> new ArrayList<>());
            String href;
            String uid;
            if (mine.isEmpty() || random.nextBoolean()) {
                if (stored == null) {
                    stored = rig.radicale.storedItems();
                }
                String calendar = stored.getOrDefault(user, Map.of()).entrySet().stream()
                        .filter(c -> !c.getValue().isEmpty() && c.getValue().values().iterator().next().startsWith("BEGIN:VCALENDAR"))
                        .map(Map.Entry::getKey).findFirst().orElse(null);
                if (calendar == null) {
                    continue;
                }
                uid = "soak-nc-" + round + "-" + i;
                href = "/" + user + "/" + calendar + "/" + uid + ".ics";
                mine.add(href);
            } else {
                href = mine.get(random.nextInt(mine.size()));
                uid = href.substring(href.lastIndexOf('/') + 1, href.length() - 4);
            }
            String date = day.toString().replace("-", "");
            String ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//soak//EN\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:"
                    + date + "T000000Z\r\nDTSTART:" + date + "T140000Z\r\nDTEND:" + date + "T143000Z\r\nSUMMARY:Soak NC " + round + "."
                    + i + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
            HttpRequest put = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rig.radicale.port() + href))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + rig.passwords.get(user))
                            .getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "text/calendar; charset=utf-8").PUT(HttpRequest.BodyPublishers.ofString(ics)).build();
            HttpResponse<String> r;
            try {
                r = http.send(put, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException closedMeanwhile) {
                r = http.send(put, HttpResponse.BodyHandlers.ofString()); // Radicale closed a kept-alive connection
            }
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("PUT " + href + ": " + r.statusCode() + " " + r.body());
            }
            edits++;
        }
        return edits;
    }

    /** Heap after a collection (MB), live threads, open file handles, state database size (bytes). */
    private static long[] sample(Path temp) throws Exception {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        long threads = ManagementFactory.getThreadMXBean().getThreadCount();
        long files;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            files = fds.count();
        }
        long db;
        try (var paths = Files.walk(temp.resolve("state"))) {
            db = paths.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        return new long[] {heap, threads, files, db};
    }

    private static long max(List<long[]> samples, int index) {
        return samples.stream().mapToLong(s -> s[index]).max().orElse(0);
    }

    private static String states(List<MailboxResult> results) {
        return results.stream().collect(Collectors.groupingBy(r -> r.state().name(), TreeMap::new, Collectors.counting())).toString();
    }

    /**
     * An item's names as a person reads them: every SUMMARY (a series and its overrides, in any order) or the FN, unfolded
     * and unescaped, sorted.
     */
    private static String name(String text) {
        String unfolded = text.replace("\r\n ", "").replace("\r\n\t", "").replace("\n ", "");
        List<String> names = new ArrayList<>();
        Matcher m = NAME.matcher(unfolded);
        while (m.find()) {
            names.add(m.group(1).strip().replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\"));
        }
        java.util.Collections.sort(names);
        return String.join(" | ", names);
    }

    private static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1).strip() : "";
    }
}
