package io.nexchange.api.auth;

import java.util.Arrays;
import java.util.Objects;

/**
 * A secret value (client secret, key password, app password) that prints as a mask wherever it
 * travels: logs, exception messages, configuration dumps, console output.
 */
public final class Secret {
    private static final String MASK = "********";
    private final char[] value;

    private Secret(char[] value) {
        this.value = value.clone();
    }

    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        return new Secret(value.toCharArray());
    }

    public static Secret of(char[] value) {
        Objects.requireNonNull(value, "value");
        return new Secret(value);
    }

    /** The secret itself, for the one call that needs it. Do not keep, log or concatenate the result. */
    public String reveal() {
        return new String(value);
    }

    public char[] revealChars() {
        return value.clone();
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && java.security.MessageDigest.isEqual(
                new String(value).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new String(s.value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return MASK;
    }
}
