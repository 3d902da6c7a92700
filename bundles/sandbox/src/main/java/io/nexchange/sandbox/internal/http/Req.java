package io.nexchange.sandbox.internal.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request as the handlers see it, whether it came over the wire or out of a JSON batch: method,
 * decoded path segments, query, headers (case-insensitive), body, and the ids Graph echoes.
 */
public final class Req {
    public final String method;
    public final String rawPath;
    public final List<String> segments;
    public final String rawQuery;
    private final Map<String, String> query;
    private final Map<String, String> headers;
    public final byte[] body;
    public final String requestId;
    /** e.g. https://127.0.0.1:4433 (no trailing slash), for absolute links to the sandbox itself. */
    public final String baseUrl;
    /** Set while a JSON batch runs this request as one of its items. */
    public final boolean inBatch;

    public Req(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body,
            String requestId, String baseUrl, boolean inBatch) {
        this.method = method.toUpperCase(Locale.ROOT);
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
        this.segments = splitPath(rawPath);
        this.query = parseQuery(rawQuery);
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        this.headers = Collections.unmodifiableMap(h);
        this.body = body == null ? new byte[0] : body;
        this.requestId = requestId;
        this.baseUrl = baseUrl;
        this.inBatch = inBatch;
    }

    public String header(String name) {
        return headers.get(name);
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** A query parameter; OData system options match with or without '$', case-insensitively. */
    public String query(String name) {
        String v = query.get(name.toLowerCase(Locale.ROOT));
        if (v == null && name.startsWith("$")) {
            v = query.get(name.substring(1).toLowerCase(Locale.ROOT));
        }
        return v;
    }

    public Map<String, String> queryMap() {
        return query;
    }

    public String clientRequestId() {
        String id = header("client-request-id");
        return id == null ? requestId : id;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public static List<String> splitPath(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    public static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k.toLowerCase(Locale.ROOT), v);
        }
        return out;
    }
}
