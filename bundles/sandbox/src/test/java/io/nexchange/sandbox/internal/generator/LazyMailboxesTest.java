package io.nexchange.sandbox.internal.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.sandbox.internal.Json;
import io.nexchange.sandbox.internal.store.Contact;
import io.nexchange.sandbox.internal.store.Event;
import io.nexchange.sandbox.internal.store.Mailbox;
import io.nexchange.sandbox.internal.store.Tenant;
import io.nexchange.sandbox.internal.store.User;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mailboxes are made on first use, from the seed and their index only, and dropped from memory while unchanged. */
class LazyMailboxesTest {
    private static final LocalDate ANCHOR = LocalDate.of(2030, 1, 7);
    private static final Clock CLOCK = Clock.fixed(ANCHOR.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

    private static TenantGenerator generator(int mailboxes) {
        return new TenantGenerator(7, mailboxes, 30, 10, ANCHOR, CLOCK);
    }

    static String dump(Mailbox mb) {
        StringBuilder sb = new StringBuilder();
        mb.calendars().forEach(c -> sb.append(c.id).append(c.name));
        for (var c : mb.calendars()) {
            for (Event e : mb.items(c.id)) {
                sb.append(Json.MAPPER.valueToTree(e).toString()).append(e.exceptions.keySet()).append(e.cancelledOccurrences);
            }
        }
        mb.contactFolders().forEach(f -> sb.append(f.id).append(f.displayName));
        for (Contact c : mb.allContacts()) {
            sb.append(Json.MAPPER.valueToTree(c).toString());
        }
        return sb.toString();
    }

    @Test
    void aMailboxIsTheSameWhicheverOthersWereMadeBeforeIt() {
        List<User> first = generator(12).generate().users();
        List<User> second = generator(12).generate().users();
        // in the first tenant every mailbox before the ninth is made first, in the second only the ninth
        for (int i = 0; i < 8; i++) {
            first.get(i).mailbox();
        }
        assertEquals(dump(first.get(8).mailbox()), dump(second.get(8).mailbox()));
        assertTrue(first.get(8).mailbox().items(first.get(8).mailbox().defaultCalendar().id).size() == 30);
    }

    @Test
    void anUnchangedMailboxDroppedFromMemoryComesBackTheSameAndAChangedOneIsKept() {
        Tenant tenant = generator(3).cachedMailboxes(0).generate();
        User user = tenant.users().get(1);
        String generated = dump(user.mailbox());
        assertEquals(generated, dump(user.mailboxSlot.pristineCopy()), "made again from the seed: same ids, same content");
        long pristine = user.mailboxSlot.pristineVersion();
        for (int i = 0; i < 20 && user.mailboxSlot.inMemory(); i++) {
            System.gc();
        }
        assertFalse(user.mailboxSlot.inMemory(), "nothing holds an unchanged mailbox once the cache is full");
        assertEquals(generated, dump(user.mailbox()));
        assertEquals(pristine, user.mailbox().version());

        Mailbox mb = user.mailbox();
        Event first = mb.items(mb.defaultCalendar().id).get(0);
        mb.updateItem(first, e -> e.subject = "changed by a user");
        assertTrue(user.mailboxSlot.changed());
        System.gc();
        assertSame(mb, user.mailbox(), "a changed mailbox stays");
        assertEquals("changed by a user", user.mailbox().item(first.id).orElseThrow().subject);
        assertTrue(user.mailbox().version() > pristine);
        assertEquals(generated, dump(user.mailboxSlot.pristineCopy()), "the generated state can still be made");
    }

    @Test
    void theMixMakesEmptySmallAndBusyMailboxesAndTheDefaultMakesThemAllBusy() {
        Tenant mixed = generator(400).mix(TenantGenerator.MailboxMix.parse("80/15/5")).cachedMailboxes(0).generate();
        int empty = 0;
        int small = 0;
        int busy = 0;
        for (User u : mixed.users()) {
            if (!u.hasMailbox() || !u.accountEnabled) {
                continue;
            }
            Mailbox mb = u.mailbox();
            int events = mb.items(mb.defaultCalendar().id).size();
            if (events == 0) {
                empty++;
                assertEquals(1, mb.calendars().size(), "an empty mailbox has only its default calendar");
                assertTrue(mb.allContacts().isEmpty());
            } else if (events == 30 / 8) {
                small++;
            } else {
                assertEquals(30, events);
                busy++;
            }
        }
        assertEquals(400, empty + small + busy);
        assertTrue(empty > 280 && empty < 360, "about 80% empty: " + empty);
        assertTrue(small > 35 && small < 90, "about 15% small: " + small);
        assertTrue(busy > 5 && busy < 40, "about 5% busy: " + busy);

        for (User u : generator(40).generate().users()) {
            if (u.hasMailbox() && u.accountEnabled) {
                assertEquals(30, u.mailbox().items(u.mailbox().defaultCalendar().id).size());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> TenantGenerator.MailboxMix.parse("80/15"));
        assertThrows(IllegalArgumentException.class, () -> TenantGenerator.MailboxMix.parse("80/15/10"));
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    /**
     * The memory figure of the sandbox: 10,000 mailboxes listed but untouched, then each made and used once (as a
     * delta round does) and left idle. Prints bytes per mailbox; an idle mailbox must stay under a kilobyte
     * (its directory user included), whatever its items.
     */
    @Test
    void tenThousandIdleMailboxesCostHundredsOfBytesEach() {
        int n = 10_000;
        long before = usedHeapAfterGc();
        Tenant tenant = new TenantGenerator(7, n, 40, 20, ANCHOR, CLOCK).mix(TenantGenerator.MailboxMix.parse("90/8/2"))
                .cachedMailboxes(16).generate();
        long listed = usedHeapAfterGc();
        long items = 0;
        for (User u : tenant.users()) {
            if (u.hasMailbox()) {
                Mailbox mb = u.mailbox();
                for (Event e : mb.items(mb.defaultCalendar().id)) {
                    items += mb.instances(e, ANCHOR.minusDays(30).atStartOfDay().toInstant(ZoneOffset.UTC),
                            ANCHOR.plusDays(365).atStartOfDay().toInstant(ZoneOffset.UTC)).size();
                }
                items += mb.allContacts().size();
            }
        }
        long used = usedHeapAfterGc();
        int users = tenant.users().size();
        long untouchedPerMailbox = (listed - before) / users;
        long idlePerMailbox = (used - before) / users;
        System.out.printf("sandbox memory: %,d users (%,d mailboxes, mix 90/8/2): untouched %,d B/user, after every mailbox was "
                + "made and read once (%,d occurrences and contacts) %,d B/user, %d mailboxes in memory%n", users, n,
                untouchedPerMailbox, items, idlePerMailbox, tenant.users().stream().filter(u -> u.hasMailbox() && u.mailboxSlot.inMemory()).count());
        assertTrue(items > 10_000, "the busy and small mailboxes were read: " + items);
        assertTrue(untouchedPerMailbox < 1024, untouchedPerMailbox + " B per untouched mailbox");
        assertTrue(idlePerMailbox < 1024, idlePerMailbox + " B per idle mailbox");
    }
}
