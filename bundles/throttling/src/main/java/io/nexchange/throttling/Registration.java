package io.nexchange.throttling;

import java.util.Objects;

/**
 * An app registration (or EWS service account) that mailboxes can be spread over.
 *
 * @param name the registration's configured name (the {@code registration} of its throttle keys)
 * @param weight its share of mailboxes relative to the others, e.g. its worker threads; positive
 */
public record Registration(String name, double weight) {
    public Registration {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a registration needs a name");
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight of registration '" + name + "' must be positive, was " + weight);
        }
    }

    /** A registration of weight 1. */
    public static Registration of(String name) {
        return new Registration(name, 1.0);
    }
}
