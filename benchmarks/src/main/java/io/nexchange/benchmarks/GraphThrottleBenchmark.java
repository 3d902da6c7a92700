package io.nexchange.benchmarks;

import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.ApiException;
import io.nexchange.api.throttle.ThrottleKey;
import io.nexchange.sandbox.AppRegistration;
import io.nexchange.sandbox.RequestCounts;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.throttling.ReadyQueue;
import io.nexchange.throttling.RegistrationAssignment;
import io.nexchange.throttling.internal.ThrottleController;
import io.nexchange.throttling.internal.ThrottleLimits;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Issue 6: the same Graph workload against the sandbox's throttling (per app id and mailbox: N requests per
 * window, 4 concurrent, 429 with Retry-After), once through the throttling policy and once with only the Graph
 * SDK's default middleware, then through the policy with 1, 2 and 4 app registrations. Prints figures; it is a
 * main, not a test ({@code GraphThrottleBenchmarkSmokeTest} runs a tiny configuration so it cannot rot).
 *
 * <p>Rate measure: the sandbox counts its window from a key's first request, so in the first {@code k} windows
 * after the start no client can have more than {@code k × budget} requests per key admitted. The sandbox's own
 * counters are read at {@code start + k × window}; admitted requests by then over {@code k × budget × keys} is
 * the share of the allowed rate. The workload is {@code (k + ½) × budget} requests per key, so the run goes on
 * past the measuring point and the total time shows how long the whole workload took.
 */
public final class GraphThrottleBenchmark {

    /** What to run. */
    public record Settings(int mailboxes, int workers, int windowRequests, Duration window, int maxConcurrent,
            String retryAfter, int measuredWindows, List<Integer> registrationCounts, boolean sdkDefaultVariant,
            boolean assignedVariant, int capacitySteps, List<String> retryAfterProbes) {

        /** About five minutes: 8 mailboxes, 16 workers, 50 requests per 10 s and 4 concurrent per (app, mailbox). */
        public static Settings full() {
            return new Settings(8, 16, 50, Duration.ofSeconds(10), 4, "2.128", 3, List.of(1, 2, 4), true, true, 2400,
                    List.of("2.128", "2", "0.5"));
        }

        /** A few seconds: enough to exercise every code path. */
        public static Settings smoke() {
            return new Settings(2, 4, 12, Duration.ofSeconds(1), 4, "0.3", 2, List.of(1, 2), true, true, 40, List.of("0.3"));
        }

        int stepsPerKey() {
            return (int) Math.round((measuredWindows + 0.5) * windowRequests);
        }
    }

    /** Figures of one run. */
    public record Result(String variant, int registrations, int keys, long steps, long sent, long throttled,
            long errors, long deferred, long admittedInMeasure, long allowedInMeasure, Duration total,
            double meanLatencyMillis, Map<String, Long> errorKinds, boolean completed) {

        public double shareOfAllowed() {
            return allowedInMeasure == 0 ? Double.NaN : (double) admittedInMeasure / allowedInMeasure;
        }

        public double throttledShare() {
            return sent == 0 ? 0 : (double) throttled / sent;
        }

        public double requestsPerSecond() {
            return (sent - throttled) / (total.toNanos() / 1e9);
        }
    }

    private enum Kind { EVENTS_PAGE, CONTACTS_PAGE, EVENT }

    /** One Graph GET on one mailbox. */
    private record Step(String mailbox, Kind kind, String eventId) {
        void run(GraphServiceClient graph) {
            switch (kind) {
                case EVENTS_PAGE -> graph.users().byUserId(mailbox).calendar().events().get(rc -> {
                    rc.queryParameters.top = 10;
                    rc.queryParameters.select = new String[] {"id", "subject", "start", "end", "changeKey"};
                });
                case CONTACTS_PAGE -> graph.users().byUserId(mailbox).contacts().get(rc -> rc.queryParameters.top = 10);
                case EVENT -> graph.users().byUserId(mailbox).events().byEventId(eventId).get();
                default -> throw new IllegalStateException(kind.name());
            }
        }
    }

    private final Settings settings;
    private final PrintStream out;
    private final SandboxServer sandbox;
    private final SandboxClients clients;
    private final List<String> mailboxes;
    private final Map<String, List<String>> eventIds = new LinkedHashMap<>();
    private final List<AppRegistration> apps = new ArrayList<>();

