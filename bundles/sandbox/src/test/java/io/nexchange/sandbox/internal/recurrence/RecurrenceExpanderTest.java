package io.nexchange.sandbox.internal.recurrence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nexchange.sandbox.internal.store.Values.RecurrencePattern;
import io.nexchange.sandbox.internal.store.Values.RecurrenceRange;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecurrenceExpanderTest {
    private static RecurrencePattern pattern(String type, int interval, String... days) {
        RecurrencePattern p = new RecurrencePattern();
        p.type = type;
        p.interval = interval;
        p.daysOfWeek = List.of(days);
        return p;
    }

    private static RecurrenceRange range(String type, String start, String end, int count) {
        RecurrenceRange r = new RecurrenceRange();
        r.type = type;
        r.startDate = start;
        r.endDate = end;
        r.numberOfOccurrences = count;
        return r;
    }

    private static List<LocalDate> dates(String... d) {
        return java.util.Arrays.stream(d).map(LocalDate::parse).toList();
    }

    @Test
    void dailyEveryThirdDayNumbered() {
        assertEquals(dates("2024-02-27", "2024-03-01", "2024-03-04"),
                RecurrenceExpander.dates(pattern("daily", 3), range("numbered", "2024-02-27", null, 3), LocalDate.parse("2030-01-01")));
    }

    @Test
    void weeklyEveryOtherWeekOnTwoDaysWithMondayWeekStartUntilEndDate() {
        RecurrencePattern p = pattern("weekly", 2, "tuesday", "Sunday");
        p.firstDayOfWeek = "monday";
        // week of Mon 2024-01-01: Tue 2nd and Sun 7th; then the week of Mon 15th: Tue 16th, Sun 21st
        assertEquals(dates("2024-01-02", "2024-01-07", "2024-01-16", "2024-01-21"),
                RecurrenceExpander.dates(p, range("endDate", "2024-01-02", "2024-01-28", 0), LocalDate.parse("2030-01-01")));
    }

    @Test
    void weeklyWithSundayWeekStartGroupsSundayWithTheFollowingDays() {
        RecurrencePattern p = pattern("weekly", 2, "tuesday", "sunday");
        p.firstDayOfWeek = "sunday";
        // weeks start Sunday 2023-12-31 (Tue 2nd), then Sunday 14th and Tue 16th
        assertEquals(dates("2024-01-02", "2024-01-14", "2024-01-16"),
                RecurrenceExpander.dates(p, range("endDate", "2024-01-02", "2024-01-20", 0), LocalDate.parse("2030-01-01")));
    }

    @Test
    void absoluteMonthlyOnThe31stFallsOnTheLastDayOfShortMonths() {
        RecurrencePattern p = pattern("absoluteMonthly", 1);
        p.dayOfMonth = 31;
        assertEquals(dates("2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"),
                RecurrenceExpander.dates(p, range("numbered", "2024-01-31", null, 4), LocalDate.parse("2030-01-01")));
    }

    @Test
    void relativeMonthlyLastFridayAndSecondWeekday() {
        RecurrencePattern last = pattern("relativeMonthly", 1, "friday");
        last.index = "last";
        assertEquals(dates("2024-01-26", "2024-02-23", "2024-03-29"),
                RecurrenceExpander.dates(last, range("numbered", "2024-01-01", null, 3), LocalDate.parse("2030-01-01")));
        RecurrencePattern weekday = pattern("relativeMonthly", 2, "monday", "tuesday", "wednesday", "thursday", "friday");
        weekday.index = "second";
        assertEquals(dates("2024-01-02", "2024-03-04"),
                RecurrenceExpander.dates(weekday, range("numbered", "2024-01-01", null, 2), LocalDate.parse("2030-01-01")));
    }

    @Test
    void yearlyAbsoluteAndRelativeWithNoEndStopAtTheLimit() {
        RecurrencePattern abs = pattern("absoluteYearly", 1);
        abs.month = 2;
        abs.dayOfMonth = 29;
        assertEquals(dates("2024-02-29", "2025-02-28", "2026-02-28"),
                RecurrenceExpander.dates(abs, range("noEnd", "2024-02-29", "0001-01-01", 0), LocalDate.parse("2026-12-31")));
        RecurrencePattern rel = pattern("relativeYearly", 1, "thursday");
        rel.month = 11;
        rel.index = "fourth";
        assertEquals(dates("2024-11-28", "2025-11-27"),
                RecurrenceExpander.dates(rel, range("noEnd", "2024-01-01", "0001-01-01", 0), LocalDate.parse("2025-12-31")));
    }
}
