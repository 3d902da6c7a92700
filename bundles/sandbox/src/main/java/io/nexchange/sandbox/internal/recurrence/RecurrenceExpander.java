package io.nexchange.sandbox.internal.recurrence;

import io.nexchange.sandbox.internal.store.Values.RecurrencePattern;
import io.nexchange.sandbox.internal.store.Values.RecurrenceRange;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The dates on which a Graph recurrence (pattern + range) occurs. Hand-written on purpose: the sandbox
 * is the reference the product's own RRULE mapping (ical4j) is tested against, so it must not share
 * that code; and Graph's rules are few and exact (Exchange semantics: a dayOfMonth beyond the month's
 * end falls on its last day; a numbered range counts cancelled occurrences too).
 */
public final class RecurrenceExpander {
    /** Guards against runaway series (noEnd and a far window). */
    public static final int MAX_OCCURRENCES = 5000;

    private RecurrenceExpander() {
    }

    /** Occurrence dates in order, from the range start up to {@code until} (inclusive). */
    public static List<LocalDate> dates(RecurrencePattern pattern, RecurrenceRange range, LocalDate until) {
        LocalDate start = LocalDate.parse(range.startDate);
        LocalDate last = until;
        if ("endDate".equals(range.type) && range.endDate != null && !range.endDate.startsWith("0001")) {
            LocalDate end = LocalDate.parse(range.endDate);
            if (end.isBefore(last)) {
                last = end;
            }
        }
        int limit = "numbered".equals(range.type) ? Math.max(0, range.numberOfOccurrences) : MAX_OCCURRENCES;
        int interval = Math.max(1, pattern.interval);
        List<LocalDate> out = new ArrayList<>();
        switch (pattern.type) {
            case "daily" -> {
                for (LocalDate d = start; !d.isAfter(last) && out.size() < limit; d = d.plusDays(interval)) {
                    out.add(d);
                }
            }
            case "weekly" -> {
                DayOfWeek first = day(pattern.firstDayOfWeek == null ? "sunday" : pattern.firstDayOfWeek);
                Set<DayOfWeek> days = days(pattern.daysOfWeek, start.getDayOfWeek());
                LocalDate week = start.with(TemporalAdjusters.previousOrSame(first));
                while (!week.isAfter(last) && out.size() < limit) {
                    for (int i = 0; i < 7 && out.size() < limit; i++) {
                        LocalDate d = week.plusDays(i);
                        if (d.isAfter(last)) {
                            break;
                        }
                        if (!d.isBefore(start) && days.contains(d.getDayOfWeek())) {
                            out.add(d);
                        }
                    }
                    week = week.plusWeeks(interval);
                }
            }
            case "absoluteMonthly", "relativeMonthly" -> {
                LocalDate month = start.withDayOfMonth(1);
                while (!month.isAfter(last) && out.size() < limit) {
                    LocalDate d = "absoluteMonthly".equals(pattern.type)
                            ? clampDay(month, pattern.dayOfMonth == 0 ? start.getDayOfMonth() : pattern.dayOfMonth)
                            : relative(month, pattern, start.getDayOfWeek());
                    if (!d.isBefore(start) && !d.isAfter(last)) {
                        out.add(d);
                    }
                    month = month.plusMonths(interval);
                }
            }
            case "absoluteYearly", "relativeYearly" -> {
                int monthOfYear = pattern.month == 0 ? start.getMonthValue() : pattern.month;
                LocalDate year = LocalDate.of(start.getYear(), monthOfYear, 1);
                while (!year.isAfter(last) && out.size() < limit) {
                    LocalDate d = "absoluteYearly".equals(pattern.type)
                            ? clampDay(year, pattern.dayOfMonth == 0 ? start.getDayOfMonth() : pattern.dayOfMonth)
                            : relative(year, pattern, start.getDayOfWeek());
                    if (!d.isBefore(start) && !d.isAfter(last)) {
                        out.add(d);
                    }
                    year = year.plusYears(interval);
                }
            }
            default -> throw new IllegalArgumentException("Unknown recurrence pattern type '" + pattern.type + "'");
        }
        return out;
    }

    private static LocalDate clampDay(LocalDate firstOfMonth, int dayOfMonth) {
        return firstOfMonth.withDayOfMonth(Math.min(dayOfMonth, firstOfMonth.lengthOfMonth()));
    }

    /** The index-th (first…fourth, last) day of the month that is one of the pattern's days. */
    private static LocalDate relative(LocalDate firstOfMonth, RecurrencePattern pattern, DayOfWeek fallback) {
        Set<DayOfWeek> days = days(pattern.daysOfWeek, fallback);
        List<LocalDate> matching = new ArrayList<>();
        for (LocalDate d = firstOfMonth; d.getMonth() == firstOfMonth.getMonth(); d = d.plusDays(1)) {
            if (days.contains(d.getDayOfWeek())) {
                matching.add(d);
            }
        }
        String index = pattern.index == null ? "first" : pattern.index.toLowerCase(Locale.ROOT);
        int position = switch (index) {
            case "second" -> 1;
            case "third" -> 2;
            case "fourth" -> 3;
            case "last" -> matching.size() - 1;
            default -> 0;
        };
        return matching.get(Math.min(position, matching.size() - 1));
    }

    private static Set<DayOfWeek> days(List<String> names, DayOfWeek fallback) {
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        if (names != null) {
            for (String n : names) {
                out.add(day(n));
            }
        }
        if (out.isEmpty()) {
            out.add(fallback);
        }
        return out;
    }

    public static DayOfWeek day(String name) {
        return DayOfWeek.valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