    GraphThrottleBenchmark(Settings settings, PrintStream out, SandboxServer sandbox) throws Exception {
        this.settings = settings;
        this.out = out;
        this.sandbox = sandbox;
        this.clients = new SandboxClients(sandbox);
        this.mailboxes = sandbox.mailboxes().subList(0, settings.mailboxes());
        for (String m : mailboxes) {
            eventIds.put(m, sandbox.eventIds(m));
        }
        int maxRegistrations = settings.registrationCounts().stream().mapToInt(Integer::intValue).max().orElse(1);
        for (int i = 1; i <= maxRegistrations; i++) {
            apps.add(sandbox.registerApp(AppRegistration.builder("bench-app-" + i).clientSecret("bench-secret-" + i).build()));
        }
    }

    /** Starts a sandbox, runs every variant the settings ask for and prints the table. */
    public static List<Result> run(Settings settings, PrintStream out) throws Exception {
        Path state = Files.createTempDirectory("nexchange-bench-sandbox");
        try (SandboxServer sandbox = SandboxServer.start(SandboxOptions.defaults().users(settings.mailboxes() + 2).seed(6)
                .stateDir(state).eventsPerMailbox(30).contactsPerMailbox(20))) {
            GraphThrottleBenchmark bench = new GraphThrottleBenchmark(settings, out, sandbox);
            List<Result> results = bench.runAll();
            bench.printTable(results);
            return results;
        }
    }

    List<Result> runAll() throws Exception {
        Settings s = settings;
        out.printf(Locale.ROOT, "Sandbox limits per (app id, mailbox): %d requests per %d s, %d concurrent, Retry-After %s%n",
                s.windowRequests(), s.window().toSeconds(), s.maxConcurrent(), s.retryAfter());
        out.printf(Locale.ROOT, "Workload: %d mailboxes, %d workers, %d GETs per (app, mailbox) = (%d + 0.5) windows' budget;"
                + " tasks of 5 GETs (events page, contacts page, 3 single events)%n",
                s.mailboxes(), s.workers(), s.stepsPerKey(), s.measuredWindows());
        out.println("Interceptors, SDK default: " + SandboxClients.describe(SandboxClients.sdkDefaultInterceptors()));
        out.println("Interceptors, policy:      " + SandboxClients.describe(SandboxClients.policyInterceptors(
                new ThrottleController(ThrottleLimits.OUTLOOK), "x", Duration.ZERO)));
        List<Result> results = new ArrayList<>();
        if (s.sdkDefaultVariant()) {
            for (String retryAfter : s.retryAfterProbes()) {
                retryAfterProbe(retryAfter);
            }
        }
        for (int r : s.registrationCounts()) {
            results.add(withPolicy(r, false));
            if (r == 1 && s.sdkDefaultVariant()) {
                results.add(sdkDefault());
            }
        }
        int max = s.registrationCounts().stream().mapToInt(Integer::intValue).max().orElse(1);
        if (s.assignedVariant() && max > 1) {
            results.add(withPolicy(max, true));
        }
        if (s.capacitySteps() > 0) {
            // last, with the JIT warm: measured first it came out 20-30 % lower than what the policy runs reached
            results.add(0, capacity());
        }
        return results;
    }

    // ---- variants -----------------------------------------------------------------------------------------

    /** No throttling in the sandbox: what this machine does with the stock client and these workers. */
    private Result capacity() throws Exception {
        sandbox.setThrottling(100_000, Integer.MAX_VALUE, settings.window(), settings.retryAfter());
        sandbox.resetCounters();
        int perMailbox = Math.max(5, settings.capacitySteps() / settings.mailboxes());
        GraphServiceClient graph = clients.sdkDefault(apps.get(0), settings.workers());
        Result r = runTasks("capacity (no limit)", 1, settings.mailboxes(), tasks(perMailbox), graph);
        out.printf(Locale.ROOT, "Machine capacity without limits: %.0f requests/s, mean latency %.1f ms%n",
                r.requestsPerSecond(), r.meanLatencyMillis());
        return r;
    }

