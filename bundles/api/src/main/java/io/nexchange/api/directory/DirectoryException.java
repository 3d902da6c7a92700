package io.nexchange.api.directory;

/** A directory could not be read; the message names the setting or permission to fix. */
public class DirectoryException extends Exception {
    private static final long serialVersionUID = 1L;

    public DirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
