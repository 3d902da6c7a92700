package io.nexchange.nextcloud.internal;

import static io.nexchange.nextcloud.internal.DavFixtures.event;
import static io.nexchange.nextcloud.internal.DavFixtures.eventText;
import static io.nexchange.nextcloud.internal.DavFixtures.owner;

import com.github.sardine.impl.SardineImpl;
import io.nexchange.api.CollectionKind;
import io.nexchange.api.CollectionRef;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.source.ChangePage;
import io.nexchange.api.source.Cursor;
import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemTarget;
import io.nexchange.api.source.Owner;
import io.nexchange.testing.radicale.RadicaleServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.http.entity.ByteArrayEntity;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Writes N events into Radicale, 1 and 4 threads, through our ItemTarget and through a plain Sardine
 * client, each run into a fresh calendar, and reads them back once (listing + multiget). Prints items/s;
 * asserts nothing about speed. Run with
 * {@code mvn -pl bundles/nextcloud -am verify -Dgroups=benchmark -Dtest.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.items=N}, default 200).
 */
@Tag("benchmark")
class DavWriteBenchmarkTest {
    private static final int ITEMS = Integer.getInteger("bench.items", 200);

    private interface Writer {
        void write(int index) throws Exception;
    }

    @Test
    void putEvents() throws Exception {
        try (RadicaleServer radicale = RadicaleServer.start()) {
            radicale.addUser("bench", "bench-pw");
            Owner bench = owner("bench");
            try (DavItemStore store = DavItemStore.over(DavSettings.defaults(URI.create(radicale.baseUrl())), new DavFixtures.Logins().with("bench", "bench-pw"))) {
                List<String> lines = new ArrayList<>();
                for (int threads : new int[] {1, 4}) {
                    CollectionRef ours = store.ensureCollection(bench, CollectionKind.CALENDAR, "ours-" + threads);
                    ItemTarget target = store.target(bench, ours);
                    lines.add(run("ItemTarget.create", threads, i -> target.create(ItemKey.event("ev-" + i), event("ev-" + i, "Event " + i))));

                    CollectionRef plain = store.ensureCollection(bench, CollectionKind.CALENDAR, "plain-" + threads);
                    String base = radicale.baseUrl().replaceAll("/$", "") + plain.id();
                    ThreadLocal<SardineImpl> sardines = ThreadLocal.withInitial(() -> {
                        SardineImpl sardine = new SardineImpl("bench", "bench-pw");
                        sardine.enablePreemptiveAuthentication("127.0.0.1", radicale.port(), radicale.port());
                        return sardine;
                    });
                    lines.add(run("plain Sardine put", threads, i -> sardines.get().put(base + "ev-" + i + ".ics",
                            new ByteArrayEntity(eventText("ev-" + i, "Event " + i).getBytes(StandardCharsets.UTF_8)), "text/calendar", false)));

                    ItemSource source = store.source(bench, ours);
                    long start = System.nanoTime();
                    int read = 0;
                    Cursor cursor = Cursor.INITIAL;
                    ChangePage page;
                    do {
                        page = source.changes(cursor);
                        read += DavFixtures.withContent(source, page.changes()).size();
                        cursor = page.next();
                    } while (page.hasMore());
                    lines.add(String.format(Locale.ROOT, "%-22s %d items: %7.1f items/s (listing + multiget of 100)", "ItemSource initial", read, read / seconds(start)));
                }
                System.out.println("DAV write benchmark, Radicale " + radicale.baseUrl() + ", " + ITEMS + " events per run");
                lines.forEach(System.out::println);
            }
        }
    }

    private static String run(String what, int threads, Writer writer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    for (int i = first; i < ITEMS; i += threads) {
                        writer.write(i);
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        return String.format(Locale.ROOT, "%-22s %d thread(s): %7.1f items/s", what, threads, ITEMS / seconds(start));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
