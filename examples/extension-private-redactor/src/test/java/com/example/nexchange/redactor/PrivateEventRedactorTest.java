package com.example.nexchange.redactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nexchange.api.CollectionKind;
import io.nexchange.api.extension.ItemContext;
import io.nexchange.api.item.ItemContent;
import io.nexchange.api.item.ItemKey;
import io.nexchange.api.state.Side;
import java.lang.annotation.Annotation;
import org.junit.jupiter.api.Test;

class PrivateEventRedactorTest {
    static final ItemContext ITEM = new ItemContext("ann@example.org", CollectionKind.CALENDAR, ItemKey.event("uid-1"));

    static RedactorConfiguration config(String[] classes, String[] properties) {
        return new RedactorConfiguration() {
            @Override public Class<? extends Annotation> annotationType() { return RedactorConfiguration.class; }
            @Override public String[] classes() { return classes; }
            @Override public String[] properties() { return properties; }
        };
    }

    static final PrivateEventRedactor DEFAULTS = new PrivateEventRedactor(
            config(new String[] {"PRIVATE"}, new String[] {"DESCRIPTION", "X-ALT-DESC", "LOCATION", "ATTENDEE"}));

    static String series(String masterClass, String exceptionClass) {
        return String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN",
                "BEGIN:VEVENT", "UID:uid-1", "SUMMARY:Doctor", "CLASS:" + masterClass,
                "DESCRIPTION:A long body that is folded over", " two lines",
                "LOCATION:Praxis", "ATTENDEE;CN=Ann:mailto:ann@example.org",
                "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Reminder", "TRIGGER:-PT15M", "END:VALARM",
                "END:VEVENT",
                "BEGIN:VEVENT", "UID:uid-1", "RECURRENCE-ID:20270105T090000Z", "SUMMARY:Doctor moved", "CLASS:" + exceptionClass,
                "LOCATION:Elsewhere", "END:VEVENT", "END:VCALENDAR", "");
    }

    @Test
    void stripsThePropertiesOfPrivateEventsOnly() throws Exception {
        ItemContent in = new ItemContent("text/calendar", series("PRIVATE", "PUBLIC"));
        String out = DEFAULTS.transform(ITEM, Side.NEXTCLOUD, in).orElseThrow().text();
        assertFalse(out.contains("A long body") || out.contains(" two lines"), "the folded DESCRIPTION went whole: " + out);
        assertFalse(out.contains("Praxis") || out.contains("ATTENDEE"), out);
        assertTrue(out.contains("DESCRIPTION:Reminder"), "the alarm keeps its text: " + out);
        assertTrue(out.contains("LOCATION:Elsewhere"), "the public exception keeps its location: " + out);
        assertTrue(out.contains("SUMMARY:Doctor\r\n") && out.contains("UID:uid-1\r\n") && out.endsWith("END:VCALENDAR\r\n"), out);
    }

    @Test
    void leavesOtherEventsByteForByte() throws Exception {
        ItemContent in = new ItemContent("text/calendar", series("PUBLIC", "CONFIDENTIAL"));
        assertSame(in, DEFAULTS.transform(ITEM, Side.NEXTCLOUD, in).orElseThrow());
    }

    @Test
    void isConfiguredByItsCfgAndSaysSoInItsFingerprint() throws Exception {
        PrivateEventRedactor both = new PrivateEventRedactor(config(new String[] {"private, confidential"}, new String[] {"location"}));
        String out = both.transform(ITEM, Side.NEXTCLOUD, new ItemContent("text/calendar", series("PUBLIC", "CONFIDENTIAL")))
                .orElseThrow().text();
        assertTrue(out.contains("LOCATION:Praxis") && !out.contains("LOCATION:Elsewhere"), out);
        assertTrue(out.contains("A long body"), "only LOCATION is configured: " + out);
        assertNotEquals(DEFAULTS.fingerprint(), both.fingerprint());
        assertEquals(DEFAULTS.fingerprint(), new PrivateEventRedactor(config(new String[] {"PRIVATE"},
                new String[] {"DESCRIPTION", "X-ALT-DESC", "LOCATION", "ATTENDEE"})).fingerprint());
    }
}
