package io.nexchange.sandbox.internal.store;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Windows time zone names (what Exchange stores and Graph echoes) and their IANA zones, after CLDR's
 * windowsZones.xml "001" territory mapping. The JDK knows only IANA ids, so the table is needed; the
 * subset covers the zones the generator uses and the common ones clients send.
 */
public final class TimeZones {
    private static final Map<String, String> WINDOWS_TO_IANA = new LinkedHashMap<>();
    /** lower-case Windows name or IANA id → Windows name as written (for EWS, which speaks Windows names). */
    private static final Map<String, String> WINDOWS_NAME = new LinkedHashMap<>();

    static {
        String[][] table = {
                {"Dateline Standard Time", "Etc/GMT+12"}, {"UTC-11", "Etc/GMT+11"},
                {"Hawaiian Standard Time", "Pacific/Honolulu"}, {"Alaskan Standard Time", "America/Anchorage"},
                {"Pacific Standard Time", "America/Los_Angeles"}, {"US Mountain Standard Time", "America/Phoenix"},
                {"Mountain Standard Time", "America/Denver"}, {"Central America Standard Time", "America/Guatemala"},
                {"Central Standard Time", "America/Chicago"}, {"Central Standard Time (Mexico)", "America/Mexico_City"},
                {"Canada Central Standard Time", "America/Regina"}, {"SA Pacific Standard Time", "America/Bogota"},
                {"Eastern Standard Time", "America/New_York"}, {"Venezuela Standard Time", "America/Caracas"},
                {"Atlantic Standard Time", "America/Halifax"}, {"Newfoundland Standard Time", "America/St_Johns"},
                {"E. South America Standard Time", "America/Sao_Paulo"}, {"Argentina Standard Time", "America/Argentina/Buenos_Aires"},
                {"UTC", "Etc/UTC"}, {"GMT Standard Time", "Europe/London"}, {"Greenwich Standard Time", "Africa/Abidjan"},
                {"Morocco Standard Time", "Africa/Casablanca"}, {"W. Europe Standard Time", "Europe/Berlin"},
                {"Central Europe Standard Time", "Europe/Budapest"}, {"Romance Standard Time", "Europe/Paris"},
                {"Central European Standard Time", "Europe/Warsaw"}, {"W. Central Africa Standard Time", "Africa/Lagos"},
                {"GTB Standard Time", "Europe/Bucharest"}, {"FLE Standard Time", "Europe/Kyiv"},
                {"Israel Standard Time", "Asia/Jerusalem"}, {"Egypt Standard Time", "Africa/Cairo"},
                {"South Africa Standard Time", "Africa/Johannesburg"}, {"Turkey Standard Time", "Europe/Istanbul"},
                {"Russian Standard Time", "Europe/Moscow"}, {"Arab Standard Time", "Asia/Riyadh"},
                {"Iran Standard Time", "Asia/Tehran"}, {"Arabian Standard Time", "Asia/Dubai"},
                {"Afghanistan Standard Time", "Asia/Kabul"}, {"Pakistan Standard Time", "Asia/Karachi"},
                {"India Standard Time", "Asia/Kolkata"}, {"Sri Lanka Standard Time", "Asia/Colombo"},
                {"Nepal Standard Time", "Asia/Kathmandu"}, {"Bangladesh Standard Time", "Asia/Dhaka"},
                {"Myanmar Standard Time", "Asia/Yangon"}, {"SE Asia Standard Time", "Asia/Bangkok"},
                {"China Standard Time", "Asia/Shanghai"}, {"Singapore Standard Time", "Asia/Singapore"},
                {"Taipei Standard Time", "Asia/Taipei"}, {"W. Australia Standard Time", "Australia/Perth"},
                {"Tokyo Standard Time", "Asia/Tokyo"}, {"Korea Standard Time", "Asia/Seoul"},
                {"Cen. Australia Standard Time", "Australia/Adelaide"}, {"AUS Central Standard Time", "Australia/Darwin"},
                {"E. Australia Standard Time", "Australia/Brisbane"}, {"AUS Eastern Standard Time", "Australia/Sydney"},
                {"Tasmania Standard Time", "Australia/Hobart"}, {"New Zealand Standard Time", "Pacific/Auckland"},
                {"Chatham Islands Standard Time", "Pacific/Chatham"}, {"Tonga Standard Time", "Pacific/Tongatapu"},
                {"Line Islands Standard Time", "Pacific/Kiritimati"},
        };
        for (String[] row : table) {
            WINDOWS_TO_IANA.put(row[0].toLowerCase(Locale.ROOT), row[1]);
            WINDOWS_NAME.put(row[0].toLowerCase(Locale.ROOT), row[0]);
            WINDOWS_NAME.putIfAbsent(row[1].toLowerCase(Locale.ROOT), row[0]);
        }
    }

    private TimeZones() {
    }

    /** The zone for a Windows or IANA name; empty when unknown. */
    public static Optional<ZoneId> find(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String iana = WINDOWS_TO_IANA.get(name.trim().toLowerCase(Locale.ROOT));
        try {
            return Optional.of(ZoneId.of(iana != null ? iana : name.trim()));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The zone for a name, UTC when unknown (what Graph does with an unrecognised Prefer zone). */
    public static ZoneId zoneOrUtc(String name) {
        return find(name).orElse(ZoneOffset.UTC);
    }

    public static boolean isKnown(String name) {
        return find(name).isPresent();
    }

    /**
     * The Windows name for a Windows or IANA name (EWS StartTimeZone Id); an IANA zone outside the
     * table maps to the Windows zone of the same rules when one exists, else "UTC".
     */
    public static String windowsName(String name) {
        if (name == null || name.isBlank()) {
            return "UTC";
        }
        String w = WINDOWS_NAME.get(name.trim().toLowerCase(Locale.ROOT));
        if (w != null) {
            return w;
        }
        Optional<ZoneId> zone = find(name);
        if (zone.isPresent()) {
            for (Map.Entry<String, String> e : WINDOWS_TO_IANA.entrySet()) {
                if (ZoneId.of(e.getValue()).getRules().equals(zone.get().getRules())) {
                    return WINDOWS_NAME.get(e.getKey());
                }
            }
        }
        return "UTC";
    }
}
