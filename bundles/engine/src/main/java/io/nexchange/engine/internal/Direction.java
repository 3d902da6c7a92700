package io.nexchange.engine.internal;

import io.nexchange.api.state.Side;
import java.util.Locale;

/** Which side the engine may write to. The reconciliation is the same; one-way only suppresses writes to Exchange. */
public enum Direction {
    /**
     * Issue 5's scope: Exchange is the source. Nextcloud-side edits are kept until the next Exchange change of
     * the item overwrites them; Nextcloud-side creations and deletions are left alone and reported.
     */
    EXCHANGE_TO_NEXTCLOUD,
    /** Both directions, vdirsyncer style. */
    TWO_WAY;

    /** Whether actions may write to this side. */
    public boolean writes(Side side) {
        return this == TWO_WAY || side == Side.NEXTCLOUD;
    }

    /** Parses {@code exchange-to-nextcloud} or {@code two-way}; the message names the setting. */
    public static Direction parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "exchange-to-nextcloud": return EXCHANGE_TO_NEXTCLOUD;
            case "two-way": return TWO_WAY;
            default: throw new IllegalArgumentException(
                    "direction must be exchange-to-nextcloud or two-way, was '" + value + "'");
        }
    }

    public String label() {
        return this == TWO_WAY ? "two-way" : "exchange-to-nextcloud";
    }
}
