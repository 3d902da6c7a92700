package io.nexchange.throttling.hints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EwsBackOffTest {

    // shape of the HTTP 500 fault Exchange sends (reference: microsoft-protocols.md §5)
    private static final String FAULT = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            + "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
            + "<faultcode xmlns:a=\"http://schemas.microsoft.com/exchange/services/2006/types\">a:ErrorServerBusy</faultcode>"
            + "<faultstring xml:lang=\"en-US\">The server cannot service this request right now. Try again later.</faultstring>"
            + "<detail><e:ResponseCode xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\">ErrorServerBusy</e:ResponseCode>"
            + "<e:Message xmlns:e=\"http://schemas.microsoft.com/exchange/services/2006/errors\">The server cannot service this request right now. Try again later.</e:Message>"
            + "<t:MessageXml xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">"
            + "<t:Value Name=\"BackOffMilliseconds\">297749</t:Value></t:MessageXml></detail></s:Fault></s:Body></s:Envelope>";

    @Test
    void faultWithBackOff() {
        EwsBackOff.Signal s = EwsBackOff.read(FAULT);
        assertTrue(s.throttled());
        assertEquals("ErrorServerBusy", s.code());
        assertEquals(Duration.ofMillis(297_749), s.backOff());
        assertEquals(Optional.of(Duration.ofMillis(297_749)), s.hint());
    }

    @Test
    void responseMessageOn200WithoutHint() {
        String body = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
                + "<m:SyncFolderItemsResponse xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
                + "<m:ResponseMessages><m:SyncFolderItemsResponseMessage ResponseClass=\"Error\">"
                + "<m:MessageText>busy</m:MessageText><m:ResponseCode>ErrorServerBusy</m:ResponseCode>"
                + "</m:SyncFolderItemsResponseMessage></m:ResponseMessages></m:SyncFolderItemsResponse></s:Body></s:Envelope>";
        EwsBackOff.Signal s = EwsBackOff.read(body);
        assertTrue(s.throttled());
        assertNull(s.backOff());
        assertEquals(Optional.empty(), s.hint());
    }

    @Test
    void connectionCountIsThrottling() {
        String body = "<Envelope><Body><ResponseCode>ErrorExceededConnectionCount</ResponseCode></Body></Envelope>";
        assertEquals("ErrorExceededConnectionCount", EwsBackOff.read(body).code());
    }

    @Test
    void otherErrorsAreNotThrottling() {
        String body = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
                + "<m:ResponseCode xmlns:m=\"urn:m\">ErrorInvalidSyncStateData</m:ResponseCode></s:Body></s:Envelope>";
        assertFalse(EwsBackOff.read(body).throttled());
        assertFalse(EwsBackOff.read("").throttled());
        assertFalse(EwsBackOff.read((String) null).throttled());
    }

    @Test
    void truncatedFaultKeepsWhatWasRead() {
        String truncated = FAULT.substring(0, FAULT.indexOf("</t:Value>"));
        EwsBackOff.Signal s = EwsBackOff.read(truncated);
        assertTrue(s.throttled());
        assertEquals("ErrorServerBusy", s.code());
    }

    @Test
    void garbageHintIsNoHint() {
        String body = FAULT.replace("297749", "soon");
        EwsBackOff.Signal s = EwsBackOff.read(body);
        assertTrue(s.throttled());
        assertNull(s.backOff());
        assertEquals(RetryAfter.CEILING, EwsBackOff.read(FAULT.replace("297749", "99999999999999999")).backOff());
    }

    @Test
    void doctypeIsRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<r><ResponseCode>&x;</ResponseCode></r>";
        assertFalse(EwsBackOff.read(xxe).throttled());
    }

    @Test
    void fromParsedErrorDetails() {
        assertEquals(Optional.of(Duration.ofMillis(1500)), EwsBackOff.fromErrorDetails(Map.of("BackOffMilliseconds", "1500")));
        assertEquals(Optional.empty(), EwsBackOff.fromErrorDetails(Map.of("BackOffMilliseconds", "-1")));
        assertEquals(Optional.empty(), EwsBackOff.fromErrorDetails(Map.of()));
        assertEquals(Optional.empty(), EwsBackOff.fromErrorDetails(null));
    }
}
