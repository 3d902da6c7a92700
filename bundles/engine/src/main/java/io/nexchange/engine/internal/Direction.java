package io.nexchange.engine.internal;

import io.nexchange.api.state.Side;
import java.util.Locale;

/**
 * Which side the engine may write to. The reconciliation is the same; a one-way direction only suppresses the writes to
 * its source side (they become {@link Action.LeaveAlone} records) and gives every conflict to its source.
 */
public enum Direction {
    /**
     * Exchange is the source. Nextcloud-side edits are kept until the next Exchange change of the item overwrites
     * them; Nextcloud-side creations and deletions are left alone and reported.
     */
    EXCHANGE_TO_NEXTCLOUD,
    /**
     * Nextcloud is the source: the mirror image. Exchange-side edits are kept until the next Nextcloud change of the
     * item overwrites them; Exchange-side creations and deletions are left alone and reported.
     */
    NEXTCLOUD_TO_EXCHANGE,
    /** Both directions, vdirsyncer style. */
    TWO_WAY;

    /** Whether actions may write to this side. */
    public boolean writes(Side side) {
        return switch (this) {
            case TWO_WAY -> true;
            case EXCHANGE_TO_NEXTCLOUD -> side == Side.NEXTCLOUD;
            case NEXTCLOUD_TO_EXCHANGE -> side == Side.EXCHANGE;
        };
    }

    /** The side whose version wins every conflict in a one-way direction (the side it reads from). */
    public Side source() {
        return this == NEXTCLOUD_TO_EXCHANGE ? Side.NEXTCLOUD : Side.EXCHANGE;
    }

    /**
     * Parses {@code exchange-to-nextcloud}, {@code nextcloud-to-exchange} or {@code two-way}.
     *
     * @param setting the setting's name, for the message
     */
    public static Direction parse(String value, String setting) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (Direction d : values()) {
            if (d.label().equals(v)) {
                return d;
            }
        }
        throw new IllegalArgumentException(setting + " must be exchange-to-nextcloud, nextcloud-to-exchange or two-way, was '"
                + value + "'");
    }

    /** Parses the engine's {@code direction} setting. */
    public static Direction parse(String value) {
        return parse(value, "direction");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
