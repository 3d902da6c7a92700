package io.nexchange.engine.internal;

import io.nexchange.api.item.Item;
import io.nexchange.api.state.Side;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who wins when an item changed on both sides since the last sync (and the contents differ): one of the built-in
 * policies, or an enterprise's {@link io.nexchange.api.extension.ConflictResolver} service chosen by name
 * ({@link Extensions#policy}).
 *
 * <p>{@code newest-wins} compares the items' own modification stamps: the latest {@code LAST-MODIFIED} (else
 * {@code DTSTAMP}) of an iCalendar object, {@code REV} of a vCard. Neither side's version token carries a time
 * (changeKeys and ETags are opaque), so when either stamp is missing or unreadable the policy falls back to
 * {@code exchange-wins}, the safer choice for a product whose source of truth is Exchange.
 */
public interface ConflictPolicy {
    ConflictPolicy EXCHANGE_WINS = BuiltIn.EXCHANGE_WINS;
    ConflictPolicy NEXTCLOUD_WINS = BuiltIn.NEXTCLOUD_WINS;
    ConflictPolicy NEWEST_WINS = BuiltIn.NEWEST_WINS;

    /** The winning side of a conflict between these two versions of one item. */
    Side winner(Item exchange, Item nextcloud);

    /** The name {@code conflictPolicy} gives it. */
    String label();

    /** A built-in policy by name. */
    static ConflictPolicy parse(String value) {
        return builtIn(value).orElseThrow(() -> new IllegalArgumentException(
                "conflictPolicy must be exchange-wins, nextcloud-wins, newest-wins or the name of a ConflictResolver "
                        + "service, was '" + value + "'"));
    }

    /** The built-in policy of this name, if it is one. */
    static Optional<ConflictPolicy> builtIn(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (BuiltIn p : BuiltIn.values()) {
            if (p.label().equals(v)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The item's latest modification stamp as a sortable {@code yyyyMMddHHmmss} string (UTC assumed: both sides
     * write these in UTC). LAST-MODIFIED and REV are preferred over DTSTAMP. Hand-written because a full
     * iCalendar/vCard parse only to read one line is not worth ical4j in this bundle.
     */
    static Optional<String> stamp(String text) {
        Matcher m = BuiltIn.STAMP.matcher(text);
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

    /** The policies the engine brings. */
    enum BuiltIn implements ConflictPolicy {
        EXCHANGE_WINS, NEXTCLOUD_WINS, NEWEST_WINS;

        private static final Pattern STAMP = Pattern.compile(
                "(?m)^(LAST-MODIFIED|DTSTAMP|REV)(?:;[^:\\r\\n]*)?:(\\d{4})-?(\\d{2})-?(\\d{2})T(\\d{2}):?(\\d{2}):?(\\d{2})");

        @Override
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

        @Override
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