    /**
     * What the SDK's RetryHandler makes of a Retry-After value: one GET whose first answer is a 429 with that
     * header (a sandbox fault), timed, and the number of requests the sandbox saw.
     */
    long retryAfterProbe(String retryAfter) throws Exception {
        sandbox.setThrottling(100_000, Integer.MAX_VALUE, settings.window(), settings.retryAfter());
        sandbox.resetCounters();
        String mailbox = mailboxes.get(0);
        sandbox.addFault(io.nexchange.sandbox.FaultRule.status(429).withRetryAfter(retryAfter).forNext(1).forMailbox(mailbox));
        GraphServiceClient graph = clients.sdkDefault(apps.get(0), 1);
        long t0 = System.nanoTime();
        String outcome = "200";
        try {
            new Step(mailbox, Kind.CONTACTS_PAGE, null).run(graph);
        } catch (RuntimeException e) {
            outcome = Tally.kind(e);
        } finally {
            sandbox.clearFaults();
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        out.printf(Locale.ROOT, "SDK RetryHandler, one 429 with Retry-After %-6s -> %s after %d ms, %d requests sent%n",
                retryAfter, outcome, millis, sandbox.counters().mailbox(mailbox));
        return millis;
    }

    /** The stock client and a plain pool of workers. */
    private Result sdkDefault() throws Exception {
        limitSandbox();
        GraphServiceClient graph = clients.sdkDefault(apps.get(0), settings.workers());
        return runTasks("SDK default retry", 1, settings.mailboxes(), tasks(settings.stepsPerKey()), graph);
    }

    private ConcurrentLinkedQueue<List<Step>> tasks(int stepsPerMailbox) {
        // round robin over mailboxes, so the workers spread over them as a sync engine would
        List<List<Step>> perMailbox = new ArrayList<>();
        for (String m : mailboxes) {
            perMailbox.add(steps(m, stepsPerMailbox));
        }
        ConcurrentLinkedQueue<List<Step>> tasks = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < stepsPerMailbox; i += 5) {
            for (List<Step> steps : perMailbox) {
                tasks.add(steps.subList(i, Math.min(i + 5, steps.size())));
            }
        }
        return tasks;
    }

