package io.nexchange.throttling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistrationAssignmentTest {

    private static final int MAILBOXES = 20_000;

    private static String mailbox(int i) {
        return "user" + i + "@contoso.example";
    }

    private static Map<String, Integer> counts(RegistrationAssignment a) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < MAILBOXES; i++) {
            counts.merge(a.assign(mailbox(i)), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void spreadsEvenly() {
        Map<String, Integer> counts = counts(RegistrationAssignment.of("app-a", "app-b", "app-c", "app-d"));
        assertEquals(4, counts.size());
        counts.values().forEach(n -> assertTrue(Math.abs(n - MAILBOXES / 4) < MAILBOXES / 4 * 0.05, counts.toString()));
    }

    @Test
    void respectsWeights() {
        RegistrationAssignment a = new RegistrationAssignment(List.of(new Registration("big", 2), new Registration("small", 1)));
        Map<String, Integer> counts = counts(a);
        double bigShare = counts.get("big") / (double) MAILBOXES;
        assertTrue(Math.abs(bigShare - 2.0 / 3) < 0.02, "big got " + bigShare);
    }

    @Test
    void addingARegistrationMovesOnlyItsShareAndOnlyToIt() {
        RegistrationAssignment before = RegistrationAssignment.of("app-a", "app-b", "app-c", "app-d");
        RegistrationAssignment after = RegistrationAssignment.of("app-a", "app-b", "app-c", "app-d", "app-e");
        int moved = 0;
        for (int i = 0; i < MAILBOXES; i++) {
            String was = before.assign(mailbox(i));
            String is = after.assign(mailbox(i));
            if (!was.equals(is)) {
                moved++;
                assertEquals("app-e", is, "a mailbox may only move to the new registration");
            }
        }
        double share = moved / (double) MAILBOXES;
        assertTrue(Math.abs(share - 0.2) < 0.02, "moved " + share);
    }

    @Test
    void removingARegistrationMovesOnlyItsMailboxes() {
        RegistrationAssignment before = RegistrationAssignment.of("app-a", "app-b", "app-c");
        RegistrationAssignment after = RegistrationAssignment.of("app-a", "app-c");
        for (int i = 0; i < MAILBOXES; i++) {
            String was = before.assign(mailbox(i));
            if (!was.equals("app-b")) {
                assertEquals(was, after.assign(mailbox(i)));
            } else {
                // where it goes is its second choice before the removal
                assertEquals(before.ranking(mailbox(i)).get(1), after.assign(mailbox(i)));
            }
        }
    }

    @Test
    void sameMappingAfterARestartInAnyOrderAndAnyCase() {
        RegistrationAssignment one = RegistrationAssignment.of("app-a", "app-b", "app-c");
        RegistrationAssignment two = RegistrationAssignment.of("app-c", "app-a", "app-b");
        for (int i = 0; i < 2000; i++) {
            assertEquals(one.assign(mailbox(i)), two.assign(mailbox(i)));
            assertEquals(one.assign(mailbox(i)), one.assign(mailbox(i).toUpperCase(java.util.Locale.ROOT)));
            assertEquals(one.assign(mailbox(i)), one.ranking(mailbox(i)).get(0));
        }
    }

    @Test
    void pinnedMappingDoesNotChangeBetweenVersions() {
        // Golden values: a change here reshuffles every deployment's mailboxes on upgrade. Change the hash only
        // on purpose, with a migration note.
        RegistrationAssignment a = RegistrationAssignment.of("app-a", "app-b", "app-c");
        String[][] golden = {{"alice", "app-c"}, {"bob", "app-c"}, {"carol", "app-c"}, {"dave", "app-c"},
            {"erin", "app-b"}, {"frank", "app-a"}, {"grace", "app-c"}, {"heidi", "app-c"}};
        for (String[] g : golden) {
            assertEquals(g[1], a.assign(g[0] + "@contoso.example"), g[0]);
        }
    }

    @Test
    void rejectsBadConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new RegistrationAssignment(List.of()));
        assertThrows(IllegalArgumentException.class, () -> RegistrationAssignment.of("a", "a"));
        assertThrows(IllegalArgumentException.class, () -> new Registration("a", 0));
        assertThrows(IllegalArgumentException.class, () -> new Registration(" ", 1));
    }
}
