package io.nexchange.graph.calendar.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.time.LocalDateTime;
import java.util.TreeSet;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.Recur;
import net.fortuna.ical4j.model.component.Observance;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.util.Configurator;
import org.junit.jupiter.api.Test;

class TimeZonesTest {

    private final WindowsZones zones = WindowsZones.load();

    private static List<String[]> table(String kind) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = WindowsZones.class.getResourceAsStream(WindowsZones.TABLE_RESOURCE)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith(kind + "\t")) {
                    rows.add(line.split("\t"));
                }
            }
        }
        return rows;
    }

    @Test
    void everyWindowsZoneResolvesAndMapsBackToItself() throws IOException {
        List<String[]> windows = table("W");
        assertTrue(windows.size() > 130, "CLDR lists ~139 Windows zones, table has " + windows.size());
        for (String[] row : windows) {
            ZoneId zone = zones.zoneOf(row[1]).orElseThrow(() -> new AssertionError(row[1]));
            assertEquals(row[1], zones.windowsNameOf(zone), row[1] + " -> " + zone);
            assertEquals(zone, zones.zoneOf(row[1].toUpperCase()).orElseThrow(), "case-insensitive");
        }
    }

    @Test
    void exchangeSpellingsOfUtcAndIanaNamesResolve() {
        for (String utc : List.of("UTC", "tzone://Microsoft/Utc", "Etc/UTC", "GMT")) {
            assertEquals(Optional.of(ZoneOffset.UTC), zones.zoneOf(utc), utc);
        }
        assertEquals(Optional.of(ZoneId.of("Europe/Berlin")), zones.zoneOf("Europe/Berlin"));
        assertEquals(Optional.empty(), zones.zoneOf("Customized Time Zone"));
        assertEquals(Optional.empty(), zones.zoneOf("Nowhere/Special"));
        assertEquals("UTC", zones.windowsNameOf(ZoneId.of("Etc/UTC")));
        assertEquals("Romance Standard Time", zones.windowsNameOf(ZoneId.of("Europe/Paris")));
        assertEquals("India Standard Time", zones.windowsNameOf(ZoneId.of("Asia/Kolkata")));
        MappingException e = assertThrows(MappingException.class, () -> zones.windowsNameOf(ZoneOffset.ofHoursMinutes(5, 45)));
        assertTrue(e.getMessage().contains("+05:45"), e.getMessage());
    }

    @Test
    void vtimezoneAgreesWithJdkRulesForEveryWindowsZone() throws IOException {
        // every zone Exchange can name: the onsets of the VTIMEZONE written for 2020 onwards, expanded by ical4j's
        // RRULE engine, are exactly the JDK's transitions up to 2035 (local time before, offset before and after).
        // (ical4j's TimeZone.getOffset is not used: it is off for hours around transitions.)
        int checked = 0;
        for (String[] row : table("W")) {
            ZoneId zone = zones.zoneOf(row[1]).orElseThrow();
            if (zone instanceof ZoneOffset) {
                continue;
            }
            VTimeZone vtimezone = VTimeZones.build(zone, 2020);
            LocalDateTime from = LocalDateTime.of(2019, 1, 1, 0, 0);
            LocalDateTime to = LocalDateTime.of(2036, 1, 1, 0, 0);
            TreeSet<String> onsets = new TreeSet<>();
            for (Observance observance : vtimezone.getObservances()) {
                LocalDateTime start = LocalDateTime.parse(observance.getProperty(Property.DTSTART).orElseThrow().getValue(), IcalTime.DATE_TIME);
                String offsets = observance.getProperty(Property.TZOFFSETFROM).orElseThrow().getValue() + ">"
                    + observance.getProperty(Property.TZOFFSETTO).orElseThrow().getValue();
                if (offsets.substring(0, 5).equals(offsets.substring(6))) {
                    continue; // the observance in force at the start of the range, not a transition
                }
                Optional<Property> rrule = observance.getProperty(Property.RRULE);
                List<LocalDateTime> dates = rrule.isEmpty() ? List.of(start)
                    : new Recur<LocalDateTime>(rrule.get().getValue()).getDates(start, start, to);
                for (LocalDateTime date : dates) {
                    if (!date.isBefore(from) && date.isBefore(to)) {
                        onsets.add(date + " " + offsets);
                    }
                }
            }
            TreeSet<String> expected = new TreeSet<>();
            ZoneOffsetTransition transition = zone.getRules().nextTransition(from.atZone(zone).toInstant().minusSeconds(1));
            while (transition != null && transition.getDateTimeBefore().isBefore(to)) {
                expected.add(transition.getDateTimeBefore() + " " + utcOffset(transition.getOffsetBefore()) + ">" + utcOffset(transition.getOffsetAfter()));
                transition = zone.getRules().nextTransition(transition.getInstant());
            }
            assertEquals(expected, onsets, zone + "\n" + vtimezone);
            checked += expected.size();
        }
        assertTrue(checked > 1000, "checked " + checked + " transitions");
    }

    private static String utcOffset(ZoneOffset offset) {
        return new net.fortuna.ical4j.model.property.TzOffsetTo(offset).getValue();
    }

    @Test
    void yearlyRulesOfCommonZones() {
        assertEquals("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", VTimeZones.yearlyRule(ZoneId.of("Europe/Berlin").getRules().getTransitionRules().get(0)));
        assertEquals("FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", VTimeZones.yearlyRule(ZoneId.of("America/New_York").getRules().getTransitionRules().get(0)));
        assertEquals("FREQ=YEARLY;BYMONTH=4;BYDAY=1SU", VTimeZones.yearlyRule(ZoneId.of("Australia/Sydney").getRules().getTransitionRules().get(0)));
    }

    @Test
    void ical4jNeverFetchesZonesFromTheInternet() {
        // ical4j.properties in the bundle switches tzurl.org updates off; see VTimeZones for why
        assertEquals(Optional.of("false"), Configurator.getProperty("net.fortuna.ical4j.timezone.update.enabled"));
    }
}
