package io.nexchange.graph.calendar.mapping;

import com.microsoft.graph.models.DayOfWeek;
import com.microsoft.graph.models.PatternedRecurrence;
import com.microsoft.graph.models.RecurrencePattern;
import com.microsoft.graph.models.RecurrencePatternType;
import com.microsoft.graph.models.RecurrenceRange;
import com.microsoft.graph.models.RecurrenceRangeType;
import com.microsoft.graph.models.WeekIndex;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Graph's {@code patternedRecurrence} and iCalendar RRULEs. Graph can express a subset of RRULE: one
 * frequency with an interval, weekdays, one day of the month, one month, one position (first…fourth,
 * last), and an end by date, by count or none. Everything else is refused with the reason, because a
 * series silently turned into a different series is worse than one that is not synced.
 *
 * <p>The RRULE text is written here rather than through ical4j's Recur builder so that its form is fixed
 * (part order, INTERVAL only when not 1, weekdays Monday first): the output is compared by hash.
 */
final class Recurrences {

    private static final String[] ICAL_DAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    private static final DayOfWeek[] GRAPH_DAYS = {
        DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday,
        DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday};

    private Recurrences() {
    }

    // ---------------------------------------------------------------- Graph -> iCalendar

    /**
     * The RRULE value for a Graph recurrence.
     *
     * @param dtstart the series' DTSTART as written (decides the form of UNTIL)
     */
    static String toRrule(PatternedRecurrence recurrence, IcalTime dtstart) {
        RecurrencePattern pattern = recurrence.getPattern();
        RecurrenceRange range = recurrence.getRange();
        if (pattern == null || pattern.getType() == null) {
            throw new MappingException("recurrence has no pattern type");
        }
        int interval = pattern.getInterval() == null || pattern.getInterval() < 1 ? 1 : pattern.getInterval();
        StringBuilder rrule = new StringBuilder("FREQ=");
        switch (pattern.getType()) {
            case Daily -> rrule.append("DAILY");
            case Weekly -> rrule.append("WEEKLY");
            case AbsoluteMonthly, RelativeMonthly -> rrule.append("MONTHLY");
            case AbsoluteYearly, RelativeYearly -> rrule.append("YEARLY");
            default -> throw new MappingException("unknown recurrence pattern type " + pattern.getType());
        }
        if (pattern.getType() == RecurrencePatternType.Weekly) {
            // the week start only matters to weekly rules (with an interval); written where ical4j puts it
            rrule.append(";WKST=").append(icalDay(pattern.getFirstDayOfWeek() == null ? DayOfWeek.Sunday : pattern.getFirstDayOfWeek()));
        }
        if (range != null && range.getType() == RecurrenceRangeType.Numbered) {
            int count = range.getNumberOfOccurrences() == null ? 0 : range.getNumberOfOccurrences();
            if (count < 1) {
                throw new MappingException("numbered recurrence range without numberOfOccurrences");
            }
            rrule.append(";COUNT=").append(count);
        } else if (range != null && range.getType() == RecurrenceRangeType.EndDate) {
            if (range.getEndDate() == null) {
                throw new MappingException("endDate recurrence range without endDate");
            }
            rrule.append(";UNTIL=").append(until(range.getEndDate(), dtstart));
        }
        if (interval != 1) {
            rrule.append(";INTERVAL=").append(interval);
        }
        switch (pattern.getType()) {
            case Weekly -> rrule.append(";BYDAY=").append(dayList(pattern.getDaysOfWeek(), dtstart));
            case AbsoluteMonthly -> rrule.append(";BYMONTHDAY=").append(dayOfMonth(pattern));
            case RelativeMonthly -> relativeDays(rrule, pattern);
            case AbsoluteYearly -> rrule.append(";BYMONTH=").append(month(pattern)).append(";BYMONTHDAY=").append(dayOfMonth(pattern));
            case RelativeYearly -> {
                rrule.append(";BYMONTH=").append(month(pattern));
                relativeDays(rrule, pattern);
            }
            default -> {
            }
        }
        return rrule.toString();
    }

