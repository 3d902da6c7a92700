package io.nexchange.nextcloud.internal.dav;

import com.github.sardine.model.Propstat;
import com.github.sardine.model.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.xml.namespace.QName;
import org.w3c.dom.Element;

/**
 * One {@code <d:response>} of a multistatus, read from Sardine's JAXB model: the href, the response-level
 * status (404 for a deleted member in sync-collection, 507 for truncation) and the properties found
 * (propstat 200 only; properties the server does not have come back in a 404 propstat and are left out).
 */
public final class DavResponse {
    private final String href;
    private final int status;
    private final String etag;
    private final String displayName;
    private final Set<QName> resourceTypes;
    private final Map<QName, Element> properties;
    private final String owner;

    private DavResponse(String href, int status, String etag, String displayName, Set<QName> resourceTypes, Map<QName, Element> properties,
            String owner) {
        this.owner = owner;
        this.href = href;
        this.status = status;
        this.etag = etag;
        this.displayName = displayName;
        this.resourceTypes = resourceTypes;
        this.properties = properties;
    }

    static DavResponse of(Response response) {
        String href = response.getHref().isEmpty() ? "" : toPath(response.getHref().get(0));
        int status = parseStatus(response.getStatus());
        String etag = null;
        String displayName = null;
        String owner = null;
        Set<QName> types = new java.util.HashSet<>();
        Map<QName, Element> properties = new HashMap<>();
        for (Propstat propstat : response.getPropstat()) {
            int propStatus = parseStatus(propstat.getStatus());
            if (propStatus != 0 && (propStatus < 200 || propStatus > 299) || propstat.getProp() == null) {
                continue;
            }
            var prop = propstat.getProp();
            if (prop.getGetetag() != null && !prop.getGetetag().getContent().isEmpty()) {
                etag = String.join("", prop.getGetetag().getContent()).strip();
            }
            if (prop.getDisplayname() != null && !prop.getDisplayname().getContent().isEmpty()) {
                displayName = String.join("", prop.getDisplayname().getContent()).strip();
            }
            if (prop.getResourcetype() != null) {
                var resourcetype = prop.getResourcetype();
                if (resourcetype.getCollection() != null) {
                    types.add(DavXml.COLLECTION);
                }
                if (resourcetype.getPrincipal() != null) {
                    types.add(new QName(DavXml.DAV, "principal"));
                }
                for (Element element : resourcetype.getAny()) {
                    types.add(DavXml.name(element));
                }
            }
            // Sardine's model reads DAV:owner into a field of its own, not into getAny()
            if (prop.getOwner() != null && prop.getOwner().getHref() != null && !prop.getOwner().getHref().isBlank()) {
                owner = prop.getOwner().getHref().strip();
            }
            for (Element element : prop.getAny()) {
                properties.put(DavXml.name(element), element);
            }
        }
        return new DavResponse(href, status, etag, displayName, Set.copyOf(types), Map.copyOf(properties), owner);
    }

    /** The multistatus responses of a Sardine {@link com.github.sardine.model.Multistatus}. */
    public static List<DavResponse> all(com.github.sardine.model.Multistatus multistatus) {
        List<DavResponse> responses = new ArrayList<>();
        if (multistatus != null && multistatus.getResponse() != null) {
            for (Response response : multistatus.getResponse()) {
                responses.add(of(response));
            }
        }
        return responses;
    }

    /** Servers may answer with absolute URLs; refs are kept as server-relative paths. */
    public static String toPathOf(String href) {
        return toPath(href);
    }

    static String toPath(String href) {
        String trimmed = href.strip();
        if (trimmed.startsWith("http://") || trimmed.startsWith("https://")) {
            URI uri = URI.create(trimmed);
            return uri.getRawPath();
        }
        return trimmed;
    }

    static int parseStatus(String statusLine) {
        if (statusLine == null) {
            return 0;
        }
        String[] parts = statusLine.strip().split(" ");
        if (parts.length >= 2) {
            try {
                return Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** Server-relative path, as the server wrote it (percent-encoded). */
    public String href() {
        return href;
    }

    /** The response-level status, or 0 when the response carries propstats instead. */
    public int status() {
        return status;
    }

    public Optional<String> etag() {
        return Optional.ofNullable(etag).filter(e -> !e.isEmpty());
    }

    /** The href of DAV:owner (RFC 3744), if the server sent one. */
    public Optional<String> owner() {
        return Optional.ofNullable(owner);
    }

    public Optional<String> displayName() {
        return Optional.ofNullable(displayName).filter(n -> !n.isEmpty());
    }

    public boolean hasResourceType(QName type) {
        return resourceTypes.contains(type);
    }

    public boolean isCollection() {
        return resourceTypes.contains(DavXml.COLLECTION);
    }

    public Optional<Element> property(QName name) {
        return Optional.ofNullable(properties.get(name));
    }

    /** The text of a property, e.g. calendar-data or sync-token. */
    public Optional<String> text(QName name) {
        return property(name).map(Element::getTextContent);
    }

    @Override
    public String toString() {
        return href + (status != 0 ? " " + status : "") + (etag != null ? " " + etag : "");
    }
}
