package io.nexchange.nextcloud.internal.dav;

import java.util.ArrayList;
import java.util.List;
import javax.xml.namespace.QName;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Names and request bodies of the DAV, CalDAV and CardDAV vocabulary used here. Bodies are written as
 * text, in the shapes RFC 4791, 6352, 5689 and 6578 give, because Sardine's JAXB model has no elements
 * for MKCALENDAR, extended MKCOL, multiget or the CalDAV/CardDAV properties.
 */
public final class DavXml {
    public static final String DAV = "DAV:";
    public static final String CALDAV = "urn:ietf:params:xml:ns:caldav";
    public static final String CARDDAV = "urn:ietf:params:xml:ns:carddav";
    /** Nextcloud's own properties (trash bin: deleted-at, calendar-uri). */
    public static final String NEXTCLOUD = "http://nextcloud.com/ns";

    public static final QName GETETAG = new QName(DAV, "getetag");
    public static final QName SYNC_TOKEN = new QName(DAV, "sync-token");
    public static final QName DISPLAYNAME = new QName(DAV, "displayname");
    public static final QName RESOURCETYPE = new QName(DAV, "resourcetype");
    public static final QName CURRENT_USER_PRINCIPAL = new QName(DAV, "current-user-principal");
    public static final QName CALENDAR_HOME_SET = new QName(CALDAV, "calendar-home-set");
    public static final QName ADDRESSBOOK_HOME_SET = new QName(CARDDAV, "addressbook-home-set");
    public static final QName SUPPORTED_CALENDAR_COMPONENT_SET = new QName(CALDAV, "supported-calendar-component-set");
    public static final QName CALENDAR_DATA = new QName(CALDAV, "calendar-data");
    public static final QName ADDRESS_DATA = new QName(CARDDAV, "address-data");
    public static final QName CALENDAR = new QName(CALDAV, "calendar");
    public static final QName ADDRESSBOOK = new QName(CARDDAV, "addressbook");
    public static final QName COLLECTION = new QName(DAV, "collection");
    public static final QName CURRENT_USER_PRIVILEGE_SET = new QName(DAV, "current-user-privilege-set");
    public static final QName DELETED_AT = new QName(NEXTCLOUD, "deleted-at");
    /** The resource type of a calendar in Nextcloud's trash bin (instead of {@code c:calendar}). */
    public static final QName DELETED_CALENDAR = new QName(NEXTCLOUD, "deleted-calendar");
    public static final QName CALENDAR_URI = new QName(NEXTCLOUD, "calendar-uri");

    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final String NAMESPACES = " xmlns:d=\"DAV:\" xmlns:c=\"" + CALDAV + "\" xmlns:card=\"" + CARDDAV + "\" xmlns:nc=\"" + NEXTCLOUD + "\"";

    private DavXml() {}

    /** A PROPFIND body asking for these properties (prefixes d, c, card, nc). */
    public static String propfind(String... prefixedProps) {
        StringBuilder xml = new StringBuilder(HEAD).append("<d:propfind").append(NAMESPACES).append("><d:prop>");
        for (String prop : prefixedProps) {
            xml.append('<').append(prop).append("/>");
        }
        return xml.append("</d:prop></d:propfind>").toString();
    }

    /** RFC 4791 MKCALENDAR body: a calendar for events only. */
    public static String mkcalendar(String displayName) {
        return HEAD + "<c:mkcalendar" + NAMESPACES + "><d:set><d:prop><d:displayname>" + escape(displayName) + "</d:displayname>"
                + "<c:supported-calendar-component-set><c:comp name=\"VEVENT\"/></c:supported-calendar-component-set>"
                + "</d:prop></d:set></c:mkcalendar>";
    }

    /** RFC 5689 extended MKCOL body creating an address book (RFC 6352 section 6.3.1). */
    public static String mkcolAddressbook(String displayName) {
        return HEAD + "<d:mkcol" + NAMESPACES + "><d:set><d:prop><d:resourcetype><d:collection/><card:addressbook/></d:resourcetype>"
                + "<d:displayname>" + escape(displayName) + "</d:displayname></d:prop></d:set></d:mkcol>";
    }

    /** RFC 6578 sync-collection, sync-level 1, asking for etags; {@code limit <= 0} sends no limit. */
    public static String syncCollection(String token, int limit) {
        return HEAD + "<d:sync-collection xmlns:d=\"DAV:\"><d:sync-token>" + escape(token) + "</d:sync-token>"
                + "<d:sync-level>1</d:sync-level>"
                + (limit > 0 ? "<d:limit><d:nresults>" + limit + "</d:nresults></d:limit>" : "")
                + "<d:prop><d:getetag/></d:prop></d:sync-collection>";
    }

    /** calendar-multiget (RFC 4791 7.9) or addressbook-multiget (RFC 6352 8.7) for these hrefs. */
    public static String multiget(boolean calendar, List<String> hrefs) {
        StringBuilder xml = new StringBuilder(HEAD)
                .append(calendar ? "<c:calendar-multiget" : "<card:addressbook-multiget").append(NAMESPACES)
                .append("><d:prop><d:getetag/>").append(calendar ? "<c:calendar-data/>" : "<card:address-data/>").append("</d:prop>");
        for (String href : hrefs) {
            xml.append("<d:href>").append(escape(href)).append("</d:href>");
        }
        return xml.append(calendar ? "</c:calendar-multiget>" : "</card:addressbook-multiget>").toString();
    }

    /**
     * calendar-query (RFC 4791 7.8) for every event, asking for these properties. Nextcloud's trash bin
     * ({@code calendars/USER/trashbin/objects/}) answers this REPORT but not a Depth-1 PROPFIND (501), and it
     * ignores property filters, so no UID filter is sent.
     */
    public static String calendarQuery(String... prefixedProps) {
        StringBuilder xml = new StringBuilder(HEAD).append("<c:calendar-query").append(NAMESPACES).append("><d:prop>");
        for (String prop : prefixedProps) {
            xml.append('<').append(prop).append("/>");
        }
        return xml.append("</d:prop><c:filter><c:comp-filter name=\"VCALENDAR\"/></c:filter></c:calendar-query>").toString();
    }

    /** The privileges (e.g. {@code DAV:write}) named in a current-user-privilege-set property. */
    public static java.util.Set<QName> privileges(Element privilegeSet) {
        java.util.Set<QName> privileges = new java.util.HashSet<>();
        for (Element privilege : children(privilegeSet)) {
            for (Element granted : children(privilege)) {
                privileges.add(name(granted));
            }
        }
        return privileges;
    }

    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    public static QName name(Element element) {
        String local = element.getLocalName() != null ? element.getLocalName() : element.getNodeName();
        return new QName(element.getNamespaceURI() == null ? "" : element.getNamespaceURI(), local);
    }

    /** The child elements of an element. */
    public static List<Element> children(Element parent) {
        List<Element> children = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                children.add(element);
            }
        }
        return children;
    }

    /** The texts of the {@code <d:href>} children of a property such as calendar-home-set. */
    public static List<String> hrefs(Element property) {
        List<String> hrefs = new ArrayList<>();
        for (Element child : children(property)) {
            if (name(child).equals(new QName(DAV, "href"))) {
                hrefs.add(child.getTextContent().strip());
            }
        }
        return hrefs;
    }
}