    /**
     * UNTIL for Graph's inclusive end date: the DTSTART time of day on that date, in UTC when DTSTART has a
     * zone (RFC 5545 requires UTC then), as a DATE for all-day series, floating for floating ones.
     */
    private static String until(LocalDate endDate, IcalTime dtstart) {
        if (dtstart.isDate()) {
            return IcalTime.DATE.format(endDate);
        }
        LocalDateTime last = endDate.atTime(dtstart.local().toLocalTime());
        if (dtstart.zone() == null) {
            return IcalTime.DATE_TIME.format(last);
        }
        return IcalTime.DATE_TIME.format(LocalDateTime.ofInstant(last.atZone(dtstart.zone()).toInstant(), ZoneOffset.UTC)) + "Z";
    }

    private static void relativeDays(StringBuilder rrule, RecurrencePattern pattern) {
        List<DayOfWeek> days = pattern.getDaysOfWeek();
        if (days == null || days.isEmpty()) {
            throw new MappingException(pattern.getType().getValue() + " recurrence without daysOfWeek");
        }
        int position = position(pattern.getIndex() == null ? WeekIndex.First : pattern.getIndex());
        String dayList = dayList(days, null);
        if (dayList.indexOf(',') < 0) {
            // one weekday: the ordinal form (BYDAY=2TU) every client understands
            rrule.append(";BYDAY=").append(position).append(dayList);
        } else {
            // "the first weekday of the month" = one of several days at a position
            rrule.append(";BYDAY=").append(dayList).append(";BYSETPOS=").append(position);
        }
    }

    private static int position(WeekIndex index) {
        return switch (index) {
            case First -> 1;
            case Second -> 2;
            case Third -> 3;
            case Fourth -> 4;
            case Last -> -1;
        };
    }

    private static String dayList(List<DayOfWeek> days, IcalTime dtstart) {
        TreeSet<Integer> ordered = new TreeSet<>();
        if (days != null) {
            for (DayOfWeek day : days) {
                if (day != null) {
                    ordered.add(indexOf(day));
                }
            }
        }
        if (ordered.isEmpty()) {
            if (dtstart == null) {
                throw new MappingException("recurrence without daysOfWeek");
            }
            ordered.add((dtstart.isDate() ? dtstart.date() : dtstart.local().toLocalDate()).getDayOfWeek().getValue() - 1);
        }
        StringBuilder list = new StringBuilder();
        for (int i : ordered) {
            list.append(list.length() == 0 ? "" : ",").append(ICAL_DAYS[i]);
        }
        return list.toString();
    }

    private static int indexOf(DayOfWeek day) {
        for (int i = 0; i < GRAPH_DAYS.length; i++) {
            if (GRAPH_DAYS[i] == day) {
                return i;
            }
        }
        throw new IllegalArgumentException(String.valueOf(day));
    }

    private static String icalDay(DayOfWeek day) {
        return ICAL_DAYS[indexOf(day)];
    }

    private static int dayOfMonth(RecurrencePattern pattern) {
        Integer day = pattern.getDayOfMonth();
        if (day == null || day < 1 || day > 31) {
            throw new MappingException(pattern.getType().getValue() + " recurrence with dayOfMonth " + day);
        }
        return day;
    }

    private static int month(RecurrencePattern pattern) {
        Integer month = pattern.getMonth();
        if (month == null || month < 1 || month > 12) {
            throw new MappingException(pattern.getType().getValue() + " recurrence with month " + month);
        }
        return month;
    }

    // ---------------------------------------------------------------- iCalendar -> Graph

    private static final Set<String> KNOWN_PARTS = Set.of(
        "FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST");

