package io.nexchange.api.state;

/**
 * A fenced commit was refused: the lease it was made under is no longer held (another instance took it over after it
 * ran out, or it was released). Nothing of the commit was applied; the holder must stop working on the mailbox.
 *
 * @since 1.4
 */
public class LeaseLostException extends StateException {
    private static final long serialVersionUID = 1L;

    public LeaseLostException(String message) {
        super(message, null);
    }
}
