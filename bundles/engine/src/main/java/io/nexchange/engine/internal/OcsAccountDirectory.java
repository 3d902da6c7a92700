package io.nexchange.engine.internal;

import io.nexchange.api.Account;
import io.nexchange.api.Mailbox;
import io.nexchange.api.auth.Secret;
import io.nexchange.api.directory.AccountDirectory;
import io.nexchange.api.directory.DirectoryException;
import io.nexchange.api.directory.Resolution;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Maps mailboxes to Nextcloud accounts through Nextcloud's OCS provisioning API with admin credentials:
 * {@code GET /ocs/v1.php/cloud/users?search=<address>&limit=&offset=} (paged) for candidates, then
 * {@code GET /ocs/v1.php/cloud/users/<id>} for each one's e-mail; only enabled accounts whose e-mail equals the mailbox's
 * address count (the search also matches ids and display names). Results are cached per mailbox for {@code refresh}. Answers are OCS XML, read with the JDK's parser.
 */
public final class OcsAccountDirectory implements AccountDirectory {
    private final URI base;
    private final String adminUser;
    private final Secret adminPassword;
    private final Duration refresh;
    private final HttpClient http;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final int pageSize;
    private static final int SEARCH_PAGE = 100;

    private record Cached(List<Account> accounts, Instant until) {}

    public OcsAccountDirectory(URI base, String adminUser, Secret adminPassword, Duration refresh, Duration timeout, Clock clock) {
        this(base, adminUser, adminPassword, refresh, timeout, clock, SEARCH_PAGE);
    }

    /** @param pageSize candidates asked for per search request ({@code limit}); further pages follow with {@code offset} */
    OcsAccountDirectory(URI base, String adminUser, Secret adminPassword, Duration refresh, Duration timeout, Clock clock, int pageSize) {
        this.pageSize = pageSize;
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b : b + "/");
        this.adminUser = adminUser;
        this.adminPassword = adminPassword;
        this.refresh = refresh;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Resolution resolve(Mailbox mailbox) throws DirectoryException {
        Instant now = clock.instant();
        Cached cached = cache.get(mailbox.primarySmtp());
        if (cached == null || now.isAfter(cached.until())) {
            cached = new Cached(lookUp(mailbox.primarySmtp()), now.plus(refresh));
            cache.put(mailbox.primarySmtp(), cached);
        }
        return new Resolution(mailbox, cached.accounts());
    }

    private List<Account> lookUp(String address) throws DirectoryException {
        List<Account> accounts = new ArrayList<>();
        for (int offset = 0; ; offset += pageSize) {
            Document found = get("ocs/v1.php/cloud/users?search=" + URLEncoder.encode(address, StandardCharsets.UTF_8)
                    + "&limit=" + pageSize + "&offset=" + offset);
            NodeList ids = found.getElementsByTagName("element");
            for (int i = 0; i < ids.getLength(); i++) {
                String id = ids.item(i).getTextContent().strip();
                Document user = get("ocs/v1.php/cloud/users/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
                String email = text(user, "email");
                // a disabled account cannot log in: syncing into it would fail on every cycle
                if (email.equalsIgnoreCase(address) && isEnabled(text(user, "enabled"))) {
                    accounts.add(new Account(id, email, text(user, "displayname")));
                }
            }
            if (ids.getLength() < pageSize) {
                return accounts;
            }
        }
    }

    /** OCS XML writes {@code enabled} as 1 / true, and as an empty element or 0 / false for a disabled account. */
    private static boolean isEnabled(String enabled) {
        return enabled.equals("1") || enabled.equalsIgnoreCase("true");
    }

    private Document get(String path) throws DirectoryException {
        URI uri = base.resolve(path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("OCS-APIRequest", "true")
                .header("Accept", "application/xml")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (adminUser + ":" + adminPassword.reveal()).getBytes(StandardCharsets.UTF_8)))
                .GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new DirectoryException("Nextcloud's provisioning API at " + base + " is unreachable (" + e + "); check "
                    + "baseUrl in io.nexchange.engine.accounts.ocs", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DirectoryException("interrupted while asking " + base, e);
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw refused(response.statusCode());
        }
        if (response.statusCode() != 200) {
            throw new DirectoryException("Nextcloud's provisioning API answered HTTP " + response.statusCode() + " to GET "
                    + uri.getPath(), null);
        }
        Document doc = parse(response.body());
        String status = text(doc, "statuscode");
        if (status.equals("403") || status.equals("997")) {
            // OCS v1 answers HTTP 200 with OCS status 403 to a login that is not an admin ("must be at least a sub admin")
            throw refused(Integer.parseInt(status));
        }
        if (!status.equals("100") && !status.equals("200")) {
            throw new DirectoryException("Nextcloud's provisioning API answered OCS status " + status + " ("
                    + text(doc, "message") + ") to GET " + uri.getPath(), null);
        }
        return doc;
    }

    private DirectoryException refused(int status) {
        return new DirectoryException("Nextcloud refused the provisioning API login of '" + adminUser + "' (status "
                    + status + "); it must be an admin (or group admin of every synced user): check "
                    + "adminUser / adminPasswordFile in io.nexchange.engine.accounts.ocs", null);
    }

    private static Document parse(byte[] body) throws DirectoryException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new DirectoryException("Nextcloud's provisioning API answered something that is not OCS XML", e);
        }
    }

    private static String text(Document doc, String tag) {
        NodeList nodes = doc.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : ((Element) nodes.item(0)).getTextContent().strip();
    }
}