    /**
     * The Graph recurrence for an RRULE.
     *
     * @param dtstart the series' DTSTART
     * @param zone the zone DTSTART is in (UNTIL is converted to a local end date in it)
     * @param windowsZone Graph's name of that zone, for {@code recurrenceTimeZone}
     * @throws MappingException naming the part of the rule Graph cannot express
     */
    static PatternedRecurrence fromRrule(String rruleText, IcalTime dtstart, ZoneId zone, String windowsZone) {
        Map<String, String> parts = parse(rruleText);
        for (String part : parts.keySet()) {
            if (!KNOWN_PARTS.contains(part)) {
                throw unsupported(rruleText, part + " cannot be expressed in an Exchange recurrence pattern");
            }
        }
        String freq = parts.get("FREQ");
        if (freq == null) {
            throw unsupported(rruleText, "FREQ is missing");
        }
        int interval = parts.containsKey("INTERVAL") ? positiveInt(parts.get("INTERVAL"), rruleText, "INTERVAL") : 1;
        LocalDate startDate = dtstart.isDate() ? dtstart.date() : dtstart.local().toLocalDate();

        List<int[]> byDay = parseByDay(parts.get("BYDAY"), rruleText); // {ordinal (0 = none), day index}
        List<Integer> byMonthDay = intList(parts.get("BYMONTHDAY"), rruleText, "BYMONTHDAY");
        List<Integer> byMonth = intList(parts.get("BYMONTH"), rruleText, "BYMONTH");
        List<Integer> bySetPos = intList(parts.get("BYSETPOS"), rruleText, "BYSETPOS");
        if (byMonth.size() > 1) {
            throw unsupported(rruleText, "Exchange repeats in one month of the year, not in several (BYMONTH=" + parts.get("BYMONTH") + ")");
        }
        if (byMonthDay.size() > 1) {
            throw unsupported(rruleText, "Exchange repeats on one day of the month, not on several (BYMONTHDAY=" + parts.get("BYMONTHDAY") + ")");
        }
        if (!byMonthDay.isEmpty() && (byMonthDay.get(0) < 1)) {
            throw unsupported(rruleText, "Exchange cannot count days from the end of the month (BYMONTHDAY=" + byMonthDay.get(0) + ")");
        }
        if (bySetPos.size() > 1) {
            throw unsupported(rruleText, "Exchange takes one position in the month (BYSETPOS=" + parts.get("BYSETPOS") + ")");
        }

        RecurrencePattern pattern = new RecurrencePattern();
        pattern.setInterval(interval);
        switch (freq.toUpperCase(Locale.ROOT)) {
            case "DAILY" -> {
                requireNone(rruleText, byMonthDay, "BYMONTHDAY", byMonth, "BYMONTH", bySetPos, "BYSETPOS");
                if (byDay.isEmpty()) {
                    pattern.setType(RecurrencePatternType.Daily);
                } else if (interval == 1) {
                    // "every weekday" written as DAILY;BYDAY=MO,...,FR is Exchange's weekly pattern
                    pattern.setType(RecurrencePatternType.Weekly);
                    pattern.setDaysOfWeek(plainDays(byDay, rruleText));
                    pattern.setFirstDayOfWeek(weekStart(parts.get("WKST"), rruleText));
                } else {
                    throw unsupported(rruleText, "a daily rule limited to weekdays repeats only every day in Exchange (INTERVAL=" + interval + ")");
                }
            }
            case "WEEKLY" -> {
                requireNone(rruleText, byMonthDay, "BYMONTHDAY", byMonth, "BYMONTH", bySetPos, "BYSETPOS");
                pattern.setType(RecurrencePatternType.Weekly);
                pattern.setDaysOfWeek(byDay.isEmpty()
                    ? List.of(GRAPH_DAYS[startDate.getDayOfWeek().getValue() - 1])
                    : plainDays(byDay, rruleText));
                pattern.setFirstDayOfWeek(weekStart(parts.get("WKST"), rruleText));
            }
            case "MONTHLY" -> {
                requireNone(rruleText, byMonth, "BYMONTH");
                if (byDay.isEmpty()) {
                    requireNone(rruleText, bySetPos, "BYSETPOS");
                    pattern.setType(RecurrencePatternType.AbsoluteMonthly);
                    pattern.setDayOfMonth(byMonthDay.isEmpty() ? startDate.getDayOfMonth() : byMonthDay.get(0));
                } else {
                    requireNone(rruleText, byMonthDay, "BYMONTHDAY");
                    pattern.setType(RecurrencePatternType.RelativeMonthly);
                    relative(pattern, byDay, bySetPos, rruleText);
                }
            }
            case "YEARLY" -> {
                int month = byMonth.isEmpty() ? startDate.getMonthValue() : byMonth.get(0);
                if (month < 1 || month > 12) {
                    throw unsupported(rruleText, "BYMONTH=" + month + " is not a month");
                }
                pattern.setMonth(month);
                if (byDay.isEmpty()) {
                    requireNone(rruleText, bySetPos, "BYSETPOS");
                    pattern.setType(RecurrencePatternType.AbsoluteYearly);
                    pattern.setDayOfMonth(byMonthDay.isEmpty() ? startDate.getDayOfMonth() : byMonthDay.get(0));
                } else {
                    requireNone(rruleText, byMonthDay, "BYMONTHDAY");
                    if (byMonth.isEmpty()) {
                        throw unsupported(rruleText, "a yearly rule by weekday needs BYMONTH in Exchange");
                    }
                    pattern.setType(RecurrencePatternType.RelativeYearly);
                    relative(pattern, byDay, bySetPos, rruleText);
                }
            }
            default -> throw unsupported(rruleText, "Exchange has no " + freq + " recurrence");
        }

        RecurrenceRange range = new RecurrenceRange();
        range.setStartDate(startDate);
        range.setRecurrenceTimeZone(windowsZone);
        if (parts.containsKey("COUNT") && parts.containsKey("UNTIL")) {
            throw unsupported(rruleText, "COUNT and UNTIL together");
        }
        if (parts.containsKey("COUNT")) {
            range.setType(RecurrenceRangeType.Numbered);
            range.setNumberOfOccurrences(positiveInt(parts.get("COUNT"), rruleText, "COUNT"));
        } else if (parts.containsKey("UNTIL")) {
            range.setType(RecurrenceRangeType.EndDate);
            range.setEndDate(endDate(parts.get("UNTIL"), dtstart, zone));
        } else {
            range.setType(RecurrenceRangeType.NoEnd);
        }

        PatternedRecurrence recurrence = new PatternedRecurrence();
        recurrence.setPattern(pattern);
        recurrence.setRange(range);
        return recurrence;
    }

