package io.nexchange.engine.internal;

import io.nexchange.api.source.ItemSource;
import io.nexchange.api.source.ItemTarget;
import java.util.Objects;

/**
 * One side of a pair as the reconciliation sees it.
 *
 * @param backend the backend name ({@code graph}, {@code ews}, {@code caldav}, {@code vdir}); prefixes the stored cursor
 * @param source reads this side's changes
 * @param target writes this side
 */
public record Endpoint(String backend, ItemSource source, ItemTarget target) {
    public Endpoint {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
    }
}
