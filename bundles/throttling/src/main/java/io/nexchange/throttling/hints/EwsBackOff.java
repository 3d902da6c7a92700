package io.nexchange.throttling.hints;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads EWS throttling answers: {@code ErrorServerBusy} (a SOAP fault on HTTP 500, or a response message with
 * that code on HTTP 200) and its {@code <t:Value Name="BackOffMilliseconds">} hint, plus
 * {@code ErrorExceededConnectionCount} (too many concurrent connections: back off without a hint).
 *
 * <p>Namespace prefixes vary between Exchange versions and proxies, so elements are matched by local name.
 * DTDs and external entities are refused.
 */
public final class EwsBackOff {

    /** The EWS response codes that mean "slow down". */
    public static final Set<String> THROTTLING_CODES = Set.of("ErrorServerBusy", "ErrorExceededConnectionCount");

    private static final String BACK_OFF_NAME = "BackOffMilliseconds";

    private EwsBackOff() {
    }

    /**
     * What an EWS answer says about throttling.
     *
     * @param throttled the answer carries a throttling response code
     * @param code the throttling response code, or {@code null}
     * @param backOff the server's BackOffMilliseconds, or {@code null} when absent (back off exponentially)
     */
    public record Signal(boolean throttled, String code, Duration backOff) {
        /** Not a throttling answer. */
        public static final Signal NONE = new Signal(false, null, null);

        /** The hint as the SPI's {@code Permit.throttled(Duration)} wants it. */
        public Optional<Duration> hint() {
            return Optional.ofNullable(backOff);
        }
    }

    /** Reads a SOAP envelope (fault or response). Malformed XML gives {@link Signal#NONE}. */
    public static Signal read(String soap) {
        if (soap == null || soap.isEmpty()) {
            return Signal.NONE;
        }
        return read(new ByteArrayInputStream(soap.getBytes(StandardCharsets.UTF_8)));
    }

    /** Reads a SOAP envelope from a stream (not closed). Malformed XML gives what was read so far. */
    public static Signal read(InputStream soap) {
        String code = null;
        Duration backOff = null;
        XMLStreamReader reader = null;
        try {
            reader = factory().createXMLStreamReader(soap);
            while (reader.hasNext()) {
                if (reader.next() != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                String local = reader.getLocalName();
                if ("faultcode".equals(local) || "ResponseCode".equals(local)) {
                    String text = localPart(reader.getElementText().trim());
                    if (THROTTLING_CODES.contains(text)) {
                        code = text;
                    }
                } else if ("Value".equals(local) && BACK_OFF_NAME.equals(reader.getAttributeValue(null, "Name"))) {
                    backOff = millis(reader.getElementText());
                }
            }
        } catch (XMLStreamException | RuntimeException e) {
            // keep what was found before the damage; a truncated fault still carries its code
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release beyond the parser itself
                }
            }
        }
        if (code == null && backOff != null) {
            // a back-off hint only comes with ErrorServerBusy
            code = "ErrorServerBusy";
        }
        return code == null ? Signal.NONE : new Signal(true, code, backOff);
    }

    /**
     * Reads the hint from the error details a SOAP client library has already parsed, e.g. ews-java-api's
     * {@code ServiceResponseException.getErrorDetails()}.
     */
    public static Optional<Duration> fromErrorDetails(Map<String, String> details) {
        if (details == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(millis(details.get(BACK_OFF_NAME)));
    }

    private static Duration millis(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (t.isEmpty() || t.length() > 12) {
            return t.length() > 12 && t.chars().allMatch(Character::isDigit) ? RetryAfter.CEILING : null;
        }
        for (int i = 0; i < t.length(); i++) {
            if (!Character.isDigit(t.charAt(i))) {
                return null;
            }
        }
        Duration d = Duration.ofMillis(Long.parseLong(t));
        return d.compareTo(RetryAfter.CEILING) > 0 ? RetryAfter.CEILING : d;
    }

    private static String localPart(String qname) {
        int colon = qname.indexOf(':');
        return colon < 0 ? qname : qname.substring(colon + 1);
    }

    private static XMLInputFactory factory() {
        // the JDK's own implementation: no service lookup through a bundle's class loader
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return f;
    }
}
