package io.nexchange.api;

import java.util.Objects;

/**
 * One calendar or address book on one side.
 *
 * @param kind what it holds
 * @param id the side's own identifier (a Graph calendar id, an EWS folder id, a DAV collection URL)
 * @param displayName the name people see
 * @param isDefault whether it is the owner's default calendar or address book
 */
public record CollectionRef(CollectionKind kind, String id, String displayName, boolean isDefault) {
    public CollectionRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        displayName = displayName == null ? "" : displayName;
    }
}
