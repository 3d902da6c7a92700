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
 * @param rendering the fingerprint of the transformers that apply to items read here on their way to the other side
 *     (empty for none); stored with this side's cursor
 */
public record Endpoint(String backend, ItemSource source, ItemTarget target, String rendering) {
    public Endpoint {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(rendering, "rendering");
    }

    /** An endpoint whose items no transformer changes. */
    public Endpoint(String backend, ItemSource source, ItemTarget target) {
        this(backend, source, target, "");
    }

    Endpoint withRendering(String fingerprint) {
        return new Endpoint(backend, source, target, fingerprint);
    }
}
