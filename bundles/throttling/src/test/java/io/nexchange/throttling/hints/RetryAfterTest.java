package io.nexchange.throttling.hints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static Optional<Duration> parse(String value) {
        return RetryAfter.parse(value, NOW);
    }

    @Test
    void wholeAndFractionalSeconds() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), parse("30"));
        assertEquals(Optional.of(Duration.ofMillis(2128)), parse("2.128"));
        assertEquals(Optional.of(Duration.ofMillis(500)), parse(".5"));
        assertEquals(Optional.of(Duration.ofSeconds(3)), parse("3."));
        assertEquals(Optional.of(Duration.ZERO), parse("0"));
        assertEquals(Optional.of(Duration.ofSeconds(7)), parse("  7 "));
        // sub-nanosecond fractions round up: never shorter than the server asked
        assertEquals(Optional.of(Duration.ofNanos(1)), parse("0.0000000001"));
    }

    @Test
    void imfFixdate() {
        assertEquals(Optional.of(Duration.ofSeconds(90)), parse("Sun, 01 Mar 2026 12:01:30 GMT"));
        // RFC 9110 recipients accept a one-digit day as lenient parsers do
        assertEquals(Optional.of(Duration.ofSeconds(90)), parse("Sun, 1 Mar 2026 12:01:30 GMT"));
    }

    @Test
    void rfc850DateWithTwoDigitYear() {
        assertEquals(Optional.of(Duration.ofMinutes(5)), parse("Sunday, 01-Mar-26 12:05:00 GMT"));
        // more than 50 years in the future means the previous century: in the past, so zero
        assertEquals(Optional.of(Duration.ZERO), parse("Sunday, 06-Nov-94 08:49:37 GMT"));
        Instant in1994 = Instant.parse("1994-11-06T08:49:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(37)), RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", in1994));
    }

    @Test
    void asctimeDate() {
        assertEquals(Optional.of(Duration.ofSeconds(10)), parse("Sun Mar  1 12:00:10 2026"));
        assertEquals(Instant.parse("1994-11-06T08:49:37Z"), RetryAfter.parseHttpDate("Sun Nov  6 08:49:37 1994", NOW));
    }

    @Test
    void dateInThePastMeansNow() {
        assertEquals(Optional.of(Duration.ZERO), parse("Sun, 06 Nov 1994 08:49:37 GMT"));
    }

    @Test
    void commaListTakesTheLargest() {
        assertEquals(Optional.of(Duration.ofSeconds(7)), parse("3, 7, 2"));
        assertEquals(Optional.of(Duration.ofSeconds(120)), parse("5, Sun, 01 Mar 2026 12:02:00 GMT"));
        assertEquals(Optional.of(Duration.ofMillis(1500)), parse("garbage, 1.5"));
        assertEquals(Optional.empty(), parse("x, y"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "soon", "-5", "-0.5", "+5", "1e3", "1.2.3", ".", "5 s", "0x10", "NaN",
            "Sun, 32 Mar 2026 12:00:00 GMT", "Sun, 01 Foo 2026 12:00:00 GMT", "Sun, 01 Mar 2026 25:00:00 GMT",
            "Sun, 01 Mar 2026 12:00:00 CET", "Funday, 01-Mar-26 12:00:00 GMT", "Sun Mar  1 12:00:10"})
    void garbageGivesNoHint(String value) {
        assertEquals(Optional.empty(), parse(value), value);
    }

    @Test
    void nullGivesNoHint() {
        assertEquals(Optional.empty(), parse(null));
        assertNull(RetryAfter.parseHttpDate("not a date", NOW));
    }

    @Test
    void hugeValuesAreCapped() {
        assertEquals(Optional.of(RetryAfter.CEILING), parse("99999999999999999999999999"));
        assertEquals(Optional.of(RetryAfter.CEILING), parse("86400"));
        assertEquals(Optional.of(RetryAfter.CEILING), parse("Fri, 01 Jan 2100 00:00:00 GMT"));
        assertTrue(parse("86399.5").get().compareTo(RetryAfter.CEILING) < 0);
    }
}
