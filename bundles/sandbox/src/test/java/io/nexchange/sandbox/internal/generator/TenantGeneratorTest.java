package io.nexchange.sandbox.internal.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.sandbox.internal.Json;
import io.nexchange.sandbox.internal.store.Contact;
import io.nexchange.sandbox.internal.store.Event;
import io.nexchange.sandbox.internal.store.Group;
import io.nexchange.sandbox.internal.store.Mailbox;
import io.nexchange.sandbox.internal.store.Tenant;
import io.nexchange.sandbox.internal.store.TimeZones;
import io.nexchange.sandbox.internal.store.User;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantGeneratorTest {
    private static final LocalDate ANCHOR = LocalDate.of(2030, 1, 7);
    private static final Clock CLOCK = Clock.fixed(ANCHOR.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

    private static Tenant generate(long seed) {
        return new TenantGenerator(seed, 6, 60, 15, ANCHOR, CLOCK).generate();
    }

    private static String dump(Tenant t) {
        StringBuilder sb = new StringBuilder(t.tenantId);
        for (User u : t.users()) {
            sb.append(u.id).append(u.userPrincipalName).append(u.accountEnabled);
            if (u.hasMailbox()) {
                for (Event e : u.mailbox().items(u.mailbox().defaultCalendar().id)) {
                    sb.append(Json.MAPPER.<com.fasterxml.jackson.databind.JsonNode>valueToTree(e).toString()).append(e.exceptions.keySet()).append(e.cancelledOccurrences);
                }
                for (Contact c : u.mailbox().allContacts()) {
                    sb.append(Json.MAPPER.<com.fasterxml.jackson.databind.JsonNode>valueToTree(c).toString());
                }
            }
        }
        return sb.toString();
    }

    @Test
    void sameSeedSameTenantOtherSeedOtherTenant() {
        assertEquals(dump(generate(42)), dump(generate(42)));
        assertNotEquals(dump(generate(42)), dump(generate(43)));
    }

    private static String groups(Tenant t) {
        StringBuilder sb = new StringBuilder();
        for (Group g : t.groups()) {
            sb.append(g.id).append(g.displayName).append(g.mail).append(g.memberIds).append(';');
        }
        return sb.toString();
    }

    @Test
    void groupsFollowTheSeedNestAndIncludeAUserWithoutMailbox() {
        assertEquals(groups(generate(42)), groups(generate(42)));
        assertNotEquals(groups(generate(42)), groups(generate(43)));
        Tenant t = generate(42);
        Group pilot = t.groups().stream().filter(g -> g.displayName.equals("Nexchange Pilot")).findFirst().orElseThrow();
        Tenant.Members members = t.transitiveMembers(pilot);
        assertTrue(members.groups().size() >= 2, "nested groups");
        assertTrue(members.users().stream().anyMatch(u -> !u.hasMailbox()), "a member without mailbox");
        assertTrue(members.users().stream().anyMatch(u -> !u.accountEnabled), "a disabled member");
        assertEquals(members.users().size(), new HashSet<>(members.users()).size(), "each user once");
        // a nesting cycle ends where it meets a group already seen
        Group sales = members.groups().get(0);
        sales.memberIds.add(pilot.id);
        assertEquals(members.users().size(), t.transitiveMembers(pilot).users().size());
    }

    @Test
    void tenantHasTheVarietyTheSyncMustHandle() {
        Tenant t = generate(42);
        List<User> users = t.users();
        assertTrue(users.stream().anyMatch(u -> !u.hasMailbox()), "user without mailbox");
        assertTrue(users.stream().anyMatch(u -> !u.accountEnabled), "disabled user");
        Set<String> patterns = new HashSet<>();
        Set<String> ranges = new HashSet<>();
        Set<String> zones = new HashSet<>();
        Set<String> sensitivities = new HashSet<>();
        int exceptions = 0;
        int cancelled = 0;
        int allDay = 0;
        int html = 0;
        int photos = 0;
        for (User u : users) {
            Mailbox mb = u.mailbox();
            if (mb == null || !u.accountEnabled) {
                continue;
            }
            for (Event e : mb.items(mb.defaultCalendar().id)) {
                zones.add(e.start.timeZone);
                assertTrue(TimeZones.isKnown(e.start.timeZone), e.start.timeZone);
                sensitivities.add(e.sensitivity);
                allDay += Boolean.TRUE.equals(e.isAllDay) ? 1 : 0;
                html += "html".equals(e.body.contentType) ? 1 : 0;
                if (e.recurrence != null) {
                    patterns.add(e.recurrence.pattern.type);
                    ranges.add(e.recurrence.range.type);
                    exceptions += e.exceptions.size();
                    cancelled += e.cancelledOccurrences.size();
                }
            }
            for (Contact c : mb.allContacts()) {
                photos += c.photo != null ? 1 : 0;
            }
        }
        assertEquals(Set.of("daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly"), patterns);
        assertEquals(Set.of("endDate", "noEnd", "numbered"), ranges);
        assertTrue(zones.contains("W. Europe Standard Time") && zones.contains("India Standard Time") && zones.contains("Pacific Standard Time"));
        assertTrue(sensitivities.containsAll(Set.of("normal", "private", "confidential")));
        assertTrue(exceptions > 0 && cancelled > 0 && allDay > 0 && html > 0 && photos > 0);
    }
}
