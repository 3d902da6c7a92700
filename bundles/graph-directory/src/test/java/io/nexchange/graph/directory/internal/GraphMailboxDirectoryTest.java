package io.nexchange.graph.directory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.Mailbox;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.graph.client.testing.SandboxGraph;
import io.nexchange.sandbox.AppRegistration;
import io.nexchange.sandbox.SandboxGroup;
import io.nexchange.sandbox.SandboxOptions;
import io.nexchange.sandbox.SandboxServer;
import io.nexchange.throttling.internal.ThrottleLimits;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mailbox directory (filters, skipped users, group limit, missing permissions), against the sandbox's groups through the real GraphClients. */
class GraphMailboxDirectoryTest {

    private static final String TRANSITIVE_USERS = "GET /groups/{id}/transitiveMembers/graph.user";
    private static SandboxServer sandbox;
    private static SandboxGraph env;

    @BeforeAll
    static void start() throws Exception {
        sandbox = SandboxServer.start(SandboxOptions.defaults().users(20).eventsPerMailbox(0).contactsPerMailbox(0).seed(11));
        env = new SandboxGraph(sandbox, ThrottleLimits.OUTLOOK);
    }

    @AfterAll
    static void stop() {
        if (env != null) {
            env.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static GraphMailboxDirectory directory(String group, int pageSize) {
        return new GraphMailboxDirectory(env.clients, SandboxGraph.REGISTRATION, Set.of(), Set.of(), Set.of(), group, pageSize);
    }

    private static List<String> smtp(List<Mailbox> mailboxes) {
        return mailboxes.stream().map(Mailbox::primarySmtp).toList();
    }

    /** Enabled mailboxes among the group's transitive members, as the directory should list them. */
    private static List<String> expectedMailboxes(SandboxGroup group) {
        return sandbox.mailboxes().stream().filter(group.transitiveMemberUpns()::contains).map(m -> m.toLowerCase(Locale.ROOT))
                .sorted().toList();
    }

    @Test
    void nestedGroupByNameKeepsOnlyItsMembersAcrossPages() throws Exception {
        SandboxGroup pilot = sandbox.group("Nexchange Pilot");
        assertFalse(pilot.memberGroupIds().isEmpty(), "the pilot group nests groups");
        List<String> expected = expectedMailboxes(pilot);
        assertTrue(expected.size() >= 3 && expected.size() < sandbox.mailboxes().size(), expected.toString());

        sandbox.resetCounters();
        GraphMailboxDirectory directory = directory("Nexchange Pilot", 2);
        List<Mailbox> mailboxes = directory.mailboxes();
        assertEquals(expected, smtp(mailboxes));
        for (Mailbox m : mailboxes) {
            assertEquals(sandbox.userId(m.primarySmtp()), m.id());
        }
        int members = pilot.transitiveMemberUpns().size();
        assertEquals((members + 1) / 2, sandbox.counters().endpoint(TRANSITIVE_USERS), "one request per page of 2 members");

        GraphMailboxDirectory.Report report = directory.lastReport();
        assertEquals("'Nexchange Pilot' (" + pilot.id() + ")", report.group());
        int allUsers = sandbox.mailboxes().size() + sandbox.usersWithoutMailbox().size() + sandbox.disabledUsers().size();
        assertEquals(allUsers - members, report.outsideGroup().size());
        // members reached through nested groups are still skipped as before: no mailbox, disabled
        Set<String> skippedMembers = new TreeSet<>(report.withoutMail());
        skippedMembers.addAll(report.disabled());
        Set<String> expectedSkips = new TreeSet<>(pilot.transitiveMemberUpns());
        expectedSkips.removeIf(sandbox.mailboxes()::contains);
        assertEquals(expectedSkips, skippedMembers);
        assertTrue(report.withoutMail().stream().anyMatch(sandbox.usersWithoutMailbox()::contains), report.toString());
        assertTrue(report.outsideGroup().stream().noneMatch(pilot.transitiveMemberUpns()::contains));
    }

    @Test
    void groupByMailOrObjectIdGivesTheSameMailboxesAndFiltersStillApply() throws Exception {
        SandboxGroup sales = sandbox.group("Sales");
        List<String> expected = expectedMailboxes(sales);
        assertEquals(expected, smtp(directory(sales.mail().toUpperCase(Locale.ROOT), 999).mailboxes()));
        assertEquals(expected, smtp(directory(sales.id(), 999).mailboxes()));
        assertEquals(expected, smtp(directory("sales", 999).mailboxes()), "display names compare without case");

        String excluded = expected.get(0);
        GraphMailboxDirectory filtered = new GraphMailboxDirectory(env.clients, SandboxGraph.REGISTRATION, Set.of(), Set.of(),
                Set.of(excluded), "Sales", 999);
        assertEquals(expected.subList(1, expected.size()), smtp(filtered.mailboxes()));
        assertEquals(List.of(excluded), filtered.lastReport().filteredOut());
        assertEquals(List.of(), smtp(new GraphMailboxDirectory(env.clients, SandboxGraph.REGISTRATION, Set.of("other.example"),
                Set.of(), Set.of(), "Sales", 999).mailboxes()));
        // no group: everyone, as before
        assertEquals(sandbox.mailboxes().size(), directory("", 999).mailboxes().size());
        assertEquals("", directory("  ", 999).lastReport().group());
    }

    @Test
    void membershipIsReadAgainAtEveryListing() throws Exception {
        SandboxGroup engineering = sandbox.group("Engineering");
        String newcomer = sandbox.mailboxes().stream().filter(m -> !engineering.transitiveMemberUpns().contains(m)).findFirst().orElseThrow();
        GraphMailboxDirectory directory = directory("Engineering", 999);
        assertFalse(smtp(directory.mailboxes()).contains(newcomer.toLowerCase(Locale.ROOT)));
        sandbox.addGroupMember(engineering.id(), newcomer);
        try {
            assertTrue(smtp(directory.mailboxes()).contains(newcomer.toLowerCase(Locale.ROOT)));
        } finally {
            sandbox.removeGroupMember(engineering.id(), newcomer);
        }
        assertFalse(smtp(directory.mailboxes()).contains(newcomer.toLowerCase(Locale.ROOT)));
    }

    @Test
    void anEmptyGroupSelectsNoMailbox() throws Exception {
        GraphMailboxDirectory directory = directory("Former Employees", 999);
        assertEquals(List.of(), directory.mailboxes());
        assertEquals(directory.lastReport().users(), directory.lastReport().outsideGroup().size());
    }

    @Test
    void anUnknownGroupNamesTheSetting() {
        for (String group : List.of("Nobody Here", "nobody@" + sandbox.tenantDomain(), "00000000-0000-4000-8000-000000000000", "O'Brien's team")) {
            DirectoryException e = assertThrows(DirectoryException.class, () -> directory(group, 999).mailboxes());
            assertTrue(e.getMessage().contains("no group '" + group + "' in the tenant (setting group of io.nexchange.graph.directory"),
                    e.getMessage());
        }
    }

    @Test
    void aMissingGroupPermissionNamesItAndTheConsent() throws Exception {
        AppRegistration noGroups = sandbox.registerApp(AppRegistration.builder("no group permission")
                .clientSecret("not-a-real-secret-" + System.nanoTime())
                .roles(Set.of("Calendars.ReadWrite", "Contacts.ReadWrite", "User.Read.All")).build());
        env.addRegistration("no-groups", noGroups);
        DirectoryException e = assertThrows(DirectoryException.class, () -> new GraphMailboxDirectory(env.clients, "no-groups",
                Set.of(), Set.of(), Set.of(), "Sales", 999).mailboxes());
        assertTrue(e.getMessage().contains("403") && e.getMessage().contains("GroupMember.Read.All")
                && e.getMessage().contains("Grant admin consent"), e.getMessage());
        // without a group setting the same app lists every mailbox
        assertEquals(sandbox.mailboxes().size(), new GraphMailboxDirectory(env.clients, "no-groups", Set.of(), Set.of(), Set.of())
                .mailboxes().size());
    }

    @Test
    void directoryListsEnabledMailboxesWithFiltersAndReportsWhatItSkipped() throws Exception {
        GraphMailboxDirectory all = new GraphMailboxDirectory(env.clients, SandboxGraph.REGISTRATION, Set.of(), Set.of(), Set.of());
        List<Mailbox> mailboxes = all.mailboxes();
        assertEquals(sandbox.mailboxes().stream().map(m -> m.toLowerCase(Locale.ROOT)).sorted().toList(),
                mailboxes.stream().map(Mailbox::primarySmtp).toList());
        assertEquals(new TreeSet<>(sandbox.disabledUsers()), new TreeSet<>(all.lastReport().disabled()));
        assertEquals(new TreeSet<>(sandbox.usersWithoutMailbox()), new TreeSet<>(all.lastReport().withoutMail()));
        for (Mailbox m : mailboxes) {
            assertEquals(sandbox.userId(m.primarySmtp()), m.id());
        }

        String excluded = mailboxes.get(0).primarySmtp();
        String domain = excluded.substring(excluded.indexOf('@') + 1);
        GraphMailboxDirectory filtered = new GraphMailboxDirectory(env.clients, SandboxGraph.REGISTRATION, Set.of(domain.toUpperCase(Locale.ROOT)),
                Set.of(), Set.of(excluded));
        assertEquals(mailboxes.size() - 1, filtered.mailboxes().size());
        assertEquals(List.of(), new GraphMailboxDirectory(env.clients, SandboxGraph.REGISTRATION, Set.of("other.example"), Set.of(),
                Set.of()).mailboxes());
        GraphMailboxDirectory included = new GraphMailboxDirectory(env.clients, SandboxGraph.REGISTRATION, Set.of(),
                Set.of(mailboxes.get(1).primarySmtp()), Set.of());
        assertEquals(List.of(mailboxes.get(1)), included.mailboxes());
    }

    @Test
    void aMissingUserPermissionNamesIt() throws Exception {
        AppRegistration unconsented = sandbox.registerApp(AppRegistration.builder("no consent")
                .clientSecret("not-a-real-secret-" + System.nanoTime()).adminConsent(false).build());
        env.addRegistration("unconsented", unconsented);
        DirectoryException noUsers = assertThrows(DirectoryException.class, () -> new GraphMailboxDirectory(env.clients, "unconsented",
                Set.of(), Set.of(), Set.of()).mailboxes());
        assertTrue(noUsers.getMessage().contains("User.Read.All") && noUsers.getMessage().contains("Grant admin consent"),
                noUsers.getMessage());
    }
}