    /**
     * Graph's inclusive end date for an UNTIL: the local date of UNTIL in the series' zone, one day earlier
     * when UNTIL falls before the series' time of day on that date (no occurrence on that date then).
     */
    static LocalDate endDate(String untilText, IcalTime dtstart, ZoneId zone) {
        IcalTime until = IcalTime.parse(untilText, false, null);
        if (until.isDate()) {
            return until.date();
        }
        LocalDateTime localUntil = until.zone() == null ? until.local()
            : LocalDateTime.ofInstant(until.instant(zone), zone);
        if (dtstart.isDate()) {
            return localUntil.toLocalDate();
        }
        LocalDate date = localUntil.toLocalDate();
        return localUntil.toLocalTime().isBefore(dtstart.local().toLocalTime()) ? date.minusDays(1) : date;
    }

    private static void relative(RecurrencePattern pattern, List<int[]> byDay, List<Integer> bySetPos, String rruleText) {
        Set<Integer> ordinals = new TreeSet<>();
        List<DayOfWeek> days = new ArrayList<>();
        for (int[] day : byDay) {
            ordinals.add(day[0]);
            days.add(GRAPH_DAYS[day[1]]);
        }
        int position;
        if (ordinals.size() != 1) {
            throw unsupported(rruleText, "Exchange takes one position for all weekdays of the rule");
        }
        int ordinal = ordinals.iterator().next();
        if (ordinal != 0) {
            if (days.size() > 1) {
                // 1MO,1TU means two occurrences a month; Exchange's pattern would mean the first of either
                throw unsupported(rruleText, "several weekdays each with a position have no Exchange pattern");
            }
            if (!bySetPos.isEmpty()) {
                throw unsupported(rruleText, "BYSETPOS with ordinal weekdays");
            }
            position = ordinal;
        } else if (bySetPos.isEmpty()) {
            throw unsupported(rruleText, "every such weekday of the month (BYDAY without position) has no Exchange pattern");
        } else {
            position = bySetPos.get(0);
        }
        pattern.setIndex(switch (position) {
            case 1 -> WeekIndex.First;
            case 2 -> WeekIndex.Second;
            case 3 -> WeekIndex.Third;
            case 4 -> WeekIndex.Fourth;
            case -1 -> WeekIndex.Last;
            default -> throw unsupported(rruleText, "Exchange counts weekdays first to fourth or last, not " + position);
        });
        pattern.setDaysOfWeek(days);
    }

