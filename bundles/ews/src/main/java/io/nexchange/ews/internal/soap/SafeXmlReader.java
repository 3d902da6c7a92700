package io.nexchange.ews.internal.soap;

import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads an EWS answer into {@link XmlElement}s with the JDK's StAX parser, hardened: a DOCTYPE is refused
 * outright (no DTD, so no entity expansion and no external entities: billion laughs and XXE cannot start),
 * and the document is bounded in bytes (checked by the caller before parsing), in depth and in elements.
 * An answer is untrusted input even from our own Exchange server: a proxy or a man in the middle may write it.
 */
public final class SafeXmlReader {
    /** EWS answers nest about 12 deep; 64 is far beyond any real one. */
    static final int MAX_DEPTH = 64;

    private final int maxElements;

    /** @param maxElements how many elements one answer may hold (a GetItem page of 50 items has ~10,000) */
    public SafeXmlReader(int maxElements) {
        this.maxElements = maxElements;
    }

    /** The document element. */
    public XmlElement read(byte[] xml) throws XmlException {
        XMLStreamReader reader = null;
        try {
            reader = factory().createXMLStreamReader(new ByteArrayInputStream(xml));
            Deque<XmlElement> open = new ArrayDeque<>();
            XmlElement root = null;
            int elements = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                switch (event) {
                    case XMLStreamConstants.DTD -> throw new XmlException("the answer contains a DOCTYPE declaration, which EWS "
                            + "never sends; it was refused unread (no DTDs or entities are processed)");
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw new XmlException("the answer references an entity ('"
                            + reader.getLocalName() + "'), which EWS never sends; it was refused");
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (++elements > maxElements) {
                            throw new XmlException("the answer has more than " + maxElements + " elements");
                        }
                        if (open.size() >= MAX_DEPTH) {
                            throw new XmlException("the answer nests deeper than " + MAX_DEPTH + " elements");
                        }
                        Map<String, String> attributes = new HashMap<>();
                        for (int i = 0; i < reader.getAttributeCount(); i++) {
                            attributes.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
                        }
                        XmlElement e = new XmlElement(reader.getNamespaceURI(), reader.getLocalName(), attributes);
                        if (open.isEmpty()) {
                            root = e;
                        } else {
                            open.peek().add(e);
                        }
                        open.push(e);
                    }
                    case XMLStreamConstants.END_ELEMENT -> open.pop();
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!open.isEmpty()) {
                            open.peek().appendText(reader.getText());
                        }
                    }
                    default -> {
                        // comments, processing instructions: ignored
                    }
                }
            }
            if (root == null) {
                throw new XmlException("the answer is empty");
            }
            return root;
        } catch (XMLStreamException e) {
            throw new XmlException("the answer is not well-formed XML: " + e.getMessage(), e);
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing held beyond the parser
                }
            }
        }
    }

    private static XMLInputFactory factory() {
        // the JDK's own implementation (no service lookup through a bundle class loader)
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    /** An answer that could not be read. */
    public static final class XmlException extends Exception {
        private static final long serialVersionUID = 1L;

        XmlException(String message) {
            super(message);
        }

        XmlException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
