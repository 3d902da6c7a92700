package io.nexchange.graph.calendar.internal.store;

import java.time.ZoneId;
import java.util.Objects;

/**
 * @param daysBack start of the initial window, days before today
 * @param daysAhead end of the initial window, days after today
 * @param pageSize {@code Prefer: odata.maxpagesize} of delta pages
 * @param allCalendars whether {@code collections} lists every calendar or only the default one
 * @param mailboxZone the zone of floating times and all-day events written to Graph
 * @param windowRenewDays after how many days a delta chain is ended (CursorExpiredException) so that the next full
 *     read moves the window forward: a delta link keeps the window it was started with
 */
public record CalendarSettings(int daysBack, int daysAhead, int pageSize, boolean allCalendars, ZoneId mailboxZone,
        int windowRenewDays) {
    public CalendarSettings {
        if (daysBack < 0 || daysAhead < 1) {
            throw new IllegalArgumentException("windowDaysBack must be >= 0 and windowDaysAhead >= 1");
        }
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("pageSize must be between 1 and 1000");
        }
        Objects.requireNonNull(mailboxZone, "mailboxZone");
        if (windowRenewDays < 1) {
            throw new IllegalArgumentException("windowRenewDays must be >= 1");
        }
    }

    public static CalendarSettings defaults() {
        return new CalendarSettings(30, 365, 100, false, ZoneId.of("UTC"), 7);
    }
}