    private List<Step> steps(String mailbox, int count) {
        List<String> ids = eventIds.get(mailbox);
        List<Step> steps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int inTask = i % 5;
            steps.add(inTask == 0 ? new Step(mailbox, Kind.EVENTS_PAGE, null)
                    : inTask == 1 ? new Step(mailbox, Kind.CONTACTS_PAGE, null)
                    : new Step(mailbox, Kind.EVENT, ids.get(i % ids.size())));
        }
        return steps;
    }

    private Result runTasks(String name, int registrations, int keys, ConcurrentLinkedQueue<List<Step>> tasks,
            GraphServiceClient graph) throws Exception {
        long steps = tasks.stream().mapToLong(List::size).sum();
        Tally tally = new Tally();
        Measure measure = Measure.start(this, keys);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < settings.workers(); w++) {
            Thread t = new Thread(() -> {
                List<Step> task;
                while ((task = tasks.poll()) != null && !measure.pastHardDeadline()) {
                    for (Step step : task) {
                        long t0 = System.nanoTime();
                        try {
                            step.run(graph);
                            tally.ok(System.nanoTime() - t0);
                        } catch (RuntimeException e) {
                            tally.error(e);
                        }
                    }
                }
            }, "bench-worker-" + w);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        return measure.finish(name, registrations, keys, steps, tally, tasks.isEmpty());
    }

    /**
     * Through the policy: one ThrottleController for all registrations, one client per registration with the
     * throttling interceptor, and a ReadyQueue that hands a worker only lanes whose key admits a request now.
     * Each (registration, mailbox) key has {@code maxConcurrent} lanes; a lane runs one GET per turn and is then
     * re-offered, so the workers go round robin over the admissible keys and never sleep on a throttled one.
     *
     * @param assigned each mailbox talks only to the registration {@link RegistrationAssignment} gives it
     *     (keys = mailboxes); otherwise every registration works on every mailbox (keys = registrations × mailboxes)
     */
    private Result withPolicy(int registrations, boolean assigned) throws Exception {
        limitSandbox();
        ThrottleLimits limits = ThrottleLimits.OUTLOOK.withBudget(settings.windowRequests(), settings.window())
                .withMaxConcurrent(settings.maxConcurrent());
        ThrottleController policy = new ThrottleController(limits);
        List<AppRegistration> used = apps.subList(0, registrations);
        Map<String, GraphServiceClient> graphByRegistration = new LinkedHashMap<>();
        for (AppRegistration app : used) {
            graphByRegistration.put(app.displayName(), clients.withPolicy(app, policy, app.displayName(),
                    Duration.ofMillis(100), settings.workers()));
        }
        RegistrationAssignment assignment = RegistrationAssignment.of(
                used.stream().map(AppRegistration::displayName).toArray(String[]::new));
        List<Lane> lanes = new ArrayList<>();
        Map<String, Long> mailboxesPerRegistration = new TreeMap<>();
        for (String m : mailboxes) {
            List<String> regs = assigned ? List.of(assignment.assign(m)) : assignment.ranking(m);
            for (String reg : regs) {
                mailboxesPerRegistration.merge(reg, 1L, Long::sum);
                ThrottleKey key = new ThrottleKey(reg, m.toLowerCase(Locale.ROOT));
                ConcurrentLinkedQueue<Step> work = new ConcurrentLinkedQueue<>(steps(m, settings.stepsPerKey()));
                for (int l = 0; l < settings.maxConcurrent(); l++) {
                    lanes.add(new Lane(key, graphByRegistration.get(reg), work));
                }
            }
        }
        int keys = lanes.size() / settings.maxConcurrent();
        String name = "policy, " + registrations + " reg" + (assigned ? " (HRW: 1 reg/mailbox)" : "");
        if (registrations > 1) {
            out.printf(Locale.ROOT, "%s: (registration, mailbox) keys per registration %s%n", name, mailboxesPerRegistration);
        }
        long steps = (long) keys * settings.stepsPerKey();
        AtomicLong remaining = new AtomicLong(steps);
        ReadyQueue<Lane> queue = new ReadyQueue<>(policy, Lane::key);
        lanes.forEach(queue::offer);
        Tally tally = new Tally();
        Measure measure = Measure.start(this, keys);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < settings.workers(); w++) {
            Thread t = new Thread(() -> {
                try {
                    while (remaining.get() > 0 && !measure.pastHardDeadline()) {
                        Optional<Lane> next = queue.poll(Duration.ofMillis(50));
                        if (next.isEmpty()) {
                            continue;
                        }
                        Lane lane = next.get();
                        Step step = lane.pending != null ? lane.pending : lane.work.poll();
                        lane.pending = null;
                        if (step == null) {
                            continue; // this lane's key has no work left: drop the lane
                        }
                        long t0 = System.nanoTime();
                        try {
                            step.run(lane.graph);
                            tally.ok(System.nanoTime() - t0);
                            remaining.decrementAndGet();
                        } catch (ApiException e) {
                            if (e.getResponseStatusCode() == 429) {
                                // local (not sent) or the server's: the policy paused the key; try again when ready
                                tally.deferred.increment();
                                lane.pending = step;
                            } else {
                                tally.error(e);
                                remaining.decrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            tally.error(e);
                            remaining.decrementAndGet();
                        }
                        queue.offer(lane);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-worker-" + w);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        Result result = measure.finish(name, registrations, keys, steps, tally, remaining.get() == 0);
        if (registrations > 1) {
            // the sandbox throttles per (app id, mailbox): each registration's client id has its own count
            RequestCounts c = sandbox.counters();
            Map<String, Long> byApp = new TreeMap<>();
            used.forEach(app -> byApp.put(app.displayName(), c.app(app.clientId())));
            out.printf(Locale.ROOT, "%s: sandbox requests by app id (incl. 1 token request each) %s%n", name, byApp);
        }
        return result;
    }

    private void limitSandbox() {
        // also forgets the windows of the previous run, so every run starts from a full budget
        sandbox.setThrottling(settings.maxConcurrent(), settings.windowRequests(), settings.window(), settings.retryAfter());
        sandbox.resetCounters();
    }

    private static final class Lane {
        final ThrottleKey key;
        final GraphServiceClient graph;
        final ConcurrentLinkedQueue<Step> work;
        /** A step answered 429 (by the server or locally), to be sent again. Only the worker holding the lane touches it. */
        Step pending;

        Lane(ThrottleKey key, GraphServiceClient graph, ConcurrentLinkedQueue<Step> work) {
            this.key = key;
            this.graph = graph;
            this.work = work;
        }

        ThrottleKey key() {
            return key;
        }
    }

    // ---- measuring ----------------------------------------------------------------------------------------

    private static final class Tally {
        final LongAdder ok = new LongAdder();
        final LongAdder okNanos = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder deferred = new LongAdder();
        final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();

        void ok(long nanos) {
            ok.increment();
            okNanos.add(nanos);
        }

        void error(RuntimeException e) {
            errors.increment();
            errorKinds.computeIfAbsent(kind(e), k -> new LongAdder()).increment();
        }

        static String kind(Throwable e) {
            if (e instanceof ApiException api) {
                return e.getClass().getSimpleName() + " " + api.getResponseStatusCode();
            }
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = String.valueOf(root.getMessage());
            return root.getClass().getSimpleName() + ": " + (message.length() > 60 ? message.substring(0, 60) : message);
        }
    }

    /** Reads the sandbox's counters at the start, at {@code k} windows and at the end. */
    private static final class Measure {
        private final GraphThrottleBenchmark bench;
        private final long startNanos;
        private final long hardDeadlineNanos;
        private final ScheduledExecutorService timer;
        private final AtomicReference<long[]> atMeasure = new AtomicReference<>();

        private Measure(GraphThrottleBenchmark bench) {
            this.bench = bench;
            Duration measured = bench.settings.window().multipliedBy(bench.settings.measuredWindows());
            this.startNanos = System.nanoTime();
            // a run that is this late has a problem worth reporting rather than waiting for
            this.hardDeadlineNanos = startNanos + measured.multipliedBy(6).plusSeconds(30).toNanos();
            this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-measure");
                t.setDaemon(true);
                return t;
            });
            timer.schedule(() -> atMeasure.set(bench.admittedAndThrottled()), measured.toNanos(), TimeUnit.NANOSECONDS);
        }

        static Measure start(GraphThrottleBenchmark bench, int keys) {
            return new Measure(bench);
        }

        boolean pastHardDeadline() {
            return System.nanoTime() - hardDeadlineNanos > 0;
        }

        Result finish(String name, int registrations, int keys, long steps, Tally tally, boolean completed) {
            Duration total = Duration.ofNanos(System.nanoTime() - startNanos);
            timer.shutdownNow();
            long[] end = bench.admittedAndThrottled();
            long[] measured = atMeasure.get();
            // finished before the measuring point: everything it sent counts
            long admittedInMeasure = measured != null ? measured[0] : end[0];
            Settings s = bench.settings;
            long allowed = (long) keys * s.windowRequests() * s.measuredWindows();
            long ok = tally.ok.sum();
            Map<String, Long> kinds = new TreeMap<>();
            tally.errorKinds.forEach((k, v) -> kinds.put(k, v.sum()));
            Result r = new Result(name, registrations, keys, steps, end[0] + end[1], end[1], tally.errors.sum(),
                    tally.deferred.sum(), admittedInMeasure, allowed, total, ok == 0 ? 0 : tally.okNanos.sum() / 1e6 / ok,
                    kinds, completed);
            bench.out.printf(Locale.ROOT, "%-38s sent %6d, 429 %5d (%.2f %%), errors %d %s, deferred %d, admitted in %d windows"
                    + " %d of %d (%.1f %%), %.1f s, %.1f req/s, mean latency %.1f ms%s%n",
                    name, r.sent(), r.throttled(), 100 * r.throttledShare(), r.errors(), kinds.isEmpty() ? "" : kinds,
                    r.deferred(), s.measuredWindows(), admittedInMeasure, allowed, 100 * r.shareOfAllowed(),
                    total.toNanos() / 1e9, r.requestsPerSecond(), r.meanLatencyMillis(), completed ? "" : " INCOMPLETE");
            return r;
        }
    }

    /** Requests to the workload's mailboxes the sandbox admitted and throttled since the last reset. */
    private long[] admittedAndThrottled() {
        RequestCounts c = sandbox.counters();
        long all = 0;
        long throttled = 0;
        for (String m : mailboxes) {
            all += c.mailbox(m);
            throttled += c.throttledByMailbox().getOrDefault(m.toLowerCase(Locale.ROOT), 0L);
        }
        return new long[] {all - throttled, throttled};
    }

    // ---- report -------------------------------------------------------------------------------------------

    private void printTable(List<Result> results) {
        Settings s = settings;
        double machine = results.stream().filter(r -> r.variant().startsWith("capacity")).mapToDouble(Result::requestsPerSecond)
                .findFirst().orElse(Double.POSITIVE_INFINITY);
        double perKey = s.windowRequests() / (double) s.window().toNanos() * 1e9;
        out.println();
        out.printf(Locale.ROOT, "Allowed per (app, mailbox): %d / %d s = %.1f req/s; concurrency bound per key: %d / mean latency%n",
                s.windowRequests(), s.window().toSeconds(), perKey, s.maxConcurrent());
        out.printf(Locale.ROOT, "%-38s %4s %6s %6s %7s %7s %9s %7s %7s %8s %8s %-16s%n", "variant", "keys", "steps", "sent", "429",
                "429 %", "of allowed", "errors", "time s", "req/s", "allowed", "binding limit");
        for (Result r : results) {
            boolean unlimited = r.variant().startsWith("capacity");
            double windowBound = r.keys() * perKey;
            // what 4 concurrent per key would allow at the measured latency, and what the workers would
            double concurrencyBound = r.meanLatencyMillis() == 0 ? Double.POSITIVE_INFINITY
                    : r.keys() * s.maxConcurrent() * 1000.0 / r.meanLatencyMillis();
            double workerBound = r.meanLatencyMillis() == 0 ? Double.POSITIVE_INFINITY
                    : s.workers() * 1000.0 / r.meanLatencyMillis();
            double bound = Math.min(Math.min(windowBound, machine), Math.min(concurrencyBound, workerBound));
            String binding = unlimited || bound == machine ? "machine"
                    : bound == windowBound ? "window"
                    : bound == concurrencyBound ? "concurrency" : "workers";
            out.printf(Locale.ROOT, "%-38s %4d %6d %6d %7d %6.2f%% %9s %7d %7.1f %8.1f %8s %-16s%s%n",
                    r.variant(), r.keys(), r.steps(), r.sent(), r.throttled(), 100 * r.throttledShare(),
                    unlimited ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * r.shareOfAllowed()), r.errors(),
                    r.total().toNanos() / 1e9, r.requestsPerSecond(),
                    unlimited ? "-" : String.format(Locale.ROOT, "%.1f", bound),
                    binding, r.completed() ? "" : " INCOMPLETE");
        }
        out.println("sent/429 = the sandbox's counters for the workload's mailboxes; 'of allowed' = admitted requests in the first "
                + s.measuredWindows() + " windows / (keys x budget x " + s.measuredWindows() + ");");
        out.println("req/s = admitted / total time (above 'allowed' because the first window's budget is there at once);"
                + " allowed = min(window budget, 4 concurrent per key, workers, machine) in req/s at the measured latency");
    }

    // ---- command line -------------------------------------------------------------------------------------

    /**
     * {@code [--smoke] [--mailboxes N] [--workers N] [--window-requests N] [--window-seconds N] [--windows K]
     * [--registrations 1,2,4] [--retry-after S] [--no-sdk] [--no-assigned] [--capacity-steps N]}.
     */
    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        Settings s = a.contains("--smoke") ? Settings.smoke() : Settings.full();
        int mailboxes = intArg(a, "--mailboxes", s.mailboxes());
        int workers = intArg(a, "--workers", s.workers());
        int windowRequests = intArg(a, "--window-requests", s.windowRequests());
        Duration window = Duration.ofSeconds(intArg(a, "--window-seconds", (int) s.window().toSeconds()));
        int windows = intArg(a, "--windows", s.measuredWindows());
        String regs = stringArg(a, "--registrations", s.registrationCounts().stream().map(String::valueOf).collect(Collectors.joining(",")));
        List<Integer> registrations = Arrays.stream(regs.split(",")).map(String::trim).map(Integer::valueOf).toList();
        String retryAfter = stringArg(a, "--retry-after", s.retryAfter());
        int capacity = intArg(a, "--capacity-steps", s.capacitySteps());
        Settings chosen = new Settings(mailboxes, workers, windowRequests, window, s.maxConcurrent(), retryAfter, windows,
                registrations, !a.contains("--no-sdk"), !a.contains("--no-assigned"), capacity,
                s.retryAfterProbes());
        out(System.out, "Java " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        run(chosen, System.out);
    }

    private static void out(PrintStream out, String line) {
        out.println(line);
    }

    private static int intArg(List<String> args, String name, int fallback) {
        return Integer.parseInt(stringArg(args, name, Integer.toString(fallback)));
    }

    private static String stringArg(List<String> args, String name, String fallback) {
        int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
    }

    static {
        // The SDK's and msal4j's INFO lines would drown the figures.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    }
}
