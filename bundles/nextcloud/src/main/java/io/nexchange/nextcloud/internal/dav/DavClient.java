package io.nexchange.nextcloud.internal.dav;

import com.github.sardine.impl.SardineImpl;
import com.github.sardine.impl.SardineRedirectStrategy;
import com.github.sardine.impl.methods.HttpMkCol;
import com.github.sardine.impl.methods.HttpPropFind;
import com.github.sardine.impl.methods.HttpReport;
import com.github.sardine.model.Multistatus;
import com.github.sardine.report.SardineReport;
import com.github.sardine.util.SardineUtil;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpHost;
import org.apache.http.HttpResponse;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.client.ResponseHandler;
import org.apache.http.client.config.CookieSpecs;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.HttpDelete;
import org.apache.http.client.methods.HttpEntityEnclosingRequestBase;
import org.apache.http.client.methods.HttpPut;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.auth.BasicScheme;
import org.apache.http.impl.client.BasicAuthCache;
import org.apache.http.impl.client.BasicCookieStore;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.util.EntityUtils;

/**
 * Sardine with what CalDAV/CardDAV sync needs and Sardine lacks: MKCALENDAR and extended MKCOL (through
 * the protected {@code execute}), REPORTs whose error bodies are kept (a 403 {@code valid-sync-token} must
 * be told apart from a 403 forbidden), PUT/DELETE with preconditions returning the new ETag.
 *
 * <p>Thread-safe: each request gets its own {@link HttpClientContext} (Sardine's single shared context is
 * not safe for concurrent requests), sharing one preemptive Basic auth cache so that no request pays a
 * 401 round trip, and the client's own cookie store, so that a server's session (Nextcloud's) is reused.
 */
public final class DavClient extends SardineImpl implements AutoCloseable {
    private static final ContentType XML = ContentType.create("application/xml", StandardCharsets.UTF_8);

