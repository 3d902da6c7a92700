package io.nexchange.ews.internal.soap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An element of an EWS answer, read by {@link SafeXmlReader}: namespace, local name, attributes (by local name),
 * text (for elements without children) and child elements in document order.
 */
public final class XmlElement {
    private final String namespace;
    private final String name;
    private final Map<String, String> attributes;
    private final List<XmlElement> children = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    XmlElement(String namespace, String name, Map<String, String> attributes) {
        this.namespace = namespace == null ? "" : namespace;
        this.name = name;
        this.attributes = attributes;
    }

    void add(XmlElement child) {
        children.add(child);
    }

    void appendText(String chars) {
        text.append(chars);
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    public String attribute(String local) {
        return attributes.get(local);
    }

    public List<XmlElement> children() {
        return Collections.unmodifiableList(children);
    }

    /** The element's own text (trimmed of nothing: bodies keep their whitespace). */
    public String text() {
        return text.toString();
    }

    /** The first child with this local name, if any. */
    public Optional<XmlElement> child(String local) {
        for (XmlElement c : children) {
            if (c.name.equals(local)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Every child with this local name. */
    public List<XmlElement> children(String local) {
        List<XmlElement> out = new ArrayList<>();
        for (XmlElement c : children) {
            if (c.name.equals(local)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The text of the first child with this local name, or null. */
    public String childText(String local) {
        return child(local).map(XmlElement::text).orElse(null);
    }

    /** The first element with this local name at any depth (depth-first, document order), if any. */
    public Optional<XmlElement> find(String local) {
        for (XmlElement c : children) {
            if (c.name.equals(local)) {
                return Optional.of(c);
            }
            Optional<XmlElement> deeper = c.find(local);
            if (deeper.isPresent()) {
                return deeper;
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "<" + name + ">";
    }
}
