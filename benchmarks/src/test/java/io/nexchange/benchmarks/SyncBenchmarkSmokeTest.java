package io.nexchange.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import io.nexchange.testing.nextcloud.NextcloudExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the sync benchmark in a tiny configuration (2 mailboxes, 20 events and 10 contacts each) so it cannot rot. It
 * checks that the figures come from a sync that happened, not that they are good: the full benchmark is run by hand
 * (see README).
 */
class SyncBenchmarkSmokeTest {

    @Test
    void tinyRunSyncsBothKindsWritesNothingWhenIdleAndMeasuresTheRawRate() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        SyncBenchmark.Figures f = SyncBenchmark.run(SyncBenchmark.Settings.smoke(), out);
        String printed = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(printed);

        SyncBenchmark.Cycle initial = f.initial();
        assertEquals(2, initial.mailboxesOk(), initial.problems().toString());
        assertTrue(initial.calendarItems() > 0 && initial.contactItems() > 0, printed);
        assertTrue(initial.graphRequests() > 0, printed);
        assertTrue(initial.davWrites() >= initial.items(), "every item is a DAV write: " + printed);
        assertEquals(0, f.idle().items(), printed);
        assertEquals(0, f.idle().davWrites(), "an idle cycle writes nothing to Radicale: " + f.idle().davByMethod());
        assertTrue(f.idle().graphRequests() > 0, "an idle cycle still asks Graph for changes");
        // the raw client PUT exactly the resources the sync wrote, and all succeeded
        for (SyncBenchmark.RawRate raw : new SyncBenchmark.RawRate[] {f.sequential(), f.parallel()}) {
            assertEquals(initial.items(), raw.items(), printed);
            assertEquals(0, raw.failures(), printed);
        }
        assertTrue(f.peakHeapSampled() > 0);
        assertTrue(printed.contains("our sync = "), printed);
    }

    /** The Nextcloud variant (issue 11), as tiny: an idle cycle is one sync-collection REPORT per collection and nothing else. */
    @Test
    @ExtendWith(NextcloudExtension.class)
    void tinyRunIntoNextcloudComparesWithASequentialRawPut() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        SyncBenchmark.Figures f = SyncBenchmark.run(SyncBenchmark.Settings.smoke().intoNextcloud(),
                new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String printed = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertEquals(2, f.initial().mailboxesOk(), f.initial().problems().toString());
        assertTrue(f.initial().calendarItems() > 0 && f.initial().contactItems() > 0, printed);
        assertEquals(java.util.Map.of("REPORT", 4L), f.idle().davByMethod(), "two collections per mailbox, one REPORT each: " + printed);
        for (SyncBenchmark.RawRate raw : new SyncBenchmark.RawRate[] {f.sequential(), f.sequentialSession()}) {
            assertEquals(f.initial().items(), raw.items(), printed);
            assertEquals(0, raw.failures(), printed);
        }
        assertTrue(printed.contains("our sync = "), printed);
    }
}
