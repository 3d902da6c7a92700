package io.nexchange.state.credentials;

/**
 * The credential store failed: database unreachable, key file unreadable, or a stored value that the
 * configured key cannot decrypt. Messages name what to fix and never carry a secret.
 */
public class CredentialException extends Exception {
    private static final long serialVersionUID = 1L;

    public CredentialException(String message) {
        super(message);
    }

    public CredentialException(String message, Throwable cause) {
        super(message, cause);
    }
}
