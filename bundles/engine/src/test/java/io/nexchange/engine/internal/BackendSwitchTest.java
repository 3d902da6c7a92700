package io.nexchange.engine.internal;

import static io.nexchange.engine.internal.MemoryStore.ics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.state.Side;
import io.nexchange.api.state.SyncPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Backend per mailbox: the configured rules and their precedence, and nexchange:switch over in-memory stores. */
class BackendSwitchTest {
    static final String[] NONE = new String[0];

    static Routing routing(String defaultBackend, String[] overrides, String[] groups, String[] waves, String[] domains,
            Map<String, Object> definitions) {
        SyncEngineConfiguration c = new SyncEngineConfiguration() {
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return SyncEngineConfiguration.class; }
            @Override public int threads() { return 2; }
            @Override public long intervalSeconds() { return 300; }
            @Override public long initialDelaySeconds() { return 10; }
            @Override public String direction() { return "exchange-to-nextcloud"; }
            @Override public String direction_calendar() { return ""; }
            @Override public String direction_contacts() { return ""; }
            @Override public String conflictPolicy() { return "exchange-wins"; }
            @Override public String conflictPolicy_calendar() { return ""; }
            @Override public String conflictPolicy_contacts() { return ""; }
            @Override public int conflictRetentionDays() { return 90; }
            @Override public int conflictsKeptPerPair() { return 200; }
            @Override public double deletionGuardShare() { return 0.5; }
            @Override public int deletionGuardMinimumItems() { return 10; }
            @Override public int commitBatchSize() { return 50; }
            @Override public String backend_default() { return defaultBackend; }
            @Override public String[] backend_override() { return overrides; }
            @Override public String[] backend_group() { return groups; }
            @Override public String[] backend_wave() { return waves; }
            @Override public String[] backend_domain() { return domains; }
            @Override public String nextcloudBackend() { return "vdir"; }
            @Override public String calendarName() { return ""; }
            @Override public String addressBookName() { return ""; }
            @Override public String[] kinds() { return new String[] {"calendar", "contacts"}; }
            @Override public long leaseSeconds() { return 900; }
            @Override public String instanceId() { return ""; }
            @Override public long progressSeconds() { return 5; }
            @Override public boolean scheduled() { return false; }
            @Override public boolean routing_automatic() { return true; }
            @Override public int routing_automaticRetryMinutes() { return 60; }
        };
        return Routing.of(c, definitions);
    }

    @Test
    void theMostSpecificConfiguredRuleWinsMailboxGroupWaveDomainDefault() {
        Routing r = routing("ews", new String[] {"dave@sales.example.org:ews"}, new String[] {"legal:ews"},
                new String[] {"1:graph"}, new String[] {"it.example.org:graph"},
                Map.of("group.legal", "carol@sales.example.org, *@legal.example.org",
                        "wave.1", new String[] {"*@sales.example.org", "bob@example.org"}, "unrelated", "x"));
        assertEquals(new Routing.Route("ews", "backend.override"), r.route("Dave@Sales.example.org"));
        assertEquals(new Routing.Route("ews", "backend.group legal"), r.route("carol@sales.example.org"),
                "the group beats the wave the mailbox is also in");
        assertEquals(new Routing.Route("graph", "backend.wave 1"), r.route("erin@sales.example.org"));
        assertEquals(new Routing.Route("graph", "backend.wave 1"), r.route("bob@example.org"));
        assertEquals(new Routing.Route("graph", "backend.domain it.example.org"), r.route("frank@it.example.org"));
        assertEquals(new Routing.Route("ews", "backend.default"), r.route("gina@example.org"));
        assertEquals(new Routing.Route("ews", "backend.default"), r.route("x@sales.example.org.evil"),
                "a pattern matches the whole address");
    }

    @Test
    void badRulesNameTheSettingToFix() {
        String missing = assertThrows(IllegalArgumentException.class, () -> routing("graph", NONE, new String[] {"legal:ews"},
                NONE, NONE, Map.of())).getMessage();
        assertTrue(missing.contains("group.legal"), missing);
        String badWave = assertThrows(IllegalArgumentException.class, () -> routing("graph", NONE, NONE, new String[] {"1:graph"},
                NONE, Map.of("wave.1", "sales.example.org"))).getMessage();
        assertTrue(badWave.contains("wave.1") && badWave.contains("sales.example.org"), badWave);
        String badEntry = assertThrows(IllegalArgumentException.class, () -> routing("graph", NONE, NONE, NONE,
                new String[] {"sales.example.org"}, Map.of())).getMessage();
        assertTrue(badEntry.contains("backend.domain"), badEntry);
    }

    @Test
    void switchingWaveThenAllToGraphWritesNothingKeepsStateAndOutlivesARestart() throws Exception {
        SyncSchedulerTest rig = new SyncSchedulerTest();
        List<String> mailboxes = List.of("alice@sales.example.org", "bob@example.org", "carol@example.org");
        Routing routing = routing("ews", NONE, NONE, NONE, NONE, Map.of("wave.1", "*@sales.example.org, bob@example.org"));
        for (String smtp : mailboxes) {
            rig.map(smtp, smtp.substring(0, smtp.indexOf('@')));
            MemoryStore.Collection onEws = rig.calendar(rig.ews, smtp);
            MemoryStore.Collection onGraph = rig.calendar(rig.graph, smtp);
            for (int i = 0; i < 12; i++) { // the same mailbox seen by both backends
                onEws.put(smtp + i, ics(smtp + i, "event " + i));
                onGraph.put(smtp + i, ics(smtp + i, "event " + i));
            }
        }
        try {
            List<MailboxResult> first = rig.scheduler(routing, mailboxes.toArray(String[]::new)).cycle(false).get(30, TimeUnit.SECONDS);
            assertTrue(first.stream().allMatch(r -> r.exchangeBackend().equals("ews") && r.writes() == 12), first.toString());
            SwitchCommand command = new SwitchCommand(rig.control());

            String out = command.run("--wave", "1", "graph");
            assertTrue(out.contains("Switched --wave 1 to graph: 2 of 3 mailboxes in scope, 2 change backend"), out);
            assertTrue(out.contains("alice@sales.example.org  ews -> graph") && !out.contains("carol"), out);
            List<MailboxResult> second = rig.scheduler.cycle(false).get(30, TimeUnit.SECONDS);
            assertEquals(Map.of("alice@sales.example.org", "graph", "bob@example.org", "graph", "carol@example.org", "ews"),
                    backends(second));
            assertTrue(second.stream().allMatch(r -> r.state() == MailboxResult.State.OK && r.writes() == 0), second.toString());
            SyncPair alice = new SyncPair("alice@sales.example.org", CollectionKind.CALENDAR, MailboxSync.EXCHANGE_DEFAULT,
                    "alice@sales.example.org/CALENDAR/Exchange");
            assertTrue(rig.state.cursor(alice, Side.EXCHANGE).value().startsWith("graph|"), "the cursor was re-initialised");
            assertEquals(12, rig.state.status(alice).size(), "the status rows were kept");

            // a restart: a new scheduler and router over the same state database keep the switch
            rig.scheduler.close();
            rig.scheduler(routing, mailboxes.toArray(String[]::new));
            out = new SwitchCommand(rig.control()).run("--all", "graph");
            assertTrue(out.contains("3 of 3 mailboxes in scope, 1 change backend"), out);
            rig.graph.collections.get("carol@example.org/CALENDAR/default").put("carol@example.org3", ics("carol@example.org3", "edited"));
            rig.ews.collections.get("carol@example.org/CALENDAR/default").put("carol@example.org3", ics("carol@example.org3", "edited"));
            List<MailboxResult> third = rig.scheduler.cycle(false).get(30, TimeUnit.SECONDS);
            assertEquals(Map.of("alice@sales.example.org", "graph", "bob@example.org", "graph", "carol@example.org", "graph"),
                    backends(third));
            assertEquals(1, third.stream().mapToInt(MailboxResult::writes).sum(), "only the edit made during the switch: " + third);

            String overview = new SwitchCommand(rig.control()).run();
            assertTrue(overview.contains("--all -> graph") && !overview.contains("--wave 1 -> graph"),
                    "--all superseded the wave's switch: " + overview);
            assertTrue(overview.matches("(?s).*carol@example.org\\s+graph\\s+nexchange:switch --all graph at .*"), overview);
        } finally {
            rig.tearDown();
        }
    }

    @Test
    void aSwitchToAnUnknownGroupOrBackendIsRefusedWithTheFix() throws Exception {
        SyncSchedulerTest rig = new SyncSchedulerTest();
        try {
            rig.scheduler(routing("ews", NONE, NONE, NONE, NONE, Map.of("group.legal", "*@legal.example.org")), "a@example.org");
            SwitchCommand command = new SwitchCommand(rig.control());
            String out = command.run("--group", "sales", "graph");
            assertTrue(out.startsWith("not switched: no group 'sales'") && out.contains("group.sales =")
                    && out.contains("defined groups: legal"), out);
            out = command.run("--all", "grpah");
            assertTrue(out.startsWith("not switched: no Exchange backend 'grpah'"), out);
            assertTrue(command.run("--all").startsWith("usage:"));
            assertTrue(command.run("--domain", "Example.ORG", "graph").contains("1 of 1 mailboxes in scope"));
            assertEquals("graph", rig.router.route("a@example.org").backend());
            command.run("--clear");
            assertEquals(new Routing.Route("ews", "backend.default"), rig.router.route("a@example.org"));
        } finally {
            rig.tearDown();
        }
    }

    private static Map<String, String> backends(List<MailboxResult> results) {
        Map<String, String> out = new java.util.TreeMap<>();
        results.forEach(r -> out.put(r.mailbox(), r.exchangeBackend()));
        return out;
    }
}
