package io.nexchange.engine.control;

/**
 * What a backend switch did.
 *
 * @param selector as the command is written: {@code --wave 1}, {@code --all}, {@code alice@example.org}
 * @param backend the backend switched to
 * @param mailboxes mailboxes of the directory's list the selector takes in now
 * @param moved those of them whose backend changes
 * @param report what {@code nexchange:switch} prints: every mailbox taken in, from which backend to which, and the effect
 */
public record SwitchOutcome(String selector, String backend, int mailboxes, int moved, String report) {}
