package io.nexchange.graph.calendar.mapping;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneOffsetTransitionRule;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.fortuna.ical4j.model.component.Daylight;
import net.fortuna.ical4j.model.component.Observance;
import net.fortuna.ical4j.model.component.Standard;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.model.property.DtStart;
import net.fortuna.ical4j.model.property.RRule;
import net.fortuna.ical4j.model.property.TzId;
import net.fortuna.ical4j.model.property.TzOffsetFrom;
import net.fortuna.ical4j.model.property.TzOffsetTo;

/**
 * Writes VTIMEZONE components from the JDK's zone rules, covering the years from (the first time used
 * in the object − 1) onwards: the transitions of those years, then the zone's current rules as yearly
 * RRULEs.
 *
 * <p>Why not ical4j's bundled definitions: they reach back to 1893 (~100 lines for Europe/Berlin in every
 * event), ical4j fetches updates from tzurl.org unless told not to, and their tzdata version differs from
 * the JDK's that computes the local times written in the same object. Built from the JDK's rules the
 * VTIMEZONE always agrees with the DTSTARTs beside it. Clients such as Nextcloud (sabre/vobject) and
 * Thunderbird resolve the IANA TZID themselves; the VTIMEZONE serves clients that read it.
 */
final class VTimeZones {

    private VTimeZones() {
    }

    static VTimeZone build(ZoneId zone, int firstYearUsed) {
        ZoneRules rules = zone.getRules();
        int fromYear = firstYearUsed - 1;
        LocalDateTime from = LocalDateTime.of(fromYear, 1, 1, 0, 0);
        java.time.Instant fromInstant = from.atOffset(rules.getOffset(from)).toInstant();

        List<Observance> observances = new ArrayList<>();
        // the offset in force at the start of the covered range, so that no covered time lacks an observance
        ZoneOffset initial = rules.getOffset(fromInstant);
        observances.add(observance(!rules.isDaylightSavings(fromInstant), from, initial, initial, null));

        List<ZoneOffsetTransition> historic = rules.getTransitions();
        int lastHistoricYear = historic.isEmpty() ? Integer.MIN_VALUE
            : historic.get(historic.size() - 1).getDateTimeBefore().getYear();
        for (ZoneOffsetTransition transition : historic) {
            if (!transition.getInstant().isBefore(fromInstant)) {
                observances.add(observance(transition, rules, null));
            }
        }
        int rulesFromYear = Math.max(fromYear, lastHistoricYear + 1);
        for (ZoneOffsetTransitionRule rule : rules.getTransitionRules()) {
            ZoneOffsetTransition first = rule.createTransition(rulesFromYear);
            // rules given in UTC or standard time can fall on another local day than the rule's own date
            // (Chile: "Sunday >= 2 at 03:00 UTC" is Saturday evening in Santiago)
            int dayShift = (int) java.time.temporal.ChronoUnit.DAYS.between(nominalDate(rule, rulesFromYear), first.getDateTimeBefore().toLocalDate());
            String rrule = yearlyRule(rule, dayShift);
            if (rrule != null) {
                observances.add(observance(first, rules, rrule));
            } else {
                // no RRULE says it: list the transitions for the next decades
                for (int year = rulesFromYear; year <= firstYearUsed + EXPLICIT_YEARS; year++) {
                    observances.add(observance(rule.createTransition(year), rules, null));
                }
            }
        }

        VTimeZone vtimezone = new VTimeZone();
        vtimezone.add(new TzId(zone.getId()));
        for (Observance observance : observances) {
            vtimezone.add(observance);
        }
        return vtimezone;
    }

    private static Observance observance(ZoneOffsetTransition transition, ZoneRules rules, String rrule) {
        boolean standard = !rules.isDaylightSavings(transition.getInstant());
        return observance(standard, transition.getDateTimeBefore(), transition.getOffsetBefore(), transition.getOffsetAfter(), rrule);
    }

    private static Observance observance(boolean standard, LocalDateTime onset, ZoneOffset from, ZoneOffset to, String rrule) {
        Observance observance = standard ? new Standard() : new Daylight();
        // DTSTART of an observance is the local time before the transition, without TZID (RFC 5545 3.6.5)
        observance.add(new DtStart<>(IcalTime.DATE_TIME.format(onset)));
        observance.add(new TzOffsetFrom(from));
        observance.add(new TzOffsetTo(to));
        if (rrule != null) {
            observance.add(new RRule<>(rrule));
        }
        return observance;
    }