    static {
        // SardineUtil builds its JAXBContext once, in its static initialiser, and JAXB finds its
        // implementation through the thread's context class loader. In OSGi that loader is whatever the
        // calling thread has (the launcher's, which may hold another JAXB whose factory "is not a
        // subtype"); the embedded JAXB is only reachable through this bundle's loader.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(DavClient.class.getClassLoader());
        try {
            Class.forName(SardineUtil.class.getName(), true, DavClient.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The most of an error answer read (the start is quoted to the operator; the rest is dropped with the connection). */
    static final int MAX_ERROR_BODY = 64 * 1024;

    private final BasicAuthCache authCache = new BasicAuthCache();
    private final long maxAnswerBytes;
    private final BasicCredentialsProvider credentials = new BasicCredentialsProvider();

    /**
     * @param baseUrl the server (scheme, host, port) that gets the credentials preemptively
     * @param maxConnections concurrent connections to the server
     */
    public DavClient(URI baseUrl, String username, String password, Duration connectTimeout, Duration readTimeout, int maxConnections) {
        this(baseUrl, username, password, connectTimeout, readTimeout, maxConnections, DEFAULT_MAX_ANSWER_BYTES);
    }

    /** The default bound of one multistatus answer: 16 MiB (a listing of about 80,000 members, a multiget of big items). */
    public static final long DEFAULT_MAX_ANSWER_BYTES = 16L << 20;

    /**
     * @param maxAnswerBytes the most of one multistatus answer read into memory: a larger one is refused (a multiget is then
     *     asked again in parts by the caller), so a hostile or broken server cannot make the connector hold gigabytes
     */
    public DavClient(URI baseUrl, String username, String password, Duration connectTimeout, Duration readTimeout, int maxConnections,
            long maxAnswerBytes) {
        super(builder(connectTimeout, readTimeout, maxConnections), username, password);
        this.maxAnswerBytes = maxAnswerBytes;
        // Sardine keeps credentials in its one shared context; each request here has its own context
        credentials.setCredentials(new AuthScope(baseUrl.getHost(), port(baseUrl)), new UsernamePasswordCredentials(username, password));
        HttpHost host = new HttpHost(baseUrl.getHost(), port(baseUrl), baseUrl.getScheme());
        authCache.put(host, new BasicScheme(StandardCharsets.UTF_8));
    }

    private static int port(URI url) {
        if (url.getPort() != -1) {
            return url.getPort();
        }
        return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    private static HttpClientBuilder builder(Duration connectTimeout, Duration readTimeout, int maxConnections) {
        RequestConfig requestConfig = RequestConfig.custom()
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setConnectionRequestTimeout((int) connectTimeout.toMillis())
                .setSocketTimeout((int) readTimeout.toMillis())
                .setExpectContinueEnabled(false)
                .setCookieSpec(CookieSpecs.STANDARD)
                .build();
        return HttpClientBuilder.create()
                .setDefaultRequestConfig(requestConfig)
                // follows redirects of PROPFIND/REPORT too (/.well-known/caldav)
                .setRedirectStrategy(new SardineRedirectStrategy())
                .setMaxConnPerRoute(maxConnections)
                .setMaxConnTotal(maxConnections)
                .setUserAgent("Nexchange")
                // One cookie store per client, and a client serves one login (AccountSession): Nextcloud answers the
                // first request with a session cookie, and a request that carries it skips the app-password login
                // (measured on Nextcloud 32: 23 ms of server CPU per PUT instead of 35 ms, and no new PHP session per
                // request). Nextcloud then takes the session over the Basic credentials, so a cookie must never travel
                // with another login's requests: hence never a store shared between clients. A revoked app password
                // ends the session at once (401), as without cookies.
                .setDefaultCookieStore(new BasicCookieStore());
    }

    private HttpClientContext newContext() {
        HttpClientContext context = HttpClientContext.create();
        context.setAuthCache(authCache);
        context.setCredentialsProvider(credentials);
        return context;
    }

    private <T> T send(HttpRequestBase request, ResponseHandler<T> handler) throws IOException {
        return execute(newContext(), request, handler);
    }

    /** PROPFIND with a raw body; {@code depth} is "0" or "1". */
    public List<DavResponse> propfind(URI url, String depth, String body) throws IOException {
        HttpPropFind request = new HttpPropFind(url);
        request.setDepth(depth);
        request.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), XML));
        return DavResponse.all(send(request, multistatus(request)));
    }

    /** A REPORT; error bodies are kept in the {@link DavHttpException}. */
    public <T> T report(URI url, String depth, SardineReport<T> report) throws IOException {
        HttpReport request = new HttpReport(url);
        request.setDepth(depth);
        request.setEntity(new ByteArrayEntity(report.toXml().getBytes(StandardCharsets.UTF_8), XML));
        return report.fromMultistatus(send(request, multistatus(request)));
    }

    /** The sync-token the multistatus body carries, besides its responses. */
    public record SyncAnswer(List<DavResponse> responses, String syncToken) {}

    /** RFC 6578 sync-collection (Depth 0, as the RFC asks). */
    public SyncAnswer syncCollection(URI collection, String token, int limit) throws IOException {
        Multistatus multistatus = report(collection, "0", new RawXmlReport(DavXml.syncCollection(token, limit)));
        return new SyncAnswer(DavResponse.all(multistatus), multistatus.getSyncToken() == null ? "" : multistatus.getSyncToken().strip());
    }

    /** RFC 4791 MKCALENDAR. */
    public void mkcalendar(URI url, String displayName) throws IOException {
        HttpEntityEnclosingRequestBase request = new HttpEntityEnclosingRequestBase() {
            @Override
            public String getMethod() {
                return "MKCALENDAR";
            }
        };
        request.setURI(url);
        request.setEntity(new ByteArrayEntity(DavXml.mkcalendar(displayName).getBytes(StandardCharsets.UTF_8), XML));
        send(request, status(request));
    }

    /** RFC 5689 extended MKCOL creating an address book. */
    public void mkcolAddressbook(URI url, String displayName) throws IOException {
        // HttpMkCol has no entity: an extended MKCOL carries a body
        HttpEntityEnclosingRequestBase request = new HttpEntityEnclosingRequestBase() {
            @Override
            public String getMethod() {
                return HttpMkCol.METHOD_NAME;
            }
        };
        request.setURI(url);
        request.setEntity(new ByteArrayEntity(DavXml.mkcolAddressbook(displayName).getBytes(StandardCharsets.UTF_8), XML));
        send(request, status(request));
    }

    /**
     * PUT with precondition headers ({@code If-None-Match: *} or {@code If-Match}).
     *
     * @return the ETag the server answered with; empty when it sent none (sabre/dav omits it when it
     *     changed the body on store), then the caller re-reads it
     */
    public Optional<String> put(URI url, byte[] body, String contentType, Map<String, String> headers) throws IOException {
        HttpPut request = new HttpPut(url);
        request.setEntity(new ByteArrayEntity(body, ContentType.parse(contentType)));
        headers.forEach(request::setHeader);
        return send(request, response -> {
            check(request, response);
            EntityUtils.consumeQuietly(response.getEntity());
            Header etag = response.getFirstHeader("ETag");
            return Optional.ofNullable(etag).map(Header::getValue).map(String::strip).filter(v -> !v.isEmpty());
        });
    }

    /** DELETE with precondition headers. */
    public void delete(URI url, Map<String, String> headers) throws IOException {
        HttpDelete request = new HttpDelete(url);
        headers.forEach(request::setHeader);
        send(request, status(request));
    }

    private ResponseHandler<Multistatus> multistatus(HttpRequestBase request) {
        return response -> {
            check(request, response);
            HttpEntity entity = response.getEntity();
            if (response.getStatusLine().getStatusCode() != 207 || entity == null) {
                EntityUtils.consumeQuietly(entity);
                throw new DavHttpException(request.getMethod(), request.getURI().toString(),
                        response.getStatusLine().getStatusCode(), "expected 207 Multi-Status", "");
            }
            // buffered (up to the bound) so that a parse error can quote what the server sent
            byte[] bytes = bounded(request, entity, maxAnswerBytes);
            if (declaresDoctype(bytes)) {
                // no DAV server sends one; Sardine's parser would skip external entities but still take the rest
                throw DavHttpException.refusedAnswer(request.getMethod(), request.getURI().toString(), 207,
                        "refused multistatus: it declares a DTD (entities, possibly external), which no DAV server sends",
                        new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8));
            }
            try {
                return SardineUtil.unmarshal(new ByteArrayInputStream(bytes));
            } catch (IOException e) {
                throw DavHttpException.refusedAnswer(request.getMethod(), request.getURI().toString(), 207,
                        "unreadable multistatus: " + e.getMessage()
                        + (e.getCause() == null || e.getCause().getMessage() == null ? "" : " (" + e.getCause().getMessage() + ")"), new String(bytes, 0, Math.min(bytes.length, 2000), StandardCharsets.UTF_8));
            }
        };
    }

