package io.nexchange.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nexchange.api.Mailbox;
import org.junit.jupiter.api.Test;

class SameAddressAccountDirectoryTest {
    @Test
    void everyMailboxMapsToExactlyOneAccountNamedAfterIt() {
        Mailbox alice = new Mailbox("id-1", "Alice.Smith@Example.org", "Alice");
        assertEquals("alice.smith@example.org",
                new SameAddressAccountDirectory(false).resolve(alice).account().orElseThrow().userId());
        assertEquals("alice.smith", new SameAddressAccountDirectory(true).resolve(alice).account().orElseThrow().userId());
        assertEquals("alice.smith@example.org", new SameAddressAccountDirectory(true).resolve(alice).account().orElseThrow().email());
    }
}
