package io.nexchange.graph.calendar.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ibm.icu.util.TimeZone;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowsZonesTableTest {

    private static String committed() throws IOException {
        try (InputStream in = WindowsZones.class.getResourceAsStream(WindowsZones.TABLE_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String[]> lines(String kind) throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String line : committed().split("\n")) {
            if (line.startsWith(kind + "\t")) {
                out.add(line.split("\t"));
            }
        }
        return out;
    }

    @Test
    void committedTableMatchesCldrAsIcuCarriesIt() throws IOException {
        assertEquals(WindowsZonesTableGenerator.generate(), committed(),
            "windows-zones.txt is stale: regenerate it with WindowsZonesTableGenerator");
    }

    /** Every zone a Windows name becomes is the IANA-canonical one: not a link in ICU's IANA view, nor in the JDK's tzdb. */
    @Test
    void everyWindowsZoneBecomesACanonicalIanaZoneAndComesBack() throws IOException {
        Map<String, String> javaLinks = JavaTzdb.links();
        WindowsZones zones = WindowsZones.load();
        List<String[]> windows = lines("W");
        assertTrue(windows.size() > 130, "the whole table: " + windows.size());
        List<String> problems = new ArrayList<>();
        for (String[] line : windows) {
            String name = line[1];
            String iana = line[2];
            if (javaLinks.containsKey(iana)) {
                problems.add(name + " -> " + iana + " is a link to " + javaLinks.get(iana) + " in the JDK's tzdb");
            }
            String icuIana = TimeZone.getIanaID(iana);
            if (!iana.equals(icuIana) && !iana.equals(javaLinks.get(icuIana))) {
                problems.add(name + " -> " + iana + ", IANA (ICU) calls it " + icuIana);
            }
            if (!ZoneId.getAvailableZoneIds().contains(iana)) {
                problems.add(name + " -> " + iana + " is unknown to java.time");
            }
            ZoneId zone = zones.zoneOf(name).orElseThrow();
            String written = WindowsZones.normalise(zone).equals(java.time.ZoneOffset.UTC) ? "Etc/UTC" : zone.getId();
            if (!written.equals(iana)) {
                problems.add(name + " reads as " + written + ", not " + iana);
            }
            if (!zones.windowsNameOf(zone).equals(name)) {
                problems.add(name + " -> " + iana + " -> back as " + zones.windowsNameOf(zone));
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void deprecatedNamesReadAsTheirCanonicalZoneAndKeepTheirWindowsName() throws IOException {
        WindowsZones zones = WindowsZones.load();
        Map<String, String> javaLinks = JavaTzdb.links();
        assertEquals(ZoneId.of("Asia/Kolkata"), zones.zoneOf("India Standard Time").orElseThrow());
        assertEquals(ZoneId.of("Asia/Kolkata"), zones.zoneOf("Asia/Calcutta").orElseThrow());
        assertEquals(ZoneId.of("Europe/Kyiv"), zones.zoneOf("FLE Standard Time").orElseThrow());
        assertEquals("India Standard Time", zones.windowsNameOf(ZoneId.of("Asia/Calcutta")));
        List<String[]> links = lines("A");
        assertFalse(links.isEmpty());
        for (String[] line : links) {
            assertFalse(javaLinks.containsKey(line[2]), line[1] + " -> " + line[2] + " is itself a link");
            assertEquals(ZoneId.of(line[2]), zones.zoneOf(line[1]).map(z -> WindowsZones.normalise(z).equals(java.time.ZoneOffset.UTC)
                ? ZoneId.of(line[2]) : z).orElseThrow(), line[1]);
        }
    }
}