    private static List<DayOfWeek> plainDays(List<int[]> byDay, String rruleText) {
        EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        List<DayOfWeek> ordered = new ArrayList<>();
        for (int[] day : byDay) {
            if (day[0] != 0) {
                throw unsupported(rruleText, "weekday positions (BYDAY=" + day[0] + ICAL_DAYS[day[1]] + ") only in monthly or yearly rules");
            }
            if (days.add(GRAPH_DAYS[day[1]])) {
                ordered.add(GRAPH_DAYS[day[1]]);
            }
        }
        return ordered;
    }

    private static DayOfWeek weekStart(String wkst, String rruleText) {
        if (wkst == null) {
            // RFC 5545's default week start is Monday (Graph's default would be Sunday)
            return DayOfWeek.Monday;
        }
        for (int i = 0; i < ICAL_DAYS.length; i++) {
            if (ICAL_DAYS[i].equalsIgnoreCase(wkst.trim())) {
                return GRAPH_DAYS[i];
            }
        }
        throw unsupported(rruleText, "WKST=" + wkst + " is not a weekday");
    }

    private static Map<String, String> parse(String rruleText) {
        Map<String, String> parts = new LinkedHashMap<>();
        String text = rruleText.trim();
        if (text.regionMatches(true, 0, "RRULE:", 0, 6)) {
            text = text.substring(6);
        }
        for (String part : text.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw unsupported(rruleText, "'" + part + "' is not NAME=VALUE");
            }
            String name = part.substring(0, eq).trim().toUpperCase(Locale.ROOT);
            if (parts.put(name, part.substring(eq + 1).trim()) != null) {
                throw unsupported(rruleText, name + " appears twice");
            }
        }
        return parts;
    }

    private static List<int[]> parseByDay(String value, String rruleText) {
        List<int[]> days = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return days;
        }
        for (String item : value.split(",")) {
            String day = item.trim().toUpperCase(Locale.ROOT);
            if (day.length() < 2) {
                throw unsupported(rruleText, "BYDAY " + item + " is not a weekday");
            }
            String name = day.substring(day.length() - 2);
            String ordinalText = day.substring(0, day.length() - 2);
            int index = -1;
            for (int i = 0; i < ICAL_DAYS.length; i++) {
                if (ICAL_DAYS[i].equals(name)) {
                    index = i;
                }
            }
            if (index < 0) {
                throw unsupported(rruleText, "BYDAY " + item + " is not a weekday");
            }
            int ordinal;
            try {
                ordinal = ordinalText.isEmpty() ? 0 : Integer.parseInt(ordinalText.startsWith("+") ? ordinalText.substring(1) : ordinalText);
            } catch (NumberFormatException e) {
                throw unsupported(rruleText, "BYDAY " + item + " has no readable position");
            }
            days.add(new int[] {ordinal, index});
        }
        return days;
    }

    private static List<Integer> intList(String value, String rruleText, String part) {
        List<Integer> numbers = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return numbers;
        }
        for (String item : value.split(",")) {
            try {
                numbers.add(Integer.parseInt(item.trim().startsWith("+") ? item.trim().substring(1) : item.trim()));
            } catch (NumberFormatException e) {
                throw unsupported(rruleText, part + " value " + item + " is not a number");
            }
        }
        return numbers;
    }

    private static int positiveInt(String value, String rruleText, String part) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number < 1) {
                throw unsupported(rruleText, part + " must be at least 1");
            }
            return number;
        } catch (NumberFormatException e) {
            throw unsupported(rruleText, part + "=" + value + " is not a number");
        }
    }

    private static void requireNone(String rruleText, Object... listsAndNames) {
        for (int i = 0; i < listsAndNames.length; i += 2) {
            if (!((List<?>) listsAndNames[i]).isEmpty()) {
                throw unsupported(rruleText, listsAndNames[i + 1] + " in this kind of rule has no Exchange pattern");
            }
        }
    }

    private static MappingException unsupported(String rruleText, String why) {
        return new MappingException("Exchange cannot store the recurrence 'RRULE:" + rruleText + "': " + why);
    }
}
