package io.nexchange.engine.internal;

import io.nexchange.api.item.Item;
import io.nexchange.api.state.Side;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who wins when an item changed on both sides since the last sync (and the contents differ).
 *
 * <p>{@code newest-wins} compares the items' own modification stamps: the latest {@code LAST-MODIFIED} (else
 * {@code DTSTAMP}) of an iCalendar object, {@code REV} of a vCard. Neither side's version token carries a time
 * (changeKeys and ETags are opaque), so when either stamp is missing or unreadable the policy falls back to
 * {@code exchange-wins}, the safer choice for a product whose source of truth is Exchange.
 */
public enum ConflictPolicy {
    EXCHANGE_WINS, NEXTCLOUD_WINS, NEWEST_WINS;

    public static ConflictPolicy parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "exchange-wins": return EXCHANGE_WINS;
            case "nextcloud-wins": return NEXTCLOUD_WINS;
            case "newest-wins": return NEWEST_WINS;
            default: throw new IllegalArgumentException(
                    "conflictPolicy must be exchange-wins, nextcloud-wins or newest-wins, was '" + value + "'");
        }
    }

    /** The winning side of a conflict between these two versions of one item. */
    public Side winner(Item exchange, Item nextcloud) {
        switch (this) {
            case NEXTCLOUD_WINS: return Side.NEXTCLOUD;
            case NEWEST_WINS: {
                Optional<String> a = stamp(exchange.content().text());
                Optional<String> b = stamp(nextcloud.content().text());
                if (a.isPresent() && b.isPresent() && b.get().compareTo(a.get()) > 0) {
                    return Side.NEXTCLOUD;
                }
                return Side.EXCHANGE;
            }
            default: return Side.EXCHANGE;
        }
    }

    private static final Pattern STAMP = Pattern.compile(
            "(?m)^(LAST-MODIFIED|DTSTAMP|REV)(?:;[^:\\r\\n]*)?:(\\d{4})-?(\\d{2})-?(\\d{2})T(\\d{2}):?(\\d{2}):?(\\d{2})");

    /**
     * The item's latest modification stamp as a sortable {@code yyyyMMddHHmmss} string (UTC assumed: both sides
     * write these in UTC). LAST-MODIFIED and REV are preferred over DTSTAMP. Hand-written because a full
     * iCalendar/vCard parse only to read one line is not worth ical4j in this bundle.
     */
    static Optional<String> stamp(String text) {
        Matcher m = STAMP.matcher(text);
        String best = null;
        String bestStamp = null;
        while (m.find()) {
            String value = m.group(2) + m.group(3) + m.group(4) + m.group(5) + m.group(6) + m.group(7);
            boolean preferred = !m.group(1).equals("DTSTAMP");
            if (preferred && (best == null || value.compareTo(best) > 0)) {
                best = value;
            } else if (!preferred && (bestStamp == null || value.compareTo(bestStamp) > 0)) {
                bestStamp = value;
            }
        }
        return Optional.ofNullable(best != null ? best : bestStamp);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
