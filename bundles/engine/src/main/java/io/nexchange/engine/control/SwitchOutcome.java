package io.nexchange.engine.control;

import java.util.List;

/**
 * What a backend switch did.
 *
 * @param selector as the command is written: {@code --wave 1}, {@code --all}, {@code alice@example.org}
 * @param backend the backend switched to
 * @param mailboxes the mailboxes of the directory's list the selector takes in now (empty if the list could not be read)
 * @param moved how many of them change backend (-1 if the list could not be read)
 * @param report what {@code nexchange:switch} prints: every mailbox taken in, from which backend to which, and the effect
 */
public record SwitchOutcome(String selector, String backend, List<String> mailboxes, int moved, String report) {
    public SwitchOutcome {
        mailboxes = List.copyOf(mailboxes);
    }
}
