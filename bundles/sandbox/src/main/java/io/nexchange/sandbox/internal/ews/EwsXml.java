package io.nexchange.sandbox.internal.ews;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * SOAP 1.1 / EWS XML: namespace-aware DOM parsing with DTDs and external entities off (a request body
 * is untrusted input), child lookups by namespace and local name, and a writer that emits elements in
 * the order the caller writes them (the EWS schema's sequence order is the caller's job).
 */
final class EwsXml {
    static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String MESSAGES = "http://schemas.microsoft.com/exchange/services/2006/messages";
    static final String TYPES = "http://schemas.microsoft.com/exchange/services/2006/types";
    static final String ERRORS = "http://schemas.microsoft.com/exchange/services/2006/errors";

    private static final DocumentBuilderFactory FACTORY = secureFactory();
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    private EwsXml() {
    }

    private static DocumentBuilderFactory secureFactory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK XML parser lacks the features needed to disable XXE", e);
        }
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    /** Parses a request body; a malformed body or one with a DOCTYPE is rejected. */
    static Document parse(byte[] body) throws IOException, SAXException {
        DocumentBuilder b;
        try {
            b = FACTORY.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        b.setErrorHandler(null);
        return b.parse(new ByteArrayInputStream(body));
    }

    static Element child(Element parent, String ns, String local) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName()) && ns.equals(e.getNamespaceURI())) {
                return e;
            }
        }
        return null;
    }

    /** A child in the types namespace. */
    static Element t(Element parent, String local) {
        return child(parent, TYPES, local);
    }

    /** A child in the messages namespace. */
    static Element m(Element parent, String local) {
        return child(parent, MESSAGES, local);
    }

    static List<Element> elements(Element parent) {
        List<Element> out = new ArrayList<>();
        if (parent != null) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    static List<Element> children(Element parent, String ns, String local) {
        List<Element> out = new ArrayList<>();
        for (Element e : elements(parent)) {
            if (local.equals(e.getLocalName()) && ns.equals(e.getNamespaceURI())) {
                out.add(e);
            }
        }
        return out;
    }

    static String text(Element e) {
        return e == null ? null : e.getTextContent().trim();
    }

    static String attr(Element e, String name) {
        if (e == null || !e.hasAttribute(name)) {
            return null;
        }
        return e.getAttribute(name);
    }

    /** Writes XML into a buffer; elements come out exactly in call order. */
    static final class Out {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);
        private final XMLStreamWriter w;

        Out() {
            try {
                w = OUTPUT.createXMLStreamWriter(buffer, "UTF-8");
                w.writeStartDocument("utf-8", "1.0");
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
        }

        Out start(String prefix, String ns, String local) {
            try {
                w.writeStartElement(prefix, local, ns);
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        /** t:local */
        Out t(String local) {
            return start("t", TYPES, local);
        }

        /** m:local */
        Out m(String local) {
            return start("m", MESSAGES, local);
        }

        Out ns(String prefix, String ns) {
            try {
                if (prefix.isEmpty()) {
                    w.writeDefaultNamespace(ns);
                } else {
                    w.writeNamespace(prefix, ns);
                }
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        Out attr(String name, String value) {
            if (value != null) {
                try {
                    w.writeAttribute(name, value);
                } catch (XMLStreamException e) {
                    throw new IllegalStateException(e);
                }
            }
            return this;
        }

        Out attr(String prefix, String ns, String name, String value) {
            try {
                w.writeAttribute(prefix, ns, name, value);
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        Out text(String value) {
            try {
                w.writeCharacters(value == null ? "" : value);
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        Out end() {
            try {
                w.writeEndElement();
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        /** &lt;t:local&gt;value&lt;/t:local&gt;, nothing when value is null. */
        Out tv(String local, Object value) {
            if (value != null) {
                t(local).text(value.toString()).end();
            }
            return this;
        }

        Out mv(String local, Object value) {
            if (value != null) {
                m(local).text(value.toString()).end();
            }
            return this;
        }

        byte[] finish() {
            try {
                w.writeEndDocument();
                w.close();
            } catch (XMLStreamException e) {
                throw new IllegalStateException(e);
            }
            return buffer.toByteArray();
        }
    }
}
