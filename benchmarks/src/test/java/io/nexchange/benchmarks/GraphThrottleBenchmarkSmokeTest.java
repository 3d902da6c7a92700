package io.nexchange.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the benchmark harness in a tiny configuration (2 mailboxes, budget 12 per 1 s window, 2 windows) so it
 * cannot rot. It checks that every variant ran to the end and that the figures are the sandbox's, not that they
 * are good: the full benchmark is run by hand (see README).
 */
class GraphThrottleBenchmarkSmokeTest {

    @Test
    void tinyRunProducesFiguresForEveryVariant() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        List<GraphThrottleBenchmark.Result> results = GraphThrottleBenchmark.run(GraphThrottleBenchmark.Settings.smoke(), out);
        String printed = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(printed);

        List<String> variants = results.stream().map(GraphThrottleBenchmark.Result::variant).toList();
        assertEquals(List.of("capacity (no limit)", "policy, 1 reg", "SDK default retry", "policy, 2 reg",
                "policy, 2 reg (HRW: 1 reg/mailbox)"), variants);
        for (GraphThrottleBenchmark.Result r : results) {
            assertTrue(r.completed(), r.variant() + " did not finish its workload");
            // the sandbox saw at least the workload (more with 429s and retries)
            assertTrue(r.sent() >= r.steps() - r.errors(), r.variant() + ": sandbox counted " + r.sent() + " of " + r.steps());
        }
        GraphThrottleBenchmark.Result policy = results.get(1);
        assertEquals(0, policy.errors(), "the policy variant surfaces no errors: " + policy.errorKinds());
        assertTrue(policy.admittedInMeasure() <= policy.allowedInMeasure(), "the sandbox admits no more than its budget");
        GraphThrottleBenchmark.Result twoSpread = results.get(3);
        assertEquals(2 * policy.keys(), twoSpread.keys(), "two registrations on every mailbox double the keys");
        assertTrue(printed.contains("binding limit"), printed);
        assertTrue(printed.contains("SDK RetryHandler, one 429 with Retry-After 0.3"), printed);
    }
}
