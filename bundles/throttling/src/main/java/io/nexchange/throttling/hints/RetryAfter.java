package io.nexchange.throttling.hints;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses an HTTP {@code Retry-After} value (RFC 9110 §10.2.3) as Microsoft Graph sends it.
 *
 * <p>Accepted forms:
 * <ul>
 *   <li>delta-seconds, also with a decimal fraction as Graph sends it ({@code 2.128});</li>
 *   <li>HTTP-date in all three RFC 9110 §5.6.7 formats: IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}),
 *       obsolete RFC 850 ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and asctime ({@code Sun Nov  6 08:49:37 1994});</li>
 *   <li>a comma-separated list, which is what several {@code Retry-After} fields become once an HTTP stack
 *       joins them: the largest valid element wins (waiting too long costs throughput, too short costs a 429).</li>
 * </ul>
 * A date in the past gives {@link Duration#ZERO}. Negative numbers, garbage and empty values give
 * {@link Optional#empty()}: the caller then backs off exponentially as if no hint was given. Values are
 * capped at {@link #CEILING} so that overflowing numbers cannot park a key for ever; the policy applies its own,
 * smaller cap.
 *
 * <p>Hand-written rather than {@code DateTimeFormatter.RFC_1123_DATE_TIME} because that formatter covers only
 * the first of the three formats and no fractions (Kiota's Java RetryHandler uses exactly that pair and fails
 * on {@code Retry-After: 2.128}).
 */
public final class RetryAfter {

    /** Upper bound of any parsed value: one day. */
    public static final Duration CEILING = Duration.ofDays(1);

    private static final String[] SHORT_DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    private static final String[] LONG_DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};

    private RetryAfter() {
    }

    /**
     * @param value the header value, may be {@code null}
     * @param now the current wall-clock time, for HTTP-dates
     * @return how long to wait, or empty when the value carries no usable hint
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
            return Optional.empty();
        }
        // A single IMF-fixdate or RFC 850 date contains one comma itself.
        Optional<Duration> whole = parseElement(trimmed, now);
        if (whole.isPresent() || trimmed.indexOf(',') < 0) {
            return whole;
        }
        Duration largest = null;
        String[] parts = trimmed.split(",");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            Optional<Duration> element;
            if (isDayName(part) && i + 1 < parts.length) {
                element = parseElement(part + "," + parts[i + 1], now);
                i++;
            } else {
                element = parseElement(part, now);
            }
            if (element.isPresent() && (largest == null || element.get().compareTo(largest) > 0)) {
                largest = element.get();
            }
        }
        return Optional.ofNullable(largest);
    }

    /** {@link #parse(String, Instant)} against the system clock. */
    public static Optional<Duration> parse(String value) {
        return parse(value, Instant.now());
    }

    private static Optional<Duration> parseElement(String element, Instant now) {
        String s = element.trim();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        char first = s.charAt(0);
        if (first >= '0' && first <= '9' || first == '.') {
            return parseSeconds(s);
        }
        Instant at = parseHttpDate(s, now);
        if (at == null) {
            return Optional.empty();
        }
        Duration d = Duration.between(now, at);
        if (d.isNegative()) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(cap(d));
    }

    private static Optional<Duration> parseSeconds(String s) {
        // digits with an optional fraction; no sign, no exponent, no spaces inside
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return Optional.empty();
            }
        }
        if (dots > 1 || s.equals(".")) {
            return Optional.empty();
        }
        BigDecimal seconds = new BigDecimal(s);
        if (seconds.compareTo(BigDecimal.valueOf(CEILING.getSeconds())) >= 0) {
            return Optional.of(CEILING);
        }
        long nanos = seconds.movePointRight(9).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
        return Optional.of(Duration.ofNanos(nanos));
    }

    /**
     * Parses one HTTP-date in any of the three formats RFC 9110 requires recipients to accept.
     *
     * @return the instant, or {@code null} if it is not a valid HTTP-date
     */
    public static Instant parseHttpDate(String value, Instant now) {
        String s = value.trim();
        try {
            int comma = s.indexOf(',');
            if (comma > 0) {
                String day = s.substring(0, comma).trim().toLowerCase(Locale.ROOT);
                String rest = s.substring(comma + 1).trim();
                if (indexOf(SHORT_DAYS, day) >= 0) {
                    return imfFixdate(rest);
                }
                if (indexOf(LONG_DAYS, day) >= 0) {
                    return rfc850(rest, now);
                }
                return null;
            }
            return asctime(s);
        } catch (DateTimeException | NumberFormatException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    // "06 Nov 1994 08:49:37 GMT" (day may be one digit, as lenient parsers accept)
    private static Instant imfFixdate(String rest) {
        String[] f = rest.split("\\s+");
        if (f.length != 5 || !isGmt(f[4])) {
            return null;
        }
        int month = month(f[1]);
        if (month < 0 || f[2].length() != 4) {
            return null;
        }
        return instant(Integer.parseInt(f[2]), month, Integer.parseInt(f[0]), f[3]);
    }

    // "06-Nov-94 08:49:37 GMT"; a two-digit year more than 50 years ahead is the previous century (RFC 9110)
    private static Instant rfc850(String rest, Instant now) {
        String[] f = rest.split("\\s+");
        if (f.length != 3 || !isGmt(f[2])) {
            return null;
        }
        String[] date = f[0].split("-");
        if (date.length != 3 || date[2].length() != 2) {
            return null;
        }
        int month = month(date[1]);
        if (month < 0) {
            return null;
        }
        int currentYear = LocalDate.ofInstant(now, ZoneOffset.UTC).getYear();
        int year = currentYear / 100 * 100 + Integer.parseInt(date[2]);
        if (year > currentYear + 50) {
            year -= 100;
        } else if (year < currentYear - 50) {
            year += 100;
        }
        return instant(year, month, Integer.parseInt(date[0]), f[1]);
    }

    // "Sun Nov  6 08:49:37 1994"
    private static Instant asctime(String s) {
        String[] f = s.split("\\s+");
        if (f.length != 5 || indexOf(SHORT_DAYS, f[0].toLowerCase(Locale.ROOT)) < 0 || f[4].length() != 4) {
            return null;
        }
        int month = month(f[1]);
        if (month < 0) {
            return null;
        }
        return instant(Integer.parseInt(f[4]), month, Integer.parseInt(f[2]), f[3]);
    }

    private static Instant instant(int year, int month, int day, String hms) {
        String[] t = hms.split(":");
        if (t.length != 3) {
            return null;
        }
        LocalTime time = LocalTime.of(Integer.parseInt(t[0]), Integer.parseInt(t[1]), Integer.parseInt(t[2]));
        return LocalDateTime.of(LocalDate.of(year, Month.of(month + 1), day), time).toInstant(ZoneOffset.UTC);
    }

    private static boolean isGmt(String zone) {
        // RFC 9110 dates are always GMT; "UTC" is a common sender mistake worth tolerating
        return zone.equalsIgnoreCase("GMT") || zone.equalsIgnoreCase("UTC");
    }

    private static boolean isDayName(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return indexOf(SHORT_DAYS, lower) >= 0 || indexOf(LONG_DAYS, lower) >= 0;
    }

    private static int month(String name) {
        return indexOf(MONTHS, name.toLowerCase(Locale.ROOT));
    }

    private static int indexOf(String[] names, String s) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(s)) {
                return i;
            }
        }
        return -1;
    }

    private static Duration cap(Duration d) {
        return d.compareTo(CEILING) > 0 ? CEILING : d;
    }
}