    /** How many years of transitions are listed for a zone whose rule has no RRULE form. */
    static final int EXPLICIT_YEARS = 40;

    /** The date a transition rule names in a year, before its time of day is applied. */
    private static java.time.LocalDate nominalDate(ZoneOffsetTransitionRule rule, int year) {
        int indicator = rule.getDayOfMonthIndicator();
        java.time.LocalDate date = indicator < 0
            ? java.time.LocalDate.of(year, rule.getMonth(), rule.getMonth().length(java.time.Year.isLeap(year)) + 1 + indicator)
            : java.time.LocalDate.of(year, rule.getMonth(), indicator);
        if (rule.getDayOfWeek() != null) {
            date = date.with(indicator < 0 ? java.time.temporal.TemporalAdjusters.previousOrSame(rule.getDayOfWeek())
                : java.time.temporal.TemporalAdjusters.nextOrSame(rule.getDayOfWeek()));
        }
        // "24:00" rules (Egypt: last Thursday at 24:00) start the next day: that shows as a day shift
        return date;
    }

    static String yearlyRule(ZoneOffsetTransitionRule rule) {
        return yearlyRule(rule, 0);
    }

    /**
     * The RRULE of a java.time transition rule ("last Sunday of March", "Sunday on or after the 8th"), for
     * onsets {@code dayShift} days after the rule's date; null if no RRULE expresses it.
     */
    static String yearlyRule(ZoneOffsetTransitionRule rule, int dayShift) {
        Month month = rule.getMonth();
        int indicator = rule.getDayOfMonthIndicator();
        DayOfWeek dow = rule.getDayOfWeek();
        if (dayShift != 0) {
            if (indicator < 0 || (dow == null && (indicator + dayShift < 1 || indicator + dayShift > month.minLength()))) {
                return null;
            }
            indicator += dayShift;
            if (dow != null) {
                dow = dow.plus(dayShift);
                if (indicator < 1) {
                    return null;
                }
            }
        }
        StringBuilder rrule = new StringBuilder("FREQ=YEARLY;BYMONTH=").append(month.getValue());
        if (dow == null) {
            // a fixed day; negative counts from the end of the month (-1 = the last day), as in RFC 5545
            return rrule.append(";BYMONTHDAY=").append(indicator).toString();
        }
        String day = dow.getDisplayName(TextStyle.SHORT, Locale.ROOT).substring(0, 2).toUpperCase(Locale.ROOT);
        if (indicator < 0) {
            // dow on or before the (-indicator)th-last day; -1 = the last such weekday of the month
            if (indicator == -1) {
                return rrule.append(";BYDAY=-1").append(day).toString();
            }
            int k = -indicator;
            return rrule.append(";BYDAY=").append(day).append(";BYMONTHDAY=").append(monthDayRange(-(k + 6), -k)).toString();
        }
        int lastWeekStart = month.minLength() - 6;
        if ((indicator - 1) % 7 == 0) {
            rrule.append(";BYDAY=").append((indicator - 1) / 7 + 1).append(day);
        } else if (indicator == lastWeekStart && month.minLength() == month.maxLength()) {
            rrule.append(";BYDAY=-1").append(day);
        } else if (indicator + 6 <= month.minLength()) {
            // "dow on or after the Nth": one of the seven days from N
            rrule.append(";BYDAY=").append(day).append(";BYMONTHDAY=").append(monthDayRange(indicator, indicator + 6));
        } else {
            // the seven days run into the next month (Egypt: "Friday on or after 26 October"): no RRULE for it
            return null;
        }
        return rrule.toString();
    }

    private static String monthDayRange(int from, int to) {
        StringBuilder days = new StringBuilder();
        for (int d = Math.min(from, to); d <= Math.max(from, to); d++) {
            if (d == 0) {
                continue;
            }
            if (days.length() > 0) {
                days.append(',');
            }
            days.append(d);
        }
        return days.toString();
    }
}
