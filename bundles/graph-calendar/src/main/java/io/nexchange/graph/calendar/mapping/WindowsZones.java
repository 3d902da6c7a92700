package io.nexchange.graph.calendar.mapping;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Translates between the time-zone names Exchange uses ("W. Europe Standard Time") and IANA zones
 * ("Europe/Berlin"), following CLDR's windowsZones mapping. The table is generated from CLDR (see the
 * test-side {@code WindowsZonesTableGenerator}) and loaded once per instance; instances are immutable.
 */
public final class WindowsZones {

    static final String TABLE_RESOURCE = "windows-zones.txt";

    /** Names Exchange uses for UTC besides the CLDR name "UTC". */
    private static final Map<String, ZoneId> UTC_ALIASES = Map.of(
        "utc", ZoneOffset.UTC,
        "tzone://microsoft/utc", ZoneOffset.UTC,
        "etc/utc", ZoneOffset.UTC,
        "gmt", ZoneOffset.UTC,
        "z", ZoneOffset.UTC);

    private final Map<String, String> windowsToIana;
    private final Map<String, String> ianaToWindows;
    /** Deprecated IANA names (links such as Asia/Calcutta) to their canonical zone (Asia/Kolkata). */
    private final Map<String, String> links;

    private WindowsZones(Map<String, String> windowsToIana, Map<String, String> ianaToWindows, Map<String, String> links) {
        this.windowsToIana = Map.copyOf(windowsToIana);
        this.ianaToWindows = Map.copyOf(ianaToWindows);
        this.links = Map.copyOf(links);
    }

    /** Loads the table bundled with this class. */
    public static WindowsZones load() {
        Map<String, String> windowsToIana = new HashMap<>();
        Map<String, String> ianaToWindows = new HashMap<>();
        Map<String, String> links = new HashMap<>();
        try (InputStream in = WindowsZones.class.getResourceAsStream(TABLE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(TABLE_RESOURCE + " is missing from the bundle");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t");
                switch (cols[0]) {
                    // Exchange compares zone names case-insensitively, so do we
                    case "W" -> windowsToIana.put(cols[1].toLowerCase(Locale.ROOT), cols[2]);
                    case "I" -> ianaToWindows.put(cols[1], cols[2]);
                    case "A" -> links.put(cols[1], cols[2]);
                    default -> throw new IllegalStateException(TABLE_RESOURCE + ": unknown line kind '" + cols[0] + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TABLE_RESOURCE, e);
        }
        return new WindowsZones(windowsToIana, ianaToWindows, links);
    }

    /**
     * The zone a Graph time-zone name stands for: a Windows name, one of Exchange's spellings of UTC, or
     * an IANA name (Graph accepts and sometimes echoes those). Empty for names no table knows, such as
     * "Customized Time Zone" (a zone defined only inside the Outlook item). A deprecated IANA name
     * (Asia/Calcutta) gives the canonical zone (Asia/Kolkata), so only canonical names are written.
     */
    public Optional<ZoneId> zoneOf(String graphName) {
        if (graphName == null || graphName.isBlank()) {
            return Optional.empty();
        }
        String name = graphName.trim();
        String lower = name.toLowerCase(Locale.ROOT);
        ZoneId utc = UTC_ALIASES.get(lower);
        if (utc != null) {
            return Optional.of(utc);
        }
        String iana = windowsToIana.get(lower);
        if (iana != null) {
            return Optional.of(normalise(ZoneId.of(iana)));
        }
        if (name.indexOf('/') > 0) {
            try {
                return Optional.of(normalise(ZoneId.of(links.getOrDefault(name, name))));
            } catch (DateTimeException notIana) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The Windows name Graph should be given for a zone. UTC and fixed offsets without a Windows zone of
     * their own become "UTC" or the matching Etc/GMT zone's Windows name.
     *
     * @throws MappingException if CLDR knows no Windows zone for it
     */
    public String windowsNameOf(ZoneId zone) {
        ZoneId normalised = normalise(zone);
        if (normalised.equals(ZoneOffset.UTC)) {
            return "UTC";
        }
        String id = normalised.getId();
        if (normalised instanceof ZoneOffset offset && offset.getTotalSeconds() % 3600 == 0) {
            // Etc/GMT+5 is UTC-05:00 (POSIX sign)
            int hours = -offset.getTotalSeconds() / 3600;
            id = "Etc/GMT" + (hours >= 0 ? "+" : "") + hours;
        }
        String windows = ianaToWindows.get(id);
        if (windows == null && links.containsKey(id)) {
            windows = ianaToWindows.get(links.get(id));
        }
        if (windows == null) {
            throw new MappingException("Exchange has no time zone for " + zone.getId()
                + "; use a zone from the IANA database that CLDR maps to Windows (e.g. Europe/Berlin)");
        }
        return windows;
    }

    /** IANA spellings of UTC itself (not zones that merely sit at offset 0, like Europe/London in winter). */
    private static final java.util.Set<String> UTC_IDS = java.util.Set.of(
        "Z", "UTC", "GMT", "UT", "Etc/UTC", "Etc/UCT", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0",
        "Etc/Universal", "Etc/Zulu", "Etc/Greenwich", "UCT", "Universal", "Zulu", "Greenwich", "GMT0");

    /** UTC spelled any way becomes {@link ZoneOffset#UTC}, so that it is written as UTC, not as a TZID. */
    static ZoneId normalise(ZoneId zone) {
        if (zone instanceof ZoneOffset offset) {
            return offset.getTotalSeconds() == 0 ? ZoneOffset.UTC : offset;
        }
        return UTC_IDS.contains(zone.getId()) ? ZoneOffset.UTC : zone;
    }
}
