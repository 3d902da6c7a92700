package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Waves and groups as operators write them: addresses and globs, case ignored. */
class MailboxPatternsTest {
    @Test
    void globsMatchWholeAddresses() {
        MailboxPatterns p = MailboxPatterns.parse("wave.1", "*@sales.example.org, bob@example.org, a*@*, team-?@x.org");
        assertTrue(p.matches("Erin@Sales.Example.org"));
        assertTrue(p.matches("bob@example.org"));
        assertTrue(p.matches("adele.garcia@contoso.example"));
        assertTrue(p.matches("team-7@x.org"));
        assertFalse(p.matches("team-77@x.org"));
        assertFalse(p.matches("erin@sales.example.org.evil"));
        assertFalse(p.matches("bob@example.org2"));
        assertFalse(p.matches("carol@example.org"));
        assertTrue(MailboxPatterns.glob("*a*b*", "xxaxxbxx"));
        assertTrue(MailboxPatterns.glob("**", ""));
        assertFalse(MailboxPatterns.glob("a*b", "acbd"));
        assertTrue(MailboxPatterns.glob("a*b*b", "abbbb"));
    }
}
