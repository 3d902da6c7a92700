package io.nexchange.features;

/** A feature could not be installed or uninstalled; the message says which one and why. */
public class FeatureException extends Exception {
    private static final long serialVersionUID = 1L;

    public FeatureException(String message) {
        super(message);
    }

    public FeatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
