package io.nexchange.throttling.internal;

import io.nexchange.api.throttle.Permit;
import io.nexchange.api.throttle.ThrottleKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.LongAdder;

/**
 * Micro-benchmark (not a test): tryAcquire + close throughput with 1 and 2 threads over 10,000 keys and on one
 * key, and the heap cost of active keys. Run after {@code mvn -pl bundles/throttling -am test-compile}:
 * <pre>
 * java -cp bundles/throttling/target/classes:bundles/throttling/target/test-classes:bundles/api/target/classes \
 *     io.nexchange.throttling.internal.ThrottleBenchmark
 * </pre>
 */
public final class ThrottleBenchmark {

    private static final Duration WARMUP = Duration.ofSeconds(1);
    private static final Duration MEASURE = Duration.ofSeconds(3);

    public static void main(String[] args) throws Exception {
        // Outlook's structure (4 slots, 122 buckets) with a budget that the benchmark cannot exhaust
        ThrottleLimits limits = ThrottleLimits.OUTLOOK.withBudget(Integer.MAX_VALUE / 2, Duration.ofMinutes(10));
        System.out.printf("java %s, %d cores%n", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        for (int threads : new int[] {1, 2}) {
            run("10,000 keys", limits, 10_000, threads);
        }
        for (int threads : new int[] {1, 2}) {
            run("1 key", limits, 1, threads);
        }
        run("10,000 keys, refusals (budget spent)", ThrottleLimits.OUTLOOK.withBudget(1, Duration.ofMinutes(10)), 10_000, 2);
        memory(limits, 80_000);
    }

    private static void run(String label, ThrottleLimits limits, int keyCount, int threads) throws Exception {
        ThrottleController c = new ThrottleController(limits);
        ThrottleKey[] keys = new ThrottleKey[keyCount];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = new ThrottleKey("app" + (i % 4), "user" + i + "@contoso.example");
        }
        LongAdder ops = new LongAdder();
        LongAdder admitted = new LongAdder();
        CyclicBarrier barrier = new CyclicBarrier(threads + 1);
        long[] phase = new long[1];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long seed = t;
            Thread w = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                try {
                    barrier.await();
                    long localOps = 0;
                    long localAdmitted = 0;
                    boolean measuring = false;
                    while (true) {
                        for (int i = 0; i < 1024; i++) {
                            Optional<Permit> p = c.tryAcquire(keys[rnd.nextInt(keys.length)]);
                            if (p.isPresent()) {
                                p.get().close();
                                localAdmitted++;
                            }
                        }
                        localOps += 1024;
                        long ph;
                        synchronized (phase) {
                            ph = phase[0];
                        }
                        if (ph == 1 && !measuring) {
                            measuring = true;
                            localOps = 0;
                            localAdmitted = 0;
                        } else if (ph == 2) {
                            ops.add(localOps);
                            admitted.add(localAdmitted);
                            return;
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            workers.add(w);
            w.start();
        }
        barrier.await();
        Thread.sleep(WARMUP.toMillis());
        synchronized (phase) {
            phase[0] = 1;
        }
        long t0 = System.nanoTime();
        Thread.sleep(MEASURE.toMillis());
        synchronized (phase) {
            phase[0] = 2;
        }
        for (Thread w : workers) {
            w.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-40s %d thread(s): %,12.0f tryAcquire+close/s (%,.0f ns/op per thread), %.0f %% admitted%n",
                label, threads, ops.sum() / seconds, threads * seconds * 1e9 / ops.sum(),
                100.0 * admitted.sum() / Math.max(1, ops.sum()));
    }

    private static void memory(ThrottleLimits limits, int keyCount) throws InterruptedException {
        ThrottleController c = new ThrottleController(limits);
        long before = usedHeap();
        for (int i = 0; i < keyCount; i++) {
            c.tryAcquire(new ThrottleKey("app" + (i % 4), "user" + i + "@contoso.example")).orElseThrow().close();
        }
        long after = usedHeap();
        System.out.printf("heap per active key (incl. the ThrottleKey and its strings): ~%,d bytes (%,d keys, %,d MB)%n",
                (after - before) / keyCount, keyCount, (after - before) >> 20);
        if (c.keyCount() != keyCount) {
            throw new IllegalStateException("keys lost");
        }
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
