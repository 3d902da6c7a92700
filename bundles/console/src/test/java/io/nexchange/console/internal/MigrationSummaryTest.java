package io.nexchange.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.engine.control.MailboxView;
import io.nexchange.engine.control.MigrationView;
import io.nexchange.engine.control.ShadowView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The migration page's figures per wave, and whom a switch selector takes in. */
class MigrationSummaryTest {
    static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    static MigrationView.RouteView route(String smtp, String backend, List<String> waves, List<String> groups) {
        return new MigrationView.RouteView(smtp, backend, "backend.default", false, waves, groups);
    }

    static MailboxView run(String smtp, String state) {
        return new MailboxView(smtp, state, false, "ews", Optional.of(AT), Optional.of(AT), 0, 0, "", List.of(), List.of());
    }

    @Test
    void perWaveCountsByNextBackendNotOkAndShadowReads() {
        MigrationView migration = new MigrationView(Set.of("ews", "graph"), "ews", "Exchange backend ews", true,
                List.of(new MigrationView.MailboxSet("1", List.of("*@sales.example.org"), ""),
                        new MigrationView.MailboxSet("2", List.of("*@example.org"), "graph")),
                List.of(), List.of(), List.of(
                        route("a@sales.example.org", "graph", List.of("1"), List.of()),
                        route("b@sales.example.org", "ews", List.of("1"), List.of()),
                        route("c@example.org", "graph", List.of("2"), List.of("legal")),
                        route("d@other.example", "ews", List.of(), List.of())),
                List.of(new ShadowView("b@sales.example.org", "ews", "graph", AT, 2, "2 items differ", "", ""),
                        new ShadowView("a@sales.example.org", "graph", "ews", AT, 0, "the same", "", "")));
        MigrationSummary summary = new MigrationSummary(migration, List.of(run("a@sales.example.org", "OK"),
                run("b@sales.example.org", "FAILED"), run("c@example.org", "OK")));
        assertEquals(List.of("1", "2", MigrationSummary.NO_WAVE), summary.waves.stream().map(MigrationSummary.Wave::name).toList());
        MigrationSummary.Wave one = summary.waves.get(0);
        assertEquals(new MigrationSummary.Wave("1", List.of("*@sales.example.org"), "", 2, Map.of("ews", 1, "graph", 1), 1, 2, 1), one);
        assertEquals("graph", summary.waves.get(1).configuredBackend());
        assertEquals(1, summary.waves.get(2).mailboxes(), "d@ is in no wave");
        assertEquals(Map.of("ews", 2, "graph", 2), summary.byBackend);
        assertEquals(Set.of("ews", "graph"), summary.backends);
    }

    @Test
    void aSelectorTakesInWhatTheEngineWould() {
        MigrationView.RouteView c = route("Carol@Example.org", "ews", List.of("2"), List.of("legal"));
        assertTrue(MigrationSummary.takes("--all", c));
        assertTrue(MigrationSummary.takes("carol@example.org", c));
        assertTrue(MigrationSummary.takes("--wave 2", c));
        assertTrue(MigrationSummary.takes("--group legal", c));
        assertTrue(MigrationSummary.takes("--domain EXAMPLE.org", c));
        assertFalse(MigrationSummary.takes("--wave 1", c));
        assertFalse(MigrationSummary.takes("--domain ample.org", c));
        assertFalse(MigrationSummary.takes("--wave", c));
        assertFalse(MigrationSummary.takes("bob@example.org", c));
    }
}
