package io.nexchange.api.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A bearer token for one resource.
 *
 * @param value the token; sent as {@code Authorization: Bearer}, never logged ({@link #toString()} masks it)
 * @param expiresOn when it stops being accepted
 * @param roles the application roles it carries ({@code Calendars.ReadWrite}, ...); empty when admin
 *     consent was not granted
 */
public record AccessToken(Secret value, Instant expiresOn, Set<String> roles) {
    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresOn, "expiresOn");
        roles = Set.copyOf(roles);
    }

    @Override
    public String toString() {
        return "AccessToken[expiresOn=" + expiresOn + ", roles=" + roles + "]";
    }
}
