package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.engine.control.MigrationView;
import io.nexchange.engine.control.ShadowView;
import io.nexchange.engine.control.SwitchOutcome;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The migration as the console sees it (EngineControl 1.1): waves and routes, a switch of a wave, a shadow read. */
class MigrationControlTest {
    @Test
    void theViewShowsWavesAndRoutesAndTheConsoleSwitchesAWaveAndShadowReadsAMailbox() throws Exception {
        SyncSchedulerTest rig = new SyncSchedulerTest();
        List<String> mailboxes = List.of("alice@sales.example.org", "bob@example.org", "carol@example.org");
        Routing routing = BackendSwitchTest.routing("ews", BackendSwitchTest.NONE, BackendSwitchTest.NONE, BackendSwitchTest.NONE,
                BackendSwitchTest.NONE, Map.of("wave.1", "*@sales.example.org, bob@example.org", "group.legal", "carol@example.org"));
        for (String smtp : mailboxes) {
            rig.map(smtp, smtp.substring(0, smtp.indexOf('@')));
            for (int i = 0; i < 3; i++) {
                rig.calendar(rig.ews, smtp).put(smtp + i, ics(smtp + i, "event " + i));
                rig.calendar(rig.graph, smtp).put(smtp + i, ics(smtp + i, i == 1 && smtp.startsWith("bob") ? "Graph's view" : "event " + i));
            }
        }
        try {
            rig.scheduler(routing, mailboxes.toArray(String[]::new)).cycle(false).get(30, TimeUnit.SECONDS);
            EngineControlService control = new EngineControlService(rig.control());

            MigrationView before = control.migration();
            assertEquals("ews", before.defaultBackend());
            assertEquals(List.of(new MigrationView.MailboxSet("1", List.of("*@sales.example.org", "bob@example.org"), "")),
                    before.waves());
            assertEquals("legal", before.groups().get(0).name());
            assertEquals(List.of(new MigrationView.RouteView("alice@sales.example.org", "ews", "backend.default", false, List.of("1"),
                    List.of()), new MigrationView.RouteView("bob@example.org", "ews", "backend.default", false, List.of("1"), List.of()),
                    new MigrationView.RouteView("carol@example.org", "ews", "backend.default", false, List.of(), List.of("legal"))),
                    before.mailboxes());
            assertTrue(before.switches().isEmpty() && before.shadowReads().isEmpty());

            SwitchOutcome wave = control.switchBackend("--wave 1", "Graph");
            assertEquals(new SwitchOutcome("--wave 1", "graph", List.of("alice@sales.example.org", "bob@example.org"), 2,
                    wave.report()), wave);
            assertTrue(wave.report().contains("bob@example.org  ews -> graph"), wave.report());
            MigrationView after = control.migration();
            assertEquals(List.of("graph", "graph", "ews"), after.mailboxes().stream().map(MigrationView.RouteView::backend).toList());
            assertTrue(after.mailboxes().get(0).because().startsWith("nexchange:switch --wave 1 graph at "), after.toString());
            assertEquals("--wave 1", after.switches().get(0).selector());

            ShadowView shadow = control.shadowRead("Bob@example.org").get(30, TimeUnit.SECONDS);
            assertEquals(1, shadow.differences(), shadow.report());
            assertEquals("graph", shadow.primary());
            assertTrue(shadow.report().contains("VCALENDAR/VEVENT/SUMMARY: 'Graph's view' vs 'event 1'"), shadow.report());
            assertEquals(List.of(shadow), control.migration().shadowReads());
            Map<String, Object> status = ShadowData.data(rig.control().shadowReader().reports());
            assertEquals(1, status.get("count"));
            assertEquals(1L, status.get("differing"));
            assertTrue(String.valueOf(status.get("mailboxes")).contains("differences=1"), status.toString());

            String bad = assertThrows(IllegalArgumentException.class, () -> control.switchBackend("--wave 9", "graph")).getMessage();
            assertTrue(bad.contains("no wave '9'") && bad.contains("wave.9 ="), bad);
            assertThrows(IllegalArgumentException.class, () -> control.switchBackend("--wave", "graph"));
            String unknown = assertThrows(IllegalArgumentException.class, () -> control.switchBackend("--all", "imap")).getMessage();
            assertTrue(unknown.contains("no Exchange backend 'imap'"), unknown);
            java.util.concurrent.ExecutionException notInScope = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> control.shadowRead("nobody@example.org").get(30, TimeUnit.SECONDS));
            assertTrue(notInScope.getCause().getMessage().contains("not in the mailbox directory's scope"), notInScope.getMessage());
            control.deactivate();
        } finally {
            rig.tearDown();
        }
    }
}
