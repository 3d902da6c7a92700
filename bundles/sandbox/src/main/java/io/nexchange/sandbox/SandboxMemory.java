package io.nexchange.sandbox;

/**
 * The sandbox's memory, taken after a full garbage collection: the JVM's used heap, and how many of the tenant's
 * mailboxes hold their items in memory (generated and still cached, or changed and so kept for good). Mailboxes
 * not in memory cost only their directory entry and an empty slot.
 */
public record SandboxMemory(long heapUsedBytes, int mailboxes, int mailboxesInMemory, int changedMailboxes) {
}
