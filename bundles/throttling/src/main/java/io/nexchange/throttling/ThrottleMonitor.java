package io.nexchange.throttling;

import io.nexchange.api.throttle.ThrottleKey;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Read-only view of the throttling state for the operator surface: totals per app registration and the keys
 * that are throttled right now. Registered by the throttling bundle beside its ThrottlePolicy.
 */
@ProviderType
public interface ThrottleMonitor {

    /** A consistent-enough snapshot (each key is read under its own lock, not all at once). */
    ThrottleStats snapshot();

    /** The state of one key, or empty if it is idle (never used, or evicted after a quiet window). */
    Optional<KeyStats> stats(ThrottleKey key);
}
