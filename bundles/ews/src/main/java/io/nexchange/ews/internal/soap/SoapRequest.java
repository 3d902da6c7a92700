package io.nexchange.ews.internal.soap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes one EWS request: the SOAP 1.1 envelope, the header ({@code RequestServerVersion} and
 * {@code ExchangeImpersonation} of the mailbox) and the operation, element by element in the schema's order
 * (the caller's job). Text and attribute values are escaped by StAX.
 */
public final class SoapRequest {
    public static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
    public static final String MESSAGES = "http://schemas.microsoft.com/exchange/services/2006/messages";
    public static final String TYPES = "http://schemas.microsoft.com/exchange/services/2006/types";

    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newDefaultFactory();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    private final XMLStreamWriter w;

    private SoapRequest() {
        try {
            w = OUTPUT.createXMLStreamWriter(out, "UTF-8");
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts a request and opens the operation element.
     *
     * @param serverVersion the {@code RequestServerVersion}, e.g. {@code Exchange2013_SP1}
     * @param impersonatedSmtp the mailbox acted on ({@code ExchangeImpersonation/ConnectingSID/PrimarySmtpAddress})
     * @param operation the operation's element, e.g. {@code SyncFolderItems}
     */
    public static SoapRequest start(String serverVersion, String impersonatedSmtp, String operation) {
        SoapRequest r = new SoapRequest();
        try {
            XMLStreamWriter w = r.w;
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("s", "Envelope", SOAP);
            w.writeNamespace("s", SOAP);
            w.writeNamespace("m", MESSAGES);
            w.writeNamespace("t", TYPES);
            w.writeStartElement("s", "Header", SOAP);
            w.writeEmptyElement("t", "RequestServerVersion", TYPES);
            w.writeAttribute("Version", serverVersion);
            w.writeStartElement("t", "ExchangeImpersonation", TYPES);
            w.writeStartElement("t", "ConnectingSID", TYPES);
            w.writeStartElement("t", "PrimarySmtpAddress", TYPES);
            w.writeCharacters(impersonatedSmtp);
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndElement(); // Header
            w.writeStartElement("s", "Body", SOAP);
            w.writeStartElement("m", operation, MESSAGES);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return r;
    }

    /** Opens an element of the messages namespace. */
    public SoapRequest m(String local) {
        return open("m", local, MESSAGES);
    }

    /** Opens an element of the types namespace. */
    public SoapRequest t(String local) {
        return open("t", local, TYPES);
    }

    /** A types element holding {@code value}; nothing when the value is null. */
    public SoapRequest tv(String local, Object value) {
        if (value != null) {
            t(local).text(String.valueOf(value)).end();
        }
        return this;
    }

    /** A messages element holding {@code value}; nothing when the value is null. */
    public SoapRequest mv(String local, Object value) {
        if (value != null) {
            m(local).text(String.valueOf(value)).end();
        }
        return this;
    }

    public SoapRequest attr(String name, String value) {
        if (value != null) {
            try {
                w.writeAttribute(name, value);
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
        }
        return this;
    }

    public SoapRequest text(String value) {
        try {
            w.writeCharacters(value);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    public SoapRequest end() {
        try {
            w.writeEndElement();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    private SoapRequest open(String prefix, String local, String ns) {
        try {
            w.writeStartElement(prefix, local, ns);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Closes every open element and returns the request bytes. */
    public byte[] finish() {
        try {
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