    /**
     * The answer's body, refused as soon as it passes {@code max} bytes (by its Content-Length before anything is read, or
     * while reading a chunked one): the connection is then dropped instead of drained.
     */
    static byte[] bounded(HttpRequestBase request, HttpEntity entity, long max) throws IOException {
        long declared = entity.getContentLength();
        if (declared > max) {
            request.abort();
            throw tooLarge(request, declared, max);
        }
        try (java.io.InputStream in = entity.getContent()) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) != -1;) {
                total += n;
                if (total > max) {
                    request.abort();
                    throw tooLarge(request, -1, max);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static DavHttpException tooLarge(HttpRequestBase request, long declared, long max) {
        return DavHttpException.refusedAnswer(request.getMethod(), request.getURI().toString(), 207, "refused answer: "
                + (declared > 0 ? "it is " + megabytes(declared) + " long, " : "") + "over the bound of " + megabytes(max)
                + " for one answer (maxAnswerMegabytes of io.nexchange.nextcloud)", "");
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    /** Whether the document's prolog (before the root element) holds a document type declaration. */
    static boolean declaresDoctype(byte[] xml) {
        String head = new String(xml, 0, Math.min(xml.length, 64 * 1024), StandardCharsets.UTF_8);
        int at = 0;
        while (true) {
            while (at < head.length() && (Character.isWhitespace(head.charAt(at)) || head.charAt(at) == '\uFEFF')) {
                at++;
            }
            if (head.startsWith("<?", at)) {
                int end = head.indexOf("?>", at);
                at = end < 0 ? head.length() : end + 2;
            } else if (head.startsWith("<!--", at)) {
                int end = head.indexOf("-->", at);
                at = end < 0 ? head.length() : end + 3;
            } else {
                return head.startsWith("<!DOCTYPE", at);
            }
        }
    }

    private static ResponseHandler<Integer> status(HttpRequestBase request) {
        return response -> {
            check(request, response);
            EntityUtils.consumeQuietly(response.getEntity());
            return response.getStatusLine().getStatusCode();
        };
    }

    private static void check(HttpRequestBase request, HttpResponse response) throws IOException {
        int code = response.getStatusLine().getStatusCode();
        if (code >= 200 && code < 300) {
            return;
        }
        String body = response.getEntity() == null ? "" : errorBody(request, response.getEntity());
        Header retryAfter = response.getFirstHeader("Retry-After");
        throw new DavHttpException(request.getMethod(), request.getURI().toString(), code, response.getStatusLine().getReasonPhrase(), body,
                retryAfter == null ? null : retryAfter.getValue());
    }

    /** The start of an error answer: enough to name a failed precondition; a larger body is not read. */
    private static String errorBody(HttpRequestBase request, HttpEntity entity) throws IOException {
        try (java.io.InputStream in = entity.getContent()) {
            byte[] start = in.readNBytes(MAX_ERROR_BODY);
            if (in.read() != -1) {
                request.abort(); // more is coming: not drained
            }
            return new String(start, StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        try {
            shutdown();
        } catch (IOException e) {
            // closing connections: nothing left to do
        }
    }
}
